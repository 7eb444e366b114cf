"""The Keras values model code builds while it is evaluated: layer objects, their calls (nodes),
symbolic tensors, Keras objects (optimizers, losses, initializers...) and models."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from . import values
from .namespace import KerasRef


@dataclass(eq=False)
class LayerObj:
    """A layer object; every call of it is a :class:`NodeRec` (one layer called twice is shared)."""

    type: str
    name: str
    explicit: bool
    config: dict[str, Any]
    line: int
    input_spec: dict[str, Any] | None = None  # input_shape= & co. (used by Sequential)
    called: bool = False


@dataclass(eq=False)
class NodeRec:
    """One call of a layer on the nodes its inputs come from (``Input`` is a call without inputs)."""

    layer: LayerObj
    inputs: list[NodeRec]
    line: int
    id: str = ""
    in_ports: list[int] = field(default_factory=list)  # the output port of each input (empty: all 0)

    def in_port(self, k: int) -> int:
        return self.in_ports[k] if k < len(self.in_ports) else 0


@dataclass(eq=False)
class Tensor:
    """A symbolic tensor: output ``port`` of one layer call (0 unless the call has several)."""

    node: NodeRec
    port: int = 0


@dataclass(eq=False)
class KerasObj:
    """An instance of a Keras optimizer / loss / metric / initializer / regularizer / constraint."""

    module: str
    cls: str
    args: list[Any]
    kwargs: dict[str, Any]


@dataclass(eq=False)
class ModelBase:
    line: int
    name: str | None
    compiles: list[tuple[int, dict[str, Any]]] = field(default_factory=list)
    at_fit: tuple[int, dict[str, Any] | None] | None = None  # (fit line, compile in effect)
    fit_settings: dict[str, Any] = field(default_factory=dict)


@dataclass(eq=False)
class Model(ModelBase):
    inputs: list[Tensor] = field(default_factory=list)
    outputs: list[Tensor] = field(default_factory=list)
    output_keys: list[str | None] = field(default_factory=list)


@dataclass(eq=False)
class Sequential(ModelBase):
    items: list[LayerObj] = field(default_factory=list)
    input_node: NodeRec | None = None
    input_layer: LayerObj | None = None
    built: Model | None = None


def keras_text(v: Any) -> str | None:
    """How error messages name a Keras value (None: not one)."""
    if isinstance(v, LayerObj):
        return f"the layer object '{v.name}' (a layer, not a tensor: call it on a tensor first)"
    if isinstance(v, Tensor):
        return f"a tensor (the output of '{v.node.layer.name}')"
    if isinstance(v, KerasRef):
        return v.dotted()
    if isinstance(v, ModelBase):
        return f"the model built at line {v.line}"
    if isinstance(v, KerasObj):
        return f"keras.{v.module}.{v.cls}(...)"
    if isinstance(v, NodeRec):
        return "noderec"
    return None


def describe(v: Any) -> str:
    return values.describe(v, keras_text)
