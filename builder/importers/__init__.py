"""Importers: Python source, Keras JSON configs and ``.keras`` files -> an editable :class:`Graph`.

Nothing a user uploads is ever executed or unpickled:

* Python source is parsed with :mod:`ast` and *interpreted* over a tiny, side-effect-free subset
  (:mod:`builder.importers.python`): layer constructors, calls, ``Input``, ``Model``, ``Sequential``,
  constants and simple arithmetic. Calls into anything else are never run.
* Keras JSON (``model.to_json()``) and the ``config.json`` inside a ``.keras`` zip are read with
  :mod:`json` and mapped layer by layer (:mod:`builder.importers.keras_config`); the weights file is never
  opened. Layer types outside the catalog (``Lambda``, custom layers) are refused with an error
  naming the class: the builder keeps no opaque nodes.

Sharing is preserved: a layer called several times becomes several nodes of one graph layer.
Every importer returns an :class:`ImportResult` (the graph plus notes such as dropped Keras 2
arguments) or raises :class:`GraphImportError` (with a line number for Python source).
Importing never imports TensorFlow or Keras (except :func:`import_model`, which receives a live
``keras.Model``).
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

from ..core.graph import loads
from ..errors import GraphFormatError, GraphImportError
from .common import (
    MAX_JSON_BYTES,
    MAX_KERAS_FILE_BYTES,
    MAX_SOURCE_BYTES,
    ImportNote,
    ImportResult,
    parse_json,
)

__all__ = [
    "GraphImportError",
    "ImportNote",
    "ImportResult",
    "import_bytes",
    "import_file",
    "import_json",
    "import_keras_file",
    "import_keras_json",
    "import_model",
    "import_python",
]


def import_python(source: str | bytes, *, name: str | None = None) -> ImportResult:
    """Import Keras model code (never executed). See :mod:`builder.importers.python`."""
    from .python import import_python as _imp

    return _imp(source, name=name)


def import_keras_json(source: str | bytes | Mapping[str, Any], *, name: str | None = None) -> ImportResult:
    """Import a Keras model config (``model.to_json()``), functional or Sequential."""
    from .keras_config import import_keras_json as _imp

    return _imp(source, name=name)


def import_keras_file(source: str | Path | bytes, *, name: str | None = None) -> ImportResult:
    """Import a ``.keras`` file (path or bytes): only its ``config.json`` is read."""
    from .keras_config import import_keras_file as _imp

    return _imp(source, name=name)


def import_model(model: Any) -> ImportResult:
    """Import a live ``keras.Model`` through its JSON config."""
    return import_keras_json(model.to_json())


def import_bytes(data: bytes, filename: str) -> ImportResult:
    """Import an upload: the kind is chosen by the file name (``.py``, ``.keras``, ``.json``)."""
    suffix = Path(filename).suffix.lower()
    stem = Path(filename).stem or None
    if suffix == ".keras" or (suffix not in (".py", ".json") and data[:2] == b"PK"):
        return import_keras_file(data, name=stem)
    if suffix == ".py":
        return import_python(data, name=stem)
    if suffix == ".json" or data.lstrip()[:1] == b"{":
        return import_json(data, name=stem)
    if suffix in (".h5", ".hdf5"):
        raise GraphImportError("HDF5 (.h5) model files are not supported: save the model as .keras and import that")
    raise GraphImportError(f"unsupported file type {suffix or '(none)'!r}: expected .py, .keras or .json")


def import_json(data: str | bytes, *, name: str | None = None) -> ImportResult:
    """A JSON document: the builder's own graph JSON or a Keras model config."""
    doc = parse_json(data, "the JSON file")
    if isinstance(doc, dict) and ("nodes" in doc or doc.get("format") == "keras-graph-builder"):
        try:
            return ImportResult(loads(data), (), "graph-json")
        except GraphFormatError as exc:
            raise GraphImportError(f"invalid graph JSON: {exc}") from None
    return import_keras_json(doc, name=name)


def import_file(path: str | Path) -> ImportResult:
    """Import a file by its extension. Raises :class:`GraphImportError` (also for I/O problems)."""
    p = Path(path)
    try:
        size = p.stat().st_size
        suffix = p.suffix.lower()
        limit = {".keras": MAX_KERAS_FILE_BYTES, ".py": MAX_SOURCE_BYTES}.get(suffix, MAX_JSON_BYTES)
        if size > limit:
            raise GraphImportError(f"{p.name} is {size:,} bytes; the limit for this kind of file is {limit:,} bytes")
        if suffix == ".keras":
            return import_keras_file(p, name=p.stem)
        data = p.read_bytes()
    except FileNotFoundError:
        raise GraphImportError("no such file") from None
    except IsADirectoryError:
        raise GraphImportError("is a directory") from None
    except OSError as exc:
        raise GraphImportError(f"cannot read: {exc.strerror or exc}") from None
    return import_bytes(data, p.name)
