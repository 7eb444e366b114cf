"""Random configs for the wrappers: the wrapped layer's config comes from the fuzzer's own maker
for its type, on the shape the wrapper gives it."""

from __future__ import annotations

import random
from typing import Any

Shape = tuple[int | None, ...]


def _inner(rng: random.Random, type_name: str, x: Shape) -> dict[str, Any]:
    from tests.fuzz.graphs import random_config  # at call time: graphs imports this module

    return {"type": type_name, "config": random_config(rng, type_name, x)}


def bidirectional(rng: random.Random, x: Shape) -> dict[str, Any]:
    cfg: dict[str, Any] = {"layer": _inner(rng, rng.choice(["LSTM", "GRU", "SimpleRNN"]), x)}
    if rng.random() < 0.4:
        cfg["merge_mode"] = rng.choice(["concat", "sum", "mul", "ave"])
    return cfg


def time_distributed(rng: random.Random, x: Shape) -> dict[str, Any]:
    child: Shape = (x[0], *x[2:]) if len(x) >= 3 else x
    kinds = ["Dense", "Dropout", "Flatten", "Activation", "LayerNormalization"]
    if len(child) == 4:
        kinds += ["Conv2D", "MaxPooling2D", "GlobalAveragePooling2D"]
    if len(child) == 3:
        kinds += ["Conv1D", "GlobalMaxPooling1D", "LSTM"]
    return {"layer": _inner(rng, rng.choice(kinds), child)}


def spectral_normalization(rng: random.Random, x: Shape) -> dict[str, Any]:
    kinds = ["Dense"] + (["Conv2D"] if len(x) == 4 else []) + (["Conv1D"] if len(x) == 3 else [])
    cfg: dict[str, Any] = {"layer": _inner(rng, rng.choice(kinds), x)}
    if rng.random() < 0.3:
        cfg["power_iterations"] = rng.randint(1, 3)
    return cfg


CONFIGS = {
    "Bidirectional": bidirectional,
    "TimeDistributed": time_distributed,
    "SpectralNormalization": spectral_normalization,
}
