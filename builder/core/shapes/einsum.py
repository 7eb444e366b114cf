"""EinsumDense's shape analysis, as Keras' ``_analyze_einsum_string`` does it (``keras.src.layers.
core.einsum_dense``): the kernel and bias shapes and the full output shape follow from the
equation, ``bias_axes``, the input shape and the partial ``output_shape``. Shared by EinsumDense
and the projections inside MultiHeadAttention / GroupQueryAttention."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from .base import Shape, ShapeError, fmt


@dataclass(frozen=True)
class Einsum:
    kernel: tuple[int | None, ...]
    bias: tuple[int | None, ...] | None
    output: Shape
    input_axes: tuple[int, ...]  # input axes the kernel's shape reads (negative: from the end)
    extra_axes: int  # input axes beyond the equation's spec (>0 without an ellipsis: runtime failure)
    elided: bool  # the equation has an ellipsis
    # The elided axes after the batch axis when Keras lists them reversed in ``output`` (it inserts
    # each at position 1) and the reversal changes the shape; () otherwise.
    left_reversed: tuple[int | None, ...] = ()


def analyze(
    who: str, equation: str, bias_axes: str | None, shape: Shape, partial: int | Sequence[int | None]
) -> Einsum:
    """Raises :class:`ShapeError` (``keras="build"``) where Keras' analysis raises."""
    dotted = equation.replace("...", "0")
    m = re.match(r"([a-zA-Z]+),([a-zA-Z]+)->([a-zA-Z]+)", dotted)
    left = False
    if not m:
        m = re.match(r"0([a-zA-Z]+),([a-zA-Z]+)->0([a-zA-Z]+)", dotted)
        left = m is not None
    if not m:
        m = re.match(r"([a-zA-Z]{2,})0,([a-zA-Z]+)->([a-zA-Z]+)0", dotted)
    if not m:
        raise ShapeError(
            f"{who}: invalid einsum equation '{equation}'. Equations must be in the form "
            "[X],[Y]->[Z], ...[X],[Y]->...[Z], or [X]...,[Y]->[Z]....",
            port=0,
            code="bad_equation",
        )
    in_spec, w_spec, out_spec = m.group(1), m.group(2), m.group(3)
    rank = len(shape)
    elided = rank - len(in_spec)
    out: list[int | None] = [partial] if isinstance(partial, int) else list(partial)
    out.insert(0, shape[0])
    if elided > 0 and left:
        for i in range(1, elided):
            out.insert(1, shape[i])  # as Keras does (it reverses three or more elided axes)
    elif elided > 0:
        out.extend(shape[rank - elided :])
    if left:
        in_map = {d: (i + elided) - rank for i, d in enumerate(in_spec)}
        out_map = {d: i + elided for i, d in enumerate(out_spec)}
    else:
        in_map = {d: i for i, d in enumerate(in_spec)}
        out_map = {d: i for i, d in enumerate(out_spec)}

    def at(seq: Sequence[int | None], i: int, what: str) -> int | None:
        if -len(seq) <= i < len(seq):
            return seq[i]
        raise ShapeError(
            f"{who}: the equation '{equation}' does not fit {what}: axis {i} is out of range. "
            f"Received: input_shape={fmt(shape)}",
            port=0,
            code="rank_mismatch",
        )

    for d in in_spec:
        dim = at(shape, in_map[d], "the input")
        if d in out_map:
            want = at(out, out_map[d], "output_shape")
            if want is not None and want != dim:
                raise ShapeError(
                    f"{who}: input shape and output shape do not match at shared dimension '{d}'. "
                    f"Input shape is {dim}, and output shape is {want}. Received: input_shape={fmt(shape)}",
                    port=0,
                )
    for d in out_spec:
        if d not in in_spec and d not in w_spec:
            raise ShapeError(
                f"{who}: dimension '{d}' was specified in the output '{out_spec}' but has no corresponding "
                f"dim in the input spec '{in_spec}' or weight spec '{w_spec}'",
                port=0,
                code="bad_equation",
            )
    kernel: list[int | None] = []
    axes: list[int] = []
    for d in w_spec:
        if d in out_map:
            kernel.append(at(out, out_map[d], "output_shape"))
        elif d in in_map:
            kernel.append(at(shape, in_map[d], "the input"))
            i = in_map[d]
            axes.append(i - rank if i >= 0 else i)
        else:
            raise ShapeError(
                f"{who}: weight dimension '{d}' did not have a match in either the input spec '{in_spec}' "
                f"or the output spec '{out_spec}'. For this layer, the weight must be fully specified.",
                port=0,
                code="bad_equation",
            )
    bias: list[int | None] | None = None
    if bias_axes is not None:
        skip = elided if left else 0
        for ch in bias_axes:
            if ch not in out_spec:
                raise ShapeError(
                    f"{who}: bias dimension '{ch}' was requested, but is not part of the output spec '{out_spec}'",
                    port=0,
                    code="bad_equation",
                )
        if not bias_axes:
            raise ShapeError(
                f"{who}: bias_axes='' names no output axis (Keras fails with 'min() arg is an empty "
                "sequence'); leave bias_axes unset for no bias",
                port=0,
                code="bad_equation",
            )
        idx = {ch: at(out, i + skip, "output_shape") for i, ch in enumerate(out_spec)}
        first = min(out_spec.find(ch) for ch in bias_axes)
        bias = [idx[ch] if ch in bias_axes else 1 for ch in out_spec[first:]]
        if not left:
            bias += [1] * max(elided, 0)
    return Einsum(
        tuple(kernel),
        None if bias is None else tuple(bias),
        tuple(out),
        tuple(axes),
        elided,
        "..." in equation,
        tuple(shape[1:elided]) if left and elided >= 3 and shape[1:elided] != shape[1:elided][::-1] else (),
    )
