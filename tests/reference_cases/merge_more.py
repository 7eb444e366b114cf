"""Reference cases: Dot (merge)."""

from __future__ import annotations

from tests.reference_models import N, _add

_add("Dot", {"axes": -1}, (N, 8), (N, 8))
_add("Dot", {"axes": 1}, (N, 8), (N, 8))
_add("Dot", {"axes": 1, "normalize": True}, (N, 8), (N, 8))
_add("Dot", {"axes": (1, 1)}, (N, 8), (N, 8))
_add("Dot", {"axes": -1}, (N, N), (N, N))
_add("Dot", {"axes": (2, 2)}, (N, 5, 8), (N, 7, 8))
_add("Dot", {"axes": (1, 2)}, (N, 5, 8), (N, 3, 5))
_add("Dot", {"axes": (1, 1)}, (N, 5, 8), (N, 5, 3))
_add("Dot", {"axes": -1}, (N, 10, 16), (N, 12, 16))
_add("Dot", {"axes": (-1, -2)}, (N, 4, 6), (N, 6, 3))
_add("Dot", {"axes": 2}, (N, 3, 8), (N, 8), ok=False)
_add("Dot", {"axes": -1}, (N, 8), (N, 6), ok=False)
_add("Dot", {"axes": -1}, (N, N), (N, 8), ok=False)
_add("Dot", {"axes": (1, 3)}, (N, 5, 8), (N, 5, 3), ok=False)
_add("Dot", {"axes": -1}, (N, 8), ok=False, tag="one-input")
_add("Dot", {"axes": (1, 2, 3)}, (N, 8), (N, 8), ok=False)
_add(
    "Dot",
    {"axes": 0},
    (N, 8),
    (N, 8),
    stricter=True,
    runtime_error=True,
    note="Keras builds a Dot over the batch axis, then fails on data: 'Cannot perform batch_dot over axis 0'.",
)
_add(
    "Dot",
    {"axes": -1},
    (4, 8),
    (2, 8),
    stricter=True,
    runtime_error=True,
    concrete=((4, 8), (2, 8)),
    note="Keras builds a Dot of two fixed, different batch sizes; the batched dot product fails on data.",
)
