"""What this machine's TensorFlow can run, as the Keras edge found out: facts the pure validator
may warn about but never probes itself (it imports no TensorFlow).

Some behaviour depends on the machine, not on the graph: whether TensorFlow's CPU kernels run a
``channels_first`` convolution depends on the CPU and on oneDNN (it runs on some x86-64 machines
and fails at predict on others). :mod:`builder.keras_edge.probe` runs a tiny model once and
records the answer here; until then the answer is unknown and nothing is said.
"""

from __future__ import annotations

from dataclasses import dataclass, replace


@dataclass(frozen=True)
class Capabilities:
    channels_first_conv: bool | None = None  # None: not probed in this process


_CURRENT = Capabilities()


def capabilities() -> Capabilities:
    return _CURRENT


def record(**facts: bool | None) -> Capabilities:
    """Record probe answers (``record(channels_first_conv=False)``); returns the new value."""
    global _CURRENT
    _CURRENT = replace(_CURRENT, **facts)
    return _CURRENT


def reset() -> None:
    """Forget every answer (tests)."""
    global _CURRENT
    _CURRENT = Capabilities()
