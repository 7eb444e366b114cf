"""Fuzz config makers: the convolutions (Conv3D, transposed, separable, DepthwiseConv1D, ConvLSTM1D/2D/3D),
3D and adaptive pooling, and the spatial reshaping layers (Cropping, ZeroPadding and UpSampling 1D/3D,
Permute, RepeatVector).

``RANKS`` gives the input rank (batch axis included) each type needs, so that the generator mostly feeds
it a fitting input.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from typing import Any

Shape = tuple[int | None, ...]
Maker = Callable[[random.Random, Shape], dict[str, Any]]


def _maybe(rng: random.Random, p: float) -> bool:
    return rng.random() < p


def _spatial(x: Shape, rank: int, offset: int = 1) -> list[int | None]:
    """The spatial dims of ``x`` (channels last) if it has the rank a ``rank``-D layer wants, else Nones."""
    if len(x) == rank + 1 + offset:
        return list(x[offset : offset + rank])
    return [None] * rank


def _window(rng: random.Random, size: int | None) -> int:
    if size is None:
        return rng.randint(1, 4)
    r = rng.random()
    if r < 0.1:
        return size
    if r < 0.16:
        return size + 1
    return rng.randint(1, max(1, min(size, 4)))


def _tuple(rng: random.Random, values: list[int]) -> Any:
    if len(set(values)) == 1 and _maybe(rng, 0.6):
        return values[0]
    return list(values)


def _activation(rng: random.Random) -> str | None:
    return rng.choice([None, "relu", "tanh", "sigmoid", "linear"])


def _conv_common(rng: random.Random, cfg: dict[str, Any], kernel: list[int], rank: int, dilation_ok: bool) -> None:
    cfg["kernel_size"] = _tuple(rng, kernel)
    strides = [1] * rank if _maybe(rng, 0.5) else [rng.randint(1, 3) for _ in range(rank)]
    if strides != [1] * rank:
        cfg["strides"] = _tuple(rng, strides)
    if _maybe(rng, 0.4):
        cfg["padding"] = rng.choice(["valid", "same"])
    if dilation_ok and _maybe(rng, 0.25):
        cfg["dilation_rate"] = _tuple(rng, [rng.randint(1, 2) for _ in range(rank)])
    if _maybe(rng, 0.15):
        cfg["use_bias"] = False
    if _maybe(rng, 0.3):
        cfg["activation"] = _activation(rng)


def _conv(rank: int, depthwise: bool = False, separable: bool = False) -> Maker:
    def make(rng: random.Random, x: Shape) -> dict[str, Any]:
        cfg: dict[str, Any] = {}
        if not depthwise:
            cfg["filters"] = rng.randint(1, 6)
        _conv_common(rng, cfg, [_window(rng, s) for s in _spatial(x, rank)], rank, True)
        if depthwise or separable:
            if _maybe(rng, 0.4):
                cfg["depth_multiplier"] = rng.randint(1, 3)
        elif _maybe(rng, 0.15) and isinstance(x[-1], int):
            divs = [g for g in range(1, x[-1] + 1) if x[-1] % g == 0 and cfg["filters"] % g == 0]
            cfg["groups"] = rng.choice(divs) if _maybe(rng, 0.8) else rng.randint(2, 3)
        return cfg

    return make


def _transpose(rank: int) -> Maker:
    def make(rng: random.Random, x: Shape) -> dict[str, Any]:
        cfg: dict[str, Any] = {"filters": rng.randint(1, 6)}
        # odd kernels and no dilation: TensorFlow's CPU kernels refuse dilation, and an even kernel with
        # padding='same' and output_padding=0 fails at predict (see the reference cases)
        kernel = [rng.choice([1, 3]) for _ in range(rank)]
        _conv_common(rng, cfg, kernel, rank, False)
        strides = cfg.get("strides", 1)
        if _maybe(rng, 0.3):
            s = strides if isinstance(strides, list) else [strides] * rank
            cfg["output_padding"] = _tuple(rng, [rng.randint(0, max(0, v - 1)) for v in s])
            if _maybe(rng, 0.1):
                cfg["output_padding"] = max(s)  # Keras refuses output_padding >= strides
        return cfg

    return make


def _conv_lstm(rank: int) -> Maker:
    def make(rng: random.Random, x: Shape) -> dict[str, Any]:
        cfg: dict[str, Any] = {"filters": rng.randint(1, 4)}
        _conv_common(rng, cfg, [_window(rng, s) for s in _spatial(x, rank, offset=2)], rank, True)
        if "strides" in cfg and "dilation_rate" in cfg and _maybe(rng, 0.7):
            del cfg["dilation_rate"]
        if _maybe(rng, 0.5):
            cfg["return_sequences"] = True
        if _maybe(rng, 0.15):
            cfg["go_backwards"] = True
        if _maybe(rng, 0.1):
            cfg["unit_forget_bias"] = False
        if _maybe(rng, 0.1):
            cfg["recurrent_activation"] = rng.choice(["sigmoid", "hard_sigmoid"])
        return cfg

    return make


def _pool(rank: int, required: bool) -> Maker:
    def make(rng: random.Random, x: Shape) -> dict[str, Any]:
        cfg: dict[str, Any] = {}
        if required or _maybe(rng, 0.6):
            cfg["pool_size"] = _tuple(rng, [_window(rng, s) for s in _spatial(x, rank)])
        if _maybe(rng, 0.4):
            cfg["strides"] = _tuple(rng, [rng.randint(1, 3) for _ in range(rank)])
        if _maybe(rng, 0.4):
            cfg["padding"] = rng.choice(["valid", "same"])
        return cfg

    return make


def _global(rng: random.Random, x: Shape) -> dict[str, Any]:
    return {"keepdims": True} if _maybe(rng, 0.3) else {}


def _adaptive(rank: int) -> Maker:
    def make(rng: random.Random, x: Shape) -> dict[str, Any]:
        sizes = [rng.randint(1, (s or 4) + 1) for s in _spatial(x, rank)]
        return {"output_size": sizes[0] if rank == 1 else _tuple(rng, sizes)}

    return make


def _pairs(rng: random.Random, rank: int, hi: int) -> Any:
    form = rng.randrange(4)
    if form == 0:
        return None
    if form == 1:
        return rng.randint(0, hi)
    if form == 2:
        return [rng.randint(0, hi) for _ in range(rank)]
    return [[rng.randint(0, hi), rng.randint(0, hi)] for _ in range(rank)]


def _padding(rank: int) -> Maker:
    def make(rng: random.Random, x: Shape) -> dict[str, Any]:
        if rank == 1:
            value: Any = rng.choice([None, rng.randint(0, 3), [rng.randint(0, 3), rng.randint(0, 3)]])
        else:
            value = _pairs(rng, rank, 2)
        return {} if value is None else {"padding": value}

    return make


def _cropping(rank: int) -> Maker:
    def make(rng: random.Random, x: Shape) -> dict[str, Any]:
        sizes = [s or 6 for s in _spatial(x, rank)]
        hi = max(0, min(sizes) // 2)
        if rank == 1:
            value: Any = rng.choice([None, rng.randint(0, hi), [rng.randint(0, hi), rng.randint(0, hi)]])
        else:
            value = _pairs(rng, rank, hi)
        return {} if value is None else {"cropping": value}

    return make


def _upsampling(rank: int) -> Maker:
    def make(rng: random.Random, x: Shape) -> dict[str, Any]:
        if _maybe(rng, 0.4):
            return {}
        if rank == 1:
            return {"size": rng.randint(1, 3)}
        return {"size": _tuple(rng, [rng.randint(1, 3) for _ in range(rank)])}

    return make


def _permute(rng: random.Random, x: Shape) -> dict[str, Any]:
    n = max(1, len(x) - 1)
    dims = list(range(1, n + 1))
    rng.shuffle(dims)
    if _maybe(rng, 0.08):
        dims[0] = n + 1  # not a permutation
    return {"dims": dims}


def _repeat_vector(rng: random.Random, x: Shape) -> dict[str, Any]:
    return {"n": rng.randint(1, 4)}


CONFIGS: dict[str, Maker] = {
    "Conv3D": _conv(3),
    "DepthwiseConv1D": _conv(1, depthwise=True),
    "SeparableConv1D": _conv(1, separable=True),
    "SeparableConv2D": _conv(2, separable=True),
    "Conv1DTranspose": _transpose(1),
    "Conv2DTranspose": _transpose(2),
    "Conv3DTranspose": _transpose(3),
    "ConvLSTM1D": _conv_lstm(1),
    "ConvLSTM2D": _conv_lstm(2),
    "ConvLSTM3D": _conv_lstm(3),
    "MaxPooling3D": _pool(3, required=False),
    "AveragePooling3D": _pool(3, required=True),
    "GlobalMaxPooling3D": _global,
    "GlobalAveragePooling3D": _global,
    **{f"Adaptive{op}Pooling{r}D": _adaptive(r) for op in ("Average", "Max") for r in (1, 2, 3)},
    "Cropping1D": _cropping(1),
    "Cropping2D": _cropping(2),
    "Cropping3D": _cropping(3),
    "ZeroPadding1D": _padding(1),
    "ZeroPadding3D": _padding(3),
    "UpSampling1D": _upsampling(1),
    "UpSampling3D": _upsampling(3),
    "Permute": _permute,
    "RepeatVector": _repeat_vector,
}

RANKS: dict[str, int] = {
    **{t: 3 for t in ("DepthwiseConv1D", "SeparableConv1D", "Conv1DTranspose", "Cropping1D", "ZeroPadding1D")},
    **{t: 3 for t in ("UpSampling1D", "AdaptiveAveragePooling1D", "AdaptiveMaxPooling1D")},
    **{t: 4 for t in ("SeparableConv2D", "Conv2DTranspose", "Cropping2D", "ConvLSTM1D")},
    **{t: 4 for t in ("AdaptiveAveragePooling2D", "AdaptiveMaxPooling2D")},
    **{t: 5 for t in ("Conv3D", "Conv3DTranspose", "ConvLSTM2D", "MaxPooling3D", "AveragePooling3D")},
    **{t: 5 for t in ("GlobalMaxPooling3D", "GlobalAveragePooling3D", "AdaptiveAveragePooling3D")},
    **{t: 5 for t in ("AdaptiveMaxPooling3D", "Cropping3D", "ZeroPadding3D", "UpSampling3D")},
    "ConvLSTM3D": 6,
    "RepeatVector": 2,
}
