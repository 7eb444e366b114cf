"""The validator: every issue collected, pinned to the right node and port, Keras-quality messages."""

from __future__ import annotations

import pytest

from builder.core.graph import Graph, Layer
from builder.core.validate import validate
from tests.helpers import chain, issue_codes


def one(report, code):
    found = [i for i in report.issues if i.code == code]
    assert found, f"no {code!r} issue in {[(i.code, i.message) for i in report.issues]}"
    return found[0]


def test_valid_chain_reports_shapes_params_and_outputs():
    g = chain(
        ("Dense", {"units": 32, "activation": "relu"}),
        ("Dense", {"units": 10, "activation": "softmax"}),
        input_shape=(64,),
    )
    r = validate(g)
    assert r.ok and r.issues == []
    assert list(r.shapes.values()) == [(None, 64), (None, 32), (None, 10)]
    assert (r.params.total, r.params.trainable, r.params.non_trainable) == (2080 + 330, 2410, 0)
    d = r.to_dict()
    assert set(d) == {
        "ok",
        "issues",
        "shapes",
        "params",
        "outputs",
        "output_nodes",
        "output_shapes",
        "port_shapes",
        "output_ports",
    }
    assert d["shapes"]["inp"] == [None, 64] and d["outputs"] == ["dense_1"]


def test_none_dims_are_kept():
    g = chain(
        ("Embedding", {"input_dim": 100, "output_dim": 8}),
        ("LSTM", {"units": 4, "return_sequences": True}),
        input_shape=(None,),
    )
    r = validate(g)
    assert r.ok
    assert r.shapes[g.outputs[0]] == (None, None, 4)


def test_batchnorm_counts_non_trainable_params():
    r = validate(chain(("BatchNormalization", {}), input_shape=(6,)))
    assert (r.params.trainable, r.params.non_trainable) == (12, 12)


def test_cycle_lists_the_path():
    g, a = Graph().add("Input", {"shape": [4]}, name="x")
    g, d1 = g.add("Dense", {"units": 4}, name="d1")
    g, d2 = g.add("Dense", {"units": 4}, name="d2", inputs=[d1])
    g, d3 = g.add("Dense", {"units": 4}, name="d3", inputs=[d2])
    g = g.connect(d3, d1).set_outputs([d3])
    r = validate(g)
    issue = one(r, "cycle")
    assert issue.severity == "error" and issue.node == d1
    assert "d1 -> d2 -> d3 -> d1" in issue.message
    assert r.shapes[d2] is None  # nothing inferred on the cycle; no cascade of shape errors
    assert not any(i.code == "shape_mismatch" for i in r.issues)


def test_self_loop_is_a_cycle():
    g, a = Graph().add("Input", {"shape": [4]})
    g, m = g.add("Add", {}, inputs=[a])
    g = g.connect(m, m).set_outputs([m])
    assert "add -> add" in one(validate(g), "cycle").message


def test_missing_and_extra_inputs_with_ports():
    g, a = Graph().add("Input", {"shape": [4]})
    g, d = g.add("Dense", {"units": 2})
    g, s = g.add("Subtract", {}, inputs=[a, a, a])
    g, c = g.add("Concatenate", {})
    g = g.connect(a, c, port=1)  # port 0 left empty
    g = g.set_outputs([d, s, c])
    r = validate(g)
    missing = [i for i in r.issues if i.code == "missing_input"]
    assert {(i.node, i.port) for i in missing} == {(d, 0), (c, 0)}
    extra = one(r, "too_many_inputs")
    assert (extra.node, extra.port) == (s, 2) and "exactly 2 inputs" in extra.message and "receives 3" in extra.message


def test_input_node_with_an_incoming_edge_is_an_error():
    g, a = Graph().add("Input", {"shape": [4]})
    g, b = g.add("Input", {"shape": [4]})
    g = g.connect(a, b).set_outputs([b])
    assert one(validate(g), "too_many_inputs").node == b


def test_unused_input_is_pinned_to_the_input_and_dead_nodes_warned():
    g = chain(("Dense", {"units": 1}))
    g, aux = g.add("Input", {"shape": [5]}, name="aux_input")
    g, dead = g.add("Dense", {"units": 3}, name="dangling", inputs=[aux])
    r = validate(g)
    issue = one(r, "unused_input")
    assert issue.node == aux and issue.severity == "error" and "aux_input" in issue.message
    warn = one(r, "unreachable")
    assert warn.node == dead and warn.severity == "warning"
    assert not r.ok


def test_no_outputs_and_no_inputs():
    r = validate(Graph())
    assert {"no_inputs", "no_outputs"} <= set(issue_codes(r))


def test_concatenate_off_axis_mismatch_names_port_and_shapes():
    g, a = Graph().add("Input", {"shape": [10, 32]}, name="a")
    g, b = g.add("Input", {"shape": [12, 32]}, name="b")
    g, c = g.add("Concatenate", {}, name="concatenate_1", inputs=[a, b])
    r = validate(g.set_outputs([c]))
    issue = one(r, "shape_mismatch")
    assert (issue.node, issue.port) == (c, 1)
    assert "(None, 10, 32)" in issue.message and "(None, 12, 32)" in issue.message


def test_add_mismatch_like_keras():
    g, a = Graph().add("Input", {"shape": [16, 16, 128]})
    g, b = g.add("Input", {"shape": [32, 32, 128]})
    g, s = g.add("Add", {}, inputs=[a, b])
    issue = one(validate(g.set_outputs([s])), "shape_mismatch")
    assert issue.port == 1
    assert "Inputs have incompatible shapes" in issue.message or "inputs have incompatible shapes" in issue.message
    assert "(16, 16, 128)" in issue.message and "(32, 32, 128)" in issue.message


def test_lstm_needs_3d_input():
    r = validate(chain(("LSTM", {"units": 3}), input_shape=(5,)))
    issue = one(r, "rank_mismatch")
    assert (
        "expected ndim=3, found ndim=2" in issue.message and "(None, 5)" in issue.message and "'lstm'" in issue.message
    )


def test_pooling_larger_than_its_input():
    issue = one(validate(chain(("MaxPooling1D", {"pool_size": 5}), input_shape=(4, 3))), "window_too_large")
    assert "pool_size=(5,)" in issue.message and "(None, 4, 3)" in issue.message


def test_shared_dense_on_incompatible_shapes_matches_keras_message():
    g, a = Graph().add("Input", {"shape": [64]}, name="a")
    g, b = g.add("Input", {"shape": [32]}, name="b")
    g, d1 = g.add("Dense", {"units": 8}, name="shared_dense", inputs=[a])
    g, d2 = g.add_node(d1, inputs=[b])
    r = validate(g.set_outputs([d1, d2]))
    issue = one(r, "shared_layer_mismatch")
    assert issue.node == d2 and issue.port == 0
    assert (
        "Input 0 of layer 'shared_dense' is incompatible with the layer: expected axis -1 of input shape to have "
        "value 64, but received input with shape (None, 32)"
    ) in issue.message
    assert r.params.total == 64 * 8 + 8  # counted once, from the call that built it


def test_shared_conv2d_on_two_image_sizes_is_fine_and_counted_once():
    g, a = Graph().add("Input", {"shape": [32, 32, 3]})
    g, b = g.add("Input", {"shape": [64, 64, 3]})
    g, c1 = g.add("Conv2D", {"filters": 16, "kernel_size": [3, 3], "padding": "same"}, inputs=[a])
    g, c2 = g.add_node(c1, inputs=[b])
    r = validate(g.set_outputs([c1, c2]))
    assert r.ok, r.issues
    assert r.params.total == 448
    assert r.shapes[c2] == (None, 64, 64, 16)
    assert r.node_params(c1) == 448 and r.node_params(c2) == 0
    assert one(r, "duplicate_output_name").severity == "warning"


@pytest.mark.parametrize(
    "name, code",
    [("", "invalid_name"), ("a/b", "invalid_name"), ("   ", "invalid_name")],
)
def test_invalid_names(name, code):
    g = chain(("Dense", {"units": 1}))
    lid = g.layers[-1].id
    r = validate(g.rename_layer(lid, name))
    assert one(r, code).node == g.outputs[0]


def test_duplicate_names():
    g = chain(("Dense", {"units": 2}), ("Dense", {"units": 1}))
    g = g.rename_layer(g.layers[2].id, "dense")
    issue = one(validate(g), "duplicate_name")
    assert "'dense'" in issue.message and issue.node == g.outputs[0]


@pytest.mark.parametrize(
    "config, code, fragment",
    [
        ({"units": 0}, "bad_param", "at least 1"),
        ({"units": -3}, "bad_param", "at least 1"),
        ({"units": 10**12}, "bad_param", "at most"),
        ({"units": 2.5}, "bad_param", "integer"),
        ({"units": True}, "bad_param", "integer"),
        ({"units": "8"}, "bad_param", "integer"),
        ({}, "missing_param", "`units` is required"),
        ({"units": 4, "activation": "nope"}, "bad_param", "activation"),
        ({"units": 4, "unitz": 3}, "unknown_param", "unitz"),
    ],
)
def test_params_out_of_range(config, code, fragment):
    r = validate(chain(("Dense", config)))
    issue = one(r, code)
    assert fragment in issue.message and "dense" in issue.message
    assert issue.node == r.order[-1] if r.order else True


def test_absurd_model_is_refused_before_anything_allocates():
    g = chain(("Dense", {"units": 1_000_000}), ("Dense", {"units": 1_000_000}), input_shape=(1_000_000,))
    r = validate(g)
    issue = one(r, "too_large")
    assert "parameters" in issue.message and not r.ok


def test_unknown_type_and_dangling_layer_reference_do_not_crash():
    g, a = Graph().add("Input", {"shape": [4]})
    g, x = g.add("FancyLayer", {"units": 3}, inputs=[a])
    r = validate(g.set_outputs([x]))
    assert one(r, "unknown_type").node == x
    broken = Graph(
        layers=(Layer("l", "l", "Dense", {"units": 1}),),
        nodes=g.nodes,
        edges=g.edges,
        inputs=g.inputs,
        outputs=g.outputs,
    )
    r2 = validate(broken)
    assert "unknown_type" in issue_codes(r2)


def test_embedding_swapped_is_a_warning_on_the_embedding():
    g = chain(
        ("Embedding", {"input_dim": 256, "output_dim": 50000}),
        ("GlobalMaxPooling1D", {}),
        input_shape=(None,),
        dtype="int32",
    )
    r = validate(g)
    issue = one(r, "embedding_swapped")
    assert issue.severity == "warning" and issue.node == r.order[1] and r.ok


def test_loss_settings_are_checked_against_output_names():
    g = chain(("Dense", {"units": 1}))
    g = g.set_training({"loss": "binary_crossentropy", "loss_weights": [1.0, 0.2]})
    assert "got 1 losses and 2 weights" in one(validate(g), "loss_weights_mismatch").message
    g2 = g.set_training({"loss": {"age": "mse"}})
    issue = one(validate(g2), "loss_key_mismatch")
    assert issue.node == g.outputs[0] and "'dense'" in issue.message and "age" in issue.message
    g3 = g.set_training({"loss": {"dense": "msee"}})
    assert one(validate(g3), "unknown_loss").node == g.outputs[0]


def test_validator_never_raises_on_garbage_configs():
    weird = [
        ("Conv2D", {"filters": 2, "kernel_size": "x"}),
        ("Reshape", {"target_shape": [-1, -1]}),
        ("ZeroPadding2D", {"padding": [[1], [2, 3]]}),
        ("Dropout", {"rate": float("nan")}),
        ("Concatenate", {"axis": 99}),
        ("BatchNormalization", {"axis": 7}),
        ("Dense", {"units": None}),
        ("Input", {"shape": "abc"}),
    ]
    for t, cfg in weird:
        r = validate(chain((t, cfg), input_shape=(4, 4, 3)))
        assert not r.ok, (t, cfg)
        assert all(i.code != "internal_error" for i in r.issues), (t, cfg, r.issues)


def test_errors_come_before_warnings():
    g = chain(("Embedding", {"input_dim": 10, "output_dim": 5000}), ("Dense", {"units": 0}), input_shape=(3,))
    sev = [i.severity for i in validate(g).issues]
    assert sev == sorted(sev, key=lambda s: {"error": 0, "warning": 1}[s])


def test_params_count_only_what_keras_keeps():
    g = chain(("Dense", {"units": 2}), input_shape=(3,))
    g, dead = g.add("Dense", {"units": 100}, name="dead", inputs=[g.inputs[0]])
    r = validate(g)
    assert r.params.total == 8  # the dead branch (400 params) is dropped, as Keras drops it
    assert r.layer_params[g.node_by_id[dead].layer].total == 400  # but its own count is still known


def test_model_name_is_checked_like_keras():
    from dataclasses import replace

    g = chain(("Dense", {"units": 1}))
    issue = one(validate(replace(g, name="my/model")), "invalid_name")
    assert issue.node is None and "my/model" in issue.message
    assert validate(replace(g, name="ok name ü")).ok


def test_channels_first_warns_only_when_the_probe_said_this_machine_cannot_run_it() -> None:
    """Machine-dependent behaviour is probed by the Keras edge, never assumed: forced both ways."""
    from builder.core import platform

    g = chain(("Conv1D", {"filters": 4, "kernel_size": 3, "data_format": "channels_first"}), input_shape=(8, 10))
    try:
        for answer, warned in ((None, False), (True, False), (False, True)):
            platform.record(channels_first_conv=answer)
            r = validate(g)
            assert r.ok  # a warning at most, never an error
            assert ("channels_first_cpu" in issue_codes(r)) is warned, (answer, r.issues)
        msg = next(i.message for i in validate(g).issues if i.code == "channels_first_cpu")
        assert "CPU kernels" in msg and "channels_last" in msg
    finally:
        platform.reset()


def test_the_probe_records_what_it_found(monkeypatch) -> None:
    from builder.core import platform
    from builder.keras_edge import probe

    try:
        platform.record(channels_first_conv=False)
        assert probe.channels_first_conv() is False  # cached: no TensorFlow needed
        platform.record(channels_first_conv=True)
        assert probe.channels_first_conv() is True
    finally:
        platform.reset()
