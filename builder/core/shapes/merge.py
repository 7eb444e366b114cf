"""Merging layers: Concatenate, Dot and the element-wise merges."""

from __future__ import annotations

from collections.abc import Callable

from .base import Call, Result, Shape, ShapeError, fmt


def concatenate(c: Call) -> Result:
    shapes = list(c.inputs)
    ranks = {len(s) for s in shapes}
    axis = c["axis"]
    first = shapes[0]
    if len(ranks) != 1:
        port = next(i for i, s in enumerate(shapes) if len(s) != len(first))
        raise ShapeError(
            f"Concatenate layer '{c.name}' requires inputs of the same rank: input {port} has rank "
            f"{len(shapes[port])}, input 0 has rank {len(first)}. Received: input_shape=[{', '.join(fmt(s) for s in shapes)}]",
            port=port,
        )
    rank = len(first)
    if not -rank <= axis < rank or axis % rank == 0:
        # Keras concatenates along the batch axis symbolically, but the model's batch sizes then
        # disagree with its targets at fit: refused here.
        why = (
            f"it is out of bounds for inputs of rank {rank}"
            if not -rank <= axis < rank
            else "it is the batch axis, which a model cannot concatenate"
        )
        raise ShapeError(
            f"Concatenate layer '{c.name}': axis={axis} is not a valid concatenation axis: {why}. "
            f"Received: input_shape=[{', '.join(fmt(s) for s in shapes)}]",
            port=0,
            code="bad_axis",
            # Keras builds a concatenation on the batch axis (fit then fails on the targets), and
            # does not check the axis of a single input: refused on purpose
            keras="stricter" if -rank <= axis < rank or len(shapes) == 1 else "build",
        )
    ax = axis % rank
    for i in range(rank):
        if i == ax:
            continue
        known = [(port, s[i]) for port, s in enumerate(shapes) if s[i] is not None]
        for port, dim in known[1:]:
            if dim != known[0][1]:
                what = "batch size" if i == 0 else f"axis {i}"
                raise ShapeError(
                    f"Concatenate layer '{c.name}' requires inputs with matching shapes except for the "
                    f"concatenation axis (axis={axis}); input {port} differs from input {known[0][0]} on "
                    f"{what} ({dim} vs {known[0][1]}). Received: input_shape=[{', '.join(fmt(s) for s in shapes)}]",
                    port=port,
                )
    # Like Keras, the output takes input 0's dims; only the concatenation axis is summed.
    out = list(first)
    total: int | None = 0
    for s in shapes:
        if s[ax] is None or total is None:
            total = None
        else:
            total += s[ax]
    out[ax] = total
    return Result(tuple(out))


def broadcast_shapes(a: Shape, b: Shape) -> Shape | None:
    """NumPy broadcasting of two shapes (``None``: unknown, fits anything); None when they clash."""
    if len(a) < len(b):
        a, b = b, a
    out = list(a[: len(a) - len(b)])
    for i, j in zip(a[len(a) - len(b) :], b):
        if i is None or j is None:
            out.append(None if i in (None, 1) and j in (None, 1) else i if j in (None, 1) else j)
        elif i == 1 or i == j:
            out.append(j)
        elif j == 1:
            out.append(i)
        else:
            return None
    return tuple(out)


def _broadcast(c: Call, port: int, a: Shape, b: Shape) -> Shape:
    if len(a) < len(b):
        a, b = b, a
    if not b:
        return a
    out = list(a[: len(a) - len(b)])
    for i, j in zip(a[len(a) - len(b) :], b):
        if i is None or j is None:
            out.append(None)
        elif i == 1:
            out.append(j)
        elif j == 1 or i == j:
            out.append(i)
        else:
            raise ShapeError(
                f"{c.type} layer '{c.name}': inputs have incompatible shapes. Received shapes "
                f"{fmt(a)} and {fmt(b)} (input {port} does not match the inputs before it). "
                f"Received: input_shape=[{', '.join(fmt(s) for s in c.inputs)}]",
                port=port,
            )
    return tuple(out)


def elementwise(c: Call) -> Result:
    shapes = list(c.inputs)
    batch = {s[0] for s in shapes if s} - {None}
    if len(batch) > 1:
        raise ShapeError(
            f"{c.type} layer '{c.name}' cannot merge tensors with different batch sizes. "
            f"Received: input_shape=[{', '.join(fmt(s) for s in shapes)}]",
            port=0,
        )
    out = shapes[0][1:]
    for port, s in enumerate(shapes[1:], start=1):
        out = _broadcast(c, port, out, s[1:])
    return Result((next(iter(batch), None),) + out)


def dot(c: Call) -> Result:
    """``Dot``: Keras' ``build`` (the dot axes must agree) and ``compute_output_shape``."""
    a, b = c.inputs[0], c.inputs[1]
    received = f"Received: input_shape=[{fmt(a)}, {fmt(b)}]"
    axes = c["axes"]
    if isinstance(axes, int):
        pair = [axes % len(a), axes % len(b)] if axes < 0 else [axes, axes]
    else:
        pair = list(axes)
    for port, (shape, axis) in enumerate(zip((a, b), pair)):
        if not -len(shape) <= axis < len(shape):
            raise ShapeError(
                f"Dot layer '{c.name}': axes={axes!r}: axis {axis} is out of range for input {port} of rank "
                f"{len(shape)}. {received}",
                port=port,
                code="bad_axis",
            )
    if a[pair[0]] != b[pair[1]]:
        raise ShapeError(
            f"Dot layer '{c.name}': incompatible input shapes: axis values {a[pair[0]]} (at axis {pair[0]}) != "
            f"{b[pair[1]]} (at axis {pair[1]}). {received}",
            port=1,
        )
    for port, (shape, axis) in enumerate(zip((a, b), pair)):
        if axis % len(shape) == 0:
            raise ShapeError(
                f"Dot layer '{c.name}': axes={axes!r} includes the batch axis of input {port}; Keras builds it, "
                f"then cannot perform batch_dot over axis 0 on data. {received}",
                port=port,
                code="bad_axis",
                keras="runtime",
            )
    if a[0] is not None and b[0] is not None and a[0] != b[0]:
        raise ShapeError(
            f"Dot layer '{c.name}' cannot take the dot product of tensors with different batch sizes. {received}",
            port=1,
            keras="runtime",
        )
    first, second = list(a), list(b)
    first.pop(pair[0])
    second.pop(pair[1])
    second.pop(0)
    out = first + second
    if len(out) == 1:
        out.append(1)
    return Result(tuple(out))


RULES: dict[str, Callable[[Call], Result]] = {
    "concatenate": concatenate,
    "dot": dot,
    "elementwise": elementwise,
}
