"""Convolution layers."""

from __future__ import annotations

from collections.abc import Callable

from .base import (
    Call,
    Result,
    ShapeError,
    Weight,
    as_tuple,
    assemble,
    fmt,
    known,
    spatial_dims,
    spatial_rank,
    window_out,
)


def conv(c: Call) -> Result:
    rank = spatial_rank(c)
    spatial, ch_axis = spatial_dims(c, rank)
    channels = known(c, ch_axis, "channel")
    kernel = as_tuple(c["kernel_size"], rank)
    strides = as_tuple(c["strides"], rank)
    dilation = as_tuple(c["dilation_rate"], rank)
    padding = c["padding"]
    if max(strides) > 1 and max(dilation) > 1 and c.type != "DepthwiseConv2D":  # Keras lets depthwise do both
        raise ShapeError(
            f"{c.type} layer '{c.name}': `strides > 1` not supported in conjunction with "
            f"`dilation_rate > 1`. Received: strides={strides} and dilation_rate={dilation}",
            port=None,
            code="bad_param",
        )
    if padding == "causal" and rank != 1:
        raise ShapeError(f"{c.type} layer '{c.name}': padding='causal' is only for Conv1D.", code="bad_param")
    if c.type == "DepthwiseConv2D":
        mult = c["depth_multiplier"]
        filters = channels * mult
        weights = [Weight("kernel", kernel + (channels, mult))]
    else:
        filters = c["filters"]
        groups = c["groups"]
        if filters % groups:
            raise ShapeError(
                f"{c.type} layer '{c.name}': the number of filters must be evenly divisible by the "
                f"number of groups. Received: groups={groups}, filters={filters}",
                code="bad_param",
            )
        if channels % groups:
            raise ShapeError(
                f"{c.type} layer '{c.name}': the number of input channels must be evenly divisible by "
                f"the number of groups. Received groups={groups}, but the input has {channels} channels "
                f"(full input shape is {fmt(c.x)})",
                port=0,
            )
        weights = [Weight("kernel", kernel + (channels // groups, filters))]
    if c["use_bias"]:
        weights.append(Weight("bias", (filters,)))
    out = [
        window_out(c, s, k, st, padding, d, f"kernel_size={kernel} with dilation_rate={dilation}")
        for s, k, st, d in zip(spatial, kernel, strides, dilation)
    ]
    return Result(assemble(c, out, filters), tuple(weights), {ch_axis - len(c.x): channels})


RULES: dict[str, Callable[[Call], Result]] = {
    "conv": conv,
}
