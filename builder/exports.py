"""Exports of a graph: Python code, ``.keras``, Keras JSON, a PNG diagram, our graph JSON.

- ``py``: Python source (:func:`builder.codegen.to_python`); no TensorFlow.
- ``graph``: our graph JSON (``Graph.to_json``); no TensorFlow; written even with errors.
- ``json``: Keras JSON (``model.to_json()``).
- ``keras``: a ``.keras`` file (``model.save``).
- ``png``: ``keras.utils.plot_model`` with shapes (needs pydot and graphviz' ``dot``).

:func:`export_bytes` returns the file's content (for downloads); :func:`export_file` writes
it. Graph errors raise :class:`~builder.errors.CompileError` (``issues`` names the nodes);
anything else that goes wrong raises :class:`~builder.errors.ExportError` with a one-line message.
The formats that need Keras live in :mod:`builder.keras_edge.save` (imported when used).
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from .core.graph import Graph
from .errors import ExportError

FORMATS = ("py", "keras", "json", "png", "graph")
SUFFIXES = {".py": "py", ".keras": "keras", ".png": "png"}
TEXT_FORMATS = ("py", "json", "graph")
NEEDS_KERAS = ("keras", "json", "png")


def to_graph_json(graph: Graph) -> str:
    return graph.to_json() + "\n"


def to_python(graph: Graph) -> str:
    from .codegen import to_python as _to_python

    return _to_python(graph)


def export_bytes(graph: Graph, fmt: str) -> bytes:
    """The exported file's content, for a download button."""
    if fmt not in FORMATS:
        raise ExportError(f"unknown export format {fmt!r}; formats: {', '.join(FORMATS)}")
    if fmt == "graph":
        return to_graph_json(graph).encode("utf-8")
    if fmt == "py":
        return to_python(graph).encode("utf-8")
    if fmt == "json":
        from .keras_edge.save import to_keras_json

        return to_keras_json(graph).encode("utf-8")
    from .keras_edge.save import plot_png, save_keras

    with tempfile.TemporaryDirectory(prefix="kgb-export-") as tmp:
        out = Path(tmp) / f"model.{fmt}"
        if fmt == "keras":
            save_keras(graph, out)
        else:
            plot_png(graph, out)
        return out.read_bytes()


def export_file(graph: Graph, fmt: str, path: str | Path) -> Path:
    """Write the export to ``path`` (replaced atomically for text formats)."""
    path = Path(path)
    if fmt in ("keras", "png"):
        from .keras_edge.save import plot_png, save_keras

        return save_keras(graph, path) if fmt == "keras" else plot_png(graph, path)
    data = export_bytes(graph, fmt)
    tmp = path.with_name(f".{path.name}.tmp")
    try:
        tmp.write_bytes(data)
        os.replace(tmp, path)
    except OSError as exc:
        tmp.unlink(missing_ok=True)
        raise ExportError(f"cannot write {path}: {exc.strerror or exc}") from None
    return path
