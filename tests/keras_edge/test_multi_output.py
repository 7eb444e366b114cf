"""Multi-output calls against real Keras: RNN ``return_state`` / ``initial_state`` shapes and
parameter counts, the state-size mismatch Keras builds and fails on at predict time, graph ->
code -> exec == ``build``, Keras' own JSON imported with its tensor indices, and the seq2seq
template compiled and trained for one epoch on synthetic data."""

from __future__ import annotations

import json
from typing import Any

import numpy as np
import pytest

from builder.codegen import to_python
from builder.core.graph import Graph
from builder.core.templates import get_template
from builder.core.validate import validate
from builder.importers import import_keras_json
from builder.keras_edge.build import build, compile_for_training
from builder.keras_edge.runtime import keras_module
from builder.keras_edge.training import train

pytestmark = pytest.mark.keras

# (type, units, return_sequences, input features)
RNNS = [
    ("LSTM", 4, False, 3),
    ("LSTM", 6, True, 2),
    ("GRU", 5, False, 3),
    ("GRU", 3, True, 7),
    ("SimpleRNN", 2, True, 3),
    ("SimpleRNN", 8, False, 1),
]


def _seq2seq(rnn: str, units: int, seqs: bool, features: int, dec_units: int | None = None) -> Graph:
    n_states = 2 if rnn == "LSTM" else 1
    g = Graph(name="s2s")
    g, e = g.add("Input", {"shape": (None, features)}, name="enc_in")
    g, d = g.add("Input", {"shape": (5, 4)}, name="dec_in")
    cfg = {"units": units, "return_state": True, "return_sequences": seqs}
    g, enc = g.add(rnn, cfg, name="enc", inputs=[e])
    dcfg = {"units": dec_units or units, "return_state": True, "return_sequences": True}
    g, dec = g.add(rnn, dcfg, name="dec", inputs=[d])
    for k in range(1, n_states + 1):
        g = g.connect(enc, dec, k, source_port=k)
    # every port of both calls is a model output
    outs = [(enc, k) for k in range(n_states + 1)] + [(dec, k) for k in range(n_states + 1)]
    return g.set_outputs([n for n, _ in outs], [p for _, p in outs])


@pytest.mark.parametrize("rnn, units, seqs, features", RNNS)
def test_shapes_and_params_per_port_match_keras(rnn: str, units: int, seqs: bool, features: int) -> None:
    g = _seq2seq(rnn, units, seqs, features)
    report = validate(g)
    assert report.ok, report.issues
    model = build(g).model
    assert [tuple(t.shape) for t in model.outputs] == report.output_shapes()
    assert model.count_params() == report.params.total
    for layer in g.layers:
        if layer.type != "Input":
            assert model.get_layer(layer.name).count_params() == report.layer_params[layer.id].total


@pytest.mark.parametrize("rnn", ["LSTM", "GRU", "SimpleRNN"])
def test_state_size_mismatch_keras_builds_then_fails_on_data(rnn: str) -> None:
    """What ``state_mismatch`` (keras="runtime") claims: Keras 3.15 builds the model and fails at
    predict."""
    g = _seq2seq(rnn, 64, False, 3, dec_units=128)
    [issue] = validate(g).errors
    assert (issue.code, issue.keras, issue.port) == ("state_mismatch", "runtime", 1)
    keras = keras_module()
    from keras import layers

    enc_in = keras.Input((None, 3))
    dec_in = keras.Input((5, 4))
    _, *states = getattr(layers, rnn)(64, return_state=True)(enc_in)
    out = getattr(layers, rnn)(128)(dec_in, initial_state=states)  # builds without a word
    model = keras.Model([enc_in, dec_in], out)
    assert tuple(model.output.shape) == (None, 128)
    with pytest.raises(Exception, match="64 and 128|128 and 64|Incompatible|shape"):
        model.predict([np.zeros((2, 3, 3)), np.zeros((2, 5, 4))], verbose=0)


def test_one_state_for_an_lstm_keras_builds_then_fails_on_data() -> None:
    g = _seq2seq("LSTM", 4, False, 3).disconnect("enc", "dec", 2)
    assert [(i.code, i.keras) for i in validate(g).errors] == [("state_mismatch", "runtime")]
    keras = keras_module()
    from keras import layers

    enc_in, dec_in = keras.Input((None, 3)), keras.Input((5, 4))
    _, h, _ = layers.LSTM(4, return_state=True)(enc_in)
    model = keras.Model([enc_in, dec_in], layers.LSTM(4)(dec_in, initial_state=[h]))
    with pytest.raises(Exception):  # noqa: B017 - Keras' own error, whatever its class
        model.predict([np.zeros((2, 3, 3)), np.zeros((2, 5, 4))], verbose=0)


def _weights_equal(a: Any, b: Any) -> bool:
    wa, wb = a.get_weights(), b.get_weights()
    return len(wa) == len(wb) and all(x.shape == y.shape for x, y in zip(wa, wb))


@pytest.mark.parametrize("rnn, units, seqs, features", RNNS[::2])
def test_graph_code_exec_is_the_built_model(rnn: str, units: int, seqs: bool, features: int) -> None:
    g = _seq2seq(rnn, units, seqs, features)
    namespace: dict[str, Any] = {}
    exec(compile(to_python(g), "<generated>", "exec"), namespace)  # our own generated code
    theirs = namespace["build_model"]()
    ours = build(g).model
    assert [layer.name for layer in theirs.layers] == [layer.name for layer in ours.layers]
    assert [tuple(t.shape) for t in theirs.outputs] == [tuple(t.shape) for t in ours.outputs]
    assert theirs.count_params() == ours.count_params()
    assert _weights_equal(theirs, ours)


def test_keras_json_with_tensor_indices_and_initial_state_imports() -> None:
    keras = keras_module()
    from keras import layers

    enc_in = keras.Input((None, 8), name="enc_in")
    dec_in = keras.Input((None, 6), name="dec_in")
    _, h, c = layers.LSTM(16, return_state=True, name="enc")(enc_in)
    d = layers.LSTM(16, return_sequences=True, name="dec")(dec_in, initial_state=[h, c])
    gh = layers.GRU(16, return_state=True, name="gru")(dec_in, initial_state=h)
    y = layers.Dense(6, activation="softmax", name="head")(d)
    model = keras.Model([enc_in, dec_in], [y, c, gh[1]], name="s2s")
    g = import_keras_json(json.loads(model.to_json())).graph
    assert [(e.source, e.port, e.source_port) for e in g.in_edges["dec"]] == [
        ("dec_in", 0, 0),
        ("enc", 1, 1),
        ("enc", 2, 2),
    ]
    assert [(e.source, e.source_port) for e in g.in_edges["gru"]] == [("dec_in", 0), ("enc", 1)]
    assert g.output_refs() == [("head", 0), ("enc", 2), ("gru", 1)]
    report = validate(g)
    assert report.ok, report.issues
    assert report.params.total == model.count_params()
    assert report.output_shapes() == [tuple(t.shape) for t in model.outputs]
    rebuilt = build(g).model
    assert rebuilt.count_params() == model.count_params()


def test_seq2seq_template_compiles_with_keras_params_and_trains_one_epoch() -> None:
    g = get_template("seq2seq_lstm").load()
    report = validate(g)
    assert report.ok and report.params.total == 718_173
    model = compile_for_training(g)
    assert model.count_params() == 718_173
    result = train(g, "synthetic", samples=16, seed=0)  # the CLI's and the app's training path
    assert len(result.history["loss"]) == 1 and np.isfinite(result.history["loss"][0])


def test_a_state_as_a_model_output_trains_on_synthetic_data() -> None:
    """An output on port 1 (the encoder's h) gets synthetic targets of its own shape."""
    g = _seq2seq("GRU", 4, False, 3)
    g = g.set_outputs(["dec", "enc"], [0, 1])
    result = train(g, "synthetic", samples=8, seed=0, settings={"epochs": 1, "batch_size": 4})
    assert np.isfinite(result.history["loss"][0])
    assert {"dec_loss", "enc_loss"} <= set(result.history)
