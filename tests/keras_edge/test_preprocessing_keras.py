"""Preprocessing layers against Keras: import from Python source and Keras JSON, round trips
graph -> code -> exec -> the same model, and training on string Inputs with synthetic data."""

from __future__ import annotations

import math
from typing import Any

import numpy as np
import pytest

from builder import validate
from builder.codegen import HOIST_OVER, to_python
from builder.core.graph import Graph
from builder.errors import DataError
from builder.importers import import_keras_json, import_python
from builder.keras_edge.build import build_model
from builder.keras_edge.data import check_data, synthetic_data
from builder.keras_edge.training import train
from tests.helpers import chain

pytestmark = pytest.mark.keras

IMAGES = """
import keras
from keras import layers

inputs = keras.Input(shape=(32, 32, 3))
x = layers.Rescaling(1.0 / 255)(inputs)
x = layers.RandomFlip("horizontal")(x)
x = layers.RandomRotation(0.1)(x)
x = layers.RandomZoom(0.1)(x)
x = layers.Conv2D(16, 3, activation="relu")(x)
x = layers.GlobalAveragePooling2D()(x)
outputs = layers.Dense(10)(x)
model = keras.Model(inputs, outputs, name="augmented")
"""

WORDS = """
import keras
from keras import layers

VOCAB = ["cat", "dog", "bird", "fish", "cow", "pig", "hen", "ant", "bee", "owl"]
words = keras.Input(shape=(3,), dtype="string", name="words")
ids = layers.StringLookup(vocabulary=VOCAB, name="lookup")(words)
vectors = layers.Embedding(len(VOCAB) + 1, 8, name="embedding")(ids)
score = layers.Dense(1, name="score")(layers.Flatten(name="flatten")(vectors))
model = keras.Model(words, score, name="words")
"""


def _keras_model(source: str) -> Any:
    ns: dict[str, Any] = {}
    exec(compile(source, "<test source>", "exec"), ns)  # the test's own source
    return ns["model"]


def _exec_model(code: str) -> Any:
    ns: dict[str, Any] = {"__name__": "exported"}
    exec(compile(code, "<exported>", "exec"), ns)  # our own generated code
    return ns["build_model"]()


def _configs(model: Any) -> list[tuple[str, dict[str, Any]]]:
    skip = {"name", "dtype", "trainable", "seed"}
    return [(type(la).__name__, {k: v for k, v in la.get_config().items() if k not in skip}) for la in model.layers]


@pytest.mark.parametrize("source", [IMAGES, WORDS], ids=["rescaling_randomflip_conv2d", "stringlookup_embedding"])
def test_python_and_keras_json_imports_round_trip(source: str) -> None:
    want = _keras_model(source)
    from_py = import_python(source).graph
    from_json = import_keras_json(want.to_json()).graph
    for graph in (from_py, from_json):
        report = validate(graph)
        assert report.ok, report.errors
        assert report.params.total == want.count_params()
        rebuilt = _exec_model(to_python(graph))
        assert rebuilt.count_params() == want.count_params()
        assert [tuple(t.shape) for t in rebuilt.outputs] == [tuple(t.shape) for t in want.outputs]
        assert _configs(rebuilt)[1:] == _configs(want)[1:]  # the same layers, configs and vocabulary
        assert build_model(graph).count_params() == want.count_params()
    assert [la.type for la in from_py.layers] == [la.type for la in from_json.layers]


def test_generated_code_with_a_long_vocabulary_rebuilds_it() -> None:
    vocab = tuple(f"tok{i}" for i in range(HOIST_OVER * 3))
    g = chain(
        ("StringLookup", {"vocabulary": vocab, "output_mode": "multi_hot"}),
        ("Dense", {"units": 2}),
        input_shape=(4,),
        dtype="string",
    )
    code = to_python(g)
    assert "STRING_LOOKUP_VOCABULARY = [" in code
    model = _exec_model(code)
    assert model.get_layer("string_lookup").get_vocabulary()[1:] == list(vocab)  # after the OOV token
    assert model.count_params() == validate(g).params.total == (len(vocab) + 1) * 2 + 2
    again = import_python(code).graph
    assert again.layer_by_id["string_lookup"].config["vocabulary"] == vocab


def _string_model(layer: tuple[str, dict[str, Any]], shape: tuple[int, ...]) -> Graph:
    return chain(
        layer,
        ("Embedding", {"input_dim": 8, "output_dim": 4}),
        ("Flatten", {}),
        ("Dense", {"units": 1}),
        input_shape=shape,
        dtype="string",
    ).set_training({"loss": "mse"})


@pytest.mark.parametrize(
    ("layer", "shape"),
    [
        (("StringLookup", {"vocabulary": ("cat", "dog", "bird")}), (3,)),
        (("TextVectorization", {"vocabulary": ("the", "cat", "sat"), "output_sequence_length": 5}), (1,)),
        (("Hashing", {"num_bins": 8}), (2,)),
    ],
    ids=["stringlookup", "textvectorization", "hashing"],
)
def test_synthetic_data_for_a_string_input_trains(layer: tuple[str, dict[str, Any]], shape: tuple[int, ...]) -> None:
    g = _string_model(layer, shape)
    data = synthetic_data(g, 16)
    x = data.x["inp"]
    assert x.shape == (16, *shape) and all(isinstance(v, str) for v in x.reshape(-1))
    words = {w for v in x.reshape(-1) for w in v.split()}
    vocab = set(layer[1].get("vocabulary", ())) | {"[unseen]"}
    if layer[0] != "Hashing":
        assert words <= vocab and len(words & vocab) > 1
    result = train(g, "synthetic", {"epochs": 1, "batch_size": 8}, samples=16)
    assert math.isfinite(float(result.history["loss"].iloc[-1]))


def test_numbers_for_a_string_input_are_refused_clearly() -> None:
    g = _string_model(("StringLookup", {"vocabulary": ("cat", "dog")}), (3,))
    with pytest.raises(DataError, match="string Input") as info:
        check_data(g, {"inp": np.zeros((4, 3)), "dense": np.zeros((4, 1))}, {"loss": "mse"})
    assert "'inp'" in str(info.value)
    ok = check_data(g, {"inp": np.array([["cat", "dog", "x"]] * 4), "dense": np.zeros((4, 1))}, {"loss": "mse"})
    assert ok.x["inp"].dtype == object
