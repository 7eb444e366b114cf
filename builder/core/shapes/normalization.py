"""Normalization layers."""

from __future__ import annotations

from collections.abc import Callable

from .base import Call, Result, ShapeError, Weight, fmt, known, norm_axis
from .merge import broadcast_shapes


def batchnormalization(c: Call) -> Result:
    axis = norm_axis(c, c["axis"])
    dim = known(c, axis, "normalised")
    weights = []
    if c["scale"]:
        weights.append(Weight("gamma", (dim,)))
    if c["center"]:
        weights.append(Weight("beta", (dim,)))
    weights += [Weight("moving_mean", (dim,), False), Weight("moving_variance", (dim,), False)]
    if c.config.get("renorm"):  # batch renormalization tracks a stddev and its own moments
        weights += [Weight(n, (dim,), False) for n in ("moving_stddev", "renorm_mean", "renorm_stddev")]
    return Result(c.x, tuple(weights), {axis - len(c.x): dim}, ndim=len(c.x))


def layernormalization(c: Call) -> Result:
    axis = norm_axis(c, c["axis"])
    if not (c["scale"] or c["center"] or c.config.get("rms_scaling")):
        return Result(c.x)  # no weights: the normalised axis may stay undefined, as in Keras
    dim = known(c, axis, "normalised")
    weights = []
    if c["scale"] or c.config.get("rms_scaling"):
        weights.append(Weight("gamma", (dim,)))
    if c["center"] and not c.config.get("rms_scaling"):
        weights.append(Weight("beta", (dim,)))
    return Result(c.x, tuple(weights), {axis - len(c.x): dim})


def groupnormalization(c: Call) -> Result:
    axis = norm_axis(c, c["axis"])
    dim = known(c, axis, "normalised")
    groups = c["groups"]
    if groups == 0 or groups < -1:
        raise ShapeError(
            f"GroupNormalization layer '{c.name}': received an invalid value for argument `groups`, expected a "
            f"positive integer (or -1 for instance normalization). Received: groups={groups}",
            port=0,
            code="bad_param",
        )
    groups = dim if groups == -1 else groups
    if dim < groups or dim % groups:
        why = "cannot be more than" if dim < groups else "must divide"
        raise ShapeError(
            f"GroupNormalization layer '{c.name}': the number of groups ({groups}) {why} the number of channels "
            f"({dim}). Received: input_shape={fmt(c.x)}",
            port=0,
        )
    weights = []
    if c["scale"]:
        weights.append(Weight("gamma", (dim,)))
    if c["center"]:
        weights.append(Weight("beta", (dim,)))
    return Result(c.x, tuple(weights), {axis - len(c.x): dim}, ndim=len(c.x))


def _axes_in_range(c: Call, keras: str) -> tuple[int, ...]:
    value = c["axis"]
    axes = (value,) if isinstance(value, int) else tuple(value)
    rank = len(c.x)
    for axis in axes:
        if not -rank <= axis < rank:
            raise ShapeError(
                f"{c.type} layer '{c.name}': axis {axis} is out of bounds for input shape {fmt(c.x)}. "
                f"Received: axis={value!r}",
                port=0,
                code="bad_axis",
                keras=keras,
            )
    return axes


def unitnormalization(c: Call) -> Result:
    _axes_in_range(c, "build")
    return Result(c.x)


def rmsnormalization(c: Call) -> Result:
    axes = _axes_in_range(c, "build")
    if isinstance(c["axis"], int):
        shape = (c.x[axes[0]],)
    else:
        shape = tuple(c.x[a] for a in sorted(axes))
    if any(d is None for d in shape):
        raise ShapeError(
            f"RMSNormalization layer '{c.name}': the normalised axes (axis={c['axis']!r}) must be defined, because "
            f"the scale weight has their sizes. Received: input_shape={fmt(c.x)}",
            port=0,
            code="undefined_dim",
        )
    if broadcast_shapes(c.x, shape) != c.x:
        raise ShapeError(
            f"RMSNormalization layer '{c.name}': the scale weight of shape {fmt(shape)} (the sizes of axis="
            f"{c['axis']!r}) does not broadcast against the input's last axes; Keras builds the layer, then the "
            f"multiplication fails on data. Use the trailing axes. Received: input_shape={fmt(c.x)}",
            port=0,
            code="bad_axis",
            keras="runtime",
        )
    return Result(c.x, (Weight("scale", tuple(d for d in shape if d is not None)),))


RULES: dict[str, Callable[[Call], Result]] = {
    "groupnormalization": groupnormalization,
    "unitnormalization": unitnormalization,
    "rmsnormalization": rmsnormalization,
    "batchnormalization": batchnormalization,
    "layernormalization": layernormalization,
}
