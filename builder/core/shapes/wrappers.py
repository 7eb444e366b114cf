"""Wrappers: a layer that holds another layer (Bidirectional, TimeDistributed, SpectralNormalization).

The wrapped layer is a config value ``{"type": <catalog type>, "config": {...}}``; its own shape
rule gives the inner shapes and weights, and the wrapper composes them the way Keras does:

- ``Bidirectional``: a forward copy and a backward copy (``go_backwards`` flipped, or the given
  ``backward_layer``), each with its own weights, merged by ``merge_mode`` (``concat`` doubles the
  last axis);
- ``TimeDistributed``: the inner layer on every step, with the step axis folded into the batch
  (``(batch, steps, *rest)`` -> inner on ``(batch, *rest)``), one set of weights;
- ``SpectralNormalization``: the inner layer plus a non-trainable ``vector_u`` of shape
  ``(1, kernel.shape[-1])``.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from typing import Any

from ..catalog import catalog, inner_layer
from .base import Call, Result, Shape, ShapeError, Weight, fmt, require_min_ndim


def _inner_call(c: Call, key: str, inputs: list[Shape], **overrides: Any) -> tuple[str, Result]:
    """Run the wrapped layer's own rule; its errors name the wrapper."""
    from . import RULES  # the package joins this module's table too

    spec = inner_layer(c[key])
    assert spec is not None  # the param check refused anything else
    type_name, config = spec
    ltype = catalog()[type_name]
    resolved = ltype.resolved({**config, **overrides})
    try:
        return type_name, RULES[ltype.rule](Call(c.name, type_name, resolved, inputs))
    except ShapeError as exc:
        raise ShapeError(
            f"{c.type} layer '{c.name}' wraps a {type_name}: {exc.message}",
            port=exc.port,
            code=exc.code,
            keras=exc.keras,
        ) from None


def _prefixed(prefix: str, weights: tuple[Weight, ...]) -> tuple[Weight, ...]:
    return tuple(replace(w, name=f"{prefix}{w.name}") for w in weights)


def bidirectional(c: Call) -> Result:
    inner = inner_layer(c["layer"])
    assert inner is not None
    fwd_type, fwd_config = inner
    _, forward = _inner_call(c, "layer", list(c.inputs))
    if c.config.get("backward_layer") is not None:
        back_spec = inner_layer(c["backward_layer"])
        assert back_spec is not None
        back_type, back_config = back_spec
        _, backward = _inner_call(c, "backward_layer", list(c.inputs))
        fwd_full = catalog()[fwd_type].resolved(dict(fwd_config))
        back_full = catalog()[back_type].resolved(dict(back_config))
        if bool(fwd_full.get("go_backwards")) == bool(back_full.get("go_backwards")):
            raise ShapeError(
                f"Bidirectional layer '{c.name}': forward layer and backward layer should have different "
                f"`go_backwards` value. Received: forward_layer.go_backwards {bool(fwd_full.get('go_backwards'))}, "
                f"backward_layer.go_backwards={bool(back_full.get('go_backwards'))}",
                code="bad_param",
            )
        for attr in ("stateful", "return_sequences", "return_state"):
            if bool(fwd_full.get(attr)) != bool(back_full.get(attr)):
                raise ShapeError(
                    f"Bidirectional layer '{c.name}': forward layer and backward layer are expected to have the "
                    f'same value for attribute "{attr}", got "{bool(fwd_full.get(attr))}" for forward layer and '
                    f'"{bool(back_full.get(attr))}" for backward layer',
                    code="bad_param",
                )
        if backward.shape != forward.shape:
            raise ShapeError(
                f"Bidirectional layer '{c.name}': the backward layer's output {fmt(backward.shape)} differs from the "
                f"forward layer's {fmt(forward.shape)}: merge_mode={c.config.get('merge_mode')!r} cannot merge them.",
                code="shape_mismatch",
            )
    else:
        # Keras makes the backward copy with go_backwards=True (set, not flipped): a forward layer
        # that already goes backwards leaves both going the same way.
        if catalog()[fwd_type].resolved(dict(fwd_config)).get("go_backwards"):
            raise ShapeError(
                f"Bidirectional layer '{c.name}': forward layer and backward layer should have different "
                "`go_backwards` value. Received: forward_layer.go_backwards True, backward_layer.go_backwards=True "
                "(the wrapped layer goes backwards already: unset go_backwards, or give a backward_layer)",
                code="bad_param",
            )
        backward = forward  # the same config going backwards: the same weights' shapes
    mode = c.config.get("merge_mode", "concat")
    if mode is None:
        raise ShapeError(
            f"Bidirectional layer '{c.name}' with merge_mode=None returns two tensors (forward, backward); the "
            "builder draws one output per layer call: use 'concat', 'sum', 'mul' or 'ave'.",
            code="bad_param",
            keras="stricter",
        )
    shape = forward.shape
    if mode == "concat":
        last = shape[-1]
        shape = (*shape[:-1], None if last is None else 2 * last)
    weights = _prefixed("forward_", forward.weights) + _prefixed("backward_", backward.weights)
    return Result(shape, weights, dict(forward.spec), forward.ndim)


def time_distributed(c: Call) -> Result:
    require_min_ndim(c, 3)
    x = c.x
    child_in: Shape = (x[0], *x[2:])
    _, child = _inner_call(c, "layer", [child_in])
    out = child.shape
    ndim = None if child.ndim is None else child.ndim + 1
    return Result((out[0], x[1], *out[1:]), child.weights, dict(child.spec), ndim)


def spectral_normalization(c: Call) -> Result:
    type_name, inner = _inner_call(c, "layer", list(c.inputs))
    kernel = next((w for w in inner.weights if w.name in ("kernel", "embeddings")), None)
    if kernel is None:
        raise ShapeError(
            f"SpectralNormalization layer '{c.name}': {type_name} object has no attribute 'kernel' nor 'embeddings'",
            code="bad_param",
        )
    spec = dict(inner.spec)
    if c.x and c.x[-1] is not None:
        spec.setdefault(-1, c.x[-1])  # Keras sets input_spec axes={-1: input_shape[-1]} on build
    weights = inner.weights + (Weight("vector_u", (1, kernel.shape[-1]), False),)
    return Result(inner.shape, weights, spec, inner.ndim)


RULES: dict[str, Callable[[Call], Result]] = {
    "bidirectional": bidirectional,
    "time_distributed": time_distributed,
    "spectral_normalization": spectral_normalization,
}
