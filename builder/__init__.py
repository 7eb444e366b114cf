"""Keras Graph Builder: the pure-Python core (no Streamlit; Keras only imported lazily).

>>> from builder import load_graph, validate
>>> report = validate(load_graph("templates/news.json"))
>>> report.ok, report.params.total
(True, 5200610)
"""

from __future__ import annotations

from pathlib import Path

from .graph import Edge, Graph, GraphEditError, GraphFormatError, Layer, Node, from_dict, loads
from .validate import Issue, Params, Report, validate

MAX_FILE_BYTES = 50 * 2**20

__all__ = [
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
