"""A table of single-layer cases with Keras 3's verdict on each, for tests that compare us with Keras.

Each :class:`Case` is one layer type, one config and the shapes of its inputs (batch axis first,
``None`` for unknown dims), with what Keras does when the layer is called on ``keras.Input``
tensors of those shapes:

* ``ok=True``: Keras builds it symbolically. Our validator must agree on the output shape and the
  trainable / non-trainable parameter counts, and report no error on the node.
* ``ok=False``: Keras refuses it (the constructor or the symbolic call raises). Our validator must
  report at least one error on the node.

Two kinds of case are marked explicitly, each with a ``note`` that says why:

* ``runtime_error``: Keras accepts it symbolically but the layer fails when it runs on real data
  (``predict``/``fit``), or runs with another shape than Keras inferred. The test checks that too,
  by running the layer on zeros of the ``concrete`` shapes the way ``predict`` does. ``cpu_only``
  marks failures of TensorFlow's CPU kernels (channels_first convolutions), which a GPU runs fine.
* ``stricter``: our validator reports an error although Keras builds the layer symbolically (a
  model Keras would accept but that fails or makes no sense at fit time).

Each issue's ``keras`` verdict must match the marks: ``build`` where ``ok=False``, ``runtime``
for ``runtime_error``, ``stricter`` for the other ``stricter`` cases. More cases come from the
modules of ``tests/reference_cases/`` (one per catalog category).

The module also holds the hand-written Keras models of the templates and of the seed cases
(``template_models()``, ``seed_case_models()``): every reference Keras model in one place.

It imports neither Keras nor the builder at import time (it reads the activations from
``builder/core/catalog.json``), so fuzzers and compiler tests can reuse the table (``CASES``,
``by_type()``) without paying for TensorFlow. Use ``case.id`` (unique, readable, e.g.
``Conv1D-f8-k5-s2-same-(None,None,8)``) as a key: cases hold dicts and are not hashable.
"""

from __future__ import annotations

import importlib
import json
import os
import pkgutil
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

# The activations the catalog offers (read from the JSON, so this module needs no builder import).
ACTIVATIONS: tuple[str, ...] = tuple(
    json.loads((Path(__file__).parents[1] / "builder" / "core" / "catalog.json").read_text(encoding="utf-8"))[
        "activations"
    ]
)

Shape = tuple[int | None, ...]

_ABBR = {
    "units": "u",
    "filters": "f",
    "kernel_size": "k",
    "strides": "s",
    "dilation_rate": "d",
    "groups": "g",
    "pool_size": "p",
    "depth_multiplier": "m",
    "size": "x",
    "rate": "r",
    "input_dim": "in",
    "output_dim": "out",
    "target_shape": "to",
    "batch_size": "batch",
    "max_value": "max",
    "negative_slope": "slope",
    "threshold": "thr",
    "interpolation": "",
    "activation": "",
}


def _value(value: Any) -> str:
    if isinstance(value, Mapping) and "type" in value:  # a wrapped layer
        return f"{value['type']}[{_config_id(value.get('config', {}))}]"
    if isinstance(value, (tuple, list)):
        return "x".join(_value(v) for v in value) if value else "()"
    return "None" if value is None else str(value)


def _config_id(config: Mapping[str, Any]) -> str:
    parts = []
    for key, value in config.items():
        if key == "padding" and isinstance(value, str):
            parts.append(value)
        elif key == "data_format":
            parts.append({"channels_first": "cf", "channels_last": "cl"}.get(value, str(value)))
        elif key == "shape":
            parts.append("shape" + shape_text(value))
        elif key == "use_bias" and value is False:
            parts.append("nobias")
        elif key == "return_sequences":
            parts.append("seq" if value else "last")
        elif isinstance(value, bool):
            parts.append(key if value else f"no_{key}")
        elif key == "padding":  # ZeroPadding2D: int, (rows, cols) or ((top, bottom), (left, right))
            nested = isinstance(value, tuple) and isinstance(value[0], tuple)
            parts.append("pad" + ("_".join(_value(v) for v in value) if nested else _value(value)))
        else:
            parts.append(f"{_ABBR.get(key, key)}{_value(value)}")
    return "-".join(parts)


def shape_text(shape: Shape) -> str:
    items = ["None" if d is None else str(d) for d in shape]
    return "(" + ",".join(items) + ("," if len(items) == 1 else "") + ")"


@dataclass(frozen=True)
class Case:
    type: str
    config: Mapping[str, Any]
    inputs: tuple[Shape, ...]
    ok: bool = True  # Keras builds it symbolically
    stricter: bool = False  # we report an error although Keras accepts it symbolically
    runtime_error: bool = False  # Keras accepts it symbolically, fails on real data
    cpu_only: bool = False  # ... only on TensorFlow's CPU kernels
    concrete: tuple[Shape, ...] = ()  # shapes of the data for the runtime checks (see concrete_shapes)
    dtype: str | None = None  # dtype of the Input tensors
    note: str = ""
    tag: str = ""
    id: str = field(default="", compare=False)

    @property
    def ours_error(self) -> bool:
        """Whether our validator must report an error on the layer's node."""
        return not self.ok or self.stricter

    def concrete_shapes(self) -> tuple[tuple[int, ...], ...]:
        """Shapes of data to run the layer on: ``concrete`` if given, else the inputs with each
        ``None`` taken from another input's known dim at the same place (counted from the end, as
        broadcasting aligns them), or 2 for the batch axis and 12 for the others."""
        if self.concrete:
            return tuple(tuple(int(d) for d in s) for s in self.concrete)  # type: ignore[arg-type]
        batch = next((s[0] for s in self.inputs if s and s[0] is not None), 2)
        out = []
        for shape in self.inputs:
            dims = [batch] if shape else []
            for i in range(1, len(shape)):
                back = len(shape) - i
                known = [s[-back] for s in self.inputs if len(s) - back >= 1 and s[-back] not in (None, 1)]
                dims.append(shape[i] if shape[i] is not None else known[0] if known else 12)
            out.append(tuple(dims))
        return tuple(out)


def _make_id(case: Case) -> str:
    parts = [case.type]
    cfg = _config_id(case.config)
    if cfg:
        parts.append(cfg)
    if case.tag:
        parts.append(case.tag)
    if case.inputs:
        parts.append("+".join(shape_text(s) for s in case.inputs))
    return "-".join(parts)


CASES: list[Case] = []


def _add(
    type_: str,
    config: Mapping[str, Any],
    *inputs: Shape,
    ok: bool = True,
    **kw: Any,
) -> None:
    case = Case(type_, dict(config), tuple(inputs), ok=ok, **kw)
    object.__setattr__(case, "id", _make_id(case))
    CASES.append(case)


def _grid(
    type_: str, configs: Iterable[Mapping[str, Any]], shapes: Iterable[Shape], ok: bool = True, **kw: Any
) -> None:
    shapes = list(shapes)
    for config in configs:
        for shape in shapes:
            _add(type_, config, shape, ok=ok, **kw)


N = None
CF = {"data_format": "channels_first"}
CPU_NCHW = (
    "TensorFlow's CPU convolution kernels only support channels_last (NHWC); Keras builds the "
    "channels_first layer but calling it on the CPU fails (a GPU runs it)."
)

# --------------------------------------------------------------------------- Input
for shape in [(32,), (None,), (10, None, 3), (), (280, 256), (None, None, None)]:
    _add("Input", {"shape": shape})
_add("Input", {"shape": (5,), "batch_size": 4})
_add("Input", {"shape": (100,), "dtype": "int32"})
_add("Input", {"shape": (None, 8), "batch_size": 2})
_add("Input", {"shape": (3,), "dtype": "string"})
_add("Input", {"shape": (-1,)}, ok=False)
_add("Input", {"shape": (3, -2)}, ok=False)
_add(
    "Input",
    {"shape": (0,)},
    stricter=True,
    note="Keras accepts a zero-size dimension (an Input that holds no values); the builder refuses zero sizes.",
)
_add(
    "Input",
    {"shape": (2_000_000,)},
    stricter=True,
    note="Keras accepts any size symbolically; the catalog caps dims at 1,000,000 to refuse absurd sizes.",
)

# --------------------------------------------------------------------------- Dense
_grid("Dense", [{"units": 1}, {"units": 16}], [(None, 8), (None, 5, 8), (None, None, 8), (4, 8), (None, 2, 3, 8)])
_grid("Dense", [{"units": 4, "use_bias": False}, {"units": 3, "activation": "relu"}], [(None, 8), (None, None, 5)])
_add("Dense", {"units": 64}, (None, 1))
_grid("Dense", [{"units": 4}], [(None,), (None, None), (None, 4, None), (None, None, None)], ok=False)
_add("Dense", {"units": 0}, (None, 8), ok=False)
_add("Dense", {"units": -3}, (None, 8), ok=False)
_add("Dense", {"units": 4, "activation": "no_such_activation"}, (None, 8), ok=False)
_add("Dense", {"units": 2.5}, (None, 8), ok=False)
_add(
    "Dense",
    {"units": 2_000_000},
    (None, 1),
    stricter=True,
    note="Keras builds a Dense of 2,000,000 units; the catalog caps units at 1,048,576 to refuse absurd sizes.",
)

# --------------------------------------------------------------------------- Embedding
_grid(
    "Embedding",
    [{"input_dim": 10000, "output_dim": 512}, {"input_dim": 1, "output_dim": 1}],
    [(None, 100), (None, None), (None,), (None, 4, 5), (8, 20)],
    dtype="int32",
)
_add("Embedding", {"input_dim": 50, "output_dim": 8, "mask_zero": True}, (None, 12), dtype="int32")
_add("Embedding", {"input_dim": 50, "output_dim": 8}, (None, 12), tag="float-ids")
_add("Embedding", {"input_dim": 0, "output_dim": 8}, (None, 12), ok=False, dtype="int32")
_add("Embedding", {"input_dim": 50, "output_dim": 0}, (None, 12), ok=False, dtype="int32")

# --------------------------------------------------------------------------- recurrent
for rnn in ("LSTM", "GRU", "SimpleRNN"):
    _grid(
        rnn,
        [{"units": 32, "return_sequences": False}, {"units": 32, "return_sequences": True}],
        [(None, 10, 8), (None, None, 8), (4, 10, 8), (None, 1, 1)],
    )
    _grid(rnn, [{"units": 5, "use_bias": False}, {"units": 5, "go_backwards": True}], [(None, 7, 3)])
    _add(rnn, {"units": 6, "dropout": 0.5, "recurrent_dropout": 0.2}, (None, 7, 3))
    _add(rnn, {"units": 6, "stateful": True}, (4, 7, 3))
    _add(rnn, {"units": 6, "unroll": True}, (None, 7, 3))
    _grid(rnn, [{"units": 4}], [(None, 8), (None, 3, 4, 5), (None, 10, None), (None,)], ok=False)
    _add(rnn, {"units": 0}, (None, 10, 8), ok=False)
    _add(rnn, {"units": 6, "stateful": True}, (None, 7, 3), ok=False)
    _add(
        rnn,
        {"units": 6, "unroll": True},
        (None, None, 3),
        stricter=True,
        runtime_error=True,
        note="Keras builds an unrolled RNN on an undefined number of steps, and predict works for the "
        "first sequence length; once the function is traced for a variable length, predict and fit "
        "fail: 'Cannot unroll a RNN if the time dimension is undefined'.",
    )
for reset_after in (True, False):
    _grid(
        "GRU",
        [{"units": 16, "reset_after": reset_after}, {"units": 16, "reset_after": reset_after, "use_bias": False}],
        [(None, 10, 8)],
    )
_add("GRU", {"units": 16, "reset_after": False, "return_sequences": True}, (None, None, 4))
_add("LSTM", {"units": 64}, (None, 280, 256))
_add("LSTM", {"units": 32}, (None, 100, 512))
_add("LSTM", {"units": 8, "unit_forget_bias": False}, (None, 5, 3))

# --------------------------------------------------------------------------- Dropout, Activation, ReLU
_grid("Dropout", [{"rate": 0.5}, {"rate": 0.0}, {"rate": 1.0}], [(None, 8), (None, None, 4), (None,)])
_add("Dropout", {"rate": 0.2}, (None, 2, 3, 4, 5))
_add("Dropout", {"rate": 0.3, "noise_shape": (None, 1, 8)}, (None, 5, 8))
_add("Dropout", {"rate": -0.1}, (None, 8), ok=False)
_add("Dropout", {"rate": 1.5}, (None, 8), ok=False)
_grid("Activation", [{"activation": "relu"}, {"activation": "softmax"}], [(None, 8), (None, None, 4), (None,)])
_add("Activation", {"activation": "linear"}, (None, 2, 3, 4))
_add("Activation", {"activation": "no_such_activation"}, (None, 8), ok=False)
_grid(
    "ReLU",
    [{}, {"max_value": 6.0}, {"negative_slope": 0.1}, {"threshold": 0.5}],
    [(None, 8), (None, None, 3)],
)
_add("ReLU", {}, (None,))
_add("ReLU", {"negative_slope": -1.0}, (None, 8), ok=False)
_add("ReLU", {"max_value": -1.0}, (None, 8), ok=False)
_add("ReLU", {"threshold": -1.0}, (None, 8), ok=False)
for name in ACTIVATIONS:
    _add("Activation", {"activation": name}, (None, 6), tag="every-activation")
GLU = (
    "Keras' 'glu' activation halves the last axis, but Keras infers the unchanged shape, so the "
    "symbolic model disagrees with what runs (the next layer or the loss fails at fit); the catalog "
    "leaves 'glu' out."
)
_add("Activation", {"activation": "glu"}, (None, 8), stricter=True, runtime_error=True, note=GLU)
_add("Dense", {"units": 8, "activation": "glu"}, (None, 3), stricter=True, runtime_error=True, note=GLU)

# --------------------------------------------------------------------------- Flatten, Reshape
_grid("Flatten", [{}], [(None, 3, 4), (None, None, 4), (None,), (None, 8), (None, 2, 3, 4), (5, 2, 3)])
_grid("Flatten", [CF], [(None, 2, 3, 4), (None, 3, None)])
_add("Flatten", {"data_format": "channels_middle"}, (None, 2, 3), ok=False)
for target, shape in [
    ((3, 4), (None, 12)),
    ((-1,), (None, 3, 4)),
    ((-1, 2), (None, 12)),
    ((2, -1, 3), (None, 12)),
    ((4, 3), (None, 3, 4)),
    ((-1, 2), (None, None, 4)),
    ((1, 1, 12), (None, 12)),
    ((12,), (7, 3, 4)),
    ((3, 4), (None, 2, 6)),
]:
    _add("Reshape", {"target_shape": target}, shape)
_add("Reshape", {"target_shape": (5, 2)}, (None, None), concrete=((2, 10),))
for target, shape in [
    ((5,), (None, 12)),
    ((-1, 5), (None, 12)),
    ((-1, -1), (None, 12)),
    ((0,), (None, 12)),
    ((3, 5), (None, 3, 4)),
]:
    _add("Reshape", {"target_shape": target}, shape, ok=False)
_add(
    "Reshape",
    {"target_shape": (5,)},
    (None, None),
    runtime_error=True,
    concrete=((2, 12),),
    note="A None dim defers the size check to run time: reshaping 12 values into 5 fails on real data.",
)

# --------------------------------------------------------------------------- normalization
_grid("BatchNormalization", [{}], [(None, 8), (None, 10, 8), (None, None, 8), (None, 4, 4, 3), (None, None, None, 3)])
_grid(
    "BatchNormalization",
    [{"axis": 1}, {"axis": -2}, {"axis": 2}],
    [(None, 3, 4, 5), (None, 6, 7)],
)
_grid(
    "BatchNormalization",
    [{"center": False}, {"scale": False}, {"center": False, "scale": False}],
    [(None, 4, 4, 3)],
)
_add("BatchNormalization", {"axis": 0}, (4, 3), tag="batch-axis")
_add("BatchNormalization", {"synchronized": True, "momentum": 0.9, "epsilon": 1e-5}, (None, 6))
_add("BatchNormalization", {"renorm": True, "renorm_momentum": 0.9}, (None, 5, 6))  # 3 more weights
_add("BatchNormalization", {"renorm": True, "center": False}, (None, 4, 4, 3))
_add("LayerNormalization", {"axis": 0}, (4, 3), tag="batch-axis")
_grid(
    "BatchNormalization",
    [{}],
    [(None, 4, None), (None,), (None, None)],
    ok=False,
)
_add("BatchNormalization", {"axis": 1}, (None, None, 4), ok=False)
_add("BatchNormalization", {"axis": 3}, (None, 4, 5), ok=False)
_add("BatchNormalization", {"axis": -4}, (None, 4, 5), ok=False)
_add("BatchNormalization", {"axis": 0}, (None, 3), ok=False)
_grid("LayerNormalization", [{}], [(None, 8), (None, 10, 8), (None, None, 8), (None, 4, 4, 3)])
_grid(
    "LayerNormalization",
    [{"axis": 1}, {"center": False}, {"scale": False}, {"center": False, "scale": False}, {"rms_scaling": True}],
    [(None, 6, 7)],
)
_add("LayerNormalization", {"axis": -2}, (None, 3, 4, 5))
_grid("LayerNormalization", [{}], [(None, 4, None), (None,)], ok=False)
_add("LayerNormalization", {"axis": 3}, (None, 4, 5), ok=False)
_add("LayerNormalization", {"axis": -4}, (None, 4, 5), ok=False)
_add("LayerNormalization", {"axis": 1}, (None, None, 5), ok=False)

# --------------------------------------------------------------------------- Concatenate
for axis in (1, -1):
    for rank in (2, 3, 4):
        tail = (5,) * (rank - 2)
        a, b = (None, *tail, 3), (None, *tail, 4)
        if axis == 1:
            a, b = (None, 3, *tail), (None, 4, *tail)
        _add("Concatenate", {"axis": axis}, a, b)
        _add("Concatenate", {"axis": axis}, a, b, a)
_add("Concatenate", {}, (None, 32), (None, 5))
_add("Concatenate", {}, (None, 32), (None, 5), (None, None))
_add("Concatenate", {}, (None, 10, 32), (None, None, 8))
_add("Concatenate", {"axis": 1}, (None, None, 8), (None, 12, None))
_add("Concatenate", {"axis": -2}, (None, 3, 8), (None, 4, 8))
_add("Concatenate", {"axis": 2}, (None, 4, 3, 2), (None, 4, 5, 2))
_add("Concatenate", {}, (None, 16, 16, 128), (None, 16, 16, 128), (None, 16, 16, 192), (None, 16, 16, 64))
_add("Concatenate", {}, (4, 3), (4, 5))
_add("Concatenate", {}, (4, 3), (None, 5))
_add("Concatenate", {}, (None, 3), (4, 5), tag="batch-from-input-0")
_add("Concatenate", {}, (None, None, 8), (None, 5, 8), tag="dims-from-input-0")
_add("Concatenate", {"axis": 1}, (None, 2, None), (None, 3, 4), (None, 1, 4))
_add("Concatenate", {}, (None, 7))
_add("Concatenate", {}, (None, 10, 32), (None, 12, 32), ok=False)
_add("Concatenate", {"axis": 1}, (None, 10, 32), (None, 10, 16), ok=False)
_add("Concatenate", {}, (None, 10, 32), (None, 32), ok=False)
_add("Concatenate", {}, (None, 32), (None, 10, 32), ok=False)
_add("Concatenate", {"axis": 1}, (None, 4, 5, 3), (None, 4, 6, 3), ok=False)
_add("Concatenate", {}, (None, 4, 3), (None, 4, 3), (None, 5, 3), ok=False)
_add("Concatenate", {}, (2, 3), (4, 5), ok=False)
_add("Concatenate", {}, (None, None, 3), (None, 4, 3), (None, 5, 3), ok=False)
_add("Concatenate", {}, (None, 3), (2, 3), (4, 3), ok=False)
_add("Concatenate", {"axis": 3}, (None, 4, 3), (None, 4, 3), ok=False)
_add(
    "Concatenate",
    {},
    (None,),
    (None,),
    stricter=True,
    note="On rank-1 inputs axis=-1 is the batch axis: Keras concatenates the batches (see axis=0).",
)
_add("Concatenate", {"axis": -4}, (None, 4, 3), (None, 4, 3), ok=False)
_add(
    "Concatenate",
    {"axis": 0},
    (None, 3),
    (None, 3),
    stricter=True,
    note="Keras concatenates along the batch axis symbolically (and predict runs), but the model's "
    "outputs then have a different batch size than its inputs and targets, which fails at fit.",
)

# --------------------------------------------------------------------------- element-wise merges
MERGES = ("Add", "Multiply", "Average", "Maximum", "Minimum")
for merge in MERGES:
    for shapes in [
        ((None, 8), (None, 8)),
        ((None, 8), (None, 8), (None, 8)),
        ((None, 16, 16, 128), (None, 16, 16, 128)),
        ((None, 4, 1), (None, 1, 5)),
        ((None, 4, 8), (None, 8)),
        ((None, 8), (None,)),
        ((None, None, 8), (None, 5, 8)),
        ((None, 8), (None, None)),
        ((4, 8), (None, 8)),
        ((None, 7),),
        ((None,), (None, 4, 8)),
        ((None, 1), (None, 3, 5)),
        ((None, 2, 1, 4), (None, 3, 1)),
    ]:
        _add(merge, {}, *shapes)
    for shapes in [
        ((None, 8), (None, 4)),
        ((None, 16, 16, 128), (None, 32, 32, 128)),
        ((None, 8), (None, 8), (None, 3)),
        ((None, 4, 8), (None, 4)),
        ((2, 8), (4, 8)),
        ((None, 3, 5), (None, 2, 5)),
    ]:
        _add(merge, {}, *shapes, ok=False)
_add("Subtract", {}, (None, 8), (None, 8))
_add("Subtract", {}, (None, 4, 1), (None, 1, 5))
_add("Subtract", {}, (None, 4, 8), (None, 8))
_add("Subtract", {}, (None, None, 8), (None, 5, None))
_add("Subtract", {}, (None, 8), (None,))
_add("Subtract", {}, (None, 8), (None, 4), ok=False)
_add("Subtract", {}, (None, 8), (None, 8), (None, 8), ok=False)
_add("Subtract", {}, (None, 8), ok=False)
_add("Subtract", {}, (None, 16, 16, 128), (None, 32, 32, 128), ok=False)

# --------------------------------------------------------------------------- Conv1D
_grid(
    "Conv1D",
    [
        {"filters": 128, "kernel_size": 5},
        {"filters": 8, "kernel_size": 5, "strides": 2, "padding": "same"},
        {"filters": 8, "kernel_size": 3, "padding": "causal"},
        {"filters": 8, "kernel_size": 3, "strides": 2, "padding": "causal"},
        {"filters": 8, "kernel_size": 3, "dilation_rate": 2},
        {"filters": 8, "kernel_size": 3, "dilation_rate": 2, "padding": "causal"},
        {"filters": 8, "kernel_size": 4, "strides": 3},
        {"filters": 6, "kernel_size": 3, "groups": 2},
        {"filters": 8, "kernel_size": 1, "use_bias": False},
    ],
    [(None, 100, 8), (None, None, 8), (4, 10, 8)],
)
_add("Conv1D", {"filters": 4, "kernel_size": 10}, (None, 10, 3), tag="kernel-eq-len")
_add("Conv1D", {"filters": 4, "kernel_size": 3, "dilation_rate": 4}, (None, 9, 3), tag="dilated-eq-len")
_add("Conv1D", {"filters": 4, "kernel_size": 11, "padding": "same"}, (None, 10, 3))
_add("Conv1D", {"filters": 4, "kernel_size": 11, "padding": "causal"}, (None, 10, 3))
_add("Conv1D", {"filters": 4, "kernel_size": 11}, (None, None, 3))
_add("Conv1D", {"filters": 4, "kernel_size": (3,), "strides": (2,)}, (None, 10, 3))
for cfg in [
    {"filters": 4, "kernel_size": 3, **CF},
    {"filters": 4, "kernel_size": 3, "padding": "same", "strides": 2, **CF},
    {"filters": 4, "kernel_size": 3, "padding": "causal", **CF},
]:
    for shape in [(None, 8, 10), (None, 8, None)]:
        _add("Conv1D", cfg, shape, runtime_error=True, cpu_only=True, note=CPU_NCHW)
_add("Conv1D", {"filters": 4, "kernel_size": 3, **CF}, (None, None, 10), ok=False, tag="undefined-channels")
_add("Conv1D", {"filters": 4, "kernel_size": 11}, (None, 10, 3), ok=False)
_add("Conv1D", {"filters": 4, "kernel_size": 3, "dilation_rate": 5}, (None, 10, 3), ok=False)
_add("Conv1D", {"filters": 4, "kernel_size": 3}, (None, 10, None), ok=False)
_add("Conv1D", {"filters": 4, "kernel_size": 3}, (None, 10), ok=False)
_add("Conv1D", {"filters": 4, "kernel_size": 3}, (None, 10, 3, 3), ok=False)
_add("Conv1D", {"filters": 4, "kernel_size": 3, "strides": 2, "dilation_rate": 2}, (None, 20, 3), ok=False)
_add("Conv1D", {"filters": 4, "kernel_size": 3, "groups": 3}, (None, 20, 6), ok=False)
_add("Conv1D", {"filters": 4, "kernel_size": 3, "groups": 2}, (None, 20, 3), ok=False)
_add("Conv1D", {"filters": 0, "kernel_size": 3}, (None, 20, 3), ok=False)
_add("Conv1D", {"filters": 4, "kernel_size": 0}, (None, 20, 3), ok=False)
_add("Conv1D", {"filters": 4, "kernel_size": 3, "strides": 0}, (None, 20, 3), ok=False)

# --------------------------------------------------------------------------- Conv2D
_grid(
    "Conv2D",
    [
        {"filters": 16, "kernel_size": 3},
        {"filters": 128, "kernel_size": 3, "padding": "same", "activation": "relu"},
        {"filters": 16, "kernel_size": (3, 5), "strides": (2, 1)},
        {"filters": 16, "kernel_size": 3, "strides": 2, "padding": "same"},
        {"filters": 16, "kernel_size": 3, "dilation_rate": (2, 1)},
        {"filters": 8, "kernel_size": 1, "use_bias": False},
        {"filters": 8, "kernel_size": 3, "groups": 4},
    ],
    [(None, 32, 32, 4), (None, None, None, 4), (None, 32, None, 4), (2, 9, 7, 4)],
)
_add("Conv2D", {"filters": 4, "kernel_size": (32, 32)}, (None, 32, 32, 3), tag="kernel-eq-input")
_add("Conv2D", {"filters": 4, "kernel_size": 33, "padding": "same"}, (None, 32, 32, 3))
_add("Conv2D", {"filters": 128, "kernel_size": 1, "strides": 2, "padding": "same"}, (None, 32, 32, 128))
for cfg in [
    {"filters": 4, "kernel_size": 3, **CF},
    {"filters": 4, "kernel_size": 3, "strides": 2, "padding": "same", **CF},
]:
    for shape in [(None, 3, 32, 32), (None, 3, None, None)]:
        _add("Conv2D", cfg, shape, runtime_error=True, cpu_only=True, note=CPU_NCHW)
_add("Conv2D", {"filters": 4, "kernel_size": 3, **CF}, (None, None, 8, 8), ok=False, tag="undefined-channels")
_add("Conv2D", {"filters": 4, "kernel_size": 3, **CF}, (None, 8, 2, 8), ok=False, tag="cf-too-small")
_add("Conv2D", {"filters": 4, "kernel_size": 3}, (None, 2, 8, 3), ok=False)
_add("Conv2D", {"filters": 4, "kernel_size": (3, 9)}, (None, 8, 8, 3), ok=False)
_add("Conv2D", {"filters": 4, "kernel_size": 3}, (None, 8, 8, None), ok=False)
_add("Conv2D", {"filters": 4, "kernel_size": 3}, (None, 8, 8), ok=False)
_add("Conv2D", {"filters": 4, "kernel_size": 3}, (None, 8, 8, 3, 1), ok=False)
_add("Conv2D", {"filters": 4, "kernel_size": 3, "padding": "causal"}, (None, 8, 8, 3), ok=False)
_add("Conv2D", {"filters": 4, "kernel_size": 3, "strides": 2, "dilation_rate": 2}, (None, 16, 16, 3), ok=False)
_add("Conv2D", {"filters": 6, "kernel_size": 3, "groups": 4}, (None, 8, 8, 8), ok=False)
_add("Conv2D", {"filters": 8, "kernel_size": 3, "groups": 4}, (None, 8, 8, 6), ok=False)

# --------------------------------------------------------------------------- DepthwiseConv2D
_grid(
    "DepthwiseConv2D",
    [
        {"kernel_size": 3},
        {"kernel_size": 3, "depth_multiplier": 2},
        {"kernel_size": (3, 5), "strides": 2, "padding": "same"},
        {"kernel_size": 3, "dilation_rate": 2, "use_bias": False},
    ],
    [(None, 16, 16, 8), (None, None, None, 3)],
)
_add("DepthwiseConv2D", {"kernel_size": 3, "strides": 2, "dilation_rate": 2}, (None, 8, 10, 3))
_add("DepthwiseConv2D", {"kernel_size": 3, **CF}, (None, 3, 8, 8))
_add("DepthwiseConv2D", {"kernel_size": 8}, (None, 8, 8, 3), tag="kernel-eq-input")
_add("DepthwiseConv2D", {"kernel_size": 9}, (None, 8, 8, 3), ok=False)
_add("DepthwiseConv2D", {"kernel_size": 3}, (None, 8, 8, None), ok=False)
_add("DepthwiseConv2D", {"kernel_size": 3}, (None, 8, 3), ok=False)
_add("DepthwiseConv2D", {"kernel_size": 3, "padding": "causal"}, (None, 8, 8, 3), ok=False)
_add("DepthwiseConv2D", {"kernel_size": 3, "depth_multiplier": 0}, (None, 8, 8, 3), ok=False)

# --------------------------------------------------------------------------- pooling
for pool in ("MaxPooling1D", "AveragePooling1D"):
    _grid(
        pool,
        [
            {"pool_size": 2},
            {"pool_size": 3, "strides": 1},
            {"pool_size": 3, "strides": 2, "padding": "same"},
            {"pool_size": 5, "padding": "same"},
        ],
        [(None, 10, 8), (None, None, 8), (None, 10, None)],
    )
    _add(pool, {"pool_size": 10}, (None, 10, 4), tag="pool-eq-len")
    _add(pool, {"pool_size": 11, "padding": "same"}, (None, 10, 4))
    _add(pool, {"pool_size": 2, **CF}, (None, 4, 10))
    _add(pool, {"pool_size": 3, "strides": 2, "padding": "same", **CF}, (None, 4, None))
    _add(pool, {"pool_size": 11}, (None, 10, 4), ok=False)
    _add(pool, {"pool_size": 2, **CF}, (None, 10, 1), ok=False, tag="cf-too-small")
    _add(pool, {"pool_size": 2}, (None, 10), ok=False)
    _add(pool, {"pool_size": 2}, (None, 10, 4, 4), ok=False)
    _add(pool, {"pool_size": 2, "strides": 0}, (None, 10, 4), ok=False)
_add("MaxPooling1D", {}, (None, 10, 4), tag="default")
_grid(
    "MaxPooling1D", [{"pool_size": 2, "strides": 3}, {"pool_size": 2, "strides": 3, "padding": "same"}], [(None, 10, 4)]
)
_add("GlobalAveragePooling2D", {}, (3, 7, 7, 8), tag="batch")
_grid(
    "Conv2D",
    [{"filters": 4, "kernel_size": 3, "dilation_rate": 2, "padding": "same"}],
    [(None, 9, 9, 2), (None, 2, 2, 2)],
)
for pool in ("MaxPooling2D", "AveragePooling2D"):
    _grid(
        pool,
        [
            {"pool_size": (2, 2)},
            {"pool_size": 3, "strides": 2},
            {"pool_size": (2, 3), "strides": (1, 2), "padding": "same"},
        ],
        [(None, 32, 32, 3), (None, None, None, 3), (None, 9, None, None)],
    )
    _add(pool, {"pool_size": (8, 8)}, (None, 8, 8, 3), tag="pool-eq-input")
    _add(pool, {"pool_size": 2, **CF}, (None, 3, 8, 8))
    _add(pool, {"pool_size": 3, "strides": 1, "padding": "same"}, (None, 32, 32, 192))
    _add(pool, {"pool_size": (3, 9)}, (None, 8, 8, 3), ok=False)
    _add(pool, {"pool_size": 2, **CF}, (None, 8, 8, 1), ok=False, tag="cf-too-small")
    _add(pool, {"pool_size": 2}, (None, 8, 8), ok=False)
    _add(pool, {"pool_size": 2}, (None, 8), ok=False)
_add("MaxPooling2D", {}, (None, 8, 8, 3), tag="default")

for gp in ("GlobalMaxPooling1D", "GlobalAveragePooling1D"):
    _grid(
        gp, [{}, {"keepdims": True}, CF, {"keepdims": True, **CF}], [(None, 10, 8), (None, None, 8), (None, 10, None)]
    )
    _grid(gp, [{}], [(None, 8), (None, 4, 4, 8)], ok=False)
for gp in ("GlobalMaxPooling2D", "GlobalAveragePooling2D"):
    _grid(gp, [{}, {"keepdims": True}, CF, {"keepdims": True, **CF}], [(None, 7, 7, 8), (None, None, None, 8)])
    _grid(gp, [{}], [(None, 7, 8), (None, 2, 7, 7, 8)], ok=False)

# --------------------------------------------------------------------------- ZeroPadding2D, UpSampling2D
_grid(
    "ZeroPadding2D",
    [{}, {"padding": 2}, {"padding": (1, 2)}, {"padding": ((1, 2), (3, 4))}, {"padding": 0}],
    [(None, 8, 8, 3), (None, None, 8, 3), (None, 8, None, None)],
)
_grid("ZeroPadding2D", [{"padding": ((1, 2), (3, 4)), **CF}], [(None, 3, 8, 8), (None, 3, None, 8)])
_grid("ZeroPadding2D", [{}], [(None, 8, 3), (None, 8, 8, 3, 1)], ok=False)
_add(
    "ZeroPadding2D",
    {"padding": -1},
    (None, 8, 8, 3),
    stricter=True,
    runtime_error=True,
    note="Keras accepts a negative padding symbolically (the shape shrinks) but TensorFlow's Pad "
    "refuses negative paddings on real data.",
)
_grid(
    "UpSampling2D",
    [{}, {"size": 3}, {"size": (2, 3)}],
    [(None, 8, 8, 3), (None, None, 8, 3), (None, None, None, None)],
)
_grid("UpSampling2D", [{"size": (1, 4), "interpolation": "bilinear"}], [(None, 8, 8, 3), (None, 8, 8, None)])
_grid(
    "UpSampling2D",
    [{"size": (1, 4), "interpolation": "bilinear"}, {"interpolation": "area"}],
    [(None, None, 8, 3), (None, 8, None, 3)],
    stricter=True,
    runtime_error=True,
    note="On the TensorFlow backend, resizing with any interpolation but 'nearest' cannot be traced "
    "for unknown rows/cols: Keras builds the layer, then predict and fit fail as soon as a second "
    "image size arrives (OperatorNotAllowedInGraphError).",
)
_grid("UpSampling2D", [{"size": (2, 3), **CF}], [(None, 3, 8, 5), (None, 3, None, 5)])
_grid("UpSampling2D", [{}], [(None, 8, 3), (None, 8, 8, 3, 1)], ok=False)
_add("UpSampling2D", {"size": 0}, (None, 8, 8, 3), ok=False)
_add(
    "UpSampling2D",
    {"size": (2, 2), "interpolation": "cubic"},
    (None, 8, 8, 3),
    stricter=True,
    runtime_error=True,
    note="Keras checks `interpolation` only when the layer runs: 'Invalid value for argument `interpolation`'.",
)


# --------------------------------------------------------------------------- sweeps of the window arithmetic
for length in range(1, 8):
    for padding in ("valid", "same", "causal"):
        cfg = {"filters": 2, "kernel_size": 3, "strides": 2, "padding": padding}
        _add("Conv1D", cfg, (None, length, 2), ok=padding != "valid" or length >= 3, tag="sweep")
    for padding in ("valid", "same"):
        _add(
            "MaxPooling1D",
            {"pool_size": 3, "strides": 2, "padding": padding},
            (None, length, 2),
            ok=padding == "same" or length >= 3,
            tag="sweep",
        )
        _add(
            "AveragePooling2D",
            {"pool_size": (2, 3), "strides": (3, 1), "padding": padding},
            (None, length, 5, 1),
            ok=padding == "same" or length >= 2,
            tag="sweep",
        )
        _add(
            "Conv2D",
            {"filters": 2, "kernel_size": (3, 2), "strides": (2, 3), "dilation_rate": 1, "padding": padding},
            (None, 6, length, 1),
            ok=padding == "same" or length >= 2,
            tag="sweep",
        )


def _check_unique() -> None:
    seen: dict[str, Case] = {}
    for case in CASES:
        if case.id in seen:
            raise AssertionError(f"duplicate case id {case.id!r}")
        seen[case.id] = case
        if (case.stricter or case.runtime_error) and not case.note:
            raise AssertionError(f"case {case.id!r} is marked but has no note")
        if case.runtime_error and not case.ok:
            raise AssertionError(f"case {case.id!r}: a runtime error needs a case Keras builds")


# More cases, one module per catalog category in tests/reference_cases/ (each calls _add/_grid
# from here); imported here, at the end, so that CASES is complete before it is checked.
for _module in sorted(pkgutil.iter_modules([str(Path(__file__).with_name("reference_cases"))])):
    importlib.import_module(f"tests.reference_cases.{_module.name}")

_check_unique()


def by_type() -> dict[str, list[Case]]:
    out: dict[str, list[Case]] = {}
    for case in CASES:
        out.setdefault(case.type, []).append(case)
    return out


# =========================================================================== hand-written Keras models
# The reference Keras models of the templates and of the seed cases (tests/cases/), written as
# a person would with Keras 3; tests/core/test_templates.py and test_seed_cases.py compare them
# with the builder's graphs. Keras is imported inside the functions: importing this module
# stays cheap.


# Hand-written Keras 3 code for every template, following the posts (corrected) with every name
# spelled out, so that Keras' global name counters do not matter.


def template_models() -> dict[str, Any]:
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
    import keras
    from keras import layers

    def news() -> Any:
        main_input = keras.Input(shape=(100,), dtype="int32", name="main_input")
        x = layers.Embedding(input_dim=10000, output_dim=512, name="embedding")(main_input)
        lstm_out = layers.LSTM(32, name="lstm")(x)
        aux_output = layers.Dense(1, activation="sigmoid", name="aux_output")(lstm_out)
        aux_input = keras.Input(shape=(5,), name="aux_input")
        x = layers.concatenate([lstm_out, aux_input], name="concatenate")
        x = layers.Dense(64, activation="relu", name="dense")(x)
        x = layers.Dense(64, activation="relu", name="dense_1")(x)
        x = layers.Dense(64, activation="relu", name="dense_2")(x)
        main_output = layers.Dense(1, activation="sigmoid", name="main_output")(x)
        return keras.Model([main_input, aux_input], [main_output, aux_output])

    def mlp() -> Any:
        inp = keras.Input(shape=(64,), name="input_layer")
        h = layers.Dense(32, activation="relu", name="dense")(inp)
        h = layers.Dense(32, activation="relu", name="dense_1")(h)
        out = layers.Dense(10, activation="softmax", name="dense_2")(h)
        return keras.Model(inp, out)

    def question_answering() -> Any:
        text = keras.Input(shape=(None,), dtype="int32", name="text")
        t = layers.LSTM(32, name="lstm")(layers.Embedding(10000, 64, name="embedding")(text))
        question = keras.Input(shape=(None,), dtype="int32", name="question")
        q = layers.LSTM(16, name="lstm_1")(layers.Embedding(10000, 32, name="embedding_1")(question))
        x = layers.concatenate([t, q], axis=-1, name="concatenate")
        return keras.Model([text, question], layers.Dense(500, activation="softmax", name="dense")(x))

    def social_media_multi_output() -> Any:
        posts = keras.Input(shape=(None,), dtype="int32", name="posts")
        x = layers.Embedding(50000, 256, name="embedding")(posts)
        x = layers.Conv1D(128, 5, activation="relu", name="conv1d")(x)
        x = layers.MaxPooling1D(5, name="max_pooling1d")(x)
        x = layers.Conv1D(256, 5, activation="relu", name="conv1d_1")(x)
        x = layers.Conv1D(256, 5, activation="relu", name="conv1d_2")(x)
        x = layers.MaxPooling1D(5, name="max_pooling1d_1")(x)
        x = layers.Conv1D(256, 5, activation="relu", name="conv1d_3")(x)
        x = layers.Conv1D(256, 5, activation="relu", name="conv1d_4")(x)
        x = layers.GlobalMaxPooling1D(name="global_max_pooling1d")(x)
        x = layers.Dense(128, activation="relu", name="dense")(x)
        age = layers.Dense(1, name="age")(x)
        income = layers.Dense(10, activation="softmax", name="income")(x)
        gender = layers.Dense(1, activation="sigmoid", name="gender")(x)
        return keras.Model(posts, [age, income, gender])

    def tweets() -> tuple[Any, Any, Any, Any]:
        tweet_a = keras.Input(shape=(280, 256), name="input_layer")
        tweet_b = keras.Input(shape=(280, 256), name="input_layer_1")
        shared_lstm = layers.LSTM(64, name="lstm")
        return tweet_a, tweet_b, shared_lstm(tweet_a), shared_lstm(tweet_b)

    def multitask_shared_lstm_concat() -> Any:
        a, b, ea, eb = tweets()
        merged = layers.concatenate([ea, eb], axis=-1, name="concatenate")
        p1 = layers.Dense(1, activation="sigmoid", name="dense")(merged)
        p2 = layers.Dense(1, activation="sigmoid", name="dense_1")(merged)
        return keras.Model([a, b], [p1, p2])

    def multitask_shared_lstm_separate() -> Any:
        a, b, ea, eb = tweets()
        p1 = layers.Dense(1, activation="sigmoid", name="dense")(ea)
        p2 = layers.Dense(1, activation="sigmoid", name="dense_1")(eb)
        return keras.Model([a, b], [p1, p2])

    def siamese_tweets() -> Any:
        a, b, ea, eb = tweets()
        merged = layers.concatenate([ea, eb], axis=-1, name="concatenate")
        return keras.Model([a, b], layers.Dense(1, activation="sigmoid", name="dense")(merged))

    def shared_conv2d() -> Any:
        a = keras.Input(shape=(32, 32, 3), name="input_layer")
        b = keras.Input(shape=(64, 64, 3), name="input_layer_1")
        conv = layers.Conv2D(16, (3, 3), padding="same", name="conv2d")
        conved_a = layers.Activation("linear", name="conved_a")(conv(a))
        conved_b = layers.Activation("linear", name="conved_b")(conv(b))
        return keras.Model([a, b], [conved_a, conved_b])

    def inception_module() -> Any:
        x = keras.Input(shape=(32, 32, 256), name="input_layer")
        kw = {"activation": "relu", "padding": "same"}
        branch_a = layers.Conv2D(128, 1, strides=2, name="conv2d", **kw)(x)
        branch_b = layers.Conv2D(128, 1, name="conv2d_1", **kw)(x)
        branch_b = layers.Conv2D(128, 3, strides=2, name="conv2d_2", **kw)(branch_b)
        branch_c = layers.AveragePooling2D(3, strides=2, padding="same", name="average_pooling2d")(x)
        branch_c = layers.Conv2D(128, 3, name="conv2d_3", **kw)(branch_c)
        branch_d = layers.Conv2D(128, 1, name="conv2d_4", **kw)(x)
        branch_d = layers.Conv2D(128, 3, name="conv2d_5", **kw)(branch_d)
        branch_d = layers.Conv2D(128, 3, strides=2, name="conv2d_6", **kw)(branch_d)
        out = layers.concatenate([branch_a, branch_b, branch_c, branch_d], axis=-1, name="concatenate")
        return keras.Model(x, out)

    def residual_identity() -> Any:
        x = keras.Input(shape=(32, 32, 128), name="input_layer")
        y = layers.Conv2D(128, 3, activation="relu", padding="same", name="conv2d")(x)
        y = layers.Conv2D(128, 3, activation="relu", padding="same", name="conv2d_1")(y)
        y = layers.Conv2D(128, 3, activation="relu", padding="same", name="conv2d_2")(y)
        return keras.Model(x, layers.add([y, x], name="add"))

    def residual_projection() -> Any:
        x = keras.Input(shape=(32, 32, 128), name="input_layer")
        y = layers.Conv2D(128, 3, activation="relu", padding="same", name="conv2d")(x)
        y = layers.Conv2D(128, 3, activation="relu", padding="same", name="conv2d_1")(y)
        y = layers.MaxPooling2D(2, strides=2, name="max_pooling2d")(y)
        residual = layers.Conv2D(128, 1, strides=2, padding="same", name="conv2d_2")(x)
        return keras.Model(x, layers.add([y, residual], name="add"))

    def seq2seq_lstm() -> Any:  # keras-io lstm_seq2seq
        encoder_inputs = keras.Input(shape=(None, 71), name="encoder_inputs")
        _, state_h, state_c = layers.LSTM(256, return_state=True, name="encoder")(encoder_inputs)
        decoder_inputs = keras.Input(shape=(None, 93), name="decoder_inputs")
        decoder_lstm = layers.LSTM(256, return_sequences=True, return_state=True, name="decoder_lstm")
        decoder_outputs, _, _ = decoder_lstm(decoder_inputs, initial_state=[state_h, state_c])
        out = layers.Dense(93, activation="softmax", name="decoder_dense")(decoder_outputs)
        return keras.Model([encoder_inputs, decoder_inputs], out)

    return {
        f.__name__: f
        for f in (
            news,
            mlp,
            question_answering,
            social_media_multi_output,
            multitask_shared_lstm_concat,
            multitask_shared_lstm_separate,
            siamese_tweets,
            shared_conv2d,
            inception_module,
            residual_identity,
            residual_projection,
            seq2seq_lstm,
        )
    }


# Each case rebuilt by hand, as the post wrote it (Keras 3 imports). ``None`` means Keras accepts
# the graph; otherwise the substring Keras' error must contain. The cycle has no Keras spelling.


def seed_case_models() -> dict[str, Callable[[], Any]]:
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
    import keras
    import numpy as np
    from keras import layers

    def news(concat_aux_output: bool) -> Any:
        main_input = keras.Input(shape=(100,), dtype="int32", name="main_input")
        x = layers.Embedding(output_dim=512, input_dim=10000, name="embedding")(main_input)
        lstm_out = layers.LSTM(32, name="lstm")(x)
        auxiliary_output = layers.Dense(1, activation="sigmoid", name="aux_output")(lstm_out)
        auxiliary_input = keras.Input(shape=(5,), name="aux_input")
        second = auxiliary_output if concat_aux_output else auxiliary_input
        x = layers.concatenate([lstm_out, second], name="concatenate")
        for name in ("dense", "dense_1", "dense_2"):
            x = layers.Dense(64, activation="relu", name=name)(x)
        main_output = layers.Dense(1, activation="sigmoid", name="main_output")(x)
        return keras.Model(inputs=[main_input, auxiliary_input], outputs=[main_output, auxiliary_output])

    def seed000_aux_input_unconnected() -> Any:
        model = news(concat_aux_output=True)
        assert model.count_params() == 5_200_354
        assert len(model.inputs) == 2  # Keras keeps the dead input: data is still required for it
        return model

    def seed000_single_loss_two_weights() -> Any:
        model = news(concat_aux_output=False)
        model.compile(optimizer="rmsprop", loss="binary_crossentropy", loss_weights=[1.0, 0.2])
        x = [np.zeros((2, 100), "int32"), np.zeros((2, 5), "float32")]
        y = [np.zeros((2, 1)), np.zeros((2, 1))]
        model.fit(x, y, epochs=1, batch_size=2, verbose=0)  # fails here, not at compile
        return model

    def social(input_dim: int, output_dim: int, heads: tuple[str, str, str]) -> Any:
        posts_input = keras.Input(shape=(None,), dtype="int32", name="input_layer")
        x = layers.Embedding(input_dim, output_dim, name="embedding")(posts_input)
        x = layers.Conv1D(128, 5, activation="relu", name="conv1d")(x)
        x = layers.MaxPooling1D(5, name="max_pooling1d")(x)
        x = layers.Conv1D(256, 5, activation="relu", name="conv1d_1")(x)
        x = layers.Conv1D(256, 5, activation="relu", name="conv1d_2")(x)
        x = layers.MaxPooling1D(5, name="max_pooling1d_1")(x)
        x = layers.Conv1D(256, 5, activation="relu", name="conv1d_3")(x)
        x = layers.Conv1D(256, 5, activation="relu", name="conv1d_4")(x)
        x = layers.GlobalMaxPooling1D(name="global_max_pooling1d")(x)
        x = layers.Dense(128, activation="relu", name="dense")(x)
        age = layers.Dense(1, name=heads[0])(x)
        income = layers.Dense(10, activation="softmax", name=heads[1])(x)
        gender = layers.Dense(1, activation="sigmoid", name=heads[2])(x)
        return keras.Model(posts_input, [age, income, gender])

    def seed004_embedding_swapped() -> Any:
        model = social(256, 50000, ("age", "income", "gender"))
        assert model.count_params() == 45_982_476
        return model

    def seed004_unnamed_heads_loss_dict() -> Any:
        # the names Keras gives the unnamed heads in a fresh session
        model = social(50000, 256, ("dense_1", "dense_2", "dense_3"))
        model.compile(
            optimizer="rmsprop",
            loss={"age": "mse", "income": "categorical_crossentropy", "gender": "binary_crossentropy"},
            loss_weights={"age": 0.25, "income": 1.0, "gender": 10.0},
        )
        x = np.ones((2, 269), "int32")  # 269 tokens: the shortest post the conv stack accepts
        model.fit(x, [np.zeros((2, 1)), np.zeros((2, 10)), np.zeros((2, 1))], epochs=1, verbose=0)
        return model

    def inception_valid_padding() -> Any:
        x = keras.Input(shape=(32, 32, 256))
        branch_a = layers.Conv2D(128, 1, activation="relu", strides=2)(x)
        branch_b = layers.Conv2D(128, 1, activation="relu")(x)
        branch_b = layers.Conv2D(128, 3, activation="relu", strides=2)(branch_b)
        branch_c = layers.AveragePooling2D(3, strides=2)(x)
        branch_c = layers.Conv2D(128, 3, activation="relu")(branch_c)
        branch_d = layers.Conv2D(128, 1, activation="relu")(x)
        branch_d = layers.Conv2D(128, 3, activation="relu")(branch_d)
        branch_d = layers.Conv2D(128, 3, activation="relu", strides=2)(branch_d)
        return layers.concatenate([branch_a, branch_b, branch_c, branch_d], axis=-1)

    def residual_add_mismatch() -> Any:
        x = keras.Input(shape=(32, 32, 128))
        y = layers.Conv2D(128, 3, activation="relu", padding="same")(x)
        y = layers.Conv2D(128, 3, activation="relu", padding="same")(y)
        y = layers.MaxPooling2D(2, strides=2)(y)
        return layers.add([y, x])

    def seed003_shared_dense_64_then_32() -> Any:
        shared_dense = layers.Dense(8, name="shared_dense")
        shared_dense(keras.Input(shape=(64,)))
        return shared_dense(keras.Input(shape=(32,)))

    def dense_zero_units() -> Any:
        return layers.Dense(0)

    return {
        f.__name__: f
        for f in (
            seed000_aux_input_unconnected,
            seed000_single_loss_two_weights,
            seed004_embedding_swapped,
            seed004_unnamed_heads_loss_dict,
            inception_valid_padding,
            residual_add_mismatch,
            seed003_shared_dense_64_then_32,
            dense_zero_units,
        )
    }
