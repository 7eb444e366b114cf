"""Reference cases: Conv3D, Conv1D/2D/3DTranspose, SeparableConv1D/2D, DepthwiseConv1D, ConvLSTM1D/2D/3D."""

from __future__ import annotations

from tests.reference_models import CF, CPU_NCHW, _add, _grid

# --------------------------------------------------------------------------- Conv3D
_grid(
    "Conv3D",
    [
        {"filters": 4, "kernel_size": 3},
        {"filters": 4, "kernel_size": (3, 2, 1), "strides": (2, 1, 1)},
        {"filters": 4, "kernel_size": 3, "strides": 2, "padding": "same", "activation": "relu"},
        {"filters": 4, "kernel_size": 3, "dilation_rate": (2, 1, 1)},
        {"filters": 6, "kernel_size": 1, "groups": 2, "use_bias": False},
    ],
    [(None, 8, 8, 8, 4), (None, None, None, None, 4), (2, 5, 6, 7, 4)],
)
_add("Conv3D", {"filters": 2, "kernel_size": (4, 4, 4)}, (None, 4, 4, 4, 1), tag="kernel-eq-input")
for shape in [(None, 4, 8, 8, 8), (None, 4, None, 8, None)]:
    _add("Conv3D", {"filters": 2, "kernel_size": 3, **CF}, shape, runtime_error=True, cpu_only=True, note=CPU_NCHW)
_add("Conv3D", {"filters": 4, "kernel_size": 3}, (None, 8, 8, 8, None), ok=False)
_add("Conv3D", {"filters": 4, "kernel_size": 3, **CF}, (None, None, 8, 8, 8), ok=False, tag="undefined-channels")
_add("Conv3D", {"filters": 4, "kernel_size": 3}, (None, 8, 8, 4), ok=False)
_add("Conv3D", {"filters": 4, "kernel_size": 3}, (None, 8, 8, 8, 8, 4), ok=False)
_add("Conv3D", {"filters": 4, "kernel_size": 3}, (None, 8, 2, 8, 4), ok=False)
_add("Conv3D", {"filters": 4, "kernel_size": 3, "strides": 2, "dilation_rate": 2}, (None, 9, 9, 9, 2), ok=False)
_add("Conv3D", {"filters": 4, "kernel_size": 3, "groups": 3}, (None, 8, 8, 8, 6), ok=False)
_add("Conv3D", {"filters": 6, "kernel_size": 3, "groups": 4}, (None, 8, 8, 8, 8), ok=False)
_add("Conv3D", {"filters": 0, "kernel_size": 3}, (None, 8, 8, 8, 2), ok=False)
_add("Conv3D", {"filters": 4, "kernel_size": 3, "padding": "causal"}, (None, 8, 8, 8, 2), ok=False)

# --------------------------------------------------------------------------- transposed convolutions
_TRANSPOSE = [
    {"filters": 4, "kernel_size": 3},
    {"filters": 4, "kernel_size": 3, "strides": 2},
    {"filters": 4, "kernel_size": 3, "strides": 2, "padding": "same"},
    {"filters": 4, "kernel_size": 4, "strides": 2, "padding": "same", "activation": "relu"},
    {"filters": 4, "kernel_size": 3, "strides": 2, "output_padding": 1},
    {"filters": 4, "kernel_size": 3, "strides": 3, "padding": "same", "output_padding": 2},
    {"filters": 4, "kernel_size": 1, "strides": 3},
    {"filters": 2, "kernel_size": 3, "use_bias": False},
]
for rank, shapes in (
    (1, [(None, 10, 3), (None, None, 3), (2, 1, 3)]),
    (2, [(None, 8, 8, 3), (None, None, 5, 3), (2, 1, 7, 3)]),
    (3, [(None, 4, 4, 4, 2), (None, None, 3, None, 2)]),
):
    t = f"Conv{rank}DTranspose"
    _grid(t, _TRANSPOSE, shapes)
    x = shapes[0]
    cf_shape = (None, x[-1], *x[1:-1])
    _add(
        t,
        {"filters": 2, "kernel_size": 3, "strides": 2, **CF},
        cf_shape,
        runtime_error=True,
        cpu_only=True,
        note=CPU_NCHW,
    )
    _add(t, {"filters": 4, "kernel_size": 3}, (*x[:-1], None), ok=False)
    _add(t, {"filters": 4, "kernel_size": 3, **CF}, (None, None, *x[1:-1]), ok=False, tag="undefined-channels")
    _add(t, {"filters": 4, "kernel_size": 3}, x[:-1], ok=False)
    _add(t, {"filters": 4, "kernel_size": 3}, (*x[:-1], 2, 3), ok=False)
    _add(t, {"filters": 4, "kernel_size": 3, "strides": 2, "output_padding": 2}, x, ok=False)
    _add(t, {"filters": 4, "kernel_size": 3, "output_padding": 1}, x, ok=False)
    _add(t, {"filters": 4, "kernel_size": 3, "strides": 2, "dilation_rate": 2}, x, ok=False)
    _add(t, {"filters": 0, "kernel_size": 3}, x, ok=False)
    _add(t, {"filters": 4, "kernel_size": 0}, x, ok=False)
TRANSPOSE_EVEN_SAME = (
    "Keras' output shape for padding='same' with an explicit output_padding, (n - 1) * stride + kernel % 2 + "
    "output_padding, disagrees with TensorFlow's conv_transpose when the (dilated) kernel is even and "
    "output_padding is 0: Keras builds the layer, predict fails (out_backprop size mismatch). Not caught yet."
)
TRANSPOSE_DILATED = (
    "TensorFlow's CPU kernels of transposed convolutions do not support dilation_rate > 1 (a GPU runs them)."
)
for t, x in (
    ("Conv1DTranspose", (None, 10, 3)),
    ("Conv2DTranspose", (None, 8, 8, 3)),
    ("Conv3DTranspose", (None, 4, 4, 4, 2)),
):
    cfg = {"filters": 4, "kernel_size": 2, "strides": 2, "padding": "same", "output_padding": 0}
    _add(t, cfg, x, runtime_error=True, note=TRANSPOSE_EVEN_SAME)
    _add(
        t,
        {"filters": 4, "kernel_size": 2, "dilation_rate": 2},
        x,
        runtime_error=True,
        cpu_only=True,
        note=TRANSPOSE_DILATED,
    )
_add("Conv2DTranspose", {"filters": 8, "kernel_size": (3, 5), "strides": (2, 1), "padding": "same"}, (None, 7, 9, 4))
_add("Conv2DTranspose", {"filters": 8, "kernel_size": 3, "strides": (2, 3), "output_padding": (1, 2)}, (None, 7, 9, 4))

# --------------------------------------------------------------------------- separable convolutions
_SEPARABLE = [
    {"filters": 8, "kernel_size": 3},
    {"filters": 8, "kernel_size": 3, "depth_multiplier": 2},
    {"filters": 8, "kernel_size": 3, "strides": 2, "padding": "same", "activation": "relu"},
    {"filters": 8, "kernel_size": 3, "dilation_rate": 2},
    {"filters": 4, "kernel_size": 1, "use_bias": False},
]
_grid("SeparableConv1D", _SEPARABLE, [(None, 20, 6), (None, None, 6), (2, 9, 3)])
_grid("SeparableConv2D", _SEPARABLE, [(None, 16, 16, 6), (None, None, None, 3), (2, 9, 7, 3)])
UNEQUAL_DEPTHWISE_STRIDES = (
    "TensorFlow's depthwise convolution only supports equal strides along rows and columns: Keras builds "
    "the layer, predict fails (DepthwiseConv2dNative)."
)
for t, cfg in (
    ("SeparableConv2D", {"filters": 16, "kernel_size": (3, 5), "strides": (2, 1)}),
    ("DepthwiseConv2D", {"kernel_size": 3, "strides": (1, 2)}),
):
    _add(t, cfg, (None, 17, 17, 8), stricter=True, runtime_error=True, note=UNEQUAL_DEPTHWISE_STRIDES)
_add("SeparableConv2D", {"filters": 16, "kernel_size": (3, 5), "strides": 2}, (None, 17, 17, 8))
_add(
    "SeparableConv2D",
    {"filters": 4, "kernel_size": 3, **CF},
    (None, 3, 8, 8),
    runtime_error=True,
    cpu_only=True,
    note=CPU_NCHW,
)
_add(
    "SeparableConv1D",
    {"filters": 4, "kernel_size": 3, **CF},
    (None, 3, 8),
    runtime_error=True,
    cpu_only=True,
    note=CPU_NCHW,
)
for t, x in (("SeparableConv1D", (None, 10, 3)), ("SeparableConv2D", (None, 8, 8, 3))):
    _add(t, {"filters": 4, "kernel_size": 11}, x, ok=False)
    _add(t, {"filters": 4, "kernel_size": 3}, (*x[:-1], None), ok=False)
    _add(t, {"filters": 4, "kernel_size": 3}, x[:-1], ok=False)
    _add(t, {"filters": 4, "kernel_size": 3}, (*x[:-1], 3, 3), ok=False)
    _add(t, {"filters": 4, "kernel_size": 3, "depth_multiplier": 0}, x, ok=False)
    _add(t, {"filters": 0, "kernel_size": 3}, x, ok=False)
    _add(t, {"filters": 4, "kernel_size": 3, "padding": "causal"}, x, ok=False)

# --------------------------------------------------------------------------- DepthwiseConv1D
_grid(
    "DepthwiseConv1D",
    [
        {"kernel_size": 3},
        {"kernel_size": 3, "depth_multiplier": 2},
        {"kernel_size": 5, "strides": 2, "padding": "same"},
        {"kernel_size": 3, "dilation_rate": 2, "use_bias": False},
        {"kernel_size": 3, "strides": 2, "dilation_rate": 2},
    ],
    [(None, 16, 8), (None, None, 3), (2, 7, 3)],
)
_add("DepthwiseConv1D", {"kernel_size": 3, **CF}, (None, 3, 8), runtime_error=True, cpu_only=True, note=CPU_NCHW)
_add("DepthwiseConv1D", {"kernel_size": 9}, (None, 8, 3), ok=False)
_add("DepthwiseConv1D", {"kernel_size": 3}, (None, 8, None), ok=False)
_add("DepthwiseConv1D", {"kernel_size": 3}, (None, 8, 8, 3), ok=False)
_add("DepthwiseConv1D", {"kernel_size": 3}, (None, 8), ok=False)
_add("DepthwiseConv1D", {"kernel_size": 3, "depth_multiplier": 0}, (None, 8, 3), ok=False)
_add("DepthwiseConv1D", {"kernel_size": 3, "padding": "causal"}, (None, 8, 3), ok=False)

# --------------------------------------------------------------------------- ConvLSTM1D/2D/3D
_CONV_LSTM = [
    {"filters": 4, "kernel_size": 3},
    {"filters": 4, "kernel_size": 3, "padding": "same", "return_sequences": True},
    {"filters": 4, "kernel_size": 3, "strides": 2},
    {"filters": 2, "kernel_size": 2, "dilation_rate": 2, "return_sequences": True},
    {"filters": 3, "kernel_size": 1, "use_bias": False, "go_backwards": True},
]
for rank, shapes in (
    (1, [(None, 5, 10, 3), (None, None, 10, 3), (2, 4, 6, 2)]),
    (2, [(None, 4, 8, 8, 3), (None, None, 6, 5, 2)]),
    (3, [(None, 3, 5, 5, 5, 2), (2, None, 4, 5, 6, 1)]),
):
    t = f"ConvLSTM{rank}D"
    _grid(t, _CONV_LSTM, shapes)
    x = shapes[0]
    _add(t, {"filters": 4, "kernel_size": 3, "unit_forget_bias": False, "activation": "relu"}, x)
    spatial = x[2:-1]
    _add(t, {"filters": 4, "kernel_size": 3}, (*x[:2], None, *spatial[1:], x[-1]), ok=False, tag="undefined-spatial")
    _add(t, {"filters": 4, "kernel_size": 3}, (*x[:-1], None), ok=False)
    _add(t, {"filters": 4, "kernel_size": 3}, x[:-1], ok=False)
    _add(t, {"filters": 4, "kernel_size": 3}, (*x, 2), ok=False)
    _add(t, {"filters": 4, "kernel_size": max(spatial) + 1}, x, ok=False)
    _add(t, {"filters": 4, "kernel_size": 3, "strides": 2, "dilation_rate": 2}, x, ok=False)
    _add(
        t,
        {"filters": 0, "kernel_size": 3},
        x,
        stricter=True,
        runtime_error=True,
        note="Keras builds a ConvLSTM with filters=0 (an output with no channels), then its convolutions fail "
        "on data; the builder refuses it.",
    )
    _add(t, {"filters": 4, "kernel_size": 3, "stateful": True}, x, ok=False)
    _add(t, {"filters": 4, "kernel_size": 3, "stateful": True}, (2, *x[1:]))
_add(
    "ConvLSTM2D",
    {"filters": 4, "kernel_size": 3, "padding": "same", **CF},
    (None, 4, 3, 8, 8),
    runtime_error=True,
    cpu_only=True,
    note=CPU_NCHW,
)
