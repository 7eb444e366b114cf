"""Preprocessing layers that run inside a model: image resizing, cropping and augmentation,
Rescaling, Normalization, the lookups (StringLookup, IntegerLookup, TextVectorization), Hashing,
CategoryEncoding and Discretization.

They mirror Keras 3's ``compute_output_shape`` / ``compute_output_spec`` (``keras/src/layers/
preprocessing/``), quirks included: a multi-hot ``StringLookup`` on a rank-1 input drops the batch
axis, as Keras' symbolic call does. Where Keras builds a call symbolically that cannot work on
data, the rule refuses it and says so (``keras="runtime"``); where Keras reads a rank-3 tensor as
one unbatched image, the rule refuses it on purpose (``keras="stricter"``). Input dtypes are the
business of :mod:`builder.core.dtypes`; "call adapt() first" warnings of :mod:`builder.core.adapt`.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from .base import Call, Result, Shape, ShapeError, Weight, fmt

# Augmentations that need a given number of channels, and what Keras does otherwise.
_CHANNELS: dict[str, tuple[tuple[int, ...], str]] = {
    "RandomHue": ((3,), "runtime"),
    "RandomSaturation": ((3,), "runtime"),
    "RandomColorJitter": ((3,), "runtime"),
    "RandomGrayscale": ((1, 3), "runtime"),
    "RandomColorDegeneration": ((3,), "build"),
}
# Image layers Keras refuses symbolically on a rank other than 3 or 4 (the others build and fail
# on data).
_RANK_REFUSED = {"CenterCrop", "RandomColorDegeneration"}


_UNBATCHED_FAILS = frozenset({"RandomGrayscale", "RandomHue", "RandomSaturation"})


def _image(c: Call) -> tuple[int, int, int]:
    """Axes (rows, cols, channels) of a batched image input; refuses other ranks."""
    rank = len(c.x)
    if rank == 4:
        first = (c.config.get("data_format") or "channels_last") == "channels_first"
        return (2, 3, 1) if first else (1, 2, 3)
    if rank == 3:
        raise ShapeError(
            f"{c.type} layer '{c.name}' expects batched images (batch, height, width, channels), rank 4. "
            f"Received: input_shape={fmt(c.x)} (rank 3), which Keras reads as one unbatched image "
            "(height, width, channels): the batch axis would be mixed into the image. Give the Input "
            "a channels axis (shape=(height, width, 1)).",
            port=0,
            code="rank_mismatch",
            # the colour layers then fail on data; RandomColorDegeneration refuses it at once
            keras="runtime"
            if c.type in _UNBATCHED_FAILS
            else "build"
            if c.type == "RandomColorDegeneration"
            else "stricter",
        )
    refused = c.type in _RANK_REFUSED or (c.type == "RandomCrop" and rank < 3)
    raise ShapeError(
        f"{c.type} layer '{c.name}' expects batched images (batch, height, width, channels), rank 4. "
        f"Received: input_shape={fmt(c.x)} (rank {rank})"
        + ("." if refused else "; Keras builds the call, but it fails on data ('Expected image tensor')."),
        port=0,
        code="rank_mismatch",
        keras="build" if refused else "runtime",
    )


def _check_channels(c: Call, axis: int) -> None:
    need = _CHANNELS.get(c.type)
    if (
        c.type == "RandomColorJitter"
        and c.config.get("hue_factor") is None
        and c.config.get("saturation_factor") is None
    ):
        need = None  # brightness and contrast work on any channel count
    got = c.x[axis]
    if need is None or got is None or got in need[0]:
        return
    want = " or ".join(str(n) for n in need[0])
    raise ShapeError(
        f"{c.type} layer '{c.name}': input images must have {want} channels, but received {got} channels. "
        f"Received: input_shape={fmt(c.x)}"
        + ("" if need[1] == "build" else " (Keras builds the call; it fails on data)."),
        port=0,
        code="shape_mismatch",
        keras=need[1],
    )


def rescaling(c: Call) -> Result:
    for key in ("scale", "offset"):
        value = c[key]
        if isinstance(value, list | tuple) and len(value) > 1:
            last = c.x[-1] if c.x else None
            if last is not None and last != len(value):
                raise ShapeError(
                    f"Rescaling layer '{c.name}': `{key}` has {len(value)} values, one per channel, but the "
                    f"last axis of the input has {last}. Received: input_shape={fmt(c.x)}, {key}={list(value)}",
                    port=0,
                    code="shape_mismatch",
                    keras="runtime",
                )
    return Result(c.x)


# Augmentations whose call on data needs the image size (a traced call on undefined height or
# width fails: "Using a symbolic tf.Tensor as a Python bool", "unsupported operand NoneType").
_NEEDS_SIZE = {"RandomCrop", "RandomErasing", "RandomPerspective"}


def _check_size(c: Call, rows: int, cols: int) -> None:
    if c.type in _NEEDS_SIZE and (c.x[rows] is None or c.x[cols] is None):
        raise ShapeError(
            f"{c.type} layer '{c.name}' needs the image height and width: Keras builds it on undefined ones, but "
            f"the call on data then fails. Received: input_shape={fmt(c.x)}. Give the Input its height and width.",
            port=0,
            code="undefined_dim",
            keras="runtime",
        )


def augment(c: Call) -> Result:
    rows, cols, channels = _image(c)
    _check_channels(c, channels)
    _check_size(c, rows, cols)
    return Result(c.x)


def _resized(c: Call) -> Result:
    rows, cols, _channels = _image(c)
    out = list(c.x)
    out[rows], out[cols] = c["height"], c["width"]
    return Result(tuple(out))


def resizing(c: Call) -> Result:
    if c["crop_to_aspect_ratio"] and c["pad_to_aspect_ratio"]:
        raise ShapeError(
            f"Resizing layer '{c.name}': only one of `crop_to_aspect_ratio` and `pad_to_aspect_ratio` can be "
            "True (Keras builds it; the call on data fails).",
            code="bad_param",
            keras="runtime",
        )
    return _resized(c)


center_crop = _resized


def random_crop(c: Call) -> Result:
    rows, cols, _channels = _image(c)
    _check_size(c, rows, cols)
    return _resized(c)


# --------------------------------------------------------------------------- Normalization


def _flat_len(value: Any) -> int | None:
    """None for a scalar, else the length of a flat list."""
    return len(value) if isinstance(value, list | tuple) else None


def _kept(c: Call, keep: Sequence[int]) -> dict[int, int]:
    """The kept sizes, by axis counted from the end: Keras builds Normalization once and sets no
    input_spec, so a later call of a shared layer (any rank) is taken as built."""
    rank = len(c.x)
    return {a - rank: c.x[a] for a in keep}  # type: ignore[misc]


def normalization_pre(c: Call) -> Result:
    axis = c["axis"]
    axes: tuple[Any, ...] = () if axis is None else tuple(axis) if isinstance(axis, list | tuple) else (axis,)
    if not all(isinstance(a, int) and not isinstance(a, bool) for a in axes):
        raise ShapeError(
            f"Normalization layer '{c.name}': `axis` must be an int, a tuple of ints or None. Received: axis={axis!r}",
            code="bad_param",
        )
    rank = len(c.x)
    if any(a < -rank or a >= rank for a in axes):
        raise ShapeError(
            f"Normalization layer '{c.name}': all `axis` values must be in the range [-ndim, ndim). Received "
            f"inputs with ndim={rank}, while axis={axes}. Full shape received: {fmt(c.x)}",
            port=0,
            code="bad_axis",
        )
    keep = sorted({a % rank for a in axes})
    for a in keep:
        if c.x[a] is None:
            raise ShapeError(
                f"Normalization layer '{c.name}': all `axis` values to be kept must have a known shape. "
                f"Received axis={axes}, inputs.shape={fmt(c.x)}, with unknown axis at index {a}",
                port=0,
                code="undefined_dim",
            )
    shape: tuple[int, ...] = tuple(c.x[a] for a in keep)  # type: ignore[misc]
    mean, variance = c["mean"], c["variance"]
    if (mean is None) != (variance is None):
        raise ShapeError(
            f"Normalization layer '{c.name}': when setting values directly, both `mean` and `variance` must be "
            f"set. Received: mean={mean!r} and variance={variance!r}",
            code="bad_param",
        )
    if mean is None:
        weights = (Weight("mean", shape, False), Weight("variance", shape, False), Weight("count", (), False))
        return Result(c.x, weights, _kept(c, keep))
    n, m = _flat_len(mean), _flat_len(variance)
    if n != m:
        raise ShapeError(
            f"Normalization layer '{c.name}': when setting values directly, `mean` and `variance` must have the "
            f"same shape. Received: mean shape {(n,) if n is not None else ()} and variance shape "
            f"{(m,) if m is not None else ()}",
            code="bad_param",
        )
    if n is not None:
        last = shape[-1] if shape else None
        if last is None or n not in (1, last):
            raise ShapeError(
                f"Normalization layer '{c.name}': `mean` and `variance` hold {n} values, which do not broadcast "
                f"to the kept axes {tuple(keep)} of the input (sizes {shape}). Received: input_shape={fmt(c.x)}",
                port=0,
                code="shape_mismatch",
            )
    # Built on this call: a later call of a shared layer reuses the kept sizes (Keras does not build again).
    return Result(c.x, spec=_kept(c, keep))


# --------------------------------------------------------------------------- lookups


def _lookup_refusals(c: Call, vocab: Any) -> None:
    mode = c["output_mode"]
    if c["invert"] and mode != "int":
        _bad(c, f"`output_mode` must be `'int'` when `invert` is true. Received: output_mode={mode}")
    if c["sparse"] and mode == "int":
        _bad(c, "`sparse` may only be true if `output_mode` is `'one_hot'`, `'multi_hot'`, `'count'` or `'tf_idf'`.")
    if c["pad_to_max_tokens"] and c["max_tokens"] is None:
        _bad(c, "If pad_to_max_tokens is True, must set `max_tokens`. Received: max_tokens=None")
    idf = c["idf_weights"]
    if idf is not None and mode != "tf_idf":
        _bad(c, f"`idf_weights` should only be set if `output_mode` is `'tf_idf'`. Received: output_mode={mode}")
    if isinstance(vocab, list | tuple):
        repeated = sorted({v for i, v in enumerate(vocab) if v in vocab[:i]}, key=str)
        if repeated:
            _bad(c, f"The passed vocabulary has at least one repeated term. The repeated terms are: {repeated}")
        if mode == "tf_idf" and idf is None:
            _bad(
                c,
                "When specifying the `vocabulary` argument, in TF-IDF output mode, the `idf_weights` argument must also be provided.",
            )
        if mode == "tf_idf" and isinstance(idf, list | tuple) and len(idf) != len(vocab):
            _bad(
                c,
                f"`idf_weights` must be the same length as vocabulary. len(idf_weights)={len(idf)}, len(vocabulary)={len(vocab)}",
            )
        mask = c.config.get("mask_token")
        if mask is not None and mask in vocab:
            _bad(
                c,
                f"Found reserved mask token {mask!r} in `vocabulary`: the vocabulary does not need to include the mask token.",
            )
        size = _vocab_size(c, vocab, mode)
        if c["max_tokens"] is not None and size > c["max_tokens"]:
            _bad(
                c,
                f"Attempted to set a vocabulary larger than the maximum vocab size. Received vocabulary size is "
                f"{size}; `max_tokens` is {c['max_tokens']}.",
            )


def _vocab_size(c: Call, vocab: Sequence[Any], mode: str) -> int:
    """Keras' ``vocabulary_size()``: the tokens, the OOV indices and (output_mode 'int') the mask."""
    mask = c.config.get("mask_token")
    return (1 if mask is not None and mode == "int" else 0) + c["num_oov_indices"] + len(vocab)


def _bad(c: Call, message: str) -> None:
    raise ShapeError(f"{c.type} layer '{c.name}': {message}", code="bad_param")


def _depth(c: Call, vocab: Any, mode: str) -> int | None:
    if c["pad_to_max_tokens"]:
        return c["max_tokens"]
    if isinstance(vocab, list | tuple):
        return _vocab_size(c, vocab, mode)
    return None  # learnt by adapt(), or read from a vocabulary file


def _check_encodable(c: Call, shape: Shape, mode: str) -> None:
    """Refuse the encoded calls whose symbolic shape Keras gets wrong (the call on data returns
    another shape, so the layers after it are built for the wrong one)."""
    if mode == "one_hot" and len(shape) >= 2 and shape[-1] is None:
        raise ShapeError(
            f"{c.type} layer '{c.name}': output_mode='one_hot' needs a defined last axis; Keras builds it on "
            f"input_shape={fmt(shape)}, but the call on data fails. Give the Input a fixed size.",
            port=0,
            code="undefined_dim",
            keras="runtime",
        )
    if mode in ("multi_hot", "count", "tf_idf") and len(shape) >= 3:
        raise ShapeError(
            f"{c.type} layer '{c.name}': output_mode={mode!r} encodes the last axis of a (batch, tokens) input; "
            f"on input_shape={fmt(shape)} Keras infers one shape and the call on data returns another. Flatten "
            "or reshape the input to rank 2 first.",
            port=0,
            code="rank_mismatch",
            keras="runtime",
        )


def _encoded(shape: Shape, mode: str, depth: int | None) -> Shape:
    """IndexLookup.compute_output_shape for the non-int modes."""
    if mode == "one_hot":
        if len(shape) > 1 and shape[-1] == 1:
            return shape[:-1] + (depth,)
        return shape + (depth,)
    return shape[:-1] + (depth,)


def lookup(c: Call) -> Result:
    vocab = c["vocabulary"]
    _lookup_refusals(c, vocab)
    mode = c["output_mode"]
    if mode == "int":
        return Result(c.x)
    _check_encodable(c, c.x, mode)
    return Result(_encoded(c.x, mode, _depth(c, vocab, mode)))


def text_vectorization(c: Call) -> Result:
    mode = c["output_mode"]
    if mode != "int" and c["output_sequence_length"] is not None:
        _bad(
            c,
            "`output_sequence_length` must not be set if `output_mode` is not 'int'. Received "
            f"output_sequence_length={c['output_sequence_length']}.",
        )
    if c["ragged"] and mode != "int":
        _bad(c, "`ragged` must not be true if `output_mode` is not `'int'`.")
    vocab = c["vocabulary"]
    # TextVectorization's inner StringLookup: one OOV index, mask token '' in output_mode 'int'.
    inner = Call(
        c.name,
        c.type,
        {
            **c.config,
            "invert": False,
            "num_oov_indices": 1,
            "mask_token": "" if mode == "int" else None,
        },
        c.inputs,
    )
    _lookup_refusals(inner, vocab)
    if c["split"] is not None and len(c.x) >= 2 and c.x[-1] != 1:
        raise ShapeError(
            f"TextVectorization layer '{c.name}': when using TextVectorization to tokenize strings, the input "
            f"rank must be 1 or the last shape dimension must be 1. Received: inputs.shape={fmt(c.x)} "
            "(Keras builds the call; it fails on data). Give the Input shape=(1,) or shape=().",
            port=0,
            code="rank_mismatch",
            keras="runtime",
        )
    if mode == "int":
        return Result((c.x[0], c["output_sequence_length"]))
    shape = c.x
    if c["split"] is None:
        if len(shape) <= 1:
            shape = shape + (1,)
    else:
        shape = shape + (None,)
    return Result(_encoded(shape, mode, _depth(inner, vocab, mode)))


# --------------------------------------------------------------------------- Hashing, CategoryEncoding, Discretization


def hashing(c: Call) -> Result:
    if c["sparse"] and c["output_mode"] == "int":
        _bad(c, "`sparse` may only be true if `output_mode` is `'one_hot'`, `'multi_hot'` or `'count'`.")
    mode = c["output_mode"]
    if mode == "int":
        return Result(c.x)
    if mode == "one_hot" and not (len(c.x) == 2 and c.x[-1] == 1):
        raise ShapeError(
            f"Hashing layer '{c.name}': output_mode='one_hot' on input_shape={fmt(c.x)}: Keras infers "
            f"{fmt(c.x[:-1] + (c['num_bins'],))}, but the call on data one-hot encodes every value (another "
            "shape). Use an input of shape (batch, 1), or output_mode='multi_hot'.",
            port=0,
            code="rank_mismatch",
            keras="runtime",
        )
    _check_encodable(c, c.x, mode)
    return Result(c.x[:-1] + (c["num_bins"],))


def category_encoding(c: Call) -> Result:
    n = c["num_tokens"]
    if n is None:
        _bad(
            c,
            "num_tokens must be set to use this layer. If the number of tokens is not known beforehand, use the "
            "IntegerLookup layer instead.",
        )
    shape = c.x
    _check_encodable(c, shape, c["output_mode"])
    if c["output_mode"] == "one_hot":
        if shape[-1] != 1 or len(shape) == 1:
            return Result(shape + (n,))
        return Result(shape[:-1] + (n,))
    return Result(shape[:-1] + (n,))


def discretization(c: Call) -> Result:
    bounds, bins = c["bin_boundaries"], c["num_bins"]
    if bounds is not None and bins is not None:
        _bad(
            c,
            f"Both `num_bins` and `bin_boundaries` should not be set. Received: `num_bins={bins}` and `bin_boundaries={bounds}`",
        )
    if bounds is None and bins is None:
        _bad(c, "You need to set either `num_bins` or `bin_boundaries`.")
    mode = c["output_mode"]
    if c["sparse"] and mode == "int":
        _bad(c, "`sparse=True` may only be used if `output_mode` is `'one_hot'`, `'multi_hot'`, or `'count'`.")
    if isinstance(bounds, list | tuple) and list(bounds) != sorted(bounds):
        raise ShapeError(
            f"Discretization layer '{c.name}': `bin_boundaries` must be sorted in increasing order. Received: "
            f"bin_boundaries={list(bounds)} (Keras builds it; the bins are wrong on data).",
            code="bad_param",
            keras="stricter",
        )
    if mode == "int":
        return Result(c.x)
    depth = (len(bounds) + 1 if isinstance(bounds, list | tuple) else 2) if bounds is not None else bins
    shape = c.x
    if mode == "one_hot":
        if shape and shape[-1] == 1 and len(shape) > 1:
            return Result(shape[:-1] + (depth,))
        return Result(shape + (depth,))
    if len(shape) >= 2:
        return Result((shape[0],) + shape[2:] + (depth,))
    return Result((depth,))


RULES: dict[str, Callable[[Call], Result]] = {
    "rescaling": rescaling,
    "resizing": resizing,
    "center_crop": center_crop,
    "random_crop": random_crop,
    "augment": augment,
    "normalization_pre": normalization_pre,
    "lookup": lookup,
    "text_vectorization": text_vectorization,
    "hashing": hashing,
    "category_encoding": category_encoding,
    "discretization": discretization,
}
