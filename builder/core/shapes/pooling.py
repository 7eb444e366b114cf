"""Pooling layers, local and global."""

from __future__ import annotations

from collections.abc import Callable

from .base import Call, Result, as_tuple, assemble, spatial_dims, spatial_rank, window_out


def pooling(c: Call) -> Result:
    rank = spatial_rank(c)
    spatial, ch_axis = spatial_dims(c, rank)
    pool = as_tuple(c["pool_size"], rank)
    strides = pool if c["strides"] is None else as_tuple(c["strides"], rank)
    out = [window_out(c, s, k, st, c["padding"], 1, f"pool_size={pool}") for s, k, st in zip(spatial, pool, strides)]
    return Result(assemble(c, out, c.x[ch_axis]))


def global_pooling(c: Call) -> Result:
    rank = spatial_rank(c)
    _, ch_axis = spatial_dims(c, rank)
    channels = c.x[ch_axis]
    if c["keepdims"]:
        return Result(assemble(c, [1] * rank, channels))
    return Result((c.x[0], channels))


RULES: dict[str, Callable[[Call], Result]] = {
    "pooling": pooling,
    "global_pooling": global_pooling,
}
