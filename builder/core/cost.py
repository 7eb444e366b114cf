"""The cost model: FLOPs, weight memory and activation memory per node, head and model.

Pure Python (no TensorFlow, no numpy), computed from the validator's report (shapes and
parameter counts), one rule per layer type of the catalog.

**FLOPs** are inference FLOPs per sample, counted *the way TensorFlow's profiler counts them*
(``tf.compat.v1.profiler.ProfileOptionBuilder.float_operation()`` on the frozen concrete
function of the Keras 3 model at batch 1, tensorflow-cpu 2.21 / keras 3.15). The profiler adds,
op by op, the FLOPs its registry knows, for ops whose shapes are fully known in the graph:

* a matrix product counts ``2*m*k*n``; a bias add, an elementwise add/sub/mul/div/min/max one
  per output element; a convolution ``2 * output elements * kernel area * input channels``
  (the full window, also on padded borders); a max or average pool ``output elements * window``;
  a mean ``input elements``; ``Rsqrt`` 2, ``Softmax`` 5, ``SquaredDifference`` 2 per element.
* It ignores (0 FLOPs) many ops: ``Relu``, ``Sigmoid``, ``Tanh``, ``Elu``, ``Exp``, ``Max``
  reductions, ``Pad``, ``ConcatV2``, ``Reshape``, gathers, image resizes, comparisons other than
  ``Less``/``Greater``... So most activations cost 0, and GlobalMaxPooling, ZeroPadding2D,
  Concatenate, Flatten, Reshape and Dropout (inference) cost 0.
* It counts a ``while`` loop's body once, and only the ops whose shapes are static there: a
  recurrent layer (not unrolled) counts about *one* step's input projection, not ``T`` steps of
  both projections. The rules below reproduce that; the numbers say what the profiler says, not
  what the hardware does (an LSTM really costs about ``T * 2 * (F + U) * 4U``).
* A grouped convolution (``groups > 1``) is not counted (only its bias add).

Where a count needs an undefined dim (``None`` other than the batch axis), the node's FLOPs are
``None`` (unknown); so is any total that includes it. (The profiler silently counts 0 there.)

**Weight bytes**: the parameters a node owns (on the call that builds its layer; 0 on later
calls of a shared layer) times the weight dtype's size (``float32``: 4 bytes).

**Activation bytes per sample**: the node's output tensor for one sample (batch axis dropped),
in its dtype: an Input's own dtype, a layer that only moves values (Flatten, Reshape, Dropout,
Cropping, ZeroPadding, UpSampling, Permute, RepeatVector) keeps its input's, every other layer gives
``float32``.

Types without a FLOP rule (``UNCOUNTED``: the transposed convolutions, ConvLSTM, adaptive pooling)
report ``None``.

Totals count the *live* nodes (those that reach an output, as Keras does), each once. A head
(an output) counts the subgraph that feeds it; ``shared`` lists its nodes that also feed another
head, or whose layer (weights) is called in another head's subgraph.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from .catalog import catalog, inner_layer
from .graph import Graph
from .shapes import Shape
from .validate import Report, validate

DTYPE_BYTES: dict[str, int] = {
    "float16": 2,
    "bfloat16": 2,
    "float32": 4,
    "float64": 8,
    "int8": 1,
    "uint8": 1,
    "int16": 2,
    "uint16": 2,
    "int32": 4,
    "uint32": 4,
    "int64": 8,
    "uint64": 8,
    "bool": 1,
}

# Profiler FLOPs per element of each Keras activation, as TF 2.21 builds it (measured: the ops
# the activation lowers to, counting only those the profiler's registry knows; Relu, Sigmoid,
# Tanh, Exp, Softplus... are not in it). sparsemax adds 1 per call on top.
ACTIVATION_FLOPS: dict[str, int] = {
    "linear": 0,
    "relu": 0,
    "sigmoid": 0,
    "tanh": 0,
    "elu": 0,
    "selu": 0,
    "softplus": 0,
    "softsign": 0,
    "relu6": 0,
    "leaky_relu": 0,
    "exponential": 0,
    "log_softmax": 0,
    "mish": 1,  # x * tanh(softplus(x)): one Mul
    "tanh_shrink": 1,  # x - tanh(x)
    "silu": 2,
    "swish": 2,
    "hard_sigmoid": 2,
    "hard_tanh": 2,
    "log_sigmoid": 2,
    "hard_silu": 3,
    "hard_swish": 3,
    "gelu": 4,
    "squareplus": 4,
    "softmax": 5,  # the Softmax op: 5 per element in the registry
    "celu": 5,
    "sparsemax": 8,
}

# Layers whose output holds their input's values (and dtype).
_MOVES_VALUES = {
    "Flatten",
    "Reshape",
    "Dropout",
    "ZeroPadding2D",
    "UpSampling2D",
    "Cropping1D",
    "Cropping2D",
    "Cropping3D",
    "ZeroPadding1D",
    "ZeroPadding3D",
    "UpSampling1D",
    "UpSampling3D",
    "Permute",
    "RepeatVector",
}
# Layers that pass a mask on (Keras' supports_masking without consuming it).
_PASSES_MASK = {
    "Dense",
    "Dropout",
    "Activation",
    "ReLU",
    "BatchNormalization",
    "LayerNormalization",
    "Add",
    "Multiply",
    "Average",
    "Maximum",
    "Minimum",
    "Subtract",
    "Concatenate",
}
_PASSES_MASK |= {
    "Identity",
    "LeakyReLU",
    "PReLU",
    "ELU",
    "Softmax",
    "GroupNormalization",
    "UnitNormalization",
    "SpatialDropout1D",
    "SpatialDropout2D",
    "SpatialDropout3D",
    "GaussianNoise",
    "GaussianDropout",
    "AlphaDropout",
    "ActivityRegularization",
}
_MASK_OF_QUERY = {"Attention", "AdditiveAttention"}
# Layers whose computation reads a Keras mask (extra ops, not measured): FLOPs unknown under a mask.
_READS_MASK = {"Softmax", "GroupNormalization", "Attention", "AdditiveAttention"}
_RNNS = {"LSTM", "GRU", "SimpleRNN"}


@dataclass(frozen=True)
class NodeCost:
    flops: int | None
    weight_bytes: int
    activation_bytes_per_sample: int | None

    def to_dict(self) -> dict[str, Any]:
        return {
            "flops": self.flops,
            "weight_bytes": self.weight_bytes,
            "activation_bytes_per_sample": self.activation_bytes_per_sample,
        }


@dataclass(frozen=True)
class GroupCost:
    """The cost of a set of nodes (a head, a block): each node and each layer counted once."""

    flops: int | None
    weight_bytes: int
    activation_bytes_per_sample: int | None
    nodes: tuple[str, ...] = ()
    shared: tuple[str, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        return {
            "flops": self.flops,
            "weight_bytes": self.weight_bytes,
            "activation_bytes_per_sample": self.activation_bytes_per_sample,
            "shared": list(self.shared),
        }


@dataclass(frozen=True)
class Cost:
    flops: int | None
    weight_bytes: int
    activation_bytes_per_sample: int | None
    per_node: dict[str, NodeCost]
    per_output: dict[str, GroupCost]
    per_block: dict[str, GroupCost] | None = None  # filled when blocks are given
    weight_dtype: str = "float32"
    live: tuple[str, ...] = field(default=())

    def to_dict(self) -> dict[str, Any]:
        d: dict[str, Any] = {
            "flops": self.flops,
            "weight_bytes": self.weight_bytes,
            "activation_bytes_per_sample": self.activation_bytes_per_sample,
            "per_node": {nid: c.to_dict() for nid, c in self.per_node.items()},
            "per_output": {name: c.to_dict() for name, c in self.per_output.items()},
        }
        if self.per_block is not None:
            d["per_block"] = {name: c.to_dict() for name, c in self.per_block.items()}
        return d


# --------------------------------------------------------------------------- helpers


def _elems(shape: Shape | None) -> int | None:
    """Elements of one sample (the batch axis dropped); None when a dim is undefined."""
    if shape is None:
        return None
    rest = shape[1:]
    if any(d is None for d in rest):
        return None
    return math.prod(rest)  # type: ignore[arg-type]


def activation_flops(name: str | None, elements: int | None) -> int | None:
    """Profiler FLOPs of one activation call on ``elements`` values."""
    if not name or name == "linear":
        return 0
    if elements is None:
        return None
    per = ACTIVATION_FLOPS.get(name, 0)
    return per * elements + (1 if name == "sparsemax" else 0)


def _add(*values: int | None) -> int | None:
    if any(v is None for v in values):
        return None
    return sum(values)  # type: ignore[arg-type]


def _tuple(value: Any, rank: int) -> tuple[int, ...]:
    if isinstance(value, int):
        return (value,) * rank
    return tuple(value)


def _space_to_batch_outputs(size: int, kernel: int, dilation: int, padding: str) -> int:
    """Output positions TF's dilated convolution computes along one axis.

    ``tf.nn.convolution`` runs a dilated Conv1D / Conv2D / DepthwiseConv2D as SpaceToBatchND, a dense
    convolution on ``dilation`` interleaved blocks (padded up to a multiple of ``dilation``), then
    BatchToSpaceND and a crop: the convolution computes (and the profiler counts) the padded grid.
    """
    padded = size
    if padding in ("same", "causal"):  # causal: Keras pads the left side, then runs 'valid'
        padded += (kernel - 1) * dilation
    padded += (-padded) % dilation
    block = padded // dilation
    return dilation * max(block - kernel + 1, 0)


@dataclass(frozen=True)
class _Ctx:
    type: str
    config: Mapping[str, Any]
    inputs: Sequence[Shape]
    output: Shape
    masked: bool = False  # the first input carries a Keras mask (Embedding(mask_zero=True) upstream)
    any_masked: bool = False  # some input carries a Keras mask

    @property
    def x(self) -> Shape:
        return self.inputs[0]

    def __getitem__(self, key: str) -> Any:
        return self.config[key]


# --------------------------------------------------------------------------- FLOP rules
# Each rule returns the profiler's FLOPs for one sample, or None when a needed dim is undefined.


def _zero(c: _Ctx) -> int | None:
    return 0


def _dense(c: _Ctx) -> int | None:
    # MatMul 2*fan_in*units per row, BiasAdd 1 per output element, then the activation.
    out = _elems(c.output)
    if out is None:
        return None
    fan_in = c.x[-1]
    assert fan_in is not None
    units = c["units"]
    rows = out // units
    return 2 * fan_in * units * rows + (out if c["use_bias"] else 0) + (activation_flops(c["activation"], out) or 0)


def _embedding(c: _Ctx) -> int | None:
    # Keras' take() wraps negative ids: Less and AddV2 on every index. The gather is not counted.
    n = _elems(c.x)
    return None if n is None else 2 * n


def _rnn(c: _Ctx) -> int | None:
    """One step's ops with static shapes in the while body (see the module doc); unroll: all steps."""
    units = c["units"]
    features = c.x[-1]
    assert features is not None
    steps = c.x[1]
    bias = bool(c["use_bias"])
    act, ract = c.config.get("activation"), c.config.get("recurrent_activation")
    if c.config.get("unroll"):
        if steps is None:
            return None
        # Every step is plain graph code: both projections, the adds, the state updates.
        if c.type == "LSTM":
            g = 4 * units
            step = 2 * features * g + 2 * units * g + g + (g if bias else 0) + 4 * units
            step += 2 * (activation_flops(act, units) or 0) + 3 * (activation_flops(ract, units) or 0)
        elif c.type == "GRU":
            g = 3 * units
            step = 2 * features * g + 2 * units * g + 8 * units
            if bias:
                step += 2 * g if c.config.get("reset_after", True) else g
            step += (activation_flops(act, units) or 0) + 2 * (activation_flops(ract, units) or 0)
        else:
            step = 2 * features * units + 2 * units * units + units + (units if bias else 0)
            step += activation_flops(act, units) or 0
        return steps * step
    if c.type == "LSTM":
        # x @ kernel (2*F*4U), two adds of 4U (the bias add only with use_bias), i * g (U), the
        # activation on g (U values) and the recurrent activation on i, f, o (3 x U).
        flops = 8 * features * units + (8 * units if bias else 4 * units) + units
        flops += (activation_flops(act, units) or 0) + 3 * (activation_flops(ract, units) or 0)
    elif c.type == "GRU":
        # x @ kernel (2*F*3U) and its bias add; everything else depends on the state.
        flops = 6 * features * units + (3 * units if bias else 0)
    else:
        flops = 2 * features * units + (units if bias else 0)
    if c.masked:  # a Keras mask: one more counted op per step (as measured)
        if steps is None:
            return None
        flops += steps
    return flops


def _activation(c: _Ctx) -> int | None:
    return activation_flops(c["activation"], _elems(c.output))


def _relu(c: _Ctx) -> int | None:
    # keras.activations.relu (ops.relu, leaky_relu and relu6 are not counted):
    #   negative_slope (with a max_value or threshold): Neg [+ Add for the threshold], then Mul, Sub;
    #   threshold: Greater (the cast-multiply is not counted); max_value (not 6 without threshold): clip, 2.
    e = _elems(c.output)
    if e is None:
        return None
    slope, top, thr = c.config.get("negative_slope") or 0.0, c.config.get("max_value"), c.config.get("threshold") or 0.0
    flops = 0
    if slope:
        if top is None and not thr:
            return 0
        flops += (2 if thr else 1) * e + 2 * e
    if thr:
        flops += e
        clip = top is not None
    else:
        clip = top is not None and top != 6
    if clip:
        flops += 2 * e
    return flops


def _batchnorm(c: _Ctx) -> int | None:
    # Per channel: var + eps, Rsqrt (2), the scale (gamma) Mul, mean * inv, beta - that: 5 or 6.
    # Per element: x * inv + offset: 2.
    e = _elems(c.output)
    if e is None:
        return None
    axis = c["axis"] % len(c.x)
    ch = c.x[axis]
    assert ch is not None
    return 2 * e + (6 if c["scale"] else 5) * ch


def _layernorm(c: _Ctx) -> int | None:
    # moments (Mean E, SquaredDifference 2E, Mean E), + eps and Rsqrt (3 per row), then the
    # scale / shift arithmetic; measured per (scale, center): a*E + b*rows.
    e = _elems(c.output)
    if e is None:
        return None
    axes = c["axis"] if isinstance(c["axis"], (list, tuple)) else [c["axis"]]
    size = math.prod(c.x[a % len(c.x)] for a in axes)  # type: ignore[misc]
    rows = e // size if size else 0
    if c.config.get("rms_scaling"):
        a, b = 6, 3
    else:
        a, b = {(True, True): (9, 4), (True, False): (7, 5), (False, True): (8, 4), (False, False): (6, 5)}[
            (bool(c["center"]), bool(c["scale"]))
        ]
    return a * e + b * rows


def _broadcast(a: Shape, b: Shape) -> Shape:
    if len(a) < len(b):
        a, b = b, a
    out = list(a[: len(a) - len(b)])
    for i, j in zip(a[len(a) - len(b) :], b):
        out.append(None if i is None or j is None else max(i, j))
    return tuple(out)


def _elementwise(c: _Ctx) -> int | None:
    # Keras merges pairwise: out = x0 op x1 op x2...: one FLOP per element of each partial result.
    # Average divides the sum by n at the end: one more per output element.
    shape = c.inputs[0][1:]
    flops = 0
    for s in c.inputs[1:]:
        shape = _broadcast(shape, s[1:])
        n = _elems((None, *shape))
        if n is None:
            return None
        flops += n
    if c.type == "Average":
        n = _elems(c.output)
        if n is None:
            return None
        flops += n
    return flops


def _rank(type_name: str) -> int:
    """Spatial axes of a conv/pool/padding type: its 1D/2D/3D suffix (``Conv2DTranspose``: 2)."""
    return next(r for r in (3, 2, 1) if f"{r}D" in type_name)


def _dilated_positions(c: _Ctx, rank: int, kernel: tuple[int, ...], channels: int) -> int | None:
    """Output elements TF's convolution computes for a dilated, unstrided conv (the padded grid of
    SpaceToBatchND, see ``_space_to_batch_outputs``); None when no dilation applies."""
    dilation = _tuple(c["dilation_rate"], rank)
    if max(dilation) == 1 or max(_tuple(c["strides"], rank)) > 1:
        return None
    channels_last = (c.config.get("data_format") or "channels_last") == "channels_last"
    spatial = c.x[1:-1] if channels_last else c.x[2:]
    grid = [
        _space_to_batch_outputs(s, k, d, c["padding"])  # type: ignore[arg-type]
        for s, k, d in zip(spatial, kernel, dilation)
    ]
    return math.prod(grid) * channels


def _conv(c: _Ctx) -> int | None:
    out = _elems(c.output)
    if out is None:
        return None
    rank = _rank(c.type)
    channels_last = (c.config.get("data_format") or "channels_last") == "channels_last"
    cin = c.x[-1] if channels_last else c.x[1]
    assert cin is not None
    kernel = _tuple(c["kernel_size"], rank)
    bias = out if c["use_bias"] else 0
    act = activation_flops(c.config.get("activation"), out) or 0
    if c.type.startswith("DepthwiseConv"):
        per_position = 2 * math.prod(kernel)  # per output channel
        out_channels = cin * c["depth_multiplier"]
    else:
        if c["groups"] > 1:
            return bias + act  # the profiler does not count grouped convolutions
        per_position = 2 * math.prod(kernel) * cin
        out_channels = c["filters"]
    computed = _dilated_positions(c, rank, kernel, out_channels) or out
    return per_position * computed + bias + act


def _separable_conv(c: _Ctx) -> int | None:
    """A depthwise convolution (as DepthwiseConv, dilated on the padded grid), then a pointwise
    (1x1) one from ``cin * depth_multiplier`` to ``filters`` channels, then the bias add."""
    out = _elems(c.output)
    if out is None:
        return None
    rank = _rank(c.type)
    channels_last = (c.config.get("data_format") or "channels_last") == "channels_last"
    cin = c.x[-1] if channels_last else c.x[1]
    assert cin is not None
    kernel = _tuple(c["kernel_size"], rank)
    mid = cin * c["depth_multiplier"]
    positions = out // c["filters"]
    depthwise = 2 * math.prod(kernel) * (_dilated_positions(c, rank, kernel, mid) or positions * mid)
    pointwise = 2 * mid * positions * c["filters"]
    bias = out if c["use_bias"] else 0
    return depthwise + pointwise + bias + (activation_flops(c.config.get("activation"), out) or 0)


def _pooling(c: _Ctx) -> int | None:
    rank = _rank(c.type)
    if rank == 3:
        return 0  # MaxPool3D and AvgPool3D are not in the registry
    out = _elems(c.output)
    if out is None:
        return None
    return out * math.prod(_tuple(c["pool_size"], rank))


def _global_pooling(c: _Ctx) -> int | None:
    if "Max" in c.type:
        return 0  # Max reductions are not in the registry
    n = _elems(c.x)
    if n is None:
        return None
    if c.masked and c.type == "GlobalAveragePooling1D":
        steps = c.x[1]
        assert steps is not None
        n += 2 * steps - 1  # the masked mean: mask sums and the division, as measured
    return n


def _upsampling(c: _Ctx) -> int | None:
    # nearest: ops.repeat on each spatial axis, whose only counted op is one scalar Mul computing
    # the repeated size (one per axis); bilinear/bicubic... resize ops are not in the registry.
    return _rank(c.type) if (c.config.get("interpolation") or "nearest") == "nearest" else 0


def _inner_flops(c: _Ctx, key: str, inputs: list[Shape], **overrides: Any) -> int | None:
    """The FLOPs of a wrapper's inner layer on ``inputs`` (its own rule, on its own output shape)."""
    from .shapes import RULES, Call

    inner = inner_layer(c.config.get(key))
    if inner is None:
        return None
    ltype = catalog()[inner[0]]
    config = ltype.resolved({**inner[1], **overrides})
    rule = FLOP_RULES.get(ltype.type)
    if rule is None:
        return None
    out = RULES[ltype.rule](Call(ltype.type, ltype.type, config, inputs)).shape
    return rule(_Ctx(ltype.type, config, inputs, out, c.masked))


def _time_distributed(c: _Ctx) -> int | None:
    # Keras folds the steps into the batch and runs the layer once: per sample, steps times the layer.
    steps = c.x[1]
    flops = _inner_flops(c, "layer", [(c.x[0], *c.x[2:])])
    return None if steps is None or flops is None else steps * flops


def _bidirectional(c: _Ctx) -> int | None:
    forward = _inner_flops(c, "layer", list(c.inputs))
    key = "backward_layer" if c.config.get("backward_layer") is not None else "layer"
    backward = _inner_flops(c, key, list(c.inputs), **({} if key == "backward_layer" else {"go_backwards": True}))
    out = _elems(c.output)
    if forward is None or backward is None or out is None:
        return None
    merge = {"concat": 0, "sum": 1, "mul": 1, "ave": 2}.get(c.config.get("merge_mode") or "concat", 0)
    return forward + backward + merge * out


def _spectral(c: _Ctx) -> int | None:
    # At inference the wrapper calls the layer as it is (the power iteration runs only in training).
    return _inner_flops(c, "layer", list(c.inputs))


def _repeat_vector(c: _Ctx) -> int | None:
    return 1  # ops.repeat: one scalar Mul


def _elu(c: _Ctx) -> int | None:
    # alpha == 1: the Elu op (not counted); else alpha * expm1 and a select: 2 per element.
    e = _elems(c.output)
    return None if e is None else (0 if c["alpha"] == 1 else 2 * e)


def _per_element(c: _Ctx) -> int | None:
    # Masking: the output times its mask, one Mul per element.
    return _elems(c.output)


def _prelu(c: _Ctx) -> int | None:
    # relu(x) + (-alpha) * relu(-x): Neg on alpha, then Neg, Mul, AddV2 per element.
    e = _elems(c.output)
    if e is None:
        return None
    shared = c.config.get("shared_axes") or ()
    shared = {shared} if isinstance(shared, int) else set(shared)
    alpha = math.prod(1 if i in shared else d for i, d in enumerate(c.x) if i > 0)  # type: ignore[misc]
    return 3 * e + alpha


def _last_axis_only(c: _Ctx) -> bool:
    axis = c.config.get("axis", -1)
    axes = (axis,) if isinstance(axis, int) else tuple(axis)
    return len(axes) == 1 and axes[0] % len(c.x) == len(c.x) - 1


def _softmax(c: _Ctx) -> int | None:
    # The Softmax op, 5 per element; a mask of the input's shape adds one op per element.
    # Other axes (a transpose around the op) and broadcast masks are not measured: unknown.
    e = _elems(c.output)
    if e is None or not _last_axis_only(c):
        return None
    if len(c.inputs) > 1:
        return 6 * e if tuple(c.inputs[1][1:]) == tuple(c.x[1:]) else None
    return 5 * e


def _unitnorm(c: _Ctx) -> int | None:
    # Square, then per row Sum, Maximum and Rsqrt, then the Mul: 3 per element, 2 per row (last axis).
    e = _elems(c.output)
    if e is None or not _last_axis_only(c):
        return None
    return 3 * e + 2 * (e // c.x[-1])  # type: ignore[operator]


def _rmsnorm(c: _Ctx) -> int | None:
    # Square, Mean, + epsilon, Rsqrt, x * inv, * scale: 4 per element, 3 per row (last axis).
    e = _elems(c.output)
    if e is None or not _last_axis_only(c):
        return None
    return 4 * e + 3 * (e // c.x[-1])  # type: ignore[operator]


def _groupnorm(c: _Ctx) -> int | None:
    # Measured with scale and center (the defaults): 6 per element, 3 per channel, 4 per group.
    e = _elems(c.output)
    if e is None or not (c["scale"] and c["center"]) or not _last_axis_only(c):
        return None
    channels = c.x[-1]
    assert channels is not None
    groups = channels if c["groups"] == -1 else c["groups"]
    return 6 * e + 3 * channels + 4 * groups


def _dot(c: _Ctx) -> int | None:
    # batch_dot: a (batched) MatMul, 2 per output element and contracted value. normalize: not measured.
    out = _elems(c.output)
    if out is None or c["normalize"]:
        return None
    axes = c["axes"]
    axis = (axes if axes >= 0 else axes % len(c.x)) if isinstance(axes, int) else axes[0]
    k = c.x[axis]
    return None if k is None else 2 * out * k


def _einsumdense(c: _Ctx) -> int | None:
    # The einsum (a MatMul), 2 per output element and contracted value; the bias add; the activation.
    from .shapes.einsum import analyze

    out = _elems(c.output)
    if out is None:
        return None
    a = analyze("", c["equation"], c.config.get("bias_axes"), c.x, c["output_shape"])
    # With '...' TF keeps an Einsum op, which the profiler does not count (measured: 0).
    contracted = 0 if a.elided else math.prod(c.x[i] for i in a.input_axes)  # type: ignore[misc]
    bias = out if a.bias is not None else 0
    return 2 * out * contracted + bias + (activation_flops(c.config.get("activation"), out) or 0)


def _attention(c: _Ctx) -> int | None:
    """Scores (dot: a MatMul, 2*Tq*Tv*d; concat: add, tanh, sum, * weight, also 2*Tq*Tv*d; additive:
    add, * scale, sum: Tq*Tv*(3d - 1)), * scale (dot with use_scale: Tq*Tv), softmax (5*Tq*Tv) and the
    MatMul with the value (2*Tq*Tv*dv), per batch row (the axes between batch and steps)."""
    q, v = c.inputs[0], c.inputs[1]
    k = c.inputs[2] if len(c.inputs) > 2 else v
    dims = [*q[1:], k[-2], v[-1]]
    if any(d is None for d in dims):
        return None
    rows = math.prod(q[1:-2])  # type: ignore[arg-type]
    tq, tv, d, dv = q[-2], k[-2], q[-1], v[-1]
    pairs = tq * tv  # type: ignore[operator]
    if c.type == "AdditiveAttention":
        scores = pairs * (3 * d - 1)  # type: ignore[operator]
    elif c["score_mode"] == "concat":
        if c["use_scale"]:
            return None  # not measured
        scores = 2 * pairs * d  # type: ignore[operator]
    else:
        scores = 2 * pairs * d + (pairs if c["use_scale"] else 0)  # type: ignore[operator]
    return rows * (scores + 5 * pairs + 2 * pairs * dv)  # type: ignore[operator]


# Catalog types whose FLOPs the cost model leaves unknown (None) on purpose, as is any total that
# includes them: the profiler counts the transposed convolutions' backprop-input ops in ways that
# depend on the padding, ConvLSTM's while loop, adaptive pooling's gathers, and MultiHeadAttention /
# GroupQueryAttention's einsums not the textbook way (measured: 3,684 where the projections, scores
# and softmax add up to 4,774). Every catalog type is in FLOP_RULES or here.
# The preprocessing layers (image augmentation, lookups, encoders, normalization): not yet measured
# against the profiler, so their FLOPs are unknown rather than guessed.
_PREPROCESSING = tuple(t for t, lt in catalog().types.items() if lt.category == "preprocessing")
UNCOUNTED: frozenset[str] = frozenset(
    {
        "Conv1DTranspose",
        "Conv2DTranspose",
        "Conv3DTranspose",
        "ConvLSTM1D",
        "ConvLSTM2D",
        "ConvLSTM3D",
        *(f"Adaptive{op}Pooling{r}D" for op in ("Average", "Max") for r in (1, 2, 3)),
        "MultiHeadAttention",
        "GroupQueryAttention",
        *_PREPROCESSING,
    }
)

FLOP_RULES: dict[str, Callable[[_Ctx], int | None]] = {
    "Input": _zero,
    "Dense": _dense,
    "Embedding": _embedding,
    "LSTM": _rnn,
    "GRU": _rnn,
    "SimpleRNN": _rnn,
    "Dropout": _zero,  # identity at inference
    "Flatten": _zero,
    "Reshape": _zero,
    "Activation": _activation,
    "BatchNormalization": _batchnorm,
    "LayerNormalization": _layernorm,
    "Concatenate": _zero,
    "Add": _elementwise,
    "Multiply": _elementwise,
    "Average": _elementwise,
    "Maximum": _elementwise,
    "Minimum": _elementwise,
    "Subtract": _elementwise,
    "Conv1D": _conv,
    "Conv2D": _conv,
    "DepthwiseConv2D": _conv,
    "MaxPooling1D": _pooling,
    "MaxPooling2D": _pooling,
    "AveragePooling1D": _pooling,
    "AveragePooling2D": _pooling,
    "GlobalMaxPooling1D": _global_pooling,
    "GlobalMaxPooling2D": _global_pooling,
    "GlobalAveragePooling1D": _global_pooling,
    "GlobalAveragePooling2D": _global_pooling,
    "ZeroPadding2D": _zero,
    "UpSampling2D": _upsampling,
    "Conv3D": _conv,
    "DepthwiseConv1D": _conv,
    "SeparableConv1D": _separable_conv,
    "SeparableConv2D": _separable_conv,
    "MaxPooling3D": _pooling,
    "AveragePooling3D": _pooling,
    "GlobalMaxPooling3D": _global_pooling,
    "GlobalAveragePooling3D": _global_pooling,
    "Cropping1D": _zero,
    "Cropping2D": _zero,
    "Cropping3D": _zero,
    "ZeroPadding1D": _zero,
    "ZeroPadding3D": _zero,
    "UpSampling1D": _upsampling,
    "UpSampling3D": _upsampling,
    "Permute": _zero,
    "RepeatVector": _repeat_vector,
    "ReLU": _relu,
    "EinsumDense": _einsumdense,
    "Identity": _zero,
    "Masking": _per_element,
    "Dot": _dot,
    "LeakyReLU": _zero,  # the LeakyRelu op is not counted
    "PReLU": _prelu,
    "ELU": _elu,
    "Softmax": _softmax,
    "GroupNormalization": _groupnorm,
    "UnitNormalization": _unitnorm,
    "RMSNormalization": _rmsnorm,
    "SpatialDropout1D": _zero,  # identity at inference
    "SpatialDropout2D": _zero,
    "SpatialDropout3D": _zero,
    "GaussianNoise": _zero,
    "GaussianDropout": _zero,
    "AlphaDropout": _zero,
    "ActivityRegularization": _zero,  # the penalty is a training loss
    "Attention": _attention,
    "AdditiveAttention": _attention,
    "Bidirectional": _bidirectional,
    "TimeDistributed": _time_distributed,
    "SpectralNormalization": _spectral,
}


# --------------------------------------------------------------------------- the model


def _ancestors(graph: Graph, start: str) -> set[str]:
    seen = {start}
    stack = [start]
    while stack:
        for e in graph.in_edges.get(stack.pop(), []):
            if e.source not in seen:
                seen.add(e.source)
                stack.append(e.source)
    return seen


def cost(
    graph: Graph,
    report: Report | None = None,
    *,
    weight_dtype: str = "float32",
    blocks: Mapping[str, Iterable[str]] | None = None,
) -> Cost:
    """The cost of every node, each output head and the model. Never raises on a bad graph:
    nodes whose shapes are unknown (errors upstream) get ``None`` FLOPs and activations.

    ``blocks`` (name -> node ids) is the hook for blocks: each gets a total like a head.
    """
    report = report or validate(graph)
    cat = catalog()
    wbytes = DTYPE_BYTES.get(weight_dtype, 4)
    order = list(report.order) + [n.id for n in graph.nodes if n.id not in set(report.order)]
    dtypes: dict[str, str] = {}
    masked: dict[str, bool] = {}
    # Nodes whose mask comes from a Masking layer: its any(x != mask_value) is counted (features - 1
    # per step, as measured) only where a layer reads the mask; those readers' FLOPs are left unknown.
    masking_mask: set[str] = set()
    per_node: dict[str, NodeCost] = {}
    for nid in order:
        layer = graph.layer_by_id.get(graph.node_by_id[nid].layer)
        shape = report.shapes.get(nid)
        sources = graph.input_nodes(nid)
        in_shapes = [report.shape_of(e.source, e.source_port) for e in graph.in_edges.get(nid, [])]
        flops: int | None = None
        dtype = "float32"
        is_masked = False
        if layer is not None and layer.type in cat:
            config = cat[layer.type].resolved(dict(layer.config))
            if layer.type == "Input":
                dtype = str(config.get("dtype") or "float32")
            elif layer.type in _MOVES_VALUES and sources:
                dtype = dtypes.get(sources[0], "float32")
            if layer.type == "Embedding":
                is_masked = bool(config.get("mask_zero"))
            elif layer.type == "Masking":
                is_masked = True
                masking_mask.add(nid)
            elif layer.type in _MASK_OF_QUERY and sources:  # Attention's output keeps the query's mask
                is_masked = masked.get(sources[0], False)
            elif layer.type in _PASSES_MASK:
                is_masked = any(masked.get(s, False) for s in sources)
            elif layer.type in _RNNS and config.get("return_sequences"):
                is_masked = any(masked.get(s, False) for s in sources)
            rule = FLOP_RULES.get(layer.type)
            if rule is not None and shape is not None and all(s is not None for s in in_shapes):
                ctx = _Ctx(
                    layer.type,
                    config,
                    in_shapes,  # type: ignore[arg-type]
                    shape,
                    masked=bool(sources) and masked.get(sources[0], False),
                    any_masked=any(masked.get(s, False) for s in sources),
                )
                from_masking = any(s in masking_mask for s in sources)
                reads = layer.type in _READS_MASK or layer.type in _RNNS or layer.type == "GlobalAveragePooling1D"
                try:
                    if (ctx.any_masked and layer.type in _READS_MASK) or (from_masking and reads):
                        flops = None
                    else:
                        flops = rule(ctx)
                except (TypeError, ValueError, KeyError, IndexError, ZeroDivisionError, AssertionError):
                    flops = None
        dtypes[nid] = dtype
        masked[nid] = is_masked
        if is_masked and layer is not None and layer.type != "Masking" and any(s in masking_mask for s in sources):
            masking_mask.add(nid)
        n = _elems(shape)
        per_node[nid] = NodeCost(
            flops=flops,
            weight_bytes=report.node_params(nid) * wbytes,
            activation_bytes_per_sample=None if n is None else n * DTYPE_BYTES.get(dtype, 4),
        )

    outputs = [o for o in graph.outputs if o in graph.node_by_id]
    heads = {o: _ancestors(graph, o) for o in outputs}
    live: set[str] = set().union(*heads.values()) if heads else set()
    total = _group(graph, report, per_node, live, wbytes, set())

    names = graph.output_names()
    per_output: dict[str, GroupCost] = {}
    for name, o in zip(names, graph.outputs):
        if o not in heads:
            continue
        mine = heads[o]
        others_nodes: set[str] = set()
        for other, nodes in heads.items():
            if other != o:
                others_nodes |= nodes
        others_layers = {graph.node_by_id[n].layer for n in others_nodes}
        shared = {n for n in mine if n in others_nodes or graph.node_by_id[n].layer in others_layers}
        key = name if name not in per_output else f"{name}#{len(per_output)}"
        per_output[key] = _group(graph, report, per_node, mine, wbytes, shared)

    per_block = None
    if blocks is not None:
        per_block = {}
        for bname, members in blocks.items():
            nodes = {m for m in members if m in graph.node_by_id}
            rest = {n for other, ms in blocks.items() if other != bname for n in ms}
            per_block[bname] = _group(graph, report, per_node, nodes, wbytes, nodes & rest)

    return Cost(
        flops=total.flops,
        weight_bytes=total.weight_bytes,
        activation_bytes_per_sample=total.activation_bytes_per_sample,
        per_node=per_node,
        per_output=per_output,
        per_block=per_block,
        weight_dtype=weight_dtype,
        live=tuple(n for n in order if n in live),
    )


def _group(
    graph: Graph, report: Report, per_node: dict[str, NodeCost], nodes: set[str], wbytes: int, shared: set[str]
) -> GroupCost:
    ordered = [n for n in per_node if n in nodes]
    layers = {graph.node_by_id[n].layer for n in ordered}
    weights = sum(report.layer_params[lid].total for lid in layers if lid in report.layer_params) * wbytes
    return GroupCost(
        flops=_add(*(per_node[n].flops for n in ordered)),
        weight_bytes=weights,
        activation_bytes_per_sample=_add(*(per_node[n].activation_bytes_per_sample for n in ordered)),
        nodes=tuple(ordered),
        shared=tuple(n for n in ordered if n in shared),
    )


# --------------------------------------------------------------------------- will it fit?

# Per-weight state each Keras 3 optimizer keeps (its slot variables), by name. Options that
# add slots: SGD's and RMSprop's momentum, RMSprop's centered, Adam's amsgrad.
OPTIMIZER_SLOTS: dict[str, int] = {
    "sgd": 0,  # 1 with momentum > 0
    "rmsprop": 1,  # velocities; +1 with momentum > 0, +1 centered
    "adagrad": 1,  # accumulators
    "lion": 1,  # momentums
    "adam": 2,  # momentums, velocities; +1 amsgrad
    "adamw": 2,
    "adamax": 2,  # m, u
    "nadam": 2,
    "adadelta": 2,  # accumulated grads and deltas
    "ftrl": 2,  # accumulators, linears
    "lamb": 2,
}


# Calibrated factors (see training_memory): update temporaries per trainable weight, for an
# optimizer without / with slots; and the backward pass's multiple of the kept activations.
UPDATE_TEMPORARIES = (1, 3)
ACTIVATION_FACTOR = 2


def optimizer_slots(optimizer: str | Mapping[str, Any]) -> int:
    """Slot variables per trainable weight. ``optimizer`` is a name or ``{"name": ..., options}``."""
    if isinstance(optimizer, str):
        name, opts = optimizer, {}
    else:
        name, opts = str(optimizer.get("name") or optimizer.get("class_name") or "adam"), optimizer
    name = name.lower()
    if name not in OPTIMIZER_SLOTS:
        raise ValueError(f"unknown optimizer {name!r}; known: {sorted(OPTIMIZER_SLOTS)}")
    slots = OPTIMIZER_SLOTS[name]
    if name in ("sgd", "rmsprop") and float(opts.get("momentum") or 0.0) > 0:
        slots += 1
    if name == "rmsprop" and opts.get("centered"):
        slots += 1
    if name in ("adam", "adamw") and opts.get("amsgrad"):
        slots += 1
    return slots


@dataclass(frozen=True)
class TrainingMemory:
    """Peak training memory, in bytes, by part. ``activations`` is for the whole batch."""

    batch_size: int
    optimizer: str
    dtype: str
    weights: int
    gradients: int
    optimizer_state: int
    activations: int | None
    total: int | None
    update_temporaries: int = 0

    def to_dict(self) -> dict[str, Any]:
        return {
            "batch_size": self.batch_size,
            "optimizer": self.optimizer,
            "dtype": self.dtype,
            "weights": self.weights,
            "gradients": self.gradients,
            "optimizer_state": self.optimizer_state,
            "update_temporaries": self.update_temporaries,
            "activations": self.activations,
            "total": self.total,
        }

    def fits(self, available_bytes: int) -> bool | None:
        return None if self.total is None else self.total <= available_bytes


def _kept_for_backward(graph: Graph, report: Report, per_node: dict[str, NodeCost], live: Iterable[str]) -> int | None:
    """Bytes per sample the backward pass keeps: every live node's output, plus, for a recurrent
    layer, what its loop stores per step for the gradient (the step's input, the gates and the
    states: about ``F + 6U`` values for LSTM, ``F + 5U`` GRU, ``F + 2U`` SimpleRNN, per step)."""
    cat = catalog()
    total = 0
    for nid in live:
        act = per_node[nid].activation_bytes_per_sample
        if act is None:
            return None
        total += act
        layer = graph.layer_of(nid)
        if layer.type in _RNNS:
            src = graph.input_nodes(nid)
            shape = report.shapes.get(src[0]) if src else None
            if shape is None or shape[1] is None or shape[-1] is None:
                return None
            config = cat[layer.type].resolved(dict(layer.config))
            units = int(config["units"])
            per_step = {"LSTM": 6, "GRU": 5, "SimpleRNN": 2}[layer.type] * units + shape[-1]
            total += shape[1] * per_step * 4
    return total


def training_memory(
    graph: Graph,
    batch_size: int,
    optimizer: str | Mapping[str, Any] = "adam",
    dtype: str = "float32",
    report: Report | None = None,
) -> TrainingMemory:
    """An estimate of peak memory for ``fit`` (one device, no mixed precision), the sum of:

    * weights (all params) and gradients (trainable params);
    * optimizer slots (trainable x slots, :func:`optimizer_slots`);
    * update temporaries: TensorFlow runs the per-variable updates in parallel and each
      allocates its intermediates (``rho * v``, ``square(g)``, ...): measured about 1 x the
      trainable weights for plain SGD and 3 x for the optimizers with slots
      (``UPDATE_TEMPORARIES``);
    * activations: what the backward pass keeps (every live node's output and the recurrent
      loops' per-step state, x ``batch_size``) times ``ACTIVATION_FACTOR`` (2: the backward pass
      holds gradients of the same sizes while it runs).

    The two factors are calibrated against peak RSS growth of CPU fits in
    ``benchmarks/bench_memory.py`` (tensorflow-cpu 2.21); TensorFlow's own runtime (about
    0.5-1 GB of process memory) is not included: this is what the model adds to it.
    """
    if isinstance(batch_size, bool) or not isinstance(batch_size, int) or batch_size < 1:
        raise ValueError(f"batch_size must be a positive integer, got {batch_size!r}")
    report = report or validate(graph)
    size = DTYPE_BYTES.get(dtype)
    if size is None:
        raise ValueError(f"unknown dtype {dtype!r}; known: {sorted(DTYPE_BYTES)}")
    c = cost(graph, report, weight_dtype=dtype)
    slots = optimizer_slots(optimizer)
    weights = report.params.total * size
    gradients = report.params.trainable * size
    state = slots * report.params.trainable * size
    temporaries = UPDATE_TEMPORARIES[slots > 0] * report.params.trainable * size
    per_sample = _kept_for_backward(graph, report, c.per_node, c.live)
    activations = None if per_sample is None else ACTIVATION_FACTOR * per_sample * batch_size * size // 4
    name = optimizer if isinstance(optimizer, str) else str(optimizer.get("name") or "adam")
    return TrainingMemory(
        batch_size=batch_size,
        optimizer=name,
        dtype=dtype,
        weights=weights,
        gradients=gradients,
        optimizer_state=state,
        activations=activations,
        total=None if activations is None else weights + gradients + state + temporaries + activations,
        update_temporaries=temporaries,
    )
