"""Recurrent layers: LSTM, GRU, SimpleRNN."""

from __future__ import annotations

from collections.abc import Callable

from .base import Call, Result, Shape, ShapeError, Weight, fmt, known, require_ndim


def _rnn(c: Call, gates: int) -> Result:
    require_ndim(c, 3)
    units = c["units"]
    features = known(c, -1, "features")
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
            keras="runtime",
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


RULES: dict[str, Callable[[Call], Result]] = {
    "lstm": lstm,
    "gru": gru,
    "simplernn": simplernn,
}
