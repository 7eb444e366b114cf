"""Recurrent layers: LSTM, GRU, SimpleRNN.

Input port 0 is the sequence; ports 1.. are the ``initial_state`` tensors (LSTM: h and c; GRU
and SimpleRNN: h), each ``(batch, units)``. With ``return_state=True`` the call returns the
output, then the final states (same shapes as the initial ones).
"""

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
    n_states = _STATES[c.type]
    _check_states(c, units, n_states)
    outputs: tuple[Shape, ...] = ()
    if c.config.get("return_state"):
        outputs = (out, *([(c.x[0], units)] * n_states))
    return Result(out, tuple(weights), {-1: features}, outputs=outputs)


_STATES = {"LSTM": 2, "GRU": 1, "SimpleRNN": 1}
_STATE_NAMES = {"LSTM": ("h", "c"), "GRU": ("h",), "SimpleRNN": ("h",)}


def _check_states(c: Call, units: int, n_states: int) -> None:
    """The ``initial_state`` tensors (ports 1..): all or none, each (batch, units).

    Keras 3.15 builds any of these mistakes (a 128-unit decoder given a 64-unit encoder's states,
    one state for an LSTM, a state of another rank) and fails only when data flows."""
    states = list(c.inputs[1:])
    if not states:
        return
    names = _STATE_NAMES[c.type]
    if len(states) != n_states:
        raise ShapeError(
            f"Layer '{c.name}' ({c.type}) expects initial_state to be a list of {n_states} tensor"
            f"{'s' if n_states != 1 else ''} ({', '.join(names)}), each of shape (batch_size, {units}); "
            f"received {len(states)}.",
            port=1 + len(states) if len(states) < n_states else 1 + n_states,
            code="state_mismatch",
            keras="runtime",
        )
    for k, (name, shape) in enumerate(zip(names, states)):
        batch = shape[0] if shape else None
        ok = len(shape) == 2 and shape[1] in (units, None)
        ok = ok and (batch is None or c.x[0] is None or batch == c.x[0])
        if not ok:
            hint = ""
            if len(shape) == 2 and shape[1] is not None and shape[1] != units:
                hint = f" The state comes from a layer of {shape[1]} units: give both layers the same units."
            raise ShapeError(
                f"Layer '{c.name}' ({c.type}, units={units}): initial_state {name} (input {k + 1}) must have "
                f"shape (batch_size, {units}); received {fmt(shape)}.{hint} Keras builds this model, but "
                "fit and predict fail on the first batch.",
                port=k + 1,
                code="state_mismatch",
                keras="runtime",
            )


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
