"""The compiler: graph -> keras.Model agrees with the validator, keeps names, order and sharing.

For every template and for every case Keras builds in the shape-rule table (``tests/reference_models.py``,
compiled as one multi-input, multi-output graph per layer type), the compiled model's shapes and
parameter counts equal the validator's report. Graphs with errors raise ``CompileError`` with the
validator's issues; anything Keras still refuses comes back as a ``keras_error`` issue on the node.
"""

from __future__ import annotations

import math
from dataclasses import replace
from typing import Any

import pytest

from builder import Graph, load_graph, validate
from builder.core.compile_spec import CompileSpec, compile_spec
from builder.core.order import build_order, live_nodes
from builder.core.templates import list_templates
from builder.core.validate import Issue, Params, Report
from builder.errors import CompileError
from builder.keras_edge.build import build, build_model, compile_for_training
from tests.reference_models import CASES, Case

TEMPLATES = [t.name for t in list_templates()]
BUILDABLE = [c for c in CASES if c.ok and not c.stricter]
REFUSED = [c for c in CASES if c.ours_error]


def template(name: str) -> Graph:
    return next(t for t in list_templates() if t.name == name).load()


def case_graph(cases: list[Case]) -> tuple[Graph, dict[str, str]]:
    """All ``cases`` side by side in one graph: each gets its own Inputs and one layer node; every
    layer node is an output. Returns the graph and case id -> node id."""
    g = Graph(name="cases")
    where: dict[str, str] = {}
    for i, case in enumerate(cases):
        if case.type == "Input":
            g, nid = g.add("Input", dict(case.config), name=f"n{i}")
            where[case.id] = nid
            continue
        sources = []
        for j, shape in enumerate(case.inputs):
            cfg: dict[str, Any] = {"shape": list(shape[1:])}
            if shape[0] is not None:
                cfg["batch_size"] = shape[0]
            if case.dtype:
                cfg["dtype"] = case.dtype
            g, src = g.add("Input", cfg, name=f"in{i}_{j}")
            sources.append(src)
        g, nid = g.add(case.type, dict(case.config), name=f"n{i}", inputs=sources)
        where[case.id] = nid
    return g.set_outputs(list(where.values())), where


def by_type(cases: list[Case]) -> dict[str, list[Case]]:
    out: dict[str, list[Case]] = {}
    for c in cases:
        out.setdefault(c.type, []).append(c)
    return out


def type_graphs() -> dict[str, Graph]:
    """One graph per catalog type covering every case Keras builds (used by the codegen tests)."""
    return {t: case_graph(cases)[0] for t, cases in by_type(BUILDABLE).items()}


def weights_count(weights: list[Any]) -> int:
    return sum(math.prod(w.shape) for w in weights)


def assert_matches_report(graph: Graph, built: Any) -> None:
    """Shapes of every node, parameter counts, names, input/output order, sharing."""
    report = validate(graph)
    model = built.model
    for nid, tensor in built.tensors.items():
        assert tuple(tensor.shape) == report.shapes[nid], graph.node_label(nid)
    for nid, tensors in built.port_tensors.items():  # calls with several outputs: every port
        assert tuple(tuple(t.shape) for t in tensors) == report.port_shapes[nid], graph.node_label(nid)
    assert set(built.port_tensors) == set(report.port_shapes)
    assert [tuple(t.shape) for t in model.outputs] == report.output_shapes()
    assert model.count_params() == report.params.total
    assert weights_count(model.trainable_weights) == report.params.trainable
    assert weights_count(model.non_trainable_weights) == report.params.non_trainable
    for lid, params in report.layer_params.items():
        assert built.layers[lid].count_params() == params.total, lid
    live = live_nodes(graph)
    names = {graph.layer_of(n).name for n in live}
    assert {layer.name for layer in model.layers} == names
    assert [t._keras_history[0].name for t in model.inputs] == [graph.layer_of(i).name for i in graph.inputs]
    assert list(model.output_names) == graph.output_names()
    assert model.name == graph.name
    for layer in graph.layers:
        calls = [n for n in graph.calls[layer.id] if n in live]
        if not calls:
            continue
        klayer = built.layers[layer.id]
        assert klayer.name == layer.name
        assert model.get_layer(layer.name) is klayer
        # one Keras layer object, called once per node
        assert all(built.tensors[n]._keras_history[0] is klayer for n in calls)
        if layer.type != "Input":
            assert len(klayer._inbound_nodes) == len(calls)


# --------------------------------------------------------------------------- pure (no TensorFlow)


def test_build_order_puts_inputs_before_use_and_keeps_document_order() -> None:
    g = template("news")
    order = build_order(g)
    pos = {n: i for i, n in enumerate(order)}
    for e in g.edges:
        assert pos[e.source] < pos[e.target]
    # aux_input is written just before the concatenate that first uses it, as the guide does
    assert order.index("aux_input") == order.index("concatenate") - 1
    assert order[0] == "main_input"


def test_build_order_drops_nodes_that_reach_no_output() -> None:
    g = template("mlp")
    g, dead = g.add("Dense", {"units": 3}, name="dead_end", inputs=[g.outputs[0]])
    assert dead not in build_order(g)
    assert dead not in live_nodes(g)


def test_graph_with_errors_raises_compile_error_with_the_validator_issues() -> None:
    g = load_graph("tests/cases/seed003_shared_dense_64_then_32.json")
    report = validate(g)
    assert not report.ok
    with pytest.raises(CompileError) as info:
        build_model(g)
    assert info.value.issues == report.errors
    assert any(i.code == "shared_layer_mismatch" for i in info.value.issues)


@pytest.mark.parametrize("case", REFUSED[:40] + REFUSED[-40:], ids=lambda c: c.id)
def test_refused_cases_raise_compile_error_naming_the_node(case: Case) -> None:
    g, where = case_graph([case])
    with pytest.raises(CompileError) as info:
        build_model(g)
    assert any(i.node == where[case.id] for i in info.value.issues), info.value.issues
    assert all(isinstance(i, Issue) and i.severity == "error" for i in info.value.issues)


def test_cycle_is_a_compile_error() -> None:
    g = load_graph("tests/cases/cycle.json")
    with pytest.raises(CompileError) as info:
        build_model(g)
    assert "cycle" in {i.code for i in info.value.issues}


def test_compile_spec_one_loss_and_weight_per_named_output() -> None:
    g = template("news")
    spec = compile_spec(g)
    assert spec.loss == {"main_output": "binary_crossentropy", "aux_output": "binary_crossentropy"}
    assert spec.loss_weights == {"main_output": 1.0, "aux_output": 0.2}
    assert spec.optimizer == "rmsprop" and spec.learning_rate is None
    # a single loss name and no weights: one entry per head, weights 1.0
    g2 = g.set_training({"loss": "mse", "optimizer": "adam", "learning_rate": 0.01, "metrics": ["mae", "mae"]})
    spec2 = compile_spec(g2)
    assert spec2.loss == {"main_output": "mse", "aux_output": "mse"}
    assert spec2.loss_weights == {"main_output": 1.0, "aux_output": 1.0}
    assert spec2.optimizer_class() == "Adam" and spec2.learning_rate == 0.01
    assert spec2.metrics == {"main_output": ["mae"], "aux_output": ["mae"]}
    # a flat list that is not one entry per output is what Keras 3 refuses at fit (seed 002)
    bad = g.set_training({"loss": "mse", "metrics": ["accuracy"]})
    assert [i.code for i in validate(bad).errors] == ["metrics_mismatch"]
    # lists in output order become dicts keyed by output name
    g3 = g.set_training({"loss": ["mse", "binary_crossentropy"], "loss_weights": [0.5, 2]})
    spec3 = compile_spec(g3)
    assert spec3.loss == {"main_output": "mse", "aux_output": "binary_crossentropy"}
    assert spec3.loss_weights == {"main_output": 0.5, "aux_output": 2.0}


def test_compile_spec_uses_lists_when_two_outputs_share_a_name() -> None:
    g = template("shared_conv2d")
    g = g.set_outputs(["conv_a", "conv_b"]).set_training({"loss": ["mse", "mse"], "loss_weights": [1.0, 3.0]})
    assert g.output_names()[0] == g.output_names()[1]
    spec = compile_spec(g)
    assert spec.loss == ["mse", "mse"] and spec.loss_weights == [1.0, 3.0]


@pytest.mark.parametrize(
    "training, code",
    [
        (None, "loss_missing"),
        ({"optimizer": "adam"}, "loss_missing"),
        ({"loss": "binary_crossentropy", "loss_weights": [1.0, 0.2, 3.0]}, "loss_weights_mismatch"),
        ({"loss": {"main_output": "mse", "aux": "mse"}}, "loss_key_mismatch"),
        ({"loss": "not_a_loss"}, "unknown_loss"),
    ],
)
def test_compile_spec_refuses_settings_keras_would_refuse(training: Any, code: str) -> None:
    g = template("news").set_training(training)
    with pytest.raises(CompileError) as info:
        compile_spec(g)
    assert code in {i.code for i in info.value.issues}


def test_compile_error_message_names_the_count() -> None:
    issues = [Issue("a", None, "error", "x", "first problem"), Issue("b", None, "error", "y", "second")]
    assert str(CompileError(issues)) == "2 errors; the first: first problem"
    assert str(CompileError(issues[:1])) == "first problem"


# --------------------------------------------------------------------------- against Keras


@pytest.mark.keras
@pytest.mark.parametrize("name", TEMPLATES)
def test_template_compiles_as_the_validator_predicts(name: str) -> None:
    g = template(name)
    built = build(g)
    assert_matches_report(g, built)


@pytest.mark.keras
@pytest.mark.parametrize("type_name", sorted(by_type(BUILDABLE)))
def test_every_buildable_shape_case_compiles_as_predicted(type_name: str) -> None:
    cases = by_type(BUILDABLE)[type_name]
    g, where = case_graph(cases)
    report = validate(g)
    assert report.ok, report.errors[:3]
    built = build(g)
    assert_matches_report(g, built)
    assert len(built.model.outputs) == len(cases)


@pytest.mark.keras
def test_catalog_types_all_covered_by_the_compile_cases() -> None:
    from builder.core.catalog import catalog

    assert set(catalog().types) <= {c.type for c in BUILDABLE}


@pytest.mark.keras
def test_shared_layer_is_one_keras_object_called_twice() -> None:
    g = template("siamese_tweets")
    built = build(g)
    shared = [la for la in g.layers if g.is_shared(la.id)]
    assert len(shared) == 1
    layer = built.layers[shared[0].id]
    calls = g.calls[shared[0].id]
    assert len(calls) == 2
    assert built.tensors[calls[0]]._keras_history[0] is built.tensors[calls[1]]._keras_history[0] is layer
    assert sum(1 for la in built.model.layers if la is layer) == 1
    assert built.model.count_params() == 82_305


@pytest.mark.keras
def test_input_and_output_order_is_kept_when_reversed() -> None:
    g = template("news")
    g = g.set_inputs(list(reversed(g.inputs))).set_outputs(list(reversed(g.outputs)))
    model = build_model(g)
    assert [t._keras_history[0].name for t in model.inputs] == ["aux_input", "main_input"]
    assert list(model.output_names) == ["aux_output", "main_output"]
    assert [tuple(t.shape) for t in model.inputs] == [(None, 5), (None, 100)]


@pytest.mark.keras
def test_single_input_single_output_model_takes_and_returns_bare_arrays() -> None:
    import numpy as np

    model = build_model(template("mlp"))
    out = model.predict(np.zeros((2, 64), dtype="float32"), verbose=0)
    assert isinstance(out, np.ndarray) and out.shape == (2, 10)


@pytest.mark.keras
def test_keras_refusing_a_layer_config_maps_to_the_node() -> None:
    g = template("mlp")
    lid = g.layer_of(g.outputs[0]).id
    g = g.update_config(lid, kernel_initializer="no_such_initializer")
    assert validate(g).ok  # the catalog lets `any` params through; Keras decides
    with pytest.raises(CompileError) as info:
        build_model(g)
    (issue,) = info.value.issues
    assert issue.code == "keras_error" and issue.node == g.outputs[0]
    assert "no_such_initializer" in issue.message and "Traceback" not in issue.message


@pytest.mark.keras
def test_keras_refusing_a_call_maps_to_the_node(monkeypatch: pytest.MonkeyPatch) -> None:
    # Pretend the validator missed an Add of (None, 3) and (None, 4): Keras refuses the call.
    g, a = Graph(name="m").add("Input", {"shape": [3]}, name="a")
    g, b = g.add("Input", {"shape": [4]}, name="b")
    g, add = g.add("Add", {}, name="add", inputs=[a, b])
    g = g.set_outputs([add])
    assert not validate(g).ok
    monkeypatch.setattr(
        "builder.keras_edge.build.validate",
        lambda graph, cat=None: Report(issues=[], shapes={}, params=Params(), outputs=graph.output_names()),
    )
    with pytest.raises(CompileError) as info:
        build_model(g)
    (issue,) = info.value.issues
    assert issue.code == "keras_error" and issue.node == add
    assert "Add layer 'add'" in issue.message


@pytest.mark.keras
def test_a_model_name_keras_refuses_is_caught_before_keras() -> None:
    g = replace(template("mlp"), name="bad/name")
    with pytest.raises(CompileError) as info:
        build_model(g)
    (issue,) = info.value.issues
    assert issue.node is None and issue.code == "invalid_name" and "bad/name" in issue.message


@pytest.mark.keras
def test_compile_for_training_gives_one_loss_and_weight_per_output() -> None:
    import numpy as np

    g, x = Graph(name="two_heads").add("Input", {"shape": [4]}, name="x")
    g, h = g.add("Dense", {"units": 8, "activation": "relu"}, name="hidden", inputs=[x])
    g, a = g.add("Dense", {"units": 1}, name="score", inputs=[h])
    g, b = g.add("Dense", {"units": 1, "activation": "sigmoid"}, name="flag", inputs=[h])
    g = g.set_outputs([a, b]).set_training(
        {"optimizer": "sgd", "learning_rate": 0.05, "loss": ["mse", "binary_crossentropy"], "loss_weights": [0.5, 2.0]}
    )
    model = compile_for_training(g)
    assert model.loss == {"score": "mse", "flag": "binary_crossentropy"}
    assert model._compile_loss._user_loss_weights == {"score": 0.5, "flag": 2.0}
    assert type(model.optimizer).__name__ == "SGD"
    assert float(model.optimizer.learning_rate) == pytest.approx(0.05)
    rng = np.random.default_rng(0)
    xs = rng.normal(size=(8, 4)).astype("float32")
    ys = {"score": rng.normal(size=(8, 1)), "flag": rng.integers(0, 2, size=(8, 1)).astype("float32")}
    logs = model.train_on_batch(xs, ys, return_dict=True)
    assert {"loss", "score_loss", "flag_loss"} <= set(logs)
    assert math.isfinite(logs["loss"])
    assert build_model(g, training=True).loss == model.loss


@pytest.mark.keras
def test_compile_for_training_refuses_bad_settings_without_building() -> None:
    g = template("news").set_training({"loss": "binary_crossentropy", "loss_weights": [1.0, 0.2, 0.1]})
    with pytest.raises(CompileError) as info:
        compile_for_training(g)
    assert "loss_weights_mismatch" in {i.code for i in info.value.issues}
    # but the architecture alone still compiles
    assert build_model(g).count_params() == 5_200_610


def test_compile_spec_is_plain_data() -> None:
    spec = CompileSpec(loss={"a": "mse"}, loss_weights={"a": 1.0})
    assert spec.optimizer == "rmsprop" and spec.optimizer_class() == "RMSprop"


def test_building_a_channels_first_conv_probes_the_machine_and_the_validator_agrees() -> None:
    """Either answer passes (it depends on the CPU and oneDNN); the warning follows the answer."""
    from builder.core import platform
    from builder.keras_edge.build import build_model
    from tests.helpers import chain

    g = chain(("Conv2D", {"filters": 2, "kernel_size": 1, "data_format": "channels_first"}), input_shape=(3, 4, 4))
    platform.reset()
    try:
        build_model(g)
        answer = platform.capabilities().channels_first_conv
        assert answer in (True, False)
        codes = [i.code for i in validate(g).issues]
        assert ("channels_first_cpu" in codes) is (answer is False)
    finally:
        platform.reset()
