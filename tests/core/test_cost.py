"""The cost model in pure Python: rules, totals, heads, the training-memory estimate, fuzzing.

The FLOP counts are checked against TensorFlow's profiler in ``test_cost_vs_profiler.py``;
here the numbers are worked out by hand from the rules' definitions (``builder/cost.py``).
"""

from __future__ import annotations

import random
from pathlib import Path

import pytest

from builder import load_graph, validate
from builder.core.catalog import catalog
from builder.core.cost import ACTIVATION_FLOPS, FLOP_RULES, UNCOUNTED, cost, optimizer_slots, training_memory
from builder.core.graph import Graph
from tests.fuzz.graphs import random_graph

TEMPLATES = Path(__file__).resolve().parents[2] / "builder" / "templates"


def _chain(shape: list[int | None], *layers: tuple[str, dict], dtype: str | None = None) -> tuple[Graph, list[str]]:
    cfg: dict = {"shape": shape}
    if dtype:
        cfg["dtype"] = dtype
    g, x = Graph().add("Input", cfg, name="x")
    ids = [x]
    for type_name, config in layers:
        g, x = g.add(type_name, config, inputs=[x])
        ids.append(x)
    return g.set_outputs([x]), ids


def test_every_catalog_type_and_activation_has_a_rule() -> None:
    """Every type has a FLOP rule or is left uncounted on purpose (its FLOPs are None)."""
    assert set(FLOP_RULES) | UNCOUNTED == set(catalog().types)
    assert not set(FLOP_RULES) & UNCOUNTED
    assert set(catalog().activations) <= set(ACTIVATION_FLOPS)


def test_to_dict_has_exactly_the_documented_keys() -> None:
    d = cost(load_graph(TEMPLATES / "news.json")).to_dict()
    assert set(d) == {"flops", "weight_bytes", "activation_bytes_per_sample", "per_node", "per_output"}
    assert set(d["per_output"]) == {"main_output", "aux_output"}
    for head in d["per_output"].values():
        assert set(head) == {"flops", "weight_bytes", "activation_bytes_per_sample", "shared"}
    for node in d["per_node"].values():
        assert set(node) == {"flops", "weight_bytes", "activation_bytes_per_sample"}


def test_mlp_by_hand() -> None:
    # 64 -> Dense(32, relu) -> Dense(32, relu) -> Dense(10, softmax): matmuls 2*in*out, bias adds,
    # relu free, softmax 5 per element.
    c = cost(load_graph(TEMPLATES / "mlp.json"))
    assert c.flops == (2 * 64 * 32 + 32) + (2 * 32 * 32 + 32) + (2 * 32 * 10 + 10) + 5 * 10
    assert c.weight_bytes == 3466 * 4
    assert c.activation_bytes_per_sample == (64 + 32 + 32 + 10) * 4


def test_rules_by_hand() -> None:
    cases = [
        (([10, 3], ("Conv1D", {"filters": 4, "kernel_size": 3})), 2 * 3 * 3 * 4 * 8 + 32),
        (([6, 6, 3], ("Conv2D", {"filters": 4, "kernel_size": 3, "groups": 1})), 2 * 27 * 64 + 64),
        (([6, 6, 4], ("Conv2D", {"filters": 4, "kernel_size": 3, "groups": 2})), 64),  # grouped: bias only
        (([9, 9, 3], ("Conv2D", {"filters": 4, "kernel_size": 3, "dilation_rate": 2})), 2 * 27 * 4 * 36 + 100),
        (([6, 6, 3], ("DepthwiseConv2D", {"kernel_size": 3})), 2 * 9 * 48 + 48),
        (([6, 6, 3], ("MaxPooling2D", {})), 27 * 4),
        (([6, 6, 3], ("AveragePooling2D", {"pool_size": 3, "strides": 1})), 48 * 9),
        (([6, 6, 3], ("GlobalMaxPooling2D", {})), 0),
        (([6, 6, 3], ("GlobalAveragePooling2D", {})), 108),
        (([5, 8], ("LSTM", {"units": 4})), 8 * 8 * 4 + 8 * 4 + 4),
        (([5, 8], ("GRU", {"units": 4})), 6 * 8 * 4 + 3 * 4),
        (([5, 8], ("SimpleRNN", {"units": 4})), 2 * 8 * 4 + 4),
        (([5, 8], ("LSTM", {"units": 4, "unroll": True})), 5 * (256 + 128 + 16 + 16 + 16)),
        (([3, 8], ("BatchNormalization", {})), 2 * 24 + 6 * 8),
        (([3, 16], ("LayerNormalization", {})), 9 * 48 + 4 * 3),
        (([8], ("Activation", {"activation": "gelu"})), 32),
        (([8], ("Activation", {"activation": "sparsemax"})), 65),
        (([16], ("ReLU", {"max_value": 2.0, "negative_slope": 0.2})), 80),
        (([16], ("ReLU", {"max_value": 6.0})), 0),
        (([6, 6, 3], ("UpSampling2D", {})), 2),
        (([6, 6, 3], ("ZeroPadding2D", {})), 0),
    ]
    for (shape, layer), want in cases:
        g, _ = _chain(shape, layer)
        assert validate(g).ok, layer
        assert cost(g).flops == want, layer


def test_embedding_counts_the_index_wrap_and_its_output_is_float() -> None:
    g, (x, emb) = _chain([5], ("Embedding", {"input_dim": 10, "output_dim": 3}), dtype="int32")
    c = cost(g)
    assert c.per_node[emb].flops == 10
    assert c.per_node[emb].weight_bytes == 30 * 4
    assert c.per_node[x].activation_bytes_per_sample == 5 * 4  # int32 ids
    assert c.per_node[emb].activation_bytes_per_sample == 15 * 4


def test_mask_adds_the_measured_ops() -> None:
    g, ids = _chain(
        [5], ("Embedding", {"input_dim": 20, "output_dim": 8, "mask_zero": True}), ("LSTM", {"units": 4}), dtype="int32"
    )
    assert cost(g).per_node[ids[2]].flops == 292 + 5


def test_merges_count_each_partial_result() -> None:
    g, a = Graph().add("Input", {"shape": [5, 8]}, name="a")
    g, b = g.add("Input", {"shape": [1, 8]}, name="b")
    g, m = g.add("Average", {}, inputs=[a, b])
    g, s = g.add("Concatenate", {"axis": 1}, inputs=[a, b])
    g = g.set_outputs([m, s])
    c = cost(g)
    assert c.per_node[m].flops == 40 + 40
    assert c.per_node[s].flops == 0


def test_weight_dtype_scales_weight_bytes() -> None:
    g = load_graph(TEMPLATES / "mlp.json")
    assert cost(g, weight_dtype="float16").weight_bytes == 3466 * 2
    assert cost(g, weight_dtype="float64").weight_bytes == 3466 * 8


def test_heads_count_shared_layers_once_in_the_total() -> None:
    g = load_graph(TEMPLATES / "multitask_shared_lstm_separate.json")
    report = validate(g)
    c = cost(g, report)
    assert c.weight_bytes == report.params.total * 4
    heads = list(c.per_output.values())
    assert len(heads) == 2
    # Each head uses the shared LSTM's weights: counted in both heads, once in the total.
    assert sum(h.weight_bytes for h in heads) > c.weight_bytes
    lstm = next(la.id for la in g.layers if la.type == "LSTM")
    lstm_bytes = report.layer_params[lstm].total * 4
    assert sum(h.weight_bytes for h in heads) == c.weight_bytes + lstm_bytes
    for h in heads:
        assert len(h.shared) == 1 and g.node_by_id[h.shared[0]].layer == lstm
    assert sum(h.flops for h in heads) == c.flops  # no node feeds both heads


def test_news_heads_share_the_trunk() -> None:
    g = load_graph(TEMPLATES / "news.json")
    c = cost(g)
    main, aux = c.per_output["main_output"], c.per_output["aux_output"]
    assert set(main.shared) == set(aux.shared) == {"main_input", "embedding", "lstm"}
    trunk = sum(c.per_node[n].flops for n in main.shared)
    assert c.flops == main.flops + aux.flops - trunk


def test_undefined_lengths_give_unknown_flops_but_known_weights() -> None:
    g, (x, emb, lstm, dense) = _chain(
        [None],
        ("Embedding", {"input_dim": 100, "output_dim": 8}),
        ("LSTM", {"units": 4, "return_sequences": True}),
        ("Dense", {"units": 2}),
        dtype="int32",
    )
    c = cost(g)
    assert c.per_node[emb].flops is None
    assert c.per_node[lstm].flops == 8 * 8 * 4 + 8 * 4 + 4  # one step: does not need T
    assert c.per_node[dense].flops is None
    assert c.flops is None and c.activation_bytes_per_sample is None
    assert c.weight_bytes == validate(g).params.total * 4


def test_a_broken_graph_still_costs() -> None:
    g, x = Graph().add("Input", {"shape": [8]}, name="x")
    g, y = g.add("LSTM", {"units": 4}, inputs=[x])  # rank error
    g = g.set_outputs([y])
    assert not validate(g).ok
    c = cost(g)
    assert c.per_node[y].flops is None and c.flops is None
    assert c.per_node[x].flops == 0


def test_blocks_hook() -> None:
    g = load_graph(TEMPLATES / "news.json")
    c = cost(g, blocks={"trunk": ["embedding", "lstm"], "head": ["main_output"]})
    assert c.per_block is not None
    assert c.per_block["trunk"].flops == c.per_node["embedding"].flops + c.per_node["lstm"].flops
    assert "per_block" in c.to_dict()
    assert "per_block" not in cost(g).to_dict()


# --------------------------------------------------------------------------- will it fit?


def test_optimizer_slots() -> None:
    assert optimizer_slots("adam") == 2
    assert optimizer_slots("sgd") == 0
    assert optimizer_slots({"name": "sgd", "momentum": 0.9}) == 1
    assert optimizer_slots("rmsprop") == 1
    assert optimizer_slots({"name": "rmsprop", "momentum": 0.5, "centered": True}) == 3
    assert optimizer_slots({"name": "adam", "amsgrad": True}) == 3
    with pytest.raises(ValueError, match="unknown optimizer"):
        optimizer_slots("sgdd")


def test_training_memory_parts() -> None:
    g = load_graph(TEMPLATES / "residual_projection.json")
    report = validate(g)
    est = training_memory(g, 16, "adam")
    assert est.weights == report.params.total * 4
    assert est.gradients == report.params.trainable * 4
    assert est.optimizer_state == 2 * report.params.trainable * 4
    assert est.update_temporaries == 3 * report.params.trainable * 4
    assert est.activations == 2 * 16 * cost(g).activation_bytes_per_sample
    assert est.total == est.weights + est.gradients + est.optimizer_state + est.update_temporaries + est.activations
    bigger = training_memory(g, 32, "sgd")
    assert bigger.optimizer_state == 0 and bigger.activations == 2 * est.activations
    assert bigger.update_temporaries == report.params.trainable * 4
    assert est.fits(est.total) and not est.fits(est.total - 1)


def test_training_memory_counts_batchnorm_statistics_as_weights_only() -> None:
    g, _ = _chain([8], ("BatchNormalization", {}))
    est = training_memory(g, 1, "sgd")
    assert est.weights == 32 * 4 and est.gradients == 16 * 4


def test_training_memory_keeps_recurrent_steps() -> None:
    g, _ = _chain([10, 8], ("LSTM", {"units": 4}))
    est = training_memory(g, 2, "sgd")
    per_sample = (10 * 8 + 4) * 4 + 10 * (6 * 4 + 8) * 4
    assert est.activations == 2 * 2 * per_sample


def test_training_memory_refuses_bad_arguments() -> None:
    g = load_graph(TEMPLATES / "mlp.json")
    with pytest.raises(ValueError):
        training_memory(g, 0, "adam")
    with pytest.raises(ValueError):
        training_memory(g, 8, "adam", dtype="float12")


# --------------------------------------------------------------------------- fuzz


def test_cost_never_crashes_on_random_graphs() -> None:
    rng = random.Random(14)
    for _ in range(300):
        g = random_graph(rng)
        report = validate(g)
        c = cost(g, report)
        assert set(c.per_node) == {n.id for n in g.nodes}
        assert c.to_dict()["per_node"].keys() == c.per_node.keys()
        for nc in c.per_node.values():
            assert nc.flops is None or nc.flops >= 0
            assert nc.weight_bytes >= 0
        if c.flops is not None:
            assert c.flops == sum(c.per_node[n].flops or 0 for n in c.live)
        if report.ok:
            assert c.weight_bytes == report.params.total * 4
            est = training_memory(g, 4, "adam", report=report)
            assert est.weights == c.weight_bytes


# --------------------------------------------------------------------------- CLI


def test_cli_validate_json_carries_the_cost(capsys: pytest.CaptureFixture[str]) -> None:
    import json

    from builder.cli import main

    assert main(["validate", "news", "--json"]) == 0
    doc = json.loads(capsys.readouterr().out)
    assert doc["cost"] == cost(load_graph(TEMPLATES / "news.json")).to_dict()
    assert doc["cost"]["flops"] == 153066


def test_cli_summary_cost_columns(capsys: pytest.CaptureFixture[str]) -> None:
    from builder.cli import main

    assert main(["summary", "mlp"]) == 0
    plain = capsys.readouterr().out
    assert "FLOPs" not in plain
    assert main(["summary", "mlp", "--cost"]) == 0
    out = capsys.readouterr().out
    header = next(line for line in out.splitlines() if line.startswith("Layer (type)"))
    assert "FLOPs" in header and "Act. bytes" in header
    dense_2 = next(line for line in out.splitlines() if line.startswith("dense_2 (Dense)"))
    assert "700" in dense_2.split()  # 2*32*10 + 10 + 5*10 (softmax)
    assert "FLOPs (inference, per sample, as TensorFlow's profiler counts): 6,908" in out


def test_an_uncounted_type_leaves_the_total_unknown() -> None:
    from builder.core.graph import Graph

    g, q = Graph().add("Input", {"shape": [5, 8]}, name="q")
    g, m = g.add("MultiHeadAttention", {"num_heads": 2, "key_dim": 4}, inputs=[q, q])
    c = cost(g.set_outputs([m]))
    assert c.per_node[m].flops is None and c.flops is None
    assert c.per_node[m].weight_bytes == 4 * (3 * (8 * 2 * 4 + 2 * 4) + 2 * 4 * 8 + 8)
