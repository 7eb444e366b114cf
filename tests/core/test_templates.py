"""Every template: loads, validates clean, has the Keras parameter count, names its heads.

The counts are the ones Keras 3 reports for the same models. ``test_matches_keras``
rebuilds every template by hand in Keras (code written here, independent of ``builder/``) and
compares parameter counts, output names and output shapes with the validator's report.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from builder import load_graph, validate
from builder.core.graph import Graph, loads
from builder.core.settings import check as check_settings
from builder.core.templates import TEMPLATE_DIR, list_templates
from tests.reference_models import template_models

ROOT = Path(__file__).resolve().parents[2]

# name -> (total params in Keras 3, output names in model order)
EXPECTED: dict[str, tuple[int, list[str]]] = {
    "news": (5_200_610, ["main_output", "aux_output"]),
    "mlp": (3_466, ["dense_2"]),
    "question_answering": (1_000_052, ["dense"]),
    "social_media_multi_output": (14_146_316, ["age", "income", "gender"]),
    "multitask_shared_lstm_concat": (82_434, ["dense", "dense_1"]),
    "multitask_shared_lstm_separate": (82_306, ["dense", "dense_1"]),
    "siamese_tweets": (82_305, ["dense"]),
    "shared_conv2d": (448, ["conved_a", "conved_b"]),
    "inception_module": (836_480, ["concatenate"]),
    "residual_identity": (442_752, ["add"]),
    "residual_projection": (311_680, ["add"]),
    "seq2seq_lstm": (718_173, ["decoder_dense"]),
}

# name -> output shapes, in output order (what Keras reports, batch axis first)
OUTPUT_SHAPES: dict[str, list[tuple[int | None, ...]]] = {
    "news": [(None, 1), (None, 1)],
    "mlp": [(None, 10)],
    "question_answering": [(None, 500)],
    "social_media_multi_output": [(None, 1), (None, 10), (None, 1)],
    "multitask_shared_lstm_concat": [(None, 1), (None, 1)],
    "multitask_shared_lstm_separate": [(None, 1), (None, 1)],
    "siamese_tweets": [(None, 1)],
    "shared_conv2d": [(None, 32, 32, 16), (None, 64, 64, 16)],
    "inception_module": [(None, 16, 16, 512)],
    "residual_identity": [(None, 32, 32, 128)],
    "residual_projection": [(None, 16, 16, 128)],
    "seq2seq_lstm": [(None, None, 93)],
}

# name -> (shared layer id, its own weight count, number of calls)
SHARED: dict[str, tuple[str, int, int]] = {
    "multitask_shared_lstm_concat": ("lstm", 82_176, 2),
    "multitask_shared_lstm_separate": ("lstm", 82_176, 2),
    "siamese_tweets": ("lstm", 82_176, 2),
    "shared_conv2d": ("conv2d", 448, 2),
}

NAMES = sorted(EXPECTED)


def _graph(name: str) -> Graph:
    return load_graph(TEMPLATE_DIR / f"{name}.json")


def test_the_template_set_is_complete() -> None:
    assert sorted(t.name for t in list_templates()) == NAMES
    for name in NAMES:
        assert (TEMPLATE_DIR / f"{name}.md").is_file(), f"{name}.md is missing"


@pytest.mark.parametrize("name", NAMES)
def test_validates_with_no_issue_at_all(name: str) -> None:
    report = validate(_graph(name))
    assert report.ok
    assert [i.to_dict() for i in report.issues] == []
    assert all(shape is not None for shape in report.shapes.values())


@pytest.mark.parametrize("name", NAMES)
def test_parameter_count_and_outputs(name: str) -> None:
    graph = _graph(name)
    report = validate(graph)
    total, outputs = EXPECTED[name]
    assert report.params.total == total
    assert report.params.trainable == total
    assert report.params.non_trainable == 0
    assert report.outputs == outputs
    assert graph.output_names() == outputs
    assert [report.shapes[nid] for nid in graph.outputs] == OUTPUT_SHAPES[name]
    assert graph.name == name


@pytest.mark.parametrize("name", NAMES)
def test_layer_names_are_unique_and_keras_legal(name: str) -> None:
    graph = _graph(name)
    names = [layer.name for layer in graph.layers]
    assert len(set(names)) == len(names)
    for layer_name in names:
        assert layer_name.isidentifier(), layer_name
    # every layer is called, every node lies on a path to an output
    assert all(graph.calls[layer.id] for layer in graph.layers)


@pytest.mark.parametrize("name", sorted(SHARED))
def test_shared_layer_is_counted_once(name: str) -> None:
    graph = _graph(name)
    layer_id, weights, calls = SHARED[name]
    assert len(graph.calls[layer_id]) == calls
    assert graph.is_shared(layer_id)
    report = validate(graph)
    assert report.layer_params[layer_id].total == weights
    # the weights are owned by the first call, the others add nothing
    first, *others = graph.calls[layer_id]
    assert report.node_params(first) == weights
    assert [report.node_params(n) for n in others] == [0] * len(others)
    # giving the second call its own copy of the layer adds exactly one more set of weights
    unshared = validate(graph.unshare(others[0]))
    assert unshared.ok
    assert unshared.params.total == report.params.total + weights


@pytest.mark.parametrize("name", [n for n in NAMES if n not in SHARED])
def test_no_layer_is_shared_where_the_post_shares_none(name: str) -> None:
    graph = _graph(name)
    assert not any(graph.is_shared(layer.id) for layer in graph.layers)


@pytest.mark.parametrize("name", NAMES)
def test_training_settings_are_one_loss_per_named_output(name: str) -> None:
    graph = _graph(name)
    training = graph.training
    if name in {"mlp", "shared_conv2d", "inception_module", "residual_identity", "residual_projection"}:
        assert training is None  # the post never compiles these models
        return
    assert training is not None
    outputs = graph.output_names()
    assert sorted(training["loss"]) == sorted(outputs)
    assert sorted(training["loss_weights"]) == sorted(outputs)
    assert training["optimizer"] == "rmsprop"
    assert isinstance(training["epochs"], int) and isinstance(training["batch_size"], int)
    if "metrics" in training:
        assert sorted(training["metrics"]) == sorted(outputs)
    assert check_settings(training, outputs) == []


def test_the_posts_loss_weights_are_kept() -> None:
    assert dict(_graph("news").training["loss_weights"]) == {"main_output": 1.0, "aux_output": 0.2}
    social = _graph("social_media_multi_output").training
    assert dict(social["loss_weights"]) == {"age": 0.25, "income": 1.0, "gender": 10.0}
    assert dict(social["loss"]) == {"age": "mse", "income": "categorical_crossentropy", "gender": "binary_crossentropy"}


@pytest.mark.parametrize("name", NAMES)
def test_positions_give_a_clean_left_to_right_layout(name: str) -> None:
    graph = _graph(name)
    positions = {n.id: n.position for n in graph.nodes}
    assert all(p is not None for p in positions.values()), "every node has a position"
    assert len(set(positions.values())) == len(positions), "no two nodes on one spot"
    for edge in graph.edges:
        if edge.source in positions and edge.target in positions:
            assert positions[edge.source][0] < positions[edge.target][0], f"{edge.source} -> {edge.target}"
    for a in graph.nodes:
        for b in graph.nodes:
            if a.id < b.id and a.position[0] == b.position[0]:
                assert abs(a.position[1] - b.position[1]) >= 100, f"{a.id} and {b.id} overlap"


@pytest.mark.parametrize("name", NAMES)
def test_json_round_trip(name: str) -> None:
    graph = _graph(name)
    again = loads(graph.to_json())
    assert again.to_dict() == graph.to_dict()
    assert validate(again).params == validate(graph).params


@pytest.mark.parametrize("name", NAMES)
def test_markdown_doc(name: str) -> None:
    template = next(t for t in list_templates() if t.name == name)
    doc = template.doc
    assert doc.startswith("# ")
    assert template.title and template.title != name
    assert len(template.summary) > 40
    for section in ("## The model", "## Where it comes from", "## Parameters"):
        assert section in doc, f"{name}.md lacks {section!r}"
    total, outputs = EXPECTED[name]
    assert f"{total:,}" in doc
    for output in outputs:
        assert output in doc


def test_cli_templates_json_reports_the_keras_counts() -> None:
    env = dict(os.environ, TF_CPP_MIN_LOG_LEVEL="3")
    proc = subprocess.run(
        [sys.executable, "-m", "builder", "templates", "--json"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
        check=True,
    )
    items = json.loads(proc.stdout)
    assert {i["name"]: i["params"] for i in items} == {n: p for n, (p, _) in EXPECTED.items()}
    assert all(i["ok"] for i in items)
    assert {i["name"]: i["outputs"] for i in items} == {n: o for n, (_, o) in EXPECTED.items()}


# --------------------------------------------------------------------------- against real Keras
# The hand-written Keras 3 models are in tests/reference_models.py (template_models).


@pytest.fixture(scope="module")
def keras_models() -> dict[str, Any]:
    return template_models()


@pytest.mark.keras
@pytest.mark.parametrize("name", NAMES)
def test_matches_keras(name: str, keras_models: dict[str, Any]) -> None:
    model = keras_models[name]()
    graph = _graph(name)
    report = validate(graph)
    assert model.count_params() == report.params.total == EXPECTED[name][0]
    assert list(model.output_names) == report.outputs
    keras_shapes = [tuple(t.shape) for t in model.outputs]
    assert keras_shapes == [report.shapes[nid] for nid in graph.outputs]
    # the inputs, in order, are the Input layers of the same names
    assert [model.get_layer(graph.layer_of(nid).name).output for nid in graph.inputs] == list(model.inputs)
    assert [tuple(t.shape) for t in model.inputs] == [report.shapes[nid] for nid in graph.inputs]
    # the same layers, with the same weights, under the same names
    ours = {layer.name: report.layer_params[layer.id].total for layer in graph.layers if layer.type != "Input"}
    theirs = {layer.name: layer.count_params() for layer in model.layers if type(layer).__name__ != "InputLayer"}
    assert ours == theirs
