"""Keras Graph Builder: design Keras functional models as graphs (no Streamlit here; Keras only
imported lazily, by :mod:`builder.keras_edge`).

>>> from builder import load_graph, validate
>>> from builder.core.templates import get_template
>>> report = validate(load_graph(get_template("news").path))
>>> report.ok, report.params.total
(True, 5200610)

Layers, each importing only those below it: ``core`` (pure Python: the graph, catalog, shapes,
validator, settings) <- ``importers`` and ``codegen`` / ``exports`` <- ``keras_edge`` (the only
code that imports Keras/TensorFlow) <- ``cli`` (a leaf). Errors: :mod:`builder.errors`.
"""

from __future__ import annotations

from .core.graph import MAX_FILE_BYTES, Edge, Graph, Layer, Node, from_dict, load_graph, loads
from .core.validate import Issue, Params, Report, validate
from .errors import BuilderError, GraphEditError, GraphFormatError

__all__ = [
    "MAX_FILE_BYTES",
    "BuilderError",
    "Edge",
    "Graph",
    "GraphEditError",
    "GraphFormatError",
    "Issue",
    "Layer",
    "Node",
    "Params",
    "Report",
    "from_dict",
    "load_graph",
    "loads",
    "validate",
]
