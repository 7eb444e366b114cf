"""Importers: Python source, Keras JSON configs and ``.keras`` files -> an editable :class:`Graph`.

Nothing a user uploads is ever executed or unpickled:

* Python source is parsed with :mod:`ast` and *interpreted* over a tiny, side-effect-free subset
  (``builder/import_python.py``): layer constructors, calls, ``Input``, ``Model``, ``Sequential``,
  constants and simple arithmetic. Calls into anything else are never run.
* Keras JSON (``model.to_json()``) and the ``config.json`` inside a ``.keras`` zip are read with
  :mod:`json` and mapped layer by layer (``builder/import_keras.py``); the weights file is never
  opened. Layer types outside the catalog (``Lambda``, custom layers) are refused with an error
  naming the class: the builder keeps no opaque nodes.

Sharing is preserved: a layer called several times becomes several nodes of one graph layer.
Every importer returns an :class:`ImportResult` (the graph plus notes such as dropped Keras 2
arguments) or raises :class:`GraphImportError` (with a line number for Python source).
Importing never imports TensorFlow or Keras (except :func:`import_model`, which receives a live
``keras.Model``).
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from collections.abc import Mapping
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from .catalog import LayerType, catalog, pad2d
from .graph import Graph, GraphFormatError

MAX_SOURCE_BYTES = 5 * 2**20  # Python sources
MAX_JSON_BYTES = 50 * 2**20  # graph JSON and Keras JSON (as ``builder.load_graph`` allows)
MAX_KERAS_FILE_BYTES = 2 * 2**30  # a .keras zip (weights included; only config.json is read)
MAX_CONFIG_BYTES = 64 * 2**20  # config.json inside a .keras zip, uncompressed


class GraphImportError(ValueError):
    """The source cannot be imported. ``line`` is the 1-based line in Python source (or None)."""

    def __init__(self, message: str, line: int | None = None) -> None:
        self.message = message
        self.line = line
        super().__init__(f"line {line}: {message}" if line is not None else message)


@dataclass(frozen=True)
class ImportNote:
    """A warning about the import: something dropped, assumed or skipped."""

    message: str
    line: int | None = None

    def __str__(self) -> str:
        return f"line {self.line}: {self.message}" if self.line is not None else self.message


@dataclass(frozen=True)
class ImportResult:
    graph: Graph
    notes: tuple[ImportNote, ...] = ()
    kind: str = "python"  # python | keras-json | keras-file | graph-json

    @property
    def warnings(self) -> list[str]:
        return [str(n) for n in self.notes]


# --------------------------------------------------------------------------- public entry points


def import_python(source: str | bytes, *, name: str | None = None) -> ImportResult:
    """Import Keras model code (never executed). See ``builder/import_python.py``."""
    from .import_python import import_python as _imp

    return _imp(source, name=name)


def import_keras_json(source: str | bytes | Mapping[str, Any], *, name: str | None = None) -> ImportResult:
    """Import a Keras model config (``model.to_json()``), functional or Sequential."""
    from .import_keras import import_keras_json as _imp

    return _imp(source, name=name)


def import_keras_file(source: str | Path | bytes, *, name: str | None = None) -> ImportResult:
    """Import a ``.keras`` file (path or bytes): only its ``config.json`` is read."""
    from .import_keras import import_keras_file as _imp

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
    from .graph import loads

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


# --------------------------------------------------------------------------- shared helpers


def decode_text(data: str | bytes, what: str, limit: int = MAX_SOURCE_BYTES) -> str:
    if isinstance(data, str):
        text = data
    else:
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            raise GraphImportError(f"{what} is not UTF-8 text ({exc.reason} at byte {exc.start})") from None
    if len(text) > limit:
        raise GraphImportError(f"{what} is {len(text):,} characters; the limit is {limit:,}")
    return text


def parse_json(data: str | bytes, what: str, limit: int = MAX_JSON_BYTES) -> Any:
    text = decode_text(data, what, limit)
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        raise GraphImportError(
            f"{what} is not valid JSON: {exc.msg} at line {exc.lineno}, column {exc.colno}"
        ) from None
    except RecursionError:
        raise GraphImportError(f"{what} is nested too deeply") from None


def keras_snake(name: str) -> str:
    """Keras' ``to_snake_case``: the prefix of its automatic layer names (``Conv2D`` -> ``conv2d``)."""
    s = re.sub(r"(.)([A-Z][a-z]+)", r"\1_\2", name)
    s = re.sub(r"([a-z])([A-Z])", r"\1_\2", s).lower()
    return s if s[:1] != "_" else "private" + s


# Keras class names (and aliases) -> catalog type.
_ALIASES = {
    "InputLayer": "Input",
    "Convolution1D": "Conv1D",
    "Convolution2D": "Conv2D",
    "MaxPool1D": "MaxPooling1D",
    "MaxPool2D": "MaxPooling2D",
    "AvgPool1D": "AveragePooling1D",
    "AvgPool2D": "AveragePooling2D",
    "GlobalMaxPool1D": "GlobalMaxPooling1D",
    "GlobalMaxPool2D": "GlobalMaxPooling2D",
    "GlobalAvgPool1D": "GlobalAveragePooling1D",
    "GlobalAvgPool2D": "GlobalAveragePooling2D",
    "CuDNNLSTM": "LSTM",
    "CuDNNGRU": "GRU",
}


def class_to_type(class_name: str) -> str | None:
    """The catalog type for a Keras layer class name, or None when the catalog lacks it."""
    return _class_map().get(class_name)


@lru_cache(maxsize=1)
def _class_map() -> dict[str, str]:
    cat = catalog()
    out = {alias: t for alias, t in _ALIASES.items() if t in cat}
    for t in cat.types.values():
        out[t.type] = t.type
        out[t.keras.rsplit(".", 1)[-1]] = t.type
    return out


def unsupported_class_message(class_name: str, layer_name: str | None = None) -> str:
    subject = f"layer '{layer_name}' ({class_name})" if layer_name else class_name
    if class_name == "Lambda":
        return (
            f"{subject}: Lambda layers hold Python code, which the builder never deserializes or runs; "
            "replace it with built-in layers"
        )
    if class_name in ("Functional", "Model", "Sequential"):
        return f"{subject}: nested models are not supported; flatten it into one model"
    return f"{subject}: the layer type {class_name!r} is not in the builder's catalog"


# Initializer / regularizer / constraint classes whose Keras default config is "all None" plus these.
_OBJECT_DEFAULTS: dict[str, dict[str, Any]] = {
    "Orthogonal": {"gain": 1.0},
    "RandomNormal": {"mean": 0.0, "stddev": 0.05},
    "RandomUniform": {"minval": -0.05, "maxval": 0.05},
    "TruncatedNormal": {"mean": 0.0, "stddev": 0.05},
    "Identity": {"gain": 1.0},
    "Constant": {"value": 0.0},
}
_OBJECT_MODULES = ("keras.initializers", "keras.regularizers", "keras.constraints")


def simplify_object(value: Any) -> Any:
    """A serialized Keras initializer/regularizer/constraint dict with its default config becomes its
    string name (``{"class_name": "GlorotUniform", "config": {"seed": None}}`` -> ``"glorot_uniform"``);
    others stay as the (opaque) dict, which Keras' ``initializers.get`` etc. accept."""
    if not isinstance(value, Mapping) or "class_name" not in value:
        return value
    cls = value.get("class_name")
    module = value.get("module") or "keras.initializers"
    cfg = value.get("config") or {}
    if not isinstance(cls, str) or not isinstance(cfg, Mapping) or module not in _OBJECT_MODULES:
        return value
    if value.get("registered_name") not in (None, cls):
        return value
    defaults = _OBJECT_DEFAULTS.get(cls, {})
    if all(v is None or defaults.get(k, object()) == v for k, v in cfg.items()):
        if module == "keras.initializers":
            return keras_snake(cls)
    return {k: value[k] for k in ("module", "class_name", "config", "registered_name") if k in value}


def normalize_value(param_kind: str, value: Any) -> Any:
    """A config value in the graph's form: lists as tuples, uniform int tuples collapsed."""
    value = _tuplify(value)
    if param_kind == "int_or_tuple" and isinstance(value, tuple) and value and len(set(value)) == 1:
        v = value[0]
        if isinstance(v, int) and not isinstance(v, bool):
            return v
    if param_kind == "padding2d":
        pads = pad2d(value)
        if pads is not None:
            (t, b), (left, r) = pads
            if t == b == left == r:
                return t
            if t == b and left == r:
                return (t, left)
    if param_kind == "any":
        return simplify_object(value)
    return value


def equals_default(ltype: LayerType, key: str, value: Any) -> bool:
    param = ltype.params.get(key)
    if param is None or param.required:
        return False
    default = param.default
    if param.kind == "activation" and default is None and value == "linear":
        return True
    if key == "data_format" and default is None and value == "channels_last":
        return True  # Keras resolves None to image_data_format(), "channels_last" by default
    if param.kind == "int_or_tuple" and default is not None:
        rank = param.rank
        a = (value,) * rank if isinstance(value, int) else value
        b = (default,) * rank if isinstance(default, int) else default
        return _tuplify(a) == _tuplify(b)
    if param.kind == "padding2d" and default is not None:
        return pad2d(value) == pad2d(default)
    if isinstance(value, float) and isinstance(default, (int, float)) and not isinstance(default, bool):
        return float(default) == value
    return type(value) is type(default) and value == default


def _tuplify(value: Any) -> Any:
    if isinstance(value, list | tuple):
        return tuple(_tuplify(v) for v in value)
    if isinstance(value, dict):
        return {k: _tuplify(v) for k, v in value.items()}
    return value


def tuplify(value: Any) -> Any:
    """Lists as tuples, recursively (the form ``graph.from_dict`` gives configs and settings)."""
    return _tuplify(value)


class IdAllocator:
    """Unique node/layer ids, the way ``Graph.new_id`` makes them (lower snake case, ``_1`` suffixes)."""

    def __init__(self) -> None:
        self.taken: set[str] = set()

    def new(self, prefix: str) -> str:
        base = re.sub(r"[^0-9A-Za-z_]+", "_", prefix).strip("_").lower() or "n"
        if base not in self.taken:
            self.taken.add(base)
            return base
        i = 1
        while f"{base}_{i}" in self.taken:
            i += 1
        self.taken.add(f"{base}_{i}")
        return f"{base}_{i}"


LOSS_CLASSES = {
    "BinaryCrossentropy": "binary_crossentropy",
    "CategoricalCrossentropy": "categorical_crossentropy",
    "SparseCategoricalCrossentropy": "sparse_categorical_crossentropy",
    "BinaryFocalCrossentropy": "binary_focal_crossentropy",
    "CategoricalFocalCrossentropy": "categorical_focal_crossentropy",
    "MeanSquaredError": "mean_squared_error",
    "MeanAbsoluteError": "mean_absolute_error",
    "MeanAbsolutePercentageError": "mean_absolute_percentage_error",
    "MeanSquaredLogarithmicError": "mean_squared_logarithmic_error",
    "Huber": "huber",
    "LogCosh": "log_cosh",
    "KLDivergence": "kl_divergence",
    "Poisson": "poisson",
    "Hinge": "hinge",
    "SquaredHinge": "squared_hinge",
    "CategoricalHinge": "categorical_hinge",
    "CosineSimilarity": "cosine_similarity",
}


def round_float(value: float) -> float:
    """Undo float32 noise in saved hyper-parameters (0.009999999776 -> 0.01)."""
    return float(f"{value:.7g}")


# --------------------------------------------------------------------------- CLI


def register_cli(sub: argparse._SubParsersAction) -> None:
    """``python -m builder import SRC [-o GRAPH.json]`` (added to ``builder.cli.EXTRA_COMMANDS``)."""
    p = sub.add_parser(
        "import",
        help="import Python model code (never run), a .keras file or a Keras/graph JSON into a graph JSON",
        description="Import a model into the builder's graph JSON. Exit 0 on success (warnings on stderr), "
        "2 when the source cannot be read or uses something unsupported.",
    )
    p.add_argument("src", help="a .py, .keras or .json file")
    p.add_argument("-o", "--output", help="where to write the graph JSON (default: stdout)")
    p.add_argument("--name", help="the graph's name (default: the model's name or the file name)")
    p.set_defaults(func=cmd_import)


def cmd_import(args: argparse.Namespace) -> int:
    from .cli import EXIT_OK, CliError
    from .validate import validate

    try:
        result = import_file(args.src)
    except GraphImportError as exc:
        raise CliError(f"{args.src}: {exc}") from None
    graph = result.graph
    if args.name:
        from dataclasses import replace

        graph = replace(graph, name=args.name)
    for note in result.notes:
        print(f"warning: {note}", file=sys.stderr)
    text = graph.to_json() + "\n"
    if args.output:
        try:
            Path(args.output).write_text(text, encoding="utf-8")
        except OSError as exc:
            raise CliError(f"{args.output}: cannot write: {exc.strerror or exc}") from None
    else:
        sys.stdout.write(text)
    report = validate(graph)
    p = report.params
    verdict = "OK" if report.ok else f"{len(report.errors)} error(s), {len(report.warnings)} warning(s)"
    print(
        f"imported {len(graph.layers)} layers, {len(graph.nodes)} nodes, {p.total:,} params "
        f"({p.trainable:,} trainable, {p.non_trainable:,} non-trainable); validation: {verdict}"
        + (f"; wrote {args.output}" if args.output else ""),
        file=sys.stderr,
    )
    return EXIT_OK


def _register() -> None:
    from .cli import EXTRA_COMMANDS

    if register_cli not in EXTRA_COMMANDS:
        EXTRA_COMMANDS.append(register_cli)


_register()
