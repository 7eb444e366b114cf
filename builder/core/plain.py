"""Plain values in the graph's form: JSON lists become tuples (configs and settings are immutable)."""

from __future__ import annotations

from typing import Any


def tuplify(value: Any) -> Any:
    """Lists as tuples, recursively (the form ``graph.from_dict`` gives configs and settings)."""
    if isinstance(value, list | tuple):
        return tuple(tuplify(v) for v in value)
    if isinstance(value, dict):
        return {k: tuplify(v) for k, v in value.items()}
    return value
