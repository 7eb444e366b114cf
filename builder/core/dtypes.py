"""Tensor dtypes through the graph, as far as the builder needs them: which tensors hold strings,
integers or floats, and the calls that cannot work on the dtype they receive.

Keras 3 never checks dtypes when it builds a functional model: ``Dense`` on a string Input, or
``StringLookup`` on an int Input, build fine symbolically and fail as soon as data flows. These
are reported here as errors with ``keras="runtime"`` (code ``dtype_mismatch``).

Propagation is deliberately small: an ``Input`` has its ``dtype`` (default ``float32``); the
preprocessing layers set theirs (``StringLookup`` -> ``int64``, ``CategoryEncoding`` ->
``float32``...); layers that only move values (``Flatten``, ``Reshape``...) keep their input's;
every other layer gives ``float32`` when its inputs are floats and an unknown dtype (None)
otherwise, so that no check fires on a guess.

``infer(graph, ...)`` returns node id -> dtype (None: unknown); ``problems(...)`` the issues, as
plain tuples for :mod:`builder.core.validate` to add (this module does not import it).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any, NamedTuple

from .catalog import Catalog
from .graph import Graph

FLOATS = frozenset({"float16", "bfloat16", "float32", "float64"})
INTS = frozenset({"int8", "int16", "int32", "int64", "uint8", "uint16", "uint32", "uint64"})
STRING = "string"

# Layers that only move values around: the output has the input's dtype (strings included).
PASS_THROUGH = frozenset(
    {"Flatten", "Reshape", "Identity", "Permute", "RepeatVector", "Cropping1D", "Cropping2D", "Cropping3D"}
)
# Augmentations whose call on integer images fails (uint8 pixels straight from a decoder).
FLOAT_IMAGES = frozenset({"RandomContrast", "RandomSaturation"})
# Layers whose inputs may be strings (besides PASS_THROUGH).
TAKES_STRINGS = frozenset({"StringLookup", "TextVectorization", "Hashing"})
# Layers whose output is float32 whatever the input (the image layers cast to their compute dtype).
_FLOAT_OUT = frozenset(
    {
        "Rescaling",
        "Resizing",
        "CenterCrop",
        "RandomCrop",
        "Normalization",
        "CategoryEncoding",
        "Embedding",
    }
)


# Layers whose accepted dtypes _needs() lists (the others take any number).
_CHECKED = frozenset({"StringLookup", "TextVectorization", "IntegerLookup", "Hashing"}) | FLOAT_IMAGES


class Problem(NamedTuple):
    node: str
    port: int | None
    severity: str
    code: str
    message: str
    keras: str


def input_dtype(config: Mapping[str, Any]) -> str:
    return str(config.get("dtype") or "float32")


def kind_of(dtype: str | None) -> str | None:
    """``"string"``, ``"int"``, ``"float"``, ``"bool"`` or None (unknown)."""
    if dtype is None:
        return None
    if dtype == STRING:
        return "string"
    if dtype in INTS:
        return "int"
    if dtype in FLOATS:
        return "float"
    return "bool" if dtype == "bool" else None


def output_dtype(type_name: str, rule: str, config: Mapping[str, Any], inputs: Sequence[str | None]) -> str | None:
    """The dtype of a call's output (None: unknown)."""
    mode = config.get("output_mode", "int")
    if type_name == "StringLookup":
        if config.get("invert"):
            return STRING
        return "int64" if mode == "int" else "float32"
    if type_name in ("IntegerLookup", "TextVectorization", "Hashing"):
        return "int64" if mode == "int" else "float32"
    if type_name == "Discretization":
        return "int32" if mode == "int" else "float32"
    if type_name in _FLOAT_OUT or rule == "augment":
        return "float32"
    if type_name in PASS_THROUGH:
        return inputs[0] if inputs else None
    if inputs and all(kind_of(d) == "float" for d in inputs):
        return "float32"
    return None


def _needs(type_name: str, config: Mapping[str, Any]) -> tuple[set[str | None], str] | None:
    """The input kinds a layer can run on, with words for the message (None: anything numeric)."""
    if type_name == "StringLookup":
        if config.get("invert"):
            return {"int"}, "integer ids (invert=True maps ids back to strings)"
        return {"string"}, "strings"
    if type_name == "TextVectorization":
        return {"string"}, "strings"
    if type_name == "IntegerLookup":
        return {"int", "float"}, "integers"
    if type_name == "Hashing":
        return {"string", "int", "float"}, "strings or integers"
    if type_name in FLOAT_IMAGES:
        return {"float"}, "float images (cast integer pixels with Rescaling(1.0) first)"
    return None


def _check(
    type_name: str, config: Mapping[str, Any], graph: Graph, nid: str, port: int, dtype: str | None
) -> str | None:
    kind = kind_of(dtype)
    if kind is None or (kind == "float" and type_name not in _CHECKED):
        return None  # the common case, decided first: floats into a layer that takes any number
    need = _needs(type_name, config)
    label = graph.node_label(nid)
    if need is None:
        if kind != "string" or type_name in PASS_THROUGH:
            return None
        return (
            f"{type_name} layer '{label}' cannot take strings: input {port} has dtype string. Keras builds the "
            "call, but it fails on data (strings cannot be cast to numbers). Turn the strings into ids first "
            "(StringLookup, TextVectorization or Hashing)."
        )
    kinds, words = need
    if kind in kinds:
        return None
    return (
        f"{type_name} layer '{label}' expects {words}, but input {port} has dtype {dtype}. Keras builds the "
        "call, but it fails on data."
        + (" Give the Input dtype='string'." if "string" in kinds and len(kinds) == 1 else "")
    )


def infer(
    graph: Graph, cat: Catalog, order: Sequence[str], resolved: Mapping[str, Mapping[str, Any]]
) -> tuple[dict[str, str | None], list[Problem]]:
    """Every node's output dtype (None: unknown) and the calls that cannot run on their inputs' dtypes."""
    out: dict[str, str | None] = {}
    problems: list[Problem] = []
    for nid in order:
        node = graph.node_by_id[nid]
        layer = graph.layer_by_id.get(node.layer)
        t = cat.types.get(layer.type) if layer is not None else None
        if layer is None or t is None:
            out[nid] = None
            continue
        config = resolved.get(layer.id, layer.config)
        if t.is_input:
            out[nid] = input_dtype(layer.config)
            continue
        ins = [out.get(e.source) for e in graph.in_edges.get(nid, [])]
        bad = False
        for port, dtype in enumerate(ins):
            msg = _check(t.type, config, graph, nid, port, dtype)
            if msg:
                bad = True
                problems.append(Problem(nid, port, "error", "dtype_mismatch", msg, "runtime"))
                break
        out[nid] = None if bad else output_dtype(t.type, t.rule, config, ins)
    return out, problems


def problems(
    graph: Graph, cat: Catalog, order: Sequence[str], resolved: Mapping[str, Mapping[str, Any]]
) -> list[Problem]:
    """The dtype issues. Free for the common graph: float Inputs and no layer that checks dtypes
    (only a non-float Input, or such a layer, can raise one)."""
    if not any(
        la.type in _CHECKED or (la.type == "Input" and kind_of(input_dtype(la.config)) != "float")
        for la in graph.layers
    ):
        return []
    return infer(graph, cat, order, resolved)[1]
