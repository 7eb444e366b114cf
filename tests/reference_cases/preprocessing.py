"""Reference cases: preprocessing layers (image resizing / cropping / augmentation, Rescaling,
Normalization, lookups, TextVectorization, Hashing, CategoryEncoding, Discretization), with string
and int Inputs. Keras 3 never checks dtypes symbolically: a call on the wrong dtype builds and
fails on data (``stricter`` + ``runtime_error``)."""

from __future__ import annotations

from typing import Any

from tests.reference_models import Shape, _add, _grid

N = None
CF = {"data_format": "channels_first"}
IMAGES = [(None, 8, 8, 3), (None, None, None, 3), (2, 16, 12, 3)]
UNBATCHED = (
    "Keras reads a rank-3 tensor as one unbatched image (height, width, channels), so the batch axis is "
    "mixed into the image (Resizing even drops it); the builder asks for batched images on purpose."
)
NOT_AN_IMAGE = "Keras builds an image layer on a rank-2 or rank-5 tensor; training fails ('Expected image tensor')."
STRINGS_INTO_NUMBERS = "Keras builds the call on a string tensor; data fails (strings cannot be cast to numbers)."
NO_VOCAB = "Keras builds the lookup without a vocabulary; calling it on data fails until adapt() (we warn)."
V = ("a", "b", "c")

WRONG_SHAPE = "Keras infers one output shape symbolically and the call on data returns another."
NEEDS_SIZE = {"RandomCrop", "RandomErasing", "RandomPerspective"}


def _marks(t: str, config: dict[str, Any], shape: Shape, dtype: str | None) -> dict[str, Any]:
    """What Keras does with data for the calls it builds but cannot run as inferred."""
    mode = config.get("output_mode", "int" if t != "CategoryEncoding" else "multi_hot")
    refused: dict[str, Any] = {"stricter": True, "runtime_error": True}
    if t in NEEDS_SIZE and len(shape) == 4 and (shape[1] is None or shape[2] is None):
        return {**refused, "note": f"{t} on undefined height or width fails on data (traced)."}
    if t in ("RandomContrast", "RandomSaturation") and dtype in ("uint8", "int32"):
        return {**refused, "note": f"{t} on integer pixels fails on data (it needs floats)."}
    if t in ("StringLookup", "IntegerLookup", "Hashing", "CategoryEncoding") and mode != "int":
        if mode == "one_hot" and len(shape) >= 2 and shape[-1] is None:
            return {**refused, "note": "one_hot on an undefined last axis fails on data (traced)."}
        if mode in ("multi_hot", "count", "tf_idf") and len(shape) >= 3:
            return {**refused, "note": WRONG_SHAPE}
        if t == "Hashing" and mode == "one_hot" and not (len(shape) == 2 and shape[-1] == 1):
            return {**refused, "note": WRONG_SHAPE}
    if t == "TextVectorization" and mode in ("multi_hot", "count", "tf_idf"):
        split = config.get("split", "whitespace")
        if (split is not None and shape == (None, 1)) or (split is None and shape == (None,) and mode == "count"):
            return {"runtime_error": True, "note": WRONG_SHAPE + " We follow Keras' symbolic shape."}
    return {}


def _case(t: str, config: dict[str, Any], shape: Shape, dtype: str | None = None, **kw: Any) -> None:
    if t == "RandomCrop" and "seed" not in config:
        # RandomCrop draws a seed when none is given and reports it in get_config(): with one, the
        # compiled and the exported models have the same config (tests/test_codegen.py).
        config = {**config, "seed": 7}
    _add(t, config, shape, dtype=dtype, **{**_marks(t, config, shape, dtype), **kw})


def _cases(t: str, configs: list[dict[str, Any]], shapes: list[Shape], dtype: str | None = None) -> None:
    for config in configs:
        for shape in shapes:
            _case(t, config, shape, dtype)


# --------------------------------------------------------------------------- Rescaling
_grid(
    "Rescaling",
    [{"scale": 0.00392156862745098}, {"scale": 2.0, "offset": -1.0}],
    [(None, 8, 8, 3), (None, 4), (None, None, 5)],
)
_add("Rescaling", {"scale": 0.5}, (None, 8, 8, 3), dtype="uint8", tag="uint8")
_add("Rescaling", {"scale": 0.5}, (None, 4), dtype="int32", tag="int32")
_add("Rescaling", {"scale": (1.0, 2.0, 3.0)}, (None, 4, 4, 3))
_add(
    "Rescaling",
    {"scale": None},
    (None, 4),
    stricter=True,
    runtime_error=True,
    note="Keras builds Rescaling(scale=None) (and fails on data); the builder requires a scale.",
)
_add(
    "Rescaling",
    {"scale": (1.0, 2.0)},
    (None, 4, 4, 3),
    stricter=True,
    runtime_error=True,
    note="Keras builds a per-channel scale of 2 values on 3 channels; data fails to broadcast.",
)
_add(
    "Rescaling",
    {"scale": 0.5},
    (None, 4),
    dtype="string",
    tag="string",
    stricter=True,
    runtime_error=True,
    note=STRINGS_INTO_NUMBERS,
)

# --------------------------------------------------------------------------- Resizing, CenterCrop, RandomCrop
for t in ("Resizing", "CenterCrop", "RandomCrop"):
    _cases(t, [{"height": 4, "width": 5}, {"height": 10, "width": 3}], IMAGES)
    _case(t, {"height": 4, "width": 5, **CF}, (None, 3, 8, 8))
    _case(t, {"height": 4, "width": 5}, (None, 8, 8, 3), dtype="uint8", tag="uint8")
    _add(t, {"height": 4, "width": 5}, (None, 8, 8), stricter=True, note=UNBATCHED)
    _add(
        t,
        {"height": 0, "width": 5},
        (None, 8, 8, 3),
        stricter=True,
        runtime_error=t == "Resizing",
        note="Keras builds a zero height (Resizing then fails on data); the catalog refuses it.",
    )
    _add(t, {"height": -1, "width": 5}, (None, 8, 8, 3), ok=False)
_add("Resizing", {"height": 4, "width": 5, "interpolation": "nearest"}, (None, 8, 8, 3))
_add("Resizing", {"height": 4, "width": 5, "crop_to_aspect_ratio": True}, (None, 8, 8, 3))
_add("Resizing", {"height": 4, "width": 5, "pad_to_aspect_ratio": True}, (None, 8, 8, 3))
_add(
    "Resizing",
    {"height": 4, "width": 5, "crop_to_aspect_ratio": True, "pad_to_aspect_ratio": True},
    (None, 8, 8, 3),
    stricter=True,
    runtime_error=True,
    note="Keras builds Resizing with both aspect-ratio options; the call on data refuses them.",
)
_add("Resizing", {"height": 4, "width": 5}, (None, 8), stricter=True, runtime_error=True, note=NOT_AN_IMAGE)
_add(
    "Resizing",
    {"height": 4, "width": 5, "interpolation": "cubic"},
    (None, 8, 8, 3),
    stricter=True,
    runtime_error=True,
    note="Keras checks `interpolation` only when the layer runs.",
)
_add("Resizing", {"height": 4, "width": 5, "data_format": "channels_middle"}, (None, 8, 8, 3), ok=False)
_add("CenterCrop", {"height": 4, "width": 5}, (None, 8), ok=False)
_add("CenterCrop", {"height": 4, "width": 5}, (None, 3, 8, 8, 3), ok=False)
_add("RandomCrop", {"height": 4, "width": 5}, (None, 8), ok=False)
_add("RandomCrop", {"height": 4, "width": 5}, (None, 3, 8, 8, 3), stricter=True, runtime_error=True, note=NOT_AN_IMAGE)
_add(
    "Resizing",
    {"height": 4, "width": 5},
    (None, 8, 8, 3),
    dtype="string",
    tag="string",
    stricter=True,
    runtime_error=True,
    note=STRINGS_INTO_NUMBERS,
)

# --------------------------------------------------------------------------- augmentations
AUGMENT = {
    "RandomFlip": [{}, {"mode": "horizontal"}, {"mode": "vertical", "seed": 3}],
    "RandomRotation": [{"factor": 0.1}, {"factor": (-0.2, 0.3), "fill_mode": "constant"}, {"factor": 1.0}],
    "RandomZoom": [{"height_factor": 0.1}, {"height_factor": (-0.3, 0.2), "width_factor": 0.5}],
    "RandomContrast": [{"factor": 0.2}, {"factor": (0.1, 0.4)}],
    "RandomTranslation": [
        {"height_factor": 0.1, "width_factor": 0.2},
        {"height_factor": (-0.2, 0.1), "width_factor": 0.0},
    ],
    "RandomBrightness": [{"factor": 0.2}, {"factor": (-0.3, 0.1), "value_range": (0.0, 1.0)}],
    "RandomGrayscale": [{}, {"factor": 1.0}],
    "RandomHue": [{"factor": 0.2}],
    "RandomSaturation": [{"factor": 0.2}, {"factor": (0.1, 0.9)}],
    "RandomSharpness": [{"factor": 0.2}],
    "RandomShear": [{"x_factor": 0.1}, {"x_factor": 0.2, "y_factor": 0.3}],
    "RandomInvert": [{}, {"factor": 0.5, "value_range": (0.0, 1.0)}],
    "RandomPosterization": [{"factor": 4}, {"factor": (1, 8)}],
    "RandomColorDegeneration": [{"factor": 0.2}],
    "RandomColorJitter": [{"brightness_factor": 0.2}, {"contrast_factor": 0.3, "hue_factor": 0.1}],
    "RandomGaussianBlur": [{}, {"kernel_size": 5, "sigma": 0.5}],
    "RandomErasing": [{}, {"scale": (0.1, 0.2)}],
    "RandomPerspective": [{}, {"scale": 0.5}],
    "Solarization": [{}, {"addition_factor": 0.2, "threshold_factor": 0.5}],
    "AutoContrast": [{}, {"value_range": (0.0, 1.0)}],
}
# One Keras refusal per augmentation (a factor out of its range).
AUGMENT_REFUSED = {
    "RandomFlip": ({"mode": "horizontal", "seed": "x"}, False),
    "RandomRotation": ({"factor": 2.0}, False),
    "RandomZoom": ({"height_factor": -1.0}, False),
    "RandomContrast": ({"factor": -0.1}, False),
    "RandomTranslation": ({"height_factor": 1.5, "width_factor": 0.1}, False),
    "RandomBrightness": ({"factor": 1.5}, False),
    "RandomGrayscale": ({"factor": 2.0}, False),
    "RandomHue": ({"factor": 1.5}, False),
    "RandomSaturation": ({"factor": 1.5}, False),
    "RandomSharpness": ({"factor": 1.5}, False),
    "RandomShear": ({"x_factor": 1.5}, False),
    "RandomInvert": ({"factor": 1.5}, False),
    "RandomPosterization": ({"factor": 9}, False),
    "RandomColorDegeneration": ({"factor": 1.5}, False),
    "RandomColorJitter": ({"brightness_factor": 1.5}, False),
    "RandomGaussianBlur": ({"factor": 1.5}, False),
    "RandomErasing": ({"factor": 1.5}, False),
    "RandomPerspective": ({"scale": 1.5}, False),
    "Solarization": ({"addition_factor": 1.5}, False),
    "AutoContrast": ({"value_range": (1.0,)}, False),
}
NO_DATA_FORMAT = {"RandomContrast", "RandomBrightness", "Solarization", "AutoContrast"}
THREE_CHANNELS = {"RandomHue", "RandomSaturation", "RandomColorJitter", "RandomColorDegeneration"}
for t, configs in AUGMENT.items():
    _cases(t, configs, IMAGES)
    first = configs[0]
    _case(t, first, (None, 8, 8, 3), dtype="uint8", tag="uint8")
    if t not in THREE_CHANNELS and t != "RandomGrayscale":
        _add(t, first, (None, 8, 8, 1))
        _case(t, first, (None, 6, None, 5))
    if t not in NO_DATA_FORMAT:
        _add(t, {**first, **CF}, (None, 3, 8, 8))
    if t == "RandomColorDegeneration":
        _add(t, first, (None, 8, 8), ok=False)
        _add(t, first, (None, 8, 8, 1), ok=False)
    else:
        # Read as one image of 8 channels: the colour layers fail on data.
        fails = t in ("RandomGrayscale", "RandomHue", "RandomSaturation")
        _add(t, first, (None, 8, 8), stricter=True, runtime_error=fails, note=UNBATCHED)
        _add(t, first, (None, 8), stricter=True, runtime_error=True, note=NOT_AN_IMAGE)
    bad, ok = AUGMENT_REFUSED[t]
    _add(t, bad, (None, 8, 8, 3), ok=ok)
for t, cfg in (
    ("RandomHue", {"factor": 0.2}),
    ("RandomSaturation", {"factor": 0.2}),
    ("RandomColorJitter", {"hue_factor": 0.1}),
):
    _add(
        t,
        cfg,
        (None, 8, 8, 1),
        stricter=True,
        runtime_error=True,
        note=f"Keras builds {t} on one channel; the RGB conversion fails on data.",
    )
_add("RandomGrayscale", {}, (None, 8, 8, 1))
_add("RandomGrayscale", {"factor": (0.1, 0.2)}, (None, 8, 8, 3), ok=False)  # a float only
_add("RandomColorJitter", {"brightness_factor": 0.2}, (None, 8, 8, 1))
_add("AutoContrast", {"value_range": (1.0, 0.0)}, (None, 8, 8, 3))
_add(
    "RandomFlip",
    {},
    (None, 8, 8, 3),
    dtype="string",
    tag="string",
    stricter=True,
    runtime_error=True,
    note=STRINGS_INTO_NUMBERS,
)

# --------------------------------------------------------------------------- Normalization
_grid("Normalization", [{}, {"axis": -1}, {"axis": None}], [(None, 4), (None, 3, 5), (None, None, 5)])
_grid("Normalization", [{"axis": 1}, {"axis": (1, 2)}, {"axis": -2}], [(None, 3, 5), (4, 3, 5)])
_add("Normalization", {"mean": 0.5, "variance": 2.0}, (None, 4))
_add("Normalization", {"mean": (0.0, 1.0, 2.0, 3.0), "variance": (1.0, 1.0, 2.0, 2.0)}, (None, 4))
_add("Normalization", {"mean": (0.0, 1.0, 2.0), "variance": (1.0, 1.0, 1.0), "axis": 1}, (None, 3, 4))
_add("Normalization", {"mean": (0.5,), "variance": (2.0,)}, (None, 6))
_add("Normalization", {"mean": 0.0, "variance": 1.0, "axis": None}, (None, 3, 4))
_add("Normalization", {"invert": True, "mean": 1.0, "variance": 4.0}, (None, 4))
_add("Normalization", {}, (None, 4), dtype="int32", tag="int32")
_add("Normalization", {"mean": 0.0}, (None, 4), ok=False)
_add("Normalization", {"axis": 5}, (None, 4), ok=False)
_add("Normalization", {"axis": 2}, (None, 4), ok=False)
_add("Normalization", {"axis": 0}, (None, 4), ok=False)
_add("Normalization", {}, (None, 3, None), ok=False)
_add("Normalization", {"axis": 1}, (None, None, 5), ok=False)
_add("Normalization", {"mean": (0.0, 1.0, 2.0), "variance": (1.0, 1.0, 1.0)}, (None, 3, 4), ok=False)
_add("Normalization", {"mean": (0.0, 1.0), "variance": (1.0, 1.0, 1.0, 1.0)}, (None, 4), ok=False)
_add(
    "Normalization",
    {"mean": 0.0, "variance": 1.0},
    (None, 4),
    dtype="string",
    tag="string",
    stricter=True,
    runtime_error=True,
    note=STRINGS_INTO_NUMBERS,
)

# --------------------------------------------------------------------------- StringLookup, IntegerLookup
SHAPES_1D = [(None, 4), (None, 1), (None,), (None, 2, 3), (None, None)]
for mode in ("int", "one_hot", "multi_hot", "count"):
    configs = [
        {"vocabulary": V, "output_mode": mode},
        {"vocabulary": V, "output_mode": mode, "num_oov_indices": 0},
        {"vocabulary": V, "output_mode": mode, "num_oov_indices": 2, "mask_token": ""},
        {"vocabulary": V, "output_mode": mode, "max_tokens": 10, "pad_to_max_tokens": True},
    ]
    _cases("StringLookup", configs, SHAPES_1D, dtype="string")
    _cases("IntegerLookup", [{"vocabulary": (3, 5, 7), "output_mode": mode}], SHAPES_1D, dtype="int64")
    _add("IntegerLookup", {"vocabulary": (3, 5, 7), "output_mode": mode, "mask_token": 0}, (None, 4), dtype="int64")
_cases(
    "StringLookup",
    [{"vocabulary": V, "output_mode": "tf_idf", "idf_weights": (1.0, 0.5, 0.25)}],
    SHAPES_1D,
    dtype="string",
)
_add("StringLookup", {"vocabulary": V, "invert": True}, (None, 4), dtype="int64")
_add("IntegerLookup", {"vocabulary": (3, 5, 7), "invert": True}, (None, 4), dtype="int64", tag="int64")
_add("IntegerLookup", {"vocabulary": (3, 5, 7)}, (None, 4), dtype="int32", tag="int32")
_add("IntegerLookup", {"vocabulary": (3, 5, 7)}, (None, 4), tag="float")
_add("StringLookup", {"vocabulary": V, "max_tokens": 4}, (None, 4), dtype="string")
_add(
    "StringLookup",
    {"output_mode": "multi_hot", "max_tokens": 8, "pad_to_max_tokens": True},
    (None, 4),
    dtype="string",
    runtime_error=True,
    note=NO_VOCAB,
)
for t, dt in (("StringLookup", "string"), ("IntegerLookup", "int64")):
    _add(t, {}, (None, 4), dtype=dt, runtime_error=True, note=NO_VOCAB)
    _add(t, {"output_mode": "one_hot"}, (None, 4), dtype=dt, runtime_error=True, note=NO_VOCAB)
    _add(t, {"output_mode": "foo"}, (None, 4), dtype=dt, ok=False)
    _add(t, {"num_oov_indices": -1}, (None, 4), dtype=dt, ok=False)
    _add(t, {"max_tokens": 1}, (None, 4), dtype=dt, ok=False)
    _add(t, {"output_mode": "multi_hot", "invert": True}, (None, 4), dtype=dt, ok=False)
    _add(t, {"sparse": True}, (None, 4), dtype=dt, ok=False)
    _add(t, {"pad_to_max_tokens": True, "output_mode": "multi_hot"}, (None, 4), dtype=dt, ok=False)
    _add(t, {"idf_weights": (1.0, 1.0, 1.0)}, (None, 4), dtype=dt, ok=False)
_add("StringLookup", {"vocabulary": V, "output_mode": "tf_idf"}, (None, 4), dtype="string", ok=False)
_add(
    "StringLookup",
    {"vocabulary": V, "output_mode": "tf_idf", "idf_weights": (1.0, 2.0)},
    (None, 4),
    dtype="string",
    ok=False,
)
_add("StringLookup", {"vocabulary": ("a", "b", "a")}, (None, 4), dtype="string", ok=False)
_add("StringLookup", {"vocabulary": ("a", "", "b"), "mask_token": ""}, (None, 4), dtype="string", ok=False)
_add("StringLookup", {"vocabulary": V, "max_tokens": 3}, (None, 4), dtype="string", ok=False)
_add("IntegerLookup", {"vocabulary": (1, 2, 1)}, (None, 4), dtype="int64", ok=False)
_add("IntegerLookup", {"vocabulary_dtype": "float32"}, (None, 4), dtype="int64", ok=False)
_add(
    "StringLookup",
    {"vocabulary": V},
    (None, 4),
    dtype="int64",
    tag="int64",
    stricter=True,
    runtime_error=True,
    note="Keras builds a StringLookup on an int tensor; data fails (int64 cannot be cast to string).",
)
_add(
    "StringLookup",
    {"vocabulary": V},
    (None, 4),
    tag="float32",
    stricter=True,
    runtime_error=True,
    note="Keras builds a StringLookup on a float tensor; data fails (float cannot be cast to string).",
)
_add(
    "IntegerLookup",
    {"vocabulary": (3, 5)},
    (None, 4),
    dtype="string",
    tag="string",
    stricter=True,
    runtime_error=True,
    note="Keras builds an IntegerLookup on a string tensor; data fails (invalid literal for int()).",
)

# --------------------------------------------------------------------------- TextVectorization
TEXT = [(None,), (None, 1)]
_cases(
    "TextVectorization",
    [
        {"vocabulary": V, "output_sequence_length": 6},
        {"vocabulary": V},
        {"vocabulary": V, "output_mode": "multi_hot"},
        {"vocabulary": V, "output_mode": "count", "split": None},
        {"vocabulary": V, "output_mode": "one_hot", "split": None},
        {"vocabulary": V, "output_mode": "tf_idf", "idf_weights": (1.0, 2.0, 3.0)},
        {"vocabulary": V, "output_mode": "multi_hot", "max_tokens": 10, "pad_to_max_tokens": True},
        {"vocabulary": V, "standardize": "lower", "split": "character", "output_sequence_length": 3},
        {"vocabulary": V, "ngrams": 2, "output_sequence_length": 4},
    ],
    TEXT,
    dtype="string",
)
_add("TextVectorization", {"vocabulary": V, "output_mode": "multi_hot", "split": None}, (None, 5), dtype="string")
_add("TextVectorization", {"output_sequence_length": 8}, (None, 1), dtype="string", runtime_error=True, note=NO_VOCAB)
_add("TextVectorization", {"output_mode": "foo"}, (None,), dtype="string", ok=False)
_add("TextVectorization", {"output_mode": "multi_hot", "output_sequence_length": 4}, (None,), dtype="string", ok=False)
_add("TextVectorization", {"split": "comma"}, (None,), dtype="string", ok=False)
_add("TextVectorization", {"max_tokens": 1}, (None,), dtype="string", ok=False)
_add("TextVectorization", {"vocabulary": V, "max_tokens": 4}, (None,), dtype="string", ok=False)
_add(
    "TextVectorization",
    {"vocabulary": V, "output_sequence_length": 4},
    (None, 3),
    dtype="string",
    stricter=True,
    runtime_error=True,
    note="Keras builds TextVectorization on (batch, 3) strings; splitting them fails on data (rank 1 or last dim 1).",
)
_add(
    "TextVectorization",
    {"vocabulary": V, "output_sequence_length": 4},
    (None, 1),
    dtype="int32",
    tag="int32",
    stricter=True,
    runtime_error=True,
    note="Keras builds TextVectorization on an int tensor; data fails.",
)

# --------------------------------------------------------------------------- Hashing
for mode in ("int", "one_hot", "multi_hot", "count"):
    _cases(
        "Hashing", [{"num_bins": 5, "output_mode": mode}], [(None, 3), (None, 1), (None,), (None, 2, 3)], dtype="string"
    )
_add("Hashing", {"num_bins": 5}, (None, 3), dtype="int64", tag="int64")
_add("Hashing", {"num_bins": 5, "mask_value": "", "salt": 7}, (None, 3), dtype="string")
_add("Hashing", {"num_bins": 0}, (None, 3), dtype="string", ok=False)
_add("Hashing", {"num_bins": 3, "output_mode": "tf_idf"}, (None, 3), dtype="string", ok=False)
_add("Hashing", {"num_bins": 3, "sparse": True}, (None, 3), dtype="string", ok=False)

# --------------------------------------------------------------------------- CategoryEncoding
for mode in ("one_hot", "multi_hot", "count"):
    _cases(
        "CategoryEncoding",
        [{"num_tokens": 5, "output_mode": mode}],
        [(None, 3), (None, 1), (None,), (None, 2, 3)],
        dtype="int32",
    )
_add("CategoryEncoding", {"num_tokens": 4}, (None, 3), tag="float32")
_add("CategoryEncoding", {}, (None, 3), dtype="int32", ok=False)
_add("CategoryEncoding", {"num_tokens": 0}, (None, 3), dtype="int32", ok=False)
_add("CategoryEncoding", {"num_tokens": 3, "output_mode": "int"}, (None, 3), dtype="int32", ok=False)

# --------------------------------------------------------------------------- Discretization
for mode in ("int", "one_hot", "multi_hot", "count"):
    _grid(
        "Discretization",
        [{"bin_boundaries": (0.0, 1.0), "output_mode": mode}],
        [(None, 3), (None, 1), (None,), (None, 2, 3)],
    )
_add("Discretization", {"bin_boundaries": (0.0, 0.5, 1.0)}, (None, 3), dtype="int32", tag="int32")
_add(
    "Discretization",
    {"num_bins": 4},
    (None, 3),
    runtime_error=True,
    note="Keras builds Discretization(num_bins) without adapt(); data fails (we warn).",
)
_add("Discretization", {}, (None, 3), ok=False)
_add("Discretization", {"bin_boundaries": (0.0,), "num_bins": 3}, (None, 3), ok=False)
_add("Discretization", {"bin_boundaries": (0.0,), "output_mode": "tf_idf"}, (None, 3), ok=False)
_add("Discretization", {"bin_boundaries": (0.0,), "sparse": True}, (None, 3), ok=False)
_add(
    "Discretization",
    {"bin_boundaries": (0.0, 1.0)},
    (None, 3),
    dtype="string",
    tag="string",
    stricter=True,
    runtime_error=True,
    note=STRINGS_INTO_NUMBERS,
)

# --------------------------------------------------------------------------- strings into other layers
_add(
    "Dense",
    {"units": 3},
    (None, 4),
    dtype="string",
    tag="string",
    stricter=True,
    runtime_error=True,
    note=STRINGS_INTO_NUMBERS,
)
_add(
    "Embedding",
    {"input_dim": 10, "output_dim": 3},
    (None, 4),
    dtype="string",
    tag="string",
    stricter=True,
    runtime_error=True,
    note=STRINGS_INTO_NUMBERS,
)
_add("Flatten", {}, (None, 2, 3), dtype="string", tag="string")
_add("Reshape", {"target_shape": (6,)}, (None, 2, 3), dtype="string", tag="string")
