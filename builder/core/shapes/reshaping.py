"""Reshaping layers that move spatial values: padding, upsampling."""

from __future__ import annotations

from collections.abc import Callable

from ..catalog import pad2d
from .base import Call, Result, ShapeError, as_tuple, assemble, fmt, spatial_dims


def zeropadding2d(c: Call) -> Result:
    spatial, ch_axis = spatial_dims(c, 2)
    pads = pad2d(c["padding"])
    assert pads is not None  # checked by the param validation
    out = [None if s is None else s + p[0] + p[1] for s, p in zip(spatial, pads)]
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


RULES: dict[str, Callable[[Call], Result]] = {
    "zeropadding2d": zeropadding2d,
    "upsampling2d": upsampling2d,
}
