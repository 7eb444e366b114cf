"""The catalog as the one home of a layer type (pure; no Keras): its per-type fields, the one
``is_default`` rule, the one snake-case function and the one loss table, and the modules that
read them instead of keeping their own copies."""

from __future__ import annotations

import copy
import json
from typing import Any

import pytest

from builder.core import losses
from builder.core.catalog import Catalog, catalog, consistency_problems, is_default, load_document
from builder.core.naming import to_snake_case


def test_the_catalog_is_consistent_with_itself() -> None:
    assert consistency_problems() == []


def test_consistency_problems_name_the_type_and_param() -> None:
    doc = load_document()
    broken = copy.deepcopy(doc)
    by_type = {e["type"]: e for e in broken["layers"]}
    del by_type["Dense"]["starter"]["units"]
    by_type["Dropout"]["starter"]["rate"] = 1.5
    by_type["Flatten"]["starter"] = {"nope": 1}
    by_type["Reshape"]["aliases"] = ["Conv2D"]
    by_type["ReLU"]["category"] = "gadgets"
    by_type["Flatten"]["params"]["data_format"]["keras"] = {"too_odd": "build", "invalid": "maybe"}
    assert consistency_problems(Catalog(broken)) == [
        # in catalog order (categories, then file order); a clash is reported at the later type
        "Dense.units: required, but the starter gives no value",
        "ReLU: category 'gadgets' is not in the catalog's categories",
        "Dropout.rate: the starter value is refused: `rate` must be at most 1.0. Received: rate=1.5",
        "Flatten.nope: a starter value for an unknown param",
        "Flatten.data_format: keras 'invalid': 'maybe' (failures ['above_max', 'below_min', 'invalid', 'missing', 'non_integer'], verdicts build / runtime / stricter)",
        "Flatten.data_format: keras 'too_odd': 'build' (failures ['above_max', 'below_min', 'invalid', 'missing', 'non_integer'], verdicts build / runtime / stricter)",
        "Reshape: the name 'Conv2D' also means Conv2D",
    ]


def test_accessors() -> None:
    cat = catalog()
    dense, pool, add = cat["Dense"], cat["MaxPooling2D"], cat["Add"]
    assert dense.positional[:3] == ("units", "activation", "use_bias")
    assert dense.code_positional == ("units",)
    assert pool.code_positional == ("pool_size",)
    assert add.positional == () and add.helper == "add"
    assert cat["Embedding"].keras2 == {"input_length"}
    assert "renorm" not in cat["BatchNormalization"].keras2  # Keras 3.15 takes renorm again
    assert cat.class_names()["Convolution2D"] == "Conv2D"
    assert cat.class_names()["InputLayer"] == "Input"
    assert cat.helpers()["concatenate"] == "Concatenate"
    assert "Input" not in cat.positional_table()
    assert cat.category_of_module("keras.src.layers.rnn.lstm") == "recurrent"
    assert cat.category_of_module("keras.src.models.model") is None
    starter = dense.starter
    starter["units"] = 1
    assert dense.starter == {"units": 64, "activation": "relu"}  # every call a fresh copy


def test_a_type_without_the_new_fields_falls_back_to_its_required_params() -> None:
    doc = load_document()
    entry = next(e for e in doc["layers"] if e["type"] == "Conv2D")
    for key in ("positional", "code_positional", "aliases", "helper", "keras2", "starter"):
        entry.pop(key, None)
    conv = Catalog(doc)["Conv2D"]
    assert conv.positional == conv.code_positional == ("filters", "kernel_size")
    assert (conv.aliases, conv.helper, conv.keras2, conv.starter) == ((), None, frozenset(), {})


def test_categories_follow_keras_modules() -> None:
    cat = catalog()
    assert cat["Dropout"].category == "regularization"
    assert {cat[t].category for t in ("Flatten", "Reshape", "ZeroPadding2D", "UpSampling2D")} == {"reshaping"}
    assert {cat[t].category for t in ("Activation", "ReLU")} == {"activations"}
    assert cat["Dense"].category == "core" and cat["LSTM"].category == "recurrent"


@pytest.mark.parametrize(
    ("type_name", "param", "value", "expected"),
    [
        ("Conv2D", "strides", 1, True),
        ("Conv2D", "strides", (1, 1), True),
        ("Conv2D", "strides", [1, 1], True),
        ("Conv2D", "strides", (1, 2), False),
        ("Conv2D", "filters", 4, False),  # required: never a default
        ("ZeroPadding2D", "padding", ((1, 1), (1, 1)), True),
        ("ZeroPadding2D", "padding", (1, 1), True),
        ("ZeroPadding2D", "padding", (1, 2), False),
        ("Dense", "use_bias", True, True),
        ("Dense", "use_bias", False, False),
        ("Dense", "use_bias", 1, False),  # a number is not a bool
        ("Dense", "activation", None, True),
        ("Dense", "activation", "linear", True),  # activations.get(None) is linear
        ("Dense", "activation", "relu", False),
        ("Conv2D", "data_format", "channels_last", True),
        ("Conv2D", "data_format", "channels_first", False),
        ("LSTM", "dropout", 0, True),
        ("LSTM", "dropout", 0.0, True),
        ("LSTM", "dropout", 0.1, False),
        ("LSTM", "activation", "tanh", True),
        ("LSTM", "activation", None, False),
        ("Dense", "kernel_initializer", "glorot_uniform", True),
        ("Dense", "kernel_initializer", None, False),
        ("Dense", "kernel_initializer", {"class_name": "GlorotUniform", "config": {}}, False),
        ("Dropout", "noise_shape", None, True),
        ("Dropout", "noise_shape", (None, 1), False),
    ],
)
def test_one_is_default_rule(type_name: str, param: str, value: Any, expected: bool) -> None:
    ltype = catalog()[type_name]
    assert is_default(ltype.params[param], value) is expected
    assert ltype.is_default(param, value) is expected


def test_importers_codegen_and_the_inspector_share_the_rule() -> None:
    from builder import codegen
    from builder.importers import common

    ltype = catalog()["Conv2D"]
    for name, value in (("activation", "linear"), ("strides", [1, 1]), ("padding", "same"), ("groups", 1.0)):
        want = is_default(ltype.params[name], value)
        assert common.equals_default(ltype, name, value) is want
        assert codegen.is_default(ltype.params[name], value) is want
    assert ltype.is_default("no_such_param", 1) is False


@pytest.mark.parametrize(
    ("name", "snake"),
    [
        ("Dense", "dense"),
        ("Conv2D", "conv2d"),
        ("ReLU", "re_lu"),
        ("GlobalAveragePooling1D", "global_average_pooling1d"),
        ("BatchNormalization", "batch_normalization"),
        ("GlorotUniform", "glorot_uniform"),
        ("KLDivergence", "kl_divergence"),
        ("LSTM", "lstm"),
    ],
)
def test_one_snake_case(name: str, snake: str) -> None:
    from builder.core.graph import Graph
    from builder.importers.common import keras_snake

    assert to_snake_case(name) == snake
    assert keras_snake is to_snake_case
    if name in catalog():
        assert Graph().new_layer_name(name) == snake


def test_one_loss_table() -> None:
    from builder.core import settings
    from builder.importers.common import LOSS_CLASSES

    assert settings.LOSSES == losses.NAMES and settings.LOSS_ALIASES == losses.ALIASES
    assert LOSS_CLASSES["MeanSquaredError"] == "mean_squared_error"
    assert all(to_snake_case(cls) == name for cls, name in LOSS_CLASSES.items())  # Keras' own naming
    assert losses.canonical("mse") == "mean_squared_error" and losses.canonical("huber") == "huber"
    assert settings.is_loss("kld") and not settings.is_loss("mean_squared_errors")
    assert losses.with_labels(losses.SPARSE) == {"sparse_categorical_crossentropy"}
    kinds = {loss.labels for loss in losses.TABLE}
    assert kinds == {losses.ONE_HOT, losses.SPARSE, losses.BINARY, losses.SIGN, losses.POSITIVE, losses.REAL}


def test_the_data_module_reads_the_loss_table() -> None:
    pytest.importorskip("numpy")
    from builder.keras_edge import data

    assert data.canonical_loss("mae") == "mean_absolute_error"
    assert data.ONE_HOT_LOSSES == losses.with_labels(losses.ONE_HOT)
    assert "poisson" in data.POSITIVE_LOSSES and "hinge" in data.SIGN_LOSSES


def test_the_python_importer_tables_come_from_the_catalog() -> None:
    from builder.importers.python import signatures as ps

    cat = catalog()
    assert ps.POSITIONAL == cat.positional_table()
    assert ps.HELPERS == cat.helpers()
    assert ps.KERAS2_ONLY == cat.keras2_table()


def test_layer_files_are_one_per_category(tmp_path: Any) -> None:
    from builder.core import catalog as catalog_module

    layers = tmp_path / "layers"
    layers.mkdir()
    doc = load_document()
    (tmp_path / "catalog.json").write_text(json.dumps({k: v for k, v in doc.items() if k != "layers"}))
    dense = next(e for e in doc["layers"] if e["type"] == "Dense")
    (layers / "core.json").write_text(json.dumps({"layers": [dense]}))
    assert [e["type"] for e in catalog_module.load_document(tmp_path / "catalog.json", layers)["layers"]] == ["Dense"]
    (layers / "gadgets.json").write_text(json.dumps({"layers": []}))
    with pytest.raises(ValueError, match="unknown categories: \\['gadgets'\\]"):
        catalog_module.load_document(tmp_path / "catalog.json", layers)
    (layers / "gadgets.json").unlink()
    (layers / "merge.json").write_text(json.dumps({"layers": [dense]}))
    with pytest.raises(ValueError, match="Dense is in layers/merge.json but says 'core'"):
        catalog_module.load_document(tmp_path / "catalog.json", layers)
    (layers / "merge.json").write_text(json.dumps({"layers": [{**dense, "category": "merge"}]}))
    with pytest.raises(ValueError, match="'Dense' is defined twice"):
        catalog_module.load_document(tmp_path / "catalog.json", layers)


def test_param_failures_and_what_keras_does_with_them() -> None:
    from builder.core.catalog import param_failure

    cat = catalog()
    acts = cat.activations
    units, rate = cat["Dense"].params["units"], cat["Dropout"].params["rate"]
    lstm_dropout = cat["LSTM"].params["dropout"]
    assert param_failure(units, 8, acts) is None
    assert param_failure(units, 0, acts) == "below_min" and units.verdict("below_min") == "build"
    assert param_failure(units, 10**9, acts) == "above_max" and units.verdict("above_max") == "stricter"
    assert param_failure(units, 2.5, acts) == "non_integer" and units.verdict("non_integer") == "build"
    assert param_failure(units, "8", acts) == "invalid" and units.verdict("invalid") == "build"
    axis = cat["BatchNormalization"].params["axis"]
    assert param_failure(axis, 2.5, acts) == "non_integer" and axis.verdict("non_integer") == "stricter"
    assert param_failure(rate, 1.5, acts) == "above_max" and rate.verdict("above_max") == "build"
    assert param_failure(lstm_dropout, -0.5, acts) == "below_min" and lstm_dropout.verdict("below_min") == "stricter"
    pad = cat["ZeroPadding2D"].params["padding"]
    assert param_failure(pad, ((1, -1), (0, 0)), acts) == "below_min" and pad.verdict("below_min") == "runtime"
    assert param_failure(pad, "wide", acts) == "invalid"
    kernel = cat["Conv2D"].params["kernel_size"]
    assert param_failure(kernel, (3, 0), acts) == "below_min"
    assert param_failure(kernel, (3, 2.5), acts) == "non_integer"
    assert param_failure(kernel, (3, "2"), acts) == "invalid"
    assert param_failure(cat["Input"].params["shape"], (None, 0), acts) == "below_min"
    assert cat["LSTM"].input_spec is False and cat["Dense"].input_spec is True
