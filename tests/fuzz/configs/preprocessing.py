"""Fuzz config makers for the preprocessing types.

The fuzzer's Inputs are float32 (sometimes int32) and never strings, so these makers are only
exercised on numbers: StringLookup and TextVectorization then always draw a ``dtype_mismatch``
(Keras builds them, data fails: ``keras="runtime"``, counted as stricter), IntegerLookup, Hashing,
CategoryEncoding and Discretization run on floats as Keras lets them. The string paths are covered by
the reference table (``tests/reference_cases/preprocessing.py``) instead.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from typing import Any

Shape = tuple[int | None, ...]

IMAGE_TYPES = (
    "RandomFlip",
    "RandomRotation",
    "RandomZoom",
    "RandomContrast",
    "RandomTranslation",
    "RandomBrightness",
    "RandomGrayscale",
    "RandomHue",
    "RandomSaturation",
    "RandomSharpness",
    "RandomShear",
    "RandomInvert",
    "RandomPosterization",
    "RandomColorDegeneration",
    "RandomColorJitter",
    "RandomGaussianBlur",
    "RandomErasing",
    "RandomPerspective",
    "Solarization",
    "AutoContrast",
    "Resizing",
    "CenterCrop",
    "RandomCrop",
)
# Batched images: (batch, height, width, channels).
RANKS: dict[str, int] = dict.fromkeys(IMAGE_TYPES, 4)


def _factor(rng: random.Random, lo: float, hi: float) -> Any:
    """A factor inside [lo, hi], sometimes a (lower, upper) pair, rarely just outside."""
    r = rng.random()
    if r < 0.05:
        return hi + 0.5
    if r < 0.3:
        a, b = sorted(round(rng.uniform(lo, hi), 2) for _ in range(2))
        return [a, b]
    return round(rng.uniform(max(lo, 0.0), hi), 2)


def _size(rng: random.Random, x: Shape) -> dict[str, Any]:
    return {"height": rng.randint(1, 12), "width": rng.randint(1, 12)}


def _factor_maker(key: str, lo: float, hi: float, **extra: Any) -> Callable[[random.Random, Shape], dict[str, Any]]:
    def make(rng: random.Random, x: Shape) -> dict[str, Any]:
        return {key: _factor(rng, lo, hi), **extra}

    return make


def _flip(rng: random.Random, x: Shape) -> dict[str, Any]:
    return {"mode": rng.choice(["horizontal", "vertical", "horizontal_and_vertical"])} if rng.random() < 0.6 else {}


def _zoom(rng: random.Random, x: Shape) -> dict[str, Any]:
    cfg: dict[str, Any] = {"height_factor": _factor(rng, -0.9, 1.0)}
    if rng.random() < 0.4:
        cfg["width_factor"] = _factor(rng, -0.9, 1.0)
    return cfg


def _translation(rng: random.Random, x: Shape) -> dict[str, Any]:
    return {"height_factor": _factor(rng, -1.0, 1.0), "width_factor": _factor(rng, -1.0, 1.0)}


def _posterization(rng: random.Random, x: Shape) -> dict[str, Any]:
    return {"factor": rng.choice([1, 4, 8, 9])}


def _jitter(rng: random.Random, x: Shape) -> dict[str, Any]:
    key = rng.choice(["brightness_factor", "contrast_factor", "saturation_factor", "hue_factor"])
    return {key: _factor(rng, 0.0, 1.0)}


def _resizing(rng: random.Random, x: Shape) -> dict[str, Any]:
    cfg = _size(rng, x)
    if rng.random() < 0.3:
        cfg["interpolation"] = rng.choice(["nearest", "bilinear", "bicubic", "area"])
    if rng.random() < 0.2:
        cfg[rng.choice(["crop_to_aspect_ratio", "pad_to_aspect_ratio"])] = True
    return cfg


def _rescaling(rng: random.Random, x: Shape) -> dict[str, Any]:
    cfg: dict[str, Any] = {"scale": rng.choice([1 / 255, 0.5, 2.0, -1.0])}
    if rng.random() < 0.3:
        cfg["offset"] = rng.choice([-1.0, 0.5])
    return cfg


def _normalization(rng: random.Random, x: Shape) -> dict[str, Any]:
    cfg: dict[str, Any] = {}
    r = rng.random()
    if r < 0.3:
        cfg["axis"] = rng.choice([-1, 1, len(x) - 1, None])
    if rng.random() < 0.3:
        cfg["mean"], cfg["variance"] = 0.5, 2.0
    return cfg


def _lookup_mode(rng: random.Random) -> dict[str, Any]:
    return {"output_mode": rng.choice(["int", "int", "one_hot", "multi_hot", "count"])}


def _integer_lookup(rng: random.Random, x: Shape) -> dict[str, Any]:
    cfg = {"vocabulary": sorted(rng.sample(range(1, 20), rng.randint(1, 6))), **_lookup_mode(rng)}
    if rng.random() < 0.2:
        cfg["num_oov_indices"] = rng.choice([0, 2])
    return cfg


def _string_lookup(rng: random.Random, x: Shape) -> dict[str, Any]:
    if rng.random() < 0.5:  # ids back to strings: runs on the fuzzer's int32 Inputs
        return {"vocabulary": ["a", "b", "c"], "invert": True}
    return {"vocabulary": ["a", "b", "c"][: rng.randint(1, 3)], **_lookup_mode(rng)}


def _text_vectorization(rng: random.Random, x: Shape) -> dict[str, Any]:
    return {"vocabulary": ["the", "cat"], "output_sequence_length": rng.randint(1, 8)}


def _hashing(rng: random.Random, x: Shape) -> dict[str, Any]:
    return {"num_bins": rng.randint(1, 16), "output_mode": rng.choice(["int", "int", "multi_hot", "count"])}


def _category_encoding(rng: random.Random, x: Shape) -> dict[str, Any]:
    return {"num_tokens": rng.randint(1, 16), "output_mode": rng.choice(["one_hot", "multi_hot", "count"])}


def _discretization(rng: random.Random, x: Shape) -> dict[str, Any]:
    cfg: dict[str, Any] = {"bin_boundaries": sorted(round(rng.uniform(-2, 2), 2) for _ in range(rng.randint(1, 4)))}
    cfg["output_mode"] = rng.choice(["int", "int", "one_hot", "multi_hot", "count"])
    return cfg


CONFIGS: dict[str, Callable[[random.Random, Shape], dict[str, Any]]] = {
    "Rescaling": _rescaling,
    "Resizing": _resizing,
    "CenterCrop": _size,
    "RandomCrop": _size,
    "RandomFlip": _flip,
    "RandomRotation": _factor_maker("factor", -1.0, 1.0),
    "RandomZoom": _zoom,
    "RandomContrast": _factor_maker("factor", 0.0, 1.0),
    "RandomTranslation": _translation,
    "RandomBrightness": _factor_maker("factor", -1.0, 1.0),
    "RandomGrayscale": lambda rng, x: {"factor": rng.choice([0.0, 0.5, 1.0, 1.5])},
    "RandomHue": _factor_maker("factor", 0.0, 1.0),
    "RandomSaturation": _factor_maker("factor", 0.0, 1.0),
    "RandomSharpness": _factor_maker("factor", 0.0, 1.0),
    "RandomShear": _factor_maker("x_factor", 0.0, 1.0),
    "RandomInvert": _factor_maker("factor", 0.0, 1.0),
    "RandomPosterization": _posterization,
    "RandomColorDegeneration": _factor_maker("factor", 0.0, 1.0),
    "RandomColorJitter": _jitter,
    "RandomGaussianBlur": _factor_maker("factor", 0.0, 1.0),
    "RandomErasing": _factor_maker("factor", 0.0, 1.0),
    "RandomPerspective": _factor_maker("factor", 0.0, 1.0),
    "Solarization": _factor_maker("addition_factor", 0.0, 1.0),
    "AutoContrast": lambda rng, x: {},
    "Normalization": _normalization,
    "StringLookup": _string_lookup,
    "IntegerLookup": _integer_lookup,
    "TextVectorization": _text_vectorization,
    "Hashing": _hashing,
    "CategoryEncoding": _category_encoding,
    "Discretization": _discretization,
}
