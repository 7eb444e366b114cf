"""Output-shape and weight rules, one small pure function per layer type.

Each rule mirrors Keras 3's ``compute_output_shape`` / ``build``: it takes the layer's
resolved config (Keras defaults filled in) and the input shapes (batch axis first, ``None``
for unknown dims) and returns the output shape and the weights the layer creates. When Keras
would refuse the call, the rule raises :class:`ShapeError` with a Keras-style message that
says what was expected and what was received.

The rules live in one module per catalog category (``core``, ``convolution``, ...); each module
exports a ``RULES`` table (rule name -> function) and this package joins them.
"""

from __future__ import annotations

from collections.abc import Callable

from . import (
    activations,
    attention,
    convolution,
    core,
    merge,
    normalization,
    pooling,
    preprocessing,
    recurrent,
    regularization,
    reshaping,
    wrappers,
)
from .base import Call, Result, Shape, ShapeError, Weight, fmt

__all__ = ["RULES", "Call", "Result", "Shape", "ShapeError", "Weight", "fmt", "infer"]


def _join(*tables: dict[str, Callable[[Call], Result]]) -> dict[str, Callable[[Call], Result]]:
    out: dict[str, Callable[[Call], Result]] = {}
    for table in tables:
        clash = set(out) & set(table)
        if clash:
            raise ValueError(f"shape rules defined twice: {sorted(clash)}")
        out.update(table)
    return out


RULES = _join(
    core.RULES,
    recurrent.RULES,
    convolution.RULES,
    pooling.RULES,
    merge.RULES,
    attention.RULES,
    normalization.RULES,
    activations.RULES,
    regularization.RULES,
    reshaping.RULES,
    preprocessing.RULES,
    wrappers.RULES,
)


def infer(rule: str, call: Call) -> Result:
    """Apply the named rule. Raises :class:`ShapeError` when Keras would refuse the call."""
    return RULES[rule](call)
