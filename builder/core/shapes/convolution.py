"""Convolution layers: Conv1D/2D/3D, DepthwiseConv1D/2D, SeparableConv1D/2D, Conv1D/2D/3DTranspose and
ConvLSTM1D/2D/3D (Keras keeps those in ``layers.rnn``; their gates are convolutions, so the rule lives here).

The rank (1, 2 or 3 spatial axes) comes from the type's ``1D``/``2D``/``3D`` suffix.
"""

from __future__ import annotations

from collections.abc import Callable

from .base import (
    Call,
    Result,
    Shape,
    ShapeError,
    Weight,
    as_tuple,
    assemble,
    fmt,
    known,
    require_ndim,
    spatial_dims,
    spatial_rank,
    window_out,
)


def _is_depthwise(c: Call) -> bool:
    return c.type.startswith("DepthwiseConv")


def _strides_with_dilation(c: Call, strides: tuple[int, ...], dilation: tuple[int, ...]) -> None:
    if max(strides) > 1 and max(dilation) > 1:
        raise ShapeError(
            f"{c.type} layer '{c.name}': `strides > 1` not supported in conjunction with "
            f"`dilation_rate > 1`. Received: strides={strides} and dilation_rate={dilation}",
            port=None,
            code="bad_param",
        )


def _windows(
    c: Call, spatial: Shape, kernel: tuple[int, ...], strides: tuple[int, ...], dilation: tuple[int, ...]
) -> list[int | None]:
    what = f"kernel_size={kernel} with dilation_rate={dilation}"
    return [window_out(c, s, k, st, c["padding"], d, what) for s, k, st, d in zip(spatial, kernel, strides, dilation)]


def _equal_depthwise_strides(c: Call, rank: int, strides: tuple[int, ...]) -> None:
    """TensorFlow's depthwise kernel (DepthwiseConv2D, SeparableConv2D) takes one stride for rows and
    columns: Keras builds the layer with (2, 1), then predict and fit fail."""
    if rank == 2 and strides[0] != strides[1]:
        raise ShapeError(
            f"{c.type} layer '{c.name}': TensorFlow's depthwise convolution only supports equal strides along "
            f"rows and columns. Received: strides={strides}",
            code="bad_param",
            keras="runtime",
        )


def _geometry(c: Call) -> tuple[int, Shape, int, int, tuple[int, ...], tuple[int, ...], tuple[int, ...]]:
    """What every convolution reads first: (rank, spatial dims, channel axis, channel count, which
    its weights need, kernel, strides, dilation), the tuples of the rank."""
    rank = spatial_rank(c)
    spatial, ch_axis = spatial_dims(c, rank)
    channels = known(c, ch_axis, "channel")
    kernel = as_tuple(c["kernel_size"], rank)
    return rank, spatial, ch_axis, channels, kernel, as_tuple(c["strides"], rank), as_tuple(c["dilation_rate"], rank)


def conv(c: Call) -> Result:
    """Conv1D/2D/3D and DepthwiseConv1D/2D (``base_conv`` / ``base_depthwise_conv``)."""
    rank, spatial, ch_axis, channels, kernel, strides, dilation = _geometry(c)
    if not _is_depthwise(c):  # Keras lets depthwise convolutions do both
        _strides_with_dilation(c, strides, dilation)
    else:
        _equal_depthwise_strides(c, rank, strides)
    if c["padding"] == "causal" and rank != 1:
        raise ShapeError(f"{c.type} layer '{c.name}': padding='causal' is only for Conv1D.", code="bad_param")
    if _is_depthwise(c):
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
    out = _windows(c, spatial, kernel, strides, dilation)
    return Result(assemble(c, out, filters), tuple(weights), {ch_axis - len(c.x): channels})


def separable_conv(c: Call) -> Result:
    """SeparableConv1D/2D (``base_separable_conv``): a depthwise kernel, then a pointwise one."""
    rank, spatial, ch_axis, channels, kernel, strides, dilation = _geometry(c)
    _equal_depthwise_strides(c, rank, strides)
    mult, filters = c["depth_multiplier"], c["filters"]
    out = _windows(c, spatial, kernel, strides, dilation)
    weights = [
        Weight("depthwise_kernel", kernel + (channels, mult)),
        Weight("pointwise_kernel", (1,) * rank + (channels * mult, filters)),
    ]
    if c["use_bias"]:
        weights.append(Weight("bias", (filters,)))
    return Result(assemble(c, out, filters), tuple(weights), {ch_axis - len(c.x): channels})


def _transpose_size(size: int | None, kernel: int, stride: int, padding: str, out_pad: int | None, dilation: int):
    """``backend_utils._get_output_shape_given_tf_padding``."""
    if size is None:
        return None
    kernel = (kernel - 1) * dilation + 1
    if padding == "valid":
        extra = max(kernel, stride) - kernel if out_pad is None else out_pad
        return (size - 1) * stride + kernel + extra
    if out_pad is None:
        return size * stride
    return (size - 1) * stride + kernel % 2 + out_pad


def conv_transpose(c: Call) -> Result:
    """Conv1D/2D/3DTranspose (``base_conv_transpose``)."""
    rank, spatial, ch_axis, channels, kernel, strides, dilation = _geometry(c)
    out_pad = None if c["output_padding"] is None else as_tuple(c["output_padding"], rank)
    if out_pad is not None:
        for i, (op, s) in enumerate(zip(out_pad, strides)):
            if op >= s:
                raise ShapeError(
                    f"{c.type} layer '{c.name}': `output_padding` must be strictly less than `strides` for "
                    f"all dimensions. At dimension {i}, `output_padding` is {op} but `strides` is {s}. "
                    f"Received: output_padding={out_pad}, strides={strides}",
                    code="bad_param",
                )
    _strides_with_dilation(c, strides, dilation)
    filters = c["filters"]
    out = [
        _transpose_size(s, k, st, c["padding"], None if out_pad is None else out_pad[i], d)
        for i, (s, k, st, d) in enumerate(zip(spatial, kernel, strides, dilation))
    ]
    weights = [Weight("kernel", kernel + (filters, channels))]
    if c["use_bias"]:
        weights.append(Weight("bias", (filters,)))
    return Result(assemble(c, out, filters), tuple(weights), {ch_axis - len(c.x): channels})


def conv_lstm(c: Call) -> Result:
    """ConvLSTM1D/2D/3D: input (batch, time, *spatial, channels) (channels_last) or
    (batch, time, channels, *spatial); one state of the convolution's output shape."""
    rank = spatial_rank(c)
    require_ndim(c, rank + 3)
    step = (c.x[0], *c.x[2:])  # one time step, as the cell sees it
    cell = Call(c.name, c.type, c.config, (step,))
    spatial, ch_axis = spatial_dims(cell, rank)
    if None in spatial:
        raise ShapeError(
            f"{c.type} layer '{c.name}': ConvLSTM layers only support static input shapes for the spatial "
            f"dimensions. Received: input_shape={fmt(c.x)}",
            port=0,
            code="undefined_dim",
        )
    channels = cell.x[ch_axis]
    if channels is None:
        raise ShapeError(
            f"{c.type} layer '{c.name}': the channel dimension of the inputs should be defined. Found None. "
            f"Full input shape received: input_shape={fmt(c.x)}",
            port=0,
            code="undefined_dim",
        )
    kernel = as_tuple(c["kernel_size"], rank)
    strides = as_tuple(c["strides"], rank)
    dilation = as_tuple(c["dilation_rate"], rank)
    if max(strides) > 1 and max(dilation) > 1:
        raise ShapeError(
            f"{c.type} layer '{c.name}': specifying `strides > 1` is not compatible with `dilation_rate > 1`. "
            f"Received: strides={strides} and dilation_rate={dilation}",
            code="bad_param",
        )
    if c.config.get("stateful") and c.x[0] is None:
        raise ShapeError(
            f"Layer '{c.name}' is stateful: it needs a fixed batch size. Set `batch_size` on the "
            f"model Input. Received: input_shape={fmt(c.x)}",
            port=0,
            code="stateful_batch",
        )
    filters = c["filters"]
    state = assemble(cell, _windows(cell, spatial, kernel, strides, dilation), filters)[1:]
    weights = [
        Weight("kernel", kernel + (channels, 4 * filters)),
        Weight("recurrent_kernel", kernel + (filters, 4 * filters)),
    ]
    if c["use_bias"]:
        weights.append(Weight("bias", (4 * filters,)))
    out: Shape = (c.x[0], c.x[1], *state) if c["return_sequences"] else (c.x[0], *state)
    # The kernels fix the channels and the initial states the frame size (the cell sizes them from
    # its build): a later call on other frames builds in Keras (its RNN wrapper checks only the
    # rank), then predict fails. The number of frames may change.
    fixed = {axis - len(cell.x): d for axis, d in enumerate(cell.x) if axis > 0 and d is not None}
    return Result(out, tuple(weights), {ch_axis - len(cell.x): channels}, ndim=len(c.x), fixed=fixed)


RULES: dict[str, Callable[[Call], Result]] = {
    "conv": conv,
    "separable_conv": separable_conv,
    "conv_transpose": conv_transpose,
    "conv_lstm": conv_lstm,
}
