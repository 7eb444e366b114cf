"""Reshaping layers that move spatial values: padding, cropping, upsampling; and the axis movers
Permute and RepeatVector."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from ..catalog import pad2d, pad_pairs
from .base import Call, Result, ShapeError, as_tuple, assemble, fmt, require_ndim, spatial_dims, spatial_rank


def _pairs(c: Call, value: Any, rank: int) -> tuple[tuple[int, int], ...]:
    """Per spatial axis (before, after): a 1D layer takes n or (before, after); 2D/3D ones take n,
    one int per axis, or one pair per axis."""
    if rank == 1:
        before, after = as_tuple(value, 2)
        return ((before, after),)
    pads = pad_pairs(value, rank)
    assert pads is not None  # checked by the param validation
    return pads


def zeropadding2d(c: Call) -> Result:
    spatial, ch_axis = spatial_dims(c, 2)
    pads = pad2d(c["padding"])
    assert pads is not None  # checked by the param validation
    out = [None if s is None else s + p[0] + p[1] for s, p in zip(spatial, pads)]
    return Result(assemble(c, out, c.x[ch_axis]))


def zeropadding(c: Call) -> Result:
    """ZeroPadding1D/3D."""
    rank = spatial_rank(c)
    spatial, ch_axis = spatial_dims(c, rank)
    pads = _pairs(c, c["padding"], rank)
    out = [None if s is None else s + p[0] + p[1] for s, p in zip(spatial, pads)]
    return Result(assemble(c, out, c.x[ch_axis]))


def cropping(c: Call) -> Result:
    """Cropping1D/2D/3D: Keras refuses a crop that leaves nothing of a known axis."""
    rank = spatial_rank(c)
    spatial, ch_axis = spatial_dims(c, rank)
    crops = _pairs(c, c["cropping"], rank)
    out: list[int | None] = []
    for s, (before, after) in zip(spatial, crops):
        if s is not None and before + after >= s:
            raise ShapeError(
                f"{c.type} layer '{c.name}': values in `cropping` should be smaller than the corresponding "
                f"spatial dimension of the input. Received: input_shape={fmt(c.x)}, cropping={crops}",
                port=0,
                code="window_too_large",
            )
        out.append(None if s is None else s - before - after)
    return Result(assemble(c, out, c.x[ch_axis]))


def upsampling2d(c: Call) -> Result:
    spatial, ch_axis = spatial_dims(c, 2)
    size = as_tuple(c["size"], 2)
    interpolation = c.config.get("interpolation") or "nearest"
    if interpolation != "nearest" and None in spatial:
        # Keras builds it, but on the TensorFlow backend the resize cannot be traced for unknown
        # rows/cols: predict and fit fail as soon as a second image size arrives.
        raise ShapeError(
            f"UpSampling2D layer '{c.name}' with interpolation='{interpolation}' needs defined rows and "
            f"columns (only 'nearest' works on images of variable size). Received: input_shape={fmt(c.x)}",
            port=0,
            code="undefined_dim",
            keras="runtime",
        )
    out = [None if s is None else s * k for s, k in zip(spatial, size)]
    return Result(assemble(c, out, c.x[ch_axis]))


def upsampling(c: Call) -> Result:
    """UpSampling1D (steps; no data_format) and UpSampling3D."""
    rank = spatial_rank(c)
    spatial, ch_axis = spatial_dims(c, rank)
    size = as_tuple(c["size"], rank)
    out = [None if s is None else s * k for s, k in zip(spatial, size)]
    return Result(assemble(c, out, c.x[ch_axis]))


def permute(c: Call) -> Result:
    dims = tuple(c["dims"])
    if sorted(dims) != list(range(1, len(dims) + 1)):
        raise ShapeError(
            f"Permute layer '{c.name}': invalid permutation argument `dims`: it should be a permutation of "
            f"the integers 1 to {len(dims)} (1 is the first axis after the batch). Received: dims={dims}",
            code="bad_param",
        )
    require_ndim(c, len(dims) + 1)
    return Result((c.x[0], *(c.x[d] for d in dims)), ndim=len(dims) + 1)


def repeat_vector(c: Call) -> Result:
    require_ndim(c, 2)
    return Result((c.x[0], c["n"], c.x[1]), ndim=2)


RULES: dict[str, Callable[[Call], Result]] = {
    "zeropadding2d": zeropadding2d,
    "zeropadding": zeropadding,
    "cropping": cropping,
    "upsampling2d": upsampling2d,
    "upsampling": upsampling,
    "permute": permute,
    "repeat_vector": repeat_vector,
}
