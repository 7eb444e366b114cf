"""Attention layers: Attention, AdditiveAttention (a list [query, value] or [query, value, key]),
MultiHeadAttention and GroupQueryAttention (called as ``layer(query, value[, key])``).

The weights are those Keras builds: MultiHeadAttention's ``query``, ``key``, (``gate``),
``value`` and ``attention_output`` EinsumDense projections, each with a kernel and, with
``use_bias``, a bias; GroupQueryAttention's the same with its own head counts.
"""

from __future__ import annotations

from collections.abc import Callable

from .base import Call, Result, Shape, ShapeError, Weight, fmt


def _received(c: Call) -> str:
    names = ("query", "value", "key")
    return "Received: " + ", ".join(f"{n}_shape={fmt(s)}" for n, s in zip(names, c.inputs))


def _qvk(c: Call) -> tuple[Shape, Shape, Shape]:
    q, v = c.inputs[0], c.inputs[1]
    return q, v, c.inputs[2] if len(c.inputs) > 2 else v


def _defined(c: Call, port: int, what: str) -> int:
    dim = c.inputs[port][-1]
    if dim is None:
        raise ShapeError(
            f"{c.type} layer '{c.name}': the last axis of the {what} (input {port}) must be defined, because the "
            f"layer's weights depend on it. {_received(c)}",
            port=port,
            code="undefined_dim",
        )
    return dim


def _differ(a: int | None, b: int | None) -> bool:
    return a is not None and b is not None and a != b


# --------------------------------------------------------------------------- Attention, AdditiveAttention


def _score_checks(c: Call) -> None:
    """What Keras checks only when the layer runs: the scores need query and key of one rank (at
    least 3: (batch, steps, features)), the same features, and value and key the same steps."""
    q, v, k = _qvk(c)
    for port, s in enumerate(c.inputs):
        if len(s) < 3 or len(s) != len(q):
            raise ShapeError(
                f"{c.type} layer '{c.name}' needs query, value and key of one rank, at least 3 "
                f"(batch, steps, features); input {port} has rank {len(s)}. {_received(c)}",
                port=port,
                code="rank_mismatch",
                keras="stricter" if len(s) == len(q) else "runtime",
            )
    kport = 2 if len(c.inputs) > 2 else 1
    if _differ(q[-1], k[-1]):
        raise ShapeError(
            f"{c.type} layer '{c.name}': query and key must have the same last axis to be scored "
            f"({q[-1]} vs {k[-1]}); Keras builds the layer, then fails on data. {_received(c)}",
            port=kport,
            keras="runtime",
        )
    if _differ(v[-2], k[-2]):
        raise ShapeError(
            f"{c.type} layer '{c.name}': value and key must have the same number of steps ({v[-2]} vs {k[-2]}); "
            f"Keras builds the layer, then fails on data. {_received(c)}",
            port=kport,
            keras="runtime",
        )
    for axis in range(len(q) - 2):
        dims = [s[axis] for s in c.inputs]
        if any(_differ(dims[0], d) for d in dims[1:]):
            raise ShapeError(
                f"{c.type} layer '{c.name}': query, value and key must agree on axis {axis} "
                f"({', '.join(str(d) for d in dims)}); Keras builds the layer, then fails on data. {_received(c)}",
                port=1,
                keras="runtime",
            )


def attention(c: Call) -> Result:
    q, v, _ = _qvk(c)
    _score_checks(c)
    weights = []
    if c["use_scale"]:
        weights.append(Weight("scale", ()))
    if c["score_mode"] == "concat":
        weights.append(Weight("concat_score_weight", ()))
    return Result((*q[:-1], v[-1]), tuple(weights))


def additiveattention(c: Call) -> Result:
    q, v, _ = _qvk(c)
    weights = [Weight("scale", (_defined(c, 0, "query"),))] if c["use_scale"] else []
    _score_checks(c)
    return Result((*q[:-1], v[-1]), tuple(weights))


# --------------------------------------------------------------------------- MultiHeadAttention


def _value_key(c: Call, v: Shape, k: Shape) -> None:
    if v[1:-1] != k[1:-1]:
        raise ShapeError(
            f"{c.type} layer '{c.name}': all dimensions of `value` and `key`, except the last one, must be equal. "
            f"{_received(c)}",
            port=2,
        )


def _projection(name: str, fan_in: int, heads: int, size: int, use_bias: bool) -> list[Weight]:
    out = [Weight(f"{name}/kernel", (fan_in, heads, size))]
    if use_bias:
        out.append(Weight(f"{name}/bias", (heads, size)))
    return out


def multiheadattention(c: Call) -> Result:
    q, v, k = _qvk(c)
    _value_key(c, v, k)
    heads, key_dim = c["num_heads"], c["key_dim"]
    value_dim = c.config.get("value_dim") or key_dim
    bias = c["use_bias"]
    weights = _projection("query", _defined(c, 0, "query"), heads, key_dim, bias)
    weights += _projection(
        "key", _defined(c, len(c.inputs) - 1 if len(c.inputs) > 2 else 1, "key"), heads, key_dim, bias
    )
    if c.config.get("use_gate"):
        weights += _projection("gate", q[-1], heads, value_dim, bias)  # type: ignore[arg-type]
    weights += _projection("value", _defined(c, 1, "value"), heads, value_dim, bias)
    # Attention over the axes between batch and features, unless attention_axes says otherwise
    # (Keras normalises them against the projected rank, value rank + 1).
    rank = len(v) + 1
    given = c.config.get("attention_axes")
    axes = tuple(range(1, rank - 2)) if given is None else ((given,) if isinstance(given, int) else tuple(given))
    axes = tuple(a if a >= 0 else (rank - 1) + a for a in axes)
    for a in axes:
        if not 0 <= a < rank:
            raise ShapeError(
                f"{c.type} layer '{c.name}': attention_axes={given!r} is out of range for inputs of rank {len(v)}. "
                f"{_received(c)}",
                port=0,
                code="bad_axis",
            )
    for a in axes:
        if a == 0 or a >= rank - 2:
            raise ShapeError(
                f"{c.type} layer '{c.name}': attention_axes={given!r} must name axes between the batch axis and "
                f"the last (feature) axis, 1 to {len(v) - 2}; Keras builds the layer, then fails or mixes "
                f"samples on data. {_received(c)}",
                port=0,
                code="bad_axis",
                keras="stricter",
            )
    if len(q) != len(v):
        raise ShapeError(
            f"{c.type} layer '{c.name}': query and value must have the same rank ({len(q)} vs {len(v)}); "
            f"Keras builds the layer, then the attention fails on data. {_received(c)}",
            port=1,
            code="rank_mismatch",
            keras="runtime",
        )
    for a in range(1, len(q) - 1):
        if a not in axes and _differ(q[a], k[a]):
            raise ShapeError(
                f"{c.type} layer '{c.name}': query and key must agree on axis {a}, which is not an attention "
                f"axis ({q[a]} vs {k[a]}); Keras builds the layer, then fails on data. {_received(c)}",
                port=1,
                keras="runtime",
            )
    out_shape = c.config.get("output_shape")
    out = (q[-1],) if not out_shape else ((out_shape,) if isinstance(out_shape, int) else tuple(out_shape))
    if any(d is None for d in out):
        raise ShapeError(
            f"{c.type} layer '{c.name}': output_shape={out_shape!r} must be fully defined (the output projection's "
            f"kernel has its sizes). {_received(c)}",
            port=0,
            code="undefined_dim",
        )
    weights.append(Weight("attention_output/kernel", (heads, value_dim, *out)))  # type: ignore[arg-type]
    if bias:
        weights.append(Weight("attention_output/bias", tuple(out)))  # type: ignore[arg-type]
    return Result((*q[:-1], *out), tuple(weights))


# --------------------------------------------------------------------------- GroupQueryAttention


def groupqueryattention(c: Call) -> Result:
    q, v, k = _qvk(c)
    hq, hkv, hd = c["num_query_heads"], c["num_key_value_heads"], c["head_dim"]
    if hq % hkv:
        raise ShapeError(
            f"{c.type} layer '{c.name}': `num_query_heads` must be divisible by `num_key_value_heads`. "
            f"Received: num_query_heads={hq}, num_key_value_heads={hkv}",
            port=0,
            code="bad_param",
        )
    if q[-1] != v[-1]:
        raise ShapeError(
            f"{c.type} layer '{c.name}': the last dimension of `query_shape` and `value_shape` must be equal, but "
            f"are {q[-1]}, {v[-1]}. {_received(c)}",
            port=1,
        )
    _value_key(c, v, k)
    for port, s in enumerate(c.inputs):
        if len(s) < 3:
            raise ShapeError(
                f"{c.type} layer '{c.name}': input {port} has rank {len(s)}; the projections "
                f"('bqm,muh->bquh') need (batch, steps, features). {_received(c)}",
                port=port,
                code="rank_mismatch",
            )
    for port, s in enumerate(c.inputs):
        if len(s) != 3:
            raise ShapeError(
                f"{c.type} layer '{c.name}': input {port} has rank {len(s)}; the projections "
                f"('bqm,muh->bquh') take (batch, steps, features) only: Keras builds the layer, then the einsum "
                f"fails on data. {_received(c)}",
                port=port,
                code="rank_mismatch",
                keras="runtime",
            )
    bias = c["use_bias"]
    kport = 2 if len(c.inputs) > 2 else 1
    weights = _projection("query", _defined(c, 0, "query"), hq, hd, bias)
    weights += _projection("key", _defined(c, kport, "key"), hkv, hd, bias)
    if c.config.get("use_gate"):
        weights += _projection("gate", q[-1], hq, hd, bias)  # type: ignore[arg-type]
    weights += _projection("value", _defined(c, 1, "value"), hkv, hd, bias)
    feature = q[-1]
    weights.append(Weight("attention_output/kernel", (hq, hd, feature)))  # type: ignore[arg-type]
    if bias:
        weights.append(Weight("attention_output/bias", (feature,)))  # type: ignore[arg-type]
    return Result(q, tuple(weights))


RULES: dict[str, Callable[[Call], Result]] = {
    "attention": attention,
    "additiveattention": additiveattention,
    "multiheadattention": multiheadattention,
    "groupqueryattention": groupqueryattention,
}
