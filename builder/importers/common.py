"""What every importer shares: results and notes, size limits, text/JSON decoding, Keras class
names -> catalog types, config values in the graph's form, id allocation."""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from ..core import losses as loss_table
from ..core.catalog import PAD_RANK, LayerType, catalog, pad_pairs
from ..core.graph import Graph
from ..core.naming import to_snake_case
from ..core.plain import tuplify
from ..core.refused import COVERAGE_DOC, refusal
from ..errors import GraphImportError

MAX_SOURCE_BYTES = 5 * 2**20  # Python sources
MAX_JSON_BYTES = 50 * 2**20  # graph JSON and Keras JSON (as ``builder.load_graph`` allows)
MAX_KERAS_FILE_BYTES = 2 * 2**30  # a .keras zip (weights included; only config.json is read)
MAX_CONFIG_BYTES = 64 * 2**20  # config.json inside a .keras zip, uncompressed


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


keras_snake = to_snake_case  # Keras' own ``to_snake_case`` (``Conv2D`` -> ``conv2d``)


def class_to_type(class_name: str) -> str | None:
    """The catalog type for a Keras layer class name (or one of its aliases in the catalog), or None
    when the catalog lacks it."""
    return _class_map().get(class_name)


@lru_cache(maxsize=1)
def _class_map() -> dict[str, str]:
    return catalog().class_names()


def unsupported_class_message(
    class_name: str, layer_name: str | None = None, *, registered: str | None = None, module: str | None = None
) -> str:
    """Why a Keras class cannot be imported: it names the class, gives the reason (the one table
    :data:`builder.core.refused.REFUSED`, else "custom" or "not in the catalog") and points at the
    coverage table. ``registered``/``module``: a Keras JSON spec's ``registered_name`` and ``module``."""
    subject = f"layer '{layer_name}' ({class_name})" if layer_name else class_name
    see = f"{COVERAGE_DOC} lists every keras.layers class and whether the builder covers it"
    if class_name in ("Functional", "Model", "Sequential"):
        return f"{subject}: nested models are not supported; flatten it into one model"
    reason = refusal(class_name)
    if reason is not None and not is_custom_class(class_name, registered, module):
        return f"{subject}: refused: {reason} (see {COVERAGE_DOC})"
    if is_custom_class(class_name, registered, module):
        custom_name = registered not in (None, class_name)
        where = f"registered as {registered!r}" if custom_name else f"from module {module!r}"
        return (
            f"{subject}: a custom layer class ({where}); a custom layer is Python code, which the builder "
            f"never imports or runs; rebuild it from built-in layers ({see})"
        )
    return (
        f"{subject}: the layer class {class_name!r} is not in the builder's catalog: a custom layer is Python "
        f"code, which the builder never runs, and a built-in one may not be covered yet ({see})"
    )


def is_custom_class(class_name: str, registered: str | None, module: str | None) -> bool:
    """Whether a Keras JSON spec names a class registered outside ``keras.layers``."""
    if registered not in (None, class_name):
        return True
    return module is not None and not (
        module == "keras"
        or module.startswith(("keras.layers", "keras.src.", "tf_keras.", "tensorflow.keras", "tensorflow.python.keras"))
    )


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
    value = tuplify(value)
    if param_kind == "int_or_tuple" and isinstance(value, tuple) and value and len(set(value)) == 1:
        v = value[0]
        if isinstance(v, int) and not isinstance(v, bool):
            return v
    if param_kind in PAD_RANK:
        pads = pad_pairs(value, PAD_RANK[param_kind])
        if pads is not None:
            if len(set(pads)) == 1 and pads[0][0] == pads[0][1]:
                return pads[0][0]
            if all(a == b for a, b in pads):
                return tuple(a for a, _ in pads)
    if param_kind == "any":
        return simplify_object(value)
    return value


def equals_default(ltype: LayerType, key: str, value: Any) -> bool:
    """Whether the imported ``key=value`` is Keras' default (the catalog's one ``is_default`` rule)."""
    return ltype.is_default(key, value)


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


LOSS_CLASSES = loss_table.CLASSES  # keras.losses class -> loss name


def round_float(value: float) -> float:
    """Undo float32 noise in saved hyper-parameters (0.009999999776 -> 0.01)."""
    return float(f"{value:.7g}")
