"""Output-shape and weight rules, one small pure function per layer type.

Each rule mirrors Keras 3's ``compute_output_shape`` / ``build``: it takes the layer's
resolved config (Keras defaults filled in) and the input shapes (batch axis first, ``None``
for unknown dims) and returns the output shape and the weights the layer creates. When Keras
would refuse the call, the rule raises :class:`ShapeError` with a Keras-style message that
says what was expected and what was received.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from .catalog import pad2d

Shape = tuple[int | None, ...]


@dataclass(frozen=True)
class Weight:
    name: str
    shape: tuple[int, ...]
    trainable: bool = True

    @property
    def size(self) -> int:
        return math.prod(self.shape)


@dataclass(frozen=True)
class Result:
    shape: Shape
    weights: tuple[Weight, ...] = ()
    # Input axes whose sizes the weights depend on (axis -> size), as Keras' input_spec
    # records them after build: a later call of a shared layer must match these.
    spec: dict[int, int] = field(default_factory=dict)
    # The exact rank later calls must have, where Keras' input_spec fixes it after build.
    ndim: int | None = None

    @property
    def trainable(self) -> int:
        return sum(w.size for w in self.weights if w.trainable)

    @property
    def non_trainable(self) -> int:
        return sum(w.size for w in self.weights if not w.trainable)


class ShapeError(ValueError):
    """The layer cannot be called on these inputs. ``port`` names the offending input."""

    def __init__(self, message: str, *, port: int | None = None, code: str = "shape_mismatch") -> None:
        super().__init__(message)
        self.message = message
        self.port = port
        self.code = code


@dataclass(frozen=True)
class Call:
    """What a rule sees: the layer's name and type, its resolved config, its input shapes."""

    name: str
    type: str
    config: dict[str, Any]
    inputs: Sequence[Shape]

    @property
    def x(self) -> Shape:
        return self.inputs[0]

    def __getitem__(self, key: str) -> Any:
        return self.config[key]


def fmt(shape: Shape | Sequence[Any]) -> str:
    """Format a shape like Keras does: ``(None, 32)``, ``(5,)``."""
    items = ["None" if d is None else str(d) for d in shape]
    if len(items) == 1:
        return f"({items[0]},)"
    return "(" + ", ".join(items) + ")"


def _require_ndim(c: Call, ndim: int, port: int = 0) -> None:
    shape = c.inputs[port]
    if len(shape) != ndim:
        raise ShapeError(
            f"Input {port} of layer '{c.name}' is incompatible with the layer: expected ndim={ndim}, "
            f"found ndim={len(shape)}. Full shape received: {fmt(shape)}",
            port=port,
            code="rank_mismatch",
        )


def _require_min_ndim(c: Call, ndim: int, port: int = 0) -> None:
    shape = c.inputs[port]
    if len(shape) < ndim:
        raise ShapeError(
            f"Input {port} of layer '{c.name}' is incompatible with the layer: expected min_ndim={ndim}, "
            f"found ndim={len(shape)}. Full shape received: {fmt(shape)}",
            port=port,
            code="rank_mismatch",
        )


def _known(c: Call, axis: int, what: str) -> int:
    dim = c.x[axis]
    if dim is None:
        raise ShapeError(
            f"The {what} axis ({axis}) of the input to {c.type} layer '{c.name}' must be defined, "
            f"because the layer's weights depend on it. Received: input_shape={fmt(c.x)}",
            port=0,
            code="undefined_dim",
        )
    return dim


def _tuple(value: Any, rank: int) -> tuple[int, ...]:
    if isinstance(value, int):
        return (value,) * rank
    return tuple(value)


def _channels_last(c: Call) -> bool:
    return (c.config.get("data_format") or "channels_last") == "channels_last"


def _norm_axis(c: Call, axis: int) -> int:
    rank = len(c.x)
    if not -rank <= axis < rank:
        raise ShapeError(
            f"Invalid axis for layer '{c.name}': axis={axis} is out of bounds for an input of rank {rank}. "
            f"Received: input_shape={fmt(c.x)}",
            port=0,
            code="bad_axis",
        )
    return axis % rank


# --------------------------------------------------------------------------- rules


def input_(c: Call) -> Result:
    return Result((c.config.get("batch_size"),) + tuple(c["shape"]))


def identity(c: Call) -> Result:
    return Result(c.x)


def dense(c: Call) -> Result:
    _require_min_ndim(c, 2)
    units = c["units"]
    fan_in = _known(c, -1, "last")
    weights = [Weight("kernel", (fan_in, units))]
    if c["use_bias"]:
        weights.append(Weight("bias", (units,)))
    return Result(c.x[:-1] + (units,), tuple(weights), {-1: fan_in})


def embedding(c: Call) -> Result:
    return Result(c.x + (c["output_dim"],), (Weight("embeddings", (c["input_dim"], c["output_dim"])),))


def _rnn(c: Call, gates: int) -> Result:
    _require_ndim(c, 3)
    units = c["units"]
    features = _known(c, -1, "features")
    weights = [Weight("kernel", (features, gates * units)), Weight("recurrent_kernel", (units, gates * units))]
    if c["use_bias"]:
        if c.type == "GRU" and c["reset_after"]:
            weights.append(Weight("bias", (2, gates * units)))
        else:
            weights.append(Weight("bias", (gates * units,)))
    if c.config.get("stateful") and c.x[0] is None:
        raise ShapeError(
            f"Layer '{c.name}' is stateful: it needs a fixed batch size. Set `batch_size` on the "
            f"model Input. Received: input_shape={fmt(c.x)}",
            port=0,
            code="stateful_batch",
        )
    if c.config.get("unroll") and c.x[1] is None:
        # Keras builds it, but the unrolled loop needs the step count: predict/fit fail as soon
        # as the function is traced for a variable sequence length.
        raise ShapeError(
            f"Layer '{c.name}' cannot unroll an RNN whose time dimension is undefined: set the number "
            f"of steps on the Input, or use unroll=False. Received: input_shape={fmt(c.x)}",
            port=0,
            code="undefined_dim",
        )
    if c["return_sequences"]:
        out: Shape = (c.x[0], c.x[1], units)
    else:
        out = (c.x[0], units)
    return Result(out, tuple(weights), {-1: features})


def lstm(c: Call) -> Result:
    return _rnn(c, 4)


def gru(c: Call) -> Result:
    return _rnn(c, 3)


def simplernn(c: Call) -> Result:
    return _rnn(c, 1)


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


def batchnormalization(c: Call) -> Result:
    axis = _norm_axis(c, c["axis"])
    dim = _known(c, axis, "normalised")
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
    axis = _norm_axis(c, c["axis"])
    if not (c["scale"] or c["center"] or c.config.get("rms_scaling")):
        return Result(c.x)  # no weights: the normalised axis may stay undefined, as in Keras
    dim = _known(c, axis, "normalised")
    weights = []
    if c["scale"] or c.config.get("rms_scaling"):
        weights.append(Weight("gamma", (dim,)))
    if c["center"] and not c.config.get("rms_scaling"):
        weights.append(Weight("beta", (dim,)))
    return Result(c.x, tuple(weights), {axis - len(c.x): dim})


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


def _spatial(c: Call, rank: int) -> tuple[Shape, int]:
    """The spatial dims and the channel axis (positive) of an ``rank``-D conv/pool input."""
    _require_ndim(c, rank + 2)
    if _channels_last(c):
        return c.x[1:-1], rank + 1
    return c.x[2:], 1


def _rank(c: Call) -> int:
    return 2 if c.type.endswith("2D") else 1


def _assemble(c: Call, spatial: Sequence[int | None], channels: int | None) -> Shape:
    if _channels_last(c):
        return (c.x[0], *spatial, channels)
    return (c.x[0], channels, *spatial)


def _window_out(
    c: Call, size: int | None, kernel: int, stride: int, padding: str, dilation: int, what: str
) -> int | None:
    if size is None:
        return None
    if padding == "valid":
        out = math.floor((size - dilation * (kernel - 1) - 1) / stride) + 1
        if out <= 0:
            raise ShapeError(
                f"{c.type} layer '{c.name}': computed output size would be zero or negative "
                f"({out}). {what} does not fit an input of {size} along a spatial axis with "
                f"padding='valid'. Received: input_shape={fmt(c.x)}",
                port=0,
                code="window_too_large",
            )
        return out
    return math.floor((size - 1) / stride) + 1


def conv(c: Call) -> Result:
    rank = _rank(c)
    spatial, ch_axis = _spatial(c, rank)
    channels = _known(c, ch_axis, "channel")
    kernel = _tuple(c["kernel_size"], rank)
    strides = _tuple(c["strides"], rank)
    dilation = _tuple(c["dilation_rate"], rank)
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
        _window_out(c, s, k, st, padding, d, f"kernel_size={kernel} with dilation_rate={dilation}")
        for s, k, st, d in zip(spatial, kernel, strides, dilation)
    ]
    return Result(_assemble(c, out, filters), tuple(weights), {ch_axis - len(c.x): channels})


def pooling(c: Call) -> Result:
    rank = _rank(c)
    spatial, ch_axis = _spatial(c, rank)
    pool = _tuple(c["pool_size"], rank)
    strides = pool if c["strides"] is None else _tuple(c["strides"], rank)
    out = [_window_out(c, s, k, st, c["padding"], 1, f"pool_size={pool}") for s, k, st in zip(spatial, pool, strides)]
    return Result(_assemble(c, out, c.x[ch_axis]))


def global_pooling(c: Call) -> Result:
    rank = _rank(c)
    _, ch_axis = _spatial(c, rank)
    channels = c.x[ch_axis]
    if c["keepdims"]:
        return Result(_assemble(c, [1] * rank, channels))
    return Result((c.x[0], channels))


def zeropadding2d(c: Call) -> Result:
    spatial, ch_axis = _spatial(c, 2)
    pads = pad2d(c["padding"])
    assert pads is not None  # checked by the param validation
    out = [None if s is None else s + p[0] + p[1] for s, p in zip(spatial, pads)]
    return Result(_assemble(c, out, c.x[ch_axis]))


def upsampling2d(c: Call) -> Result:
    spatial, ch_axis = _spatial(c, 2)
    size = _tuple(c["size"], 2)
    interpolation = c.config.get("interpolation") or "nearest"
    if interpolation != "nearest" and None in spatial:
        # Keras builds it, but on the TensorFlow backend the resize cannot be traced for unknown
        # rows/cols: predict and fit fail as soon as a second image size arrives.
        raise ShapeError(
            f"UpSampling2D layer '{c.name}' with interpolation='{interpolation}' needs defined rows and "
            f"columns (only 'nearest' works on images of variable size). Received: input_shape={fmt(c.x)}",
            port=0,
            code="undefined_dim",
        )
    out = [None if s is None else s * k for s, k in zip(spatial, size)]
    return Result(_assemble(c, out, c.x[ch_axis]))


RULES: dict[str, Callable[[Call], Result]] = {
    "input": input_,
    "identity": identity,
    "dense": dense,
    "embedding": embedding,
    "lstm": lstm,
    "gru": gru,
    "simplernn": simplernn,
    "dropout": identity,
    "activation": identity,
    "flatten": flatten,
    "reshape": reshape,
    "batchnormalization": batchnormalization,
    "layernormalization": layernormalization,
    "concatenate": concatenate,
    "elementwise": elementwise,
    "conv": conv,
    "pooling": pooling,
    "global_pooling": global_pooling,
    "zeropadding2d": zeropadding2d,
    "upsampling2d": upsampling2d,
}


def infer(rule: str, call: Call) -> Result:
    """Apply the named rule. Raises :class:`ShapeError` when Keras would refuse the call."""
    return RULES[rule](call)
