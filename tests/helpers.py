"""Small graph-building helpers for the tests (pure Python, no Keras)."""

from __future__ import annotations

import socket
from typing import Any

from builder.core.graph import Graph


def chain(*specs: tuple[str, dict[str, Any]], input_shape: tuple[Any, ...] = (8,), dtype: str | None = None) -> Graph:
    """Input(input_shape) -> specs[0] -> specs[1] -> ...; the last node is the output."""
    cfg: dict[str, Any] = {"shape": list(input_shape)}
    if dtype:
        cfg["dtype"] = dtype
    g, prev = Graph().add("Input", cfg, name="inp")
    for type_name, config in specs:
        g, prev = g.add(type_name, config, inputs=[prev])
    return g.set_outputs([prev])


def issue_codes(report: Any, node: str | None = None) -> list[str]:
    return [i.code for i in report.issues if node is None or i.node == node]


def free_port() -> int:
    """A free TCP port on the loopback address (for a server a test starts)."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def without_wrapped_names(config: Any) -> Any:
    """A Keras config with the names of wrapped layers left out: Keras names a wrapper's inner layer
    from its global name counter (``forward_lstm_3``), which differs between two builds in one process."""
    if isinstance(config, dict):
        out = {k: without_wrapped_names(v) for k, v in config.items()}
        for key in ("layer", "backward_layer"):
            inner = out.get(key)
            if isinstance(inner, dict) and isinstance(inner.get("config"), dict):
                inner["config"].pop("name", None)
        return out
    if isinstance(config, list | tuple):
        return [without_wrapped_names(v) for v in config]
    return config
