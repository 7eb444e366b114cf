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

from pathlib import Path

from .core.graph import Edge, Graph, Layer, Node, from_dict, loads
from .core.validate import Issue, Params, Report, validate
from .errors import BuilderError, GraphEditError, GraphFormatError

MAX_FILE_BYTES = 50 * 2**20

__all__ = [
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


def load_graph(source: str | Path) -> Graph:
    """Read a graph JSON file (a path). Raises ``OSError`` or :class:`GraphFormatError`."""
    path = Path(source)
    size = path.stat().st_size
    if size > MAX_FILE_BYTES:
        raise GraphFormatError("", f"the file is {size:,} bytes; graph files are limited to {MAX_FILE_BYTES:,} bytes")
    return loads(path.read_bytes())
