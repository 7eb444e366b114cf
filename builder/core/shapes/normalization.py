"""Normalization layers."""

from __future__ import annotations

from collections.abc import Callable

from .base import Call, Result, Weight, known, norm_axis


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


RULES: dict[str, Callable[[Call], Result]] = {
    "batchnormalization": batchnormalization,
    "layernormalization": layernormalization,
}
