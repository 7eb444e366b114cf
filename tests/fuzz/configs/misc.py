"""Fuzz configs: EinsumDense, Identity, Masking, Dot, the activation, normalization and
regularization layers of misc11, and the attention layers. ``RANKS``: the input rank (batch axis
included) a type needs; ``INPUTS``: the types drawn with several inputs (their arity range)."""

from __future__ import annotations

import random
from collections.abc import Callable
from typing import Any

Shape = tuple[int | None, ...]


def _dim(rng: random.Random, lo: int = 1, hi: int = 16) -> int:
    return lo if rng.random() < 0.15 else rng.randint(lo, hi)


def _maybe(rng: random.Random, p: float) -> bool:
    return rng.random() < p


def _einsum(rng: random.Random, x: Shape) -> dict[str, Any]:
    rank = len(x)
    units = _dim(rng)
    if rank == 2 and _maybe(rng, 0.5):
        cfg: dict[str, Any] = {"equation": "ab,bc->ac", "output_shape": units}
        bias = "c"
    elif rank == 3 and _maybe(rng, 0.5):
        if _maybe(rng, 0.5):
            cfg = {"equation": "abc,cd->abd", "output_shape": [None if _maybe(rng, 0.8) else _dim(rng), units]}
            bias = "d"
        else:
            cfg = {"equation": "abc,cde->abde", "output_shape": [None, rng.randint(1, 4), units]}
            bias = rng.choice(["de", "e"])
    else:
        cfg = {"equation": "...b,bc->...c", "output_shape": units}
        bias = "c"
    if _maybe(rng, 0.5):
        cfg["bias_axes"] = bias
    if _maybe(rng, 0.3):
        cfg["activation"] = rng.choice(["relu", "tanh", "linear"])
    return cfg


def _dot(rng: random.Random, x: Shape) -> dict[str, Any]:
    rank = len(x)
    r = rng.random()
    if r < 0.5:
        return {"axes": -1}
    if r < 0.8:
        return {"axes": rng.randint(1, max(1, rank - 1)), **({"normalize": True} if _maybe(rng, 0.3) else {})}
    return {"axes": [rng.randint(1, max(1, rank - 1)), rng.randint(1, max(1, rank - 1))]}


def _axis(rng: random.Random, x: Shape) -> int:
    return rng.choice([-1, -1, len(x) - 1, 1, -len(x) + 1])


def _prelu(rng: random.Random, x: Shape) -> dict[str, Any]:
    if len(x) > 2 and _maybe(rng, 0.6):
        return {"shared_axes": list(range(1, len(x) - 1))}
    return {}


def _group_norm(rng: random.Random, x: Shape) -> dict[str, Any]:
    last = x[-1]
    if isinstance(last, int) and _maybe(rng, 0.8):
        return {"groups": rng.choice([g for g in range(1, last + 1) if last % g == 0] + [-1])}
    return {"groups": rng.choice([1, 2, 4, 32])}


def _rate(rng: random.Random, x: Shape) -> dict[str, Any]:
    return {"rate": rng.choice([0.0, 0.1, 0.5])}


def _attention(rng: random.Random, x: Shape) -> dict[str, Any]:
    cfg: dict[str, Any] = {}
    if _maybe(rng, 0.4):
        cfg["use_scale"] = not cfg.get("use_scale", False)
    if _maybe(rng, 0.3):
        cfg["score_mode"] = "concat"
    return cfg


def _mha(rng: random.Random, x: Shape) -> dict[str, Any]:
    cfg: dict[str, Any] = {"num_heads": rng.randint(1, 4), "key_dim": _dim(rng, 1, 8)}
    if _maybe(rng, 0.3):
        cfg["value_dim"] = _dim(rng, 1, 8)
    if _maybe(rng, 0.2):
        cfg["output_shape"] = _dim(rng)
    if _maybe(rng, 0.2):
        cfg["use_bias"] = False
    if _maybe(rng, 0.1):
        cfg["use_gate"] = True
    return cfg


def _gqa(rng: random.Random, x: Shape) -> dict[str, Any]:
    kv = rng.randint(1, 3)
    q = kv * rng.randint(1, 3) if _maybe(rng, 0.9) else kv + 1
    cfg: dict[str, Any] = {"head_dim": _dim(rng, 1, 8), "num_query_heads": q, "num_key_value_heads": kv}
    if _maybe(rng, 0.2):
        cfg["use_bias"] = False
    return cfg


CONFIGS: dict[str, Callable[[random.Random, Shape], dict[str, Any]]] = {
    "EinsumDense": _einsum,
    "Identity": lambda rng, x: {},
    "Masking": lambda rng, x: {"mask_value": rng.choice([0.0, -1.0])} if _maybe(rng, 0.5) else {},
    "Dot": _dot,
    "LeakyReLU": lambda rng, x: {"negative_slope": rng.choice([0.0, 0.1, 0.3])} if _maybe(rng, 0.5) else {},
    "PReLU": _prelu,
    "ELU": lambda rng, x: {"alpha": rng.choice([0.5, 1.0])} if _maybe(rng, 0.5) else {},
    "Softmax": lambda rng, x: {"axis": _axis(rng, x)} if _maybe(rng, 0.4) else {},
    "GroupNormalization": _group_norm,
    "UnitNormalization": lambda rng, x: {"axis": _axis(rng, x)} if _maybe(rng, 0.4) else {},
    "RMSNormalization": lambda rng, x: {"axis": -1} if _maybe(rng, 0.2) else {},
    "SpatialDropout1D": _rate,
    "SpatialDropout2D": _rate,
    "SpatialDropout3D": _rate,
    "GaussianNoise": lambda rng, x: {"stddev": rng.choice([0.0, 0.1, 1.0])},
    "GaussianDropout": _rate,
    "AlphaDropout": _rate,
    "ActivityRegularization": lambda rng, x: {"l1": 0.01} if _maybe(rng, 0.5) else {},
    "Attention": _attention,
    "AdditiveAttention": lambda rng, x: {"use_scale": False} if _maybe(rng, 0.3) else {},
    "MultiHeadAttention": _mha,
    "GroupQueryAttention": _gqa,
}

RANKS: dict[str, int] = {
    "SpatialDropout1D": 3,
    "SpatialDropout2D": 4,
    "SpatialDropout3D": 5,
}

# Types the generator calls on several inputs (drawn between min and max of the catalog's arity).
INPUTS: tuple[str, ...] = ("Dot", "Attention", "AdditiveAttention", "MultiHeadAttention", "GroupQueryAttention")
