"""Wrappers (Bidirectional, TimeDistributed, SpectralNormalization): the wrapped layer as config,
checked against its own catalog entry; shapes and weights composed (pure Python, no Keras)."""

from __future__ import annotations

from typing import Any

from builder import validate
from builder.codegen import to_python
from builder.core.graph import Graph
from tests.helpers import chain


def _layer(type_name: str, **config: Any) -> dict[str, Any]:
    return {"type": type_name, "config": config}


def test_bidirectional_lstm_doubles_features_and_weights() -> None:
    g = chain(("Bidirectional", {"layer": _layer("LSTM", units=16, return_sequences=True)}), input_shape=(20, 8))
    r = validate(g)
    assert r.ok, r.issues
    assert r.shapes["bidirectional"] == (None, 20, 32)
    one_lstm = 4 * 16 * (8 + 16 + 1)
    assert r.params.total == 2 * one_lstm


def test_time_distributed_folds_the_steps_into_the_batch() -> None:
    g = chain(("TimeDistributed", {"layer": _layer("Conv2D", filters=4, kernel_size=3)}), input_shape=(6, 16, 16, 3))
    r = validate(g)
    assert r.ok, r.issues
    assert r.shapes["time_distributed"] == (None, 6, 14, 14, 4)
    assert r.params.total == 3 * 3 * 3 * 4 + 4


def test_spectral_normalization_adds_a_non_trainable_vector() -> None:
    g = chain(("SpectralNormalization", {"layer": _layer("Dense", units=10)}), input_shape=(8,))
    r = validate(g)
    assert r.ok, r.issues
    assert (r.params.trainable, r.params.non_trainable) == (90, 10)


def test_the_wrapped_layer_is_checked_against_its_own_entry() -> None:
    cases = {
        "unknown_param": _layer("LSTM", units=4, unitz=3),
        "missing_param": _layer("LSTM"),
        "bad_param": _layer("LSTM", units=0),
    }
    for code, inner in cases.items():
        r = validate(chain(("Bidirectional", {"layer": inner}), input_shape=(5, 3)))
        issues = [i for i in r.errors if i.node == "bidirectional"]
        assert [i.code for i in issues] == [code], issues
        assert "Bidirectional layer 'bidirectional', its wrapped LSTM" in issues[0].message
    # a type the wrapper does not take, a type the catalog lacks, a value that is no layer
    for inner, words in (
        (_layer("Dense", units=3), "must be a layer of type LSTM, GRU, SimpleRNN"),
        ("LSTM", "must be a layer"),
    ):
        r = validate(chain(("Bidirectional", {"layer": inner}), input_shape=(5, 3)))
        assert any(i.code == "bad_param" and words in i.message for i in r.errors), r.issues
    r = validate(chain(("TimeDistributed", {"layer": _layer("Gadget")}), input_shape=(5, 3)))
    assert [i.code for i in r.errors] == ["unknown_type"]


def test_a_wrapped_layers_shape_error_names_the_wrapper() -> None:
    r = validate(
        chain(("TimeDistributed", {"layer": _layer("Conv2D", filters=4, kernel_size=3)}), input_shape=(6, 16, 3))
    )
    (issue,) = r.errors
    assert issue.code == "rank_mismatch" and issue.keras == "build"
    assert issue.message.startswith("TimeDistributed layer 'time_distributed' wraps a Conv2D: ")


def test_merge_mode_none_is_refused_on_purpose() -> None:
    r = validate(chain(("Bidirectional", {"layer": _layer("GRU", units=4), "merge_mode": None}), input_shape=(5, 3)))
    (issue,) = r.errors
    assert issue.keras == "stricter" and "two tensors" in issue.message


def test_codegen_writes_the_wrapped_layer_inline() -> None:
    g: Graph = chain(
        ("Bidirectional", {"layer": _layer("LSTM", units=16, return_sequences=True), "merge_mode": "sum"}),
        ("TimeDistributed", {"layer": _layer("Dense", units=5, activation="softmax")}),
        input_shape=(20, 8),
    )
    code = to_python(g)
    assert 'layers.Bidirectional(\n        layers.LSTM(16, return_sequences=True),\n        merge_mode="sum",' in code
    assert 'layers.TimeDistributed(\n        layers.Dense(5, activation="softmax"),' in code
    assert code.count("name=") == 4  # the input, the two wrappers and the model: wrapped layers are unnamed
