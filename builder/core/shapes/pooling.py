"""Pooling layers: local (1D/2D/3D), global and adaptive."""

from __future__ import annotations

from collections.abc import Callable

from .base import Call, Result, ShapeError, as_tuple, assemble, fmt, spatial_dims, spatial_rank, window_out


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


def adaptive_pooling(c: Call) -> Result:
    """AdaptiveAverage/MaxPooling1D/2D/3D: the spatial axes become ``output_size``.

    Keras' layer declares no input rank and computes the shape from ``output_size`` alone; the
    TensorFlow op needs the rank and static spatial sizes, else predict and fit fail. An output
    larger than the input is fine (windows overlap).
    """
    rank = spatial_rank(c)
    size = as_tuple(c["output_size"], rank)
    if len(c.x) != rank + 2:
        raise ShapeError(
            f"{c.type} layer '{c.name}' pools {rank} spatial axes: it expects inputs of rank {rank + 2} "
            f"(batch, {'spatial axes, ' if rank > 1 else 'steps, '}channels). Received: input_shape={fmt(c.x)}",
            port=0,
            code="rank_mismatch",
            keras="runtime",
        )
    spatial, ch_axis = spatial_dims(c, rank)
    if None in spatial:
        raise ShapeError(
            f"{c.type} layer '{c.name}': adaptive pooling needs statically known spatial sizes. "
            f"Received: input_shape={fmt(c.x)}",
            port=0,
            code="undefined_dim",
            keras="runtime",
        )
    return Result(assemble(c, list(size), c.x[ch_axis]))


RULES: dict[str, Callable[[Call], Result]] = {
    "pooling": pooling,
    "global_pooling": global_pooling,
    "adaptive_pooling": adaptive_pooling,
}
