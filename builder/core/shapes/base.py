"""What every shape rule shares: shapes, weights, results, the error, the call, helpers.

Each rule mirrors Keras 3's ``compute_output_shape`` / ``build``: it takes the layer's
resolved config (Keras defaults filled in) and the input shapes (batch axis first, ``None``
for unknown dims) and returns the output shape and the weights the layer creates. When Keras
would refuse the call, the rule raises :class:`ShapeError` with a Keras-style message that
says what was expected and what was received.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

Shape = tuple[int | None, ...]


@dataclass(frozen=True)
class Weight:
    name: str
    shape: tuple[int, ...]
    trainable: bool = True

    @property
    def size(self) -> int:
        return math.prod(self.shape)


@dataclass(frozen=True)
class Result:
    """A call's output (``shape``: its first output), its weights and what later calls must match.

    A call with several outputs (an LSTM with ``return_state=True``: output, h, c) lists them all
    in ``outputs``; ``shape`` is then ``outputs[0]``. Empty ``outputs``: the call has one output.
    """

    shape: Shape
    weights: tuple[Weight, ...] = ()
    # Input axes whose sizes the weights depend on (axis -> size), as Keras' input_spec
    # records them after build: a later call of a shared layer must match these.
    spec: dict[int, int] = field(default_factory=dict)
    # The exact rank later calls must have, where Keras' input_spec fixes it after build.
    ndim: int | None = None
    # Input axes a later call must match where it knows them, but that are not filled in where it does
    # not (axis -> size): what the layer sized at build besides its weights (ConvLSTM's states).
    fixed: dict[int, int] = field(default_factory=dict)

    # Every output of the call, in Keras' order, when it has several (else empty).
    outputs: tuple[Shape, ...] = ()

    @property
    def shapes(self) -> tuple[Shape, ...]:
        """The shape of every output port: ``outputs``, or ``(shape,)`` for one output."""
        return self.outputs or (self.shape,)

    @property
    def trainable(self) -> int:
        return sum(w.size for w in self.weights if w.trainable)

    @property
    def non_trainable(self) -> int:
        return sum(w.size for w in self.weights if not w.trainable)


class ShapeError(ValueError):
    """The layer cannot be called on these inputs. ``port`` names the offending input.

    ``keras`` says what Keras itself does with the call: ``"build"`` (it refuses to build),
    ``"runtime"`` (it builds, then fit or predict fails on data) or ``"stricter"`` (it accepts;
    we refuse on purpose). See ``Issue.keras``.
    """

    def __init__(
        self, message: str, *, port: int | None = None, code: str = "shape_mismatch", keras: str = "build"
    ) -> None:
        super().__init__(message)
        self.message = message
        self.port = port
        self.code = code
        self.keras = keras


@dataclass(frozen=True)
class Call:
    """What a rule sees: the layer's name and type, its resolved config, its input shapes."""

    name: str
    type: str
    config: dict[str, Any]
    inputs: Sequence[Shape]

    @property
    def x(self) -> Shape:
        return self.inputs[0]

    def __getitem__(self, key: str) -> Any:
        return self.config[key]


def fmt(shape: Shape | Sequence[Any]) -> str:
    """Format a shape like Keras does: ``(None, 32)``, ``(5,)``."""
    items = ["None" if d is None else str(d) for d in shape]
    if len(items) == 1:
        return f"({items[0]},)"
    return "(" + ", ".join(items) + ")"


def require_ndim(c: Call, ndim: int, port: int = 0) -> None:
    shape = c.inputs[port]
    if len(shape) != ndim:
        raise ShapeError(
            f"Input {port} of layer '{c.name}' is incompatible with the layer: expected ndim={ndim}, "
            f"found ndim={len(shape)}. Full shape received: {fmt(shape)}",
            port=port,
            code="rank_mismatch",
        )


def require_min_ndim(c: Call, ndim: int, port: int = 0) -> None:
    shape = c.inputs[port]
    if len(shape) < ndim:
        raise ShapeError(
            f"Input {port} of layer '{c.name}' is incompatible with the layer: expected min_ndim={ndim}, "
            f"found ndim={len(shape)}. Full shape received: {fmt(shape)}",
            port=port,
            code="rank_mismatch",
        )


def known(c: Call, axis: int, what: str) -> int:
    dim = c.x[axis]
    if dim is None:
        raise ShapeError(
            f"The {what} axis ({axis}) of the input to {c.type} layer '{c.name}' must be defined, "
            f"because the layer's weights depend on it. Received: input_shape={fmt(c.x)}",
            port=0,
            code="undefined_dim",
        )
    return dim


def as_tuple(value: Any, rank: int) -> tuple[int, ...]:
    if isinstance(value, int):
        return (value,) * rank
    return tuple(value)


def channels_last(c: Call) -> bool:
    return (c.config.get("data_format") or "channels_last") == "channels_last"


def norm_axis(c: Call, axis: int) -> int:
    rank = len(c.x)
    if not -rank <= axis < rank:
        raise ShapeError(
            f"Invalid axis for layer '{c.name}': axis={axis} is out of bounds for an input of rank {rank}. "
            f"Received: input_shape={fmt(c.x)}",
            port=0,
            code="bad_axis",
        )
    return axis % rank


# --------------------------------------------------------------------------- spatial helpers


def spatial_dims(c: Call, rank: int) -> tuple[Shape, int]:
    """The spatial dims and the channel axis (positive) of an ``rank``-D conv/pool input."""
    require_ndim(c, rank + 2)
    if channels_last(c):
        return c.x[1:-1], rank + 1
    return c.x[2:], 1


def spatial_rank(c: Call) -> int:
    """The number of spatial axes a conv/pool/padding type works on: its ``1D``/``2D``/``3D`` suffix."""
    for rank in (3, 2, 1):
        if c.type.endswith(f"{rank}D") or f"{rank}D" in c.type:  # Conv2DTranspose
            return rank
    raise ValueError(f"{c.type}: no 1D/2D/3D suffix")


def assemble(c: Call, spatial: Sequence[int | None], channels: int | None) -> Shape:
    if channels_last(c):
        return (c.x[0], *spatial, channels)
    return (c.x[0], channels, *spatial)


def window_out(
    c: Call, size: int | None, kernel: int, stride: int, padding: str, dilation: int, what: str
) -> int | None:
    if size is None:
        return None
    if padding == "valid":
        out = math.floor((size - dilation * (kernel - 1) - 1) / stride) + 1
        if out <= 0:
            raise ShapeError(
                f"{c.type} layer '{c.name}': computed output size would be zero or negative "
                f"({out}). {what} does not fit an input of {size} along a spatial axis with "
                f"padding='valid'. Received: input_shape={fmt(c.x)}",
                port=0,
                code="window_too_large",
            )
        return out
    return math.floor((size - 1) / stride) + 1
