"""Core layers: Input, Dense, EinsumDense, Embedding, Flatten, Reshape, Masking, identity."""

from __future__ import annotations

import math
from collections.abc import Callable

from .base import Call, Result, ShapeError, Weight, fmt, known, require_min_ndim
from .einsum import analyze


def input_(c: Call) -> Result:
    return Result((c.config.get("batch_size"),) + tuple(c["shape"]))


def identity(c: Call) -> Result:
    return Result(c.x)


def dense(c: Call) -> Result:
    require_min_ndim(c, 2)
    units = c["units"]
    fan_in = known(c, -1, "last")
    weights = [Weight("kernel", (fan_in, units))]
    if c["use_bias"]:
        weights.append(Weight("bias", (units,)))
    return Result(c.x[:-1] + (units,), tuple(weights), {-1: fan_in})


def einsumdense(c: Call) -> Result:
    who = f"EinsumDense layer '{c.name}'"
    a = analyze(who, c["equation"], c.config.get("bias_axes"), c.x, c["output_shape"])
    for what, dims in (("kernel", a.kernel), ("bias", a.bias or ())):
        if any(d is None for d in dims):
            raise ShapeError(
                f"{who}: the {what} shape {fmt(dims)} has an undefined dimension: the input axes and the "
                f"output_shape entries the equation '{c['equation']}' puts in the weights must be defined. "
                f"Received: input_shape={fmt(c.x)}, output_shape={c['output_shape']!r}",
                port=0,
                code="undefined_dim",
            )
    if a.extra_axes > 0 and not a.elided:
        raise ShapeError(
            f"{who}: the input has rank {len(c.x)} but the equation '{c['equation']}' names "
            f"{len(c.x) - a.extra_axes} input axes and has no '...': Keras builds the layer, then the einsum "
            f"fails on data. Received: input_shape={fmt(c.x)}",
            port=0,
            code="rank_mismatch",
            keras="runtime",
        )
    if a.left_reversed:
        true = (a.output[0], *c.x[1 : 1 + len(a.left_reversed)], *a.output[1 + len(a.left_reversed) :])
        raise ShapeError(
            f"{who}: Keras infers the output shape {fmt(a.output)}, but the einsum outputs {fmt(true)}: with three "
            f"or more axes under '...', Keras 3.15 lists the elided axes in reverse order. Received: "
            f"input_shape={fmt(c.x)}",
            port=0,
            code="keras_shape_bug",
            keras="runtime",
        )
    weights = [Weight("kernel", tuple(d for d in a.kernel if d is not None))]
    if a.bias is not None:
        weights.append(Weight("bias", tuple(d for d in a.bias if d is not None)))
    spec = {axis: c.x[axis] for axis in a.input_axes if c.x[axis] is not None}
    return Result(a.output, tuple(weights), spec, ndim=len(c.x))


def embedding(c: Call) -> Result:
    return Result(c.x + (c["output_dim"],), (Weight("embeddings", (c["input_dim"], c["output_dim"])),))


def flatten(c: Call) -> Result:
    rest = c.x[1:]
    if not rest:
        dim: int | None = 1
    elif any(d is None for d in rest):
        dim = None
    else:
        dim = math.prod(rest)  # type: ignore[arg-type]
    return Result((c.x[0], dim))


def reshape(c: Call) -> Result:
    target = tuple(c["target_shape"])
    rest = c.x[1:]
    if None in rest:
        return Result((c.x[0],) + tuple(None if d == -1 else d for d in target))
    size = math.prod(rest)  # type: ignore[arg-type]
    if -1 not in target:
        if size != math.prod(target):
            raise ShapeError(
                f"Layer '{c.name}': the total size of the tensor must be unchanged. Received: "
                f"input_shape={fmt(rest)}, target_shape={fmt(target)} ({size:,} vs {math.prod(target):,} values)",
                port=0,
            )
        return Result((c.x[0],) + target)
    known = math.prod(d for d in target if d != -1)
    if known == 0 or size % known:
        raise ShapeError(
            f"Layer '{c.name}': the total size of the tensor must be unchanged, however, the input size "
            f"cannot be divided by the specified dimensions in target_shape. Received: "
            f"input_shape={fmt(rest)}, target_shape={fmt(target)}",
            port=0,
        )
    return Result((c.x[0],) + tuple(size // known if d == -1 else d for d in target))


RULES: dict[str, Callable[[Call], Result]] = {
    "input": input_,
    "identity": identity,
    "dense": dense,
    "einsumdense": einsumdense,
    "masking": identity,
    "embedding": embedding,
    "dropout": identity,
    "activation": identity,
    "flatten": flatten,
    "reshape": reshape,
}
