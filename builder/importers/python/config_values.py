"""Constructor arguments as layer config values: constants, Keras names (``keras.activations.relu``,
``tf.float32``) and serialized Keras objects (initializers, regularizers, constraints)."""

from __future__ import annotations

from typing import Any

from ...errors import GraphImportError
from ..common import keras_snake, simplify_object
from .namespace import KerasRef
from .signatures import OBJECT_POSITIONAL
from .symbolic import KerasObj, LayerObj, describe
from .values import Module

DTYPES = {"float16", "float32", "float64", "bfloat16", "int8", "int16", "int32", "int64", "uint8", "bool", "string"}
OBJECT_MODULES = {"initializers", "regularizers", "constraints"}


def config_value(value: Any, what: str, line: int) -> Any:
    """The config value of an argument (tuples for lists); raises for values a config cannot hold."""
    if value is None or isinstance(value, bool | int | float | str):
        return value
    if isinstance(value, list | tuple):
        return tuple(config_value(v, what, line) for v in value)
    if isinstance(value, dict):
        if not all(isinstance(k, str) for k in value):
            raise GraphImportError(f"{what}: dict keys must be strings", line)
        return {k: config_value(v, what, line) for k, v in value.items()}
    if isinstance(value, KerasRef):
        canon = value.canon
        if len(canon) == 2 and canon[0] in ("activations", "losses", "metrics"):
            return canon[1]
        if len(canon) == 2 and canon[0] in OBJECT_MODULES:
            return keras_snake(canon[1]) if canon[1][:1].isupper() else canon[1]
        if len(canon) == 2 and canon[0] in ("ops", "backend") and canon[1] in DTYPES:
            return canon[1]
    if isinstance(value, Module):
        parts = value.path.split(".")
        if parts[-1] in DTYPES and parts[0] in ("tensorflow", "numpy", "np"):
            return parts[-1]
        if parts[:2] == ["tensorflow", "nn"] and len(parts) == 3:
            return parts[2]
    if isinstance(value, KerasObj) and value.module in OBJECT_MODULES:
        return serialize_object(value, what, line)
    if isinstance(value, LayerObj):
        # A wrapped layer (Bidirectional(LSTM(...)), TimeDistributed(Dense(...))): kept as its type
        # and config; whether the param takes a layer is the validator's call, against the catalog.
        if value.called or value.type == "Input":
            raise GraphImportError(
                f"{what}: a layer that is also called on tensors cannot be wrapped (give the wrapper a new layer)",
                line,
            )
        return {"type": value.type, "config": dict(value.config)}
    raise GraphImportError(f"{what} must be a literal value; got {describe(value)}", line)


def serialize_object(obj: KerasObj, what: str, line: int) -> Any:
    """An initializer / regularizer / constraint as Keras serializes it (simplified where Keras allows)."""
    cls = obj.cls
    if not cls[:1].isupper():  # function style: l2(0.01), he_normal(), max_norm(3)
        cls = {"l1": "L1", "l2": "L2", "l1_l2": "L1L2"}.get(cls) or "".join(p.title() for p in cls.split("_"))
    order = OBJECT_POSITIONAL.get(cls, ("seed",) if obj.module == "initializers" else ())
    if len(obj.args) > len(order):
        raise GraphImportError(f"{what}: pass the arguments of {obj.cls}(...) by keyword", line)
    config: dict[str, Any] = dict(zip(order, obj.args))
    for k, v in obj.kwargs.items():
        if k == "l" and cls in ("L1", "L2"):
            k = cls.lower()
        config[k] = config_value(v, what, line)
    config = {k: config_value(v, what, line) for k, v in config.items()}
    return simplify_object(
        {"module": f"keras.{obj.module}", "class_name": cls, "config": config, "registered_name": None}
    )
