"""Wrapped layers through every door: Python source (parsed, never run), Keras JSON, .keras, and
back out as code that rebuilds the same model."""

from __future__ import annotations

import os
import textwrap
from pathlib import Path
from typing import Any

import pytest

from builder import validate
from builder.codegen import to_python
from builder.core.diff import diff, is_equal
from builder.errors import GraphImportError
from builder.importers import import_keras_file, import_keras_json, import_python

SOURCE = textwrap.dedent(
    """
    import keras
    from keras import layers

    inp = keras.Input(shape=(None, 8), name="tokens")
    x = layers.Bidirectional(layers.LSTM(16, return_sequences=True), merge_mode="sum")(inp)
    x = layers.Bidirectional(layers.GRU(8))(x)
    out = layers.Dense(3, activation="softmax", name="tag")(x)
    frames = keras.Input(shape=(6, 32, 32, 3), name="frames")
    y = layers.TimeDistributed(layers.Conv2D(8, 3, activation="relu"))(frames)
    y = layers.TimeDistributed(layers.GlobalAveragePooling2D())(y)
    y = layers.LSTM(4)(y)
    z = layers.SpectralNormalization(layers.Dense(2), name="score")(y)
    model = keras.Model([inp, frames], [out, z], name="tagger")
    """
)
PARAMS = 4_943  # model.count_params() of SOURCE, run by Keras 3.15


def _configs(result: Any) -> dict[str, dict[str, Any]]:
    return {layer.name: layer.config for layer in result.graph.layers}


def test_python_source_keeps_the_wrapped_layers() -> None:
    result = import_python(SOURCE)
    report = validate(result.graph)
    assert report.ok, report.issues
    assert report.params.total == PARAMS
    configs = _configs(result)
    assert configs["bidirectional"] == {
        "layer": {"type": "LSTM", "config": {"units": 16, "return_sequences": True}},
        "merge_mode": "sum",
    }
    assert configs["time_distributed"] == {
        "layer": {"type": "Conv2D", "config": {"filters": 8, "kernel_size": 3, "activation": "relu"}}
    }


def test_a_called_layer_cannot_also_be_wrapped() -> None:
    src = SOURCE + "\nd = layers.Dense(2)\nd(y)\nw = layers.TimeDistributed(d)\n"
    with pytest.raises(GraphImportError, match="cannot be wrapped"):
        import_python(src)


@pytest.mark.keras
def test_keras_json_and_keras_file_and_code_round_trip(tmp_path: Path) -> None:
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
    import keras

    keras.backend.clear_session()  # Keras' layer-name counters start again: the names match the source's
    ns: dict[str, Any] = {}
    exec(compile(SOURCE, "wrappers.py", "exec"), ns)  # the test's own source, not an imported file
    model = ns["model"]
    assert model.count_params() == PARAMS
    path = tmp_path / "wrappers.keras"
    model.save(path)
    from_python = import_python(SOURCE).graph
    for result in (import_keras_json(model.to_json()), import_keras_file(path)):
        report = validate(result.graph)
        assert report.ok, report.issues
        assert report.params.total == PARAMS
        # Keras' saved backward copy of each Bidirectional is the one it makes itself: not kept
        assert "backward_layer" not in _configs(result)["bidirectional"]
        assert is_equal(diff(from_python, result.graph)), diff(from_python, result.graph)
    code = to_python(from_python)
    ns = {}
    exec(compile(code, "generated.py", "exec"), ns)
    rebuilt = ns["build_model"]()
    assert rebuilt.count_params() == PARAMS
    assert [type(layer).__name__ for layer in rebuilt.layers] == [type(layer).__name__ for layer in model.layers]
