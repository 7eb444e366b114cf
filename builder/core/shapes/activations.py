"""Activation layers with a rule of their own: PReLU (a learned slope per value) and Softmax
(axes, an optional mask). The others (ReLU, LeakyReLU, ELU) keep the input shape: ``identity``."""

from __future__ import annotations

from collections.abc import Callable

from .base import Call, Result, ShapeError, Weight, fmt
from .merge import broadcast_shapes


def _axes(value: int | tuple[int, ...] | list[int]) -> tuple[int, ...]:
    return (value,) if isinstance(value, int) else tuple(value)


def prelu(c: Call) -> Result:
    """``alpha`` has the input's shape without the batch axis, 1 along ``shared_axes``."""
    shape = list(c.x[1:])
    shared = _axes(c.config.get("shared_axes") or ())
    for i in shared:
        if not -len(shape) <= i - 1 < len(shape):  # Keras indexes alpha's shape with i - 1
            raise ShapeError(
                f"PReLU layer '{c.name}': shared_axes={c['shared_axes']!r}: axis {i} is out of range for an input "
                f"of rank {len(c.x)}. Received: input_shape={fmt(c.x)}",
                port=0,
                code="bad_axis",
            )
        shape[i - 1] = 1
    if any(d is None for d in shape):
        raise ShapeError(
            f"PReLU layer '{c.name}' learns one alpha per input value: every axis but the batch axis must be "
            f"defined, or shared (shared_axes). alpha shape would be {fmt(shape)}. Received: input_shape={fmt(c.x)}",
            port=0,
            code="undefined_dim",
        )
    spec = {i: c.x[i] for i in range(1, len(c.x)) if shared and i not in shared and c.x[i] is not None}
    return Result(c.x, (Weight("alpha", tuple(d for d in shape if d is not None)),), spec, ndim=len(c.x))


def softmax(c: Call) -> Result:
    rank = len(c.x)
    for axis in _axes(c["axis"]):
        if not -rank <= axis < rank:
            raise ShapeError(
                f"Softmax layer '{c.name}': axis={c['axis']!r} is out of bounds for an input of rank {rank}; "
                f"Keras builds the layer, then the softmax fails on data. Received: input_shape={fmt(c.x)}",
                port=0,
                code="bad_axis",
                keras="runtime",
            )
        if axis % rank == 0:
            raise ShapeError(
                f"Softmax layer '{c.name}': axis={c['axis']!r} is the batch axis: each sample's values would "
                f"depend on the other samples of its batch. Received: input_shape={fmt(c.x)}",
                port=0,
                code="bad_axis",
                keras="stricter",
            )
    if len(c.inputs) > 1:
        mask = c.inputs[1]
        if len(mask) > rank or broadcast_shapes(c.x, mask) is None:
            raise ShapeError(
                f"Softmax layer '{c.name}': the mask (input 1) must broadcast to the input; Keras builds the "
                f"layer, then fails on data. Received: input_shape={fmt(c.x)}, mask_shape={fmt(mask)}",
                port=1,
                keras="runtime",
            )
    return Result(c.x)


RULES: dict[str, Callable[[Call], Result]] = {
    "prelu": prelu,
    "softmax": softmax,
}
