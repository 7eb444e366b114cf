"""The graph document: immutable edits, JSON round trips, clear errors on malformed input."""

from __future__ import annotations

import json

import pytest

from builder.core.graph import MAX_JSON_DEPTH, Graph, loads
from builder.core.templates import get_template
from builder.errors import GraphEditError, GraphFormatError


def siamese() -> Graph:
    g, a = Graph().add("Input", {"shape": [280, 256]}, name="tweet_a")
    g, b = g.add("Input", {"shape": [280, 256]}, name="tweet_b")
    g, ea = g.add("LSTM", {"units": 64}, name="shared_lstm", inputs=[a])
    g, eb = g.add_node(ea, inputs=[b])  # a second call of the same layer
    g, cat = g.add("Concatenate", {}, inputs=[ea, eb])
    g, out = g.add("Dense", {"units": 1, "activation": "sigmoid"}, inputs=[cat])
    return g.set_outputs([out])


def test_edits_return_new_graphs_and_leave_the_old_one_alone():
    g0 = Graph()
    g1, nid = g0.add("Input", {"shape": [4]})
    assert g0.nodes == () and g0.layers == ()
    assert [n.id for n in g1.nodes] == [nid]
    assert g1.inputs == (nid,)  # Input nodes join the model inputs
    g2 = g1.update_config(g1.node_by_id[nid].layer, shape=[5])
    assert g1.layer_of(nid).config["shape"] == (4,)
    assert g2.layer_of(nid).config["shape"] == (5,)


def test_sharing_is_two_nodes_of_one_layer_and_labels_show_the_call():
    g = siamese()
    lstm_nodes = [n for n in g.nodes if g.layer_of(n.id).type == "LSTM"]
    assert len(lstm_nodes) == 2 and lstm_nodes[0].layer == lstm_nodes[1].layer
    assert g.is_shared(lstm_nodes[0].layer)
    assert [g.node_label(n.id) for n in lstm_nodes] == ["shared_lstm#0", "shared_lstm#1"]
    assert sum(1 for la in g.layers if la.type == "LSTM") == 1


def test_unshare_and_reuse_layer_are_inverse():
    g = siamese()
    second = [n.id for n in g.nodes if g.layer_of(n.id).type == "LSTM"][1]
    shared_layer = g.node_by_id[second].layer
    g2 = g.unshare(second, name="lstm_b")
    assert not g2.is_shared(shared_layer)
    assert g2.layer_of(second).name == "lstm_b" and g2.layer_of(second).config == g.layer_of(second).config
    g3 = g2.reuse_layer(second, shared_layer)
    assert g3.is_shared(shared_layer)
    assert "lstm_b" not in {la.name for la in g3.layers}  # the orphaned copy is gone


def test_reuse_refuses_another_type_and_inputs():
    g = siamese()
    dense = next(n.id for n in g.nodes if g.layer_of(n.id).type == "Dense")
    lstm_layer = next(la.id for la in g.layers if la.type == "LSTM")
    with pytest.raises(GraphEditError, match="cannot reuse LSTM"):
        g.reuse_layer(dense, lstm_layer)
    inp_layer = next(la.id for la in g.layers if la.type == "Input")
    g2, other = g.add("Input", {"shape": [1]})
    with pytest.raises(GraphEditError, match="Input layers cannot be shared"):
        g2.reuse_layer(other, inp_layer)


def test_connect_fills_the_next_free_port_and_replaces_an_occupied_one():
    g, a = Graph().add("Input", {"shape": [3]})
    g, b = g.add("Input", {"shape": [3]})
    g, c = g.add("Add", {})
    g = g.connect(a, c).connect(b, c)
    assert [(e.source, e.port) for e in g.in_edges[c]] == [(a, 0), (b, 1)]
    g = g.connect(b, c, port=0)
    assert [(e.source, e.port) for e in g.in_edges[c]] == [(b, 0), (b, 1)]
    with pytest.raises(GraphEditError):
        g.connect("nope", c)


def test_remove_node_closes_port_gaps_and_drops_orphan_layers():
    g = siamese()
    first_lstm = next(n.id for n in g.nodes if g.node_label(n.id) == "shared_lstm#0")
    cat = next(n.id for n in g.nodes if g.layer_of(n.id).type == "Concatenate")
    g2 = g.remove_node(first_lstm)
    assert [e.port for e in g2.in_edges[cat]] == [0]
    assert any(la.type == "LSTM" for la in g2.layers)  # still called by the other node
    second = next(n.id for n in g2.nodes if g2.layer_of(n.id).type == "LSTM")
    g3 = g2.remove_node(second)
    assert not any(la.type == "LSTM" for la in g3.layers)


def test_set_input_order_rewires_ports():
    g = siamese()
    cat = next(n.id for n in g.nodes if g.layer_of(n.id).type == "Concatenate")
    before = g.input_nodes(cat)
    g2 = g.set_input_order(cat, list(reversed(before)))
    assert g2.input_nodes(cat) == list(reversed(before))


def test_new_layer_names_follow_keras_defaults():
    g = Graph()
    names = []
    for t in ["Dense", "Dense", "Conv2D", "GlobalMaxPooling1D", "BatchNormalization", "LSTM"]:
        g, nid = g.add(t, {})
        names.append(g.layer_of(nid).name)
    assert names == ["dense", "dense_1", "conv2d", "global_max_pooling1d", "batch_normalization", "lstm"]


def test_json_round_trip_is_lossless():
    g = siamese().move("tweet_a", 10, 20.5).set_training({"loss": ["binary_crossentropy"], "epochs": 3})
    again = loads(g.to_json())
    assert again == g
    assert loads(again.to_json()).to_json() == g.to_json()


def test_template_round_trip():
    g = get_template("news").load()
    assert loads(g.to_json()) == g


def test_node_inputs_shorthand_becomes_edges():
    doc = {
        "version": 1,
        "layers": [
            {"name": "i", "type": "Input", "config": {"shape": [2]}},
            {"name": "d", "type": "Dense", "config": {"units": 1}},
        ],
        "nodes": [{"id": "i"}, {"id": "d", "inputs": ["i"]}],
        "outputs": ["d"],
    }
    g = loads(json.dumps(doc))
    assert [(e.source, e.target, e.port) for e in g.edges] == [("i", "d", 0)]
    assert g.inputs == ("i",)


BASE = {"version": 1, "layers": [{"name": "i", "type": "Input", "config": {"shape": [2]}}], "nodes": [{"id": "i"}]}


@pytest.mark.parametrize(
    "text, field, fragment",
    [
        ("{", "", "not valid JSON"),
        ("", "", "not valid JSON"),
        ("[1, 2]", "", "must be a JSON object"),
        ('{"layers": []}', "version", "missing"),
        ('{"version": 2}', "version", "reads version 1"),
        ('{"version": "1"}', "version", "expected an integer"),
        ('{"version": 1, "format": "other"}', "format", "expected"),
        ('{"version": 1, "bogus": 1}', "bogus", "unknown field"),
        ('{"version": 1, "layers": {}}', "layers", "expected an array"),
        ('{"version": 1, "layers": [{"type": "Dense"}]}', "layers[0].name", "missing"),
        ('{"version": 1, "layers": [{"name": "a", "type": 3}]}', "layers[0].type", "expected a string"),
        (
            '{"version": 1, "layers": [{"name": "a", "type": "Dense", "config": []}]}',
            "layers[0].config",
            "expected an object",
        ),
        (
            '{"version": 1, "layers": [{"name": "a", "type": "X"}, {"name": "a", "type": "X"}]}',
            "layers[1].id",
            "duplicate layer id",
        ),
        ('{"version": 1, "nodes": [{"id": "n", "layer": "missing"}]}', "nodes[0].layer", "no layer"),
    ],
)
def test_malformed_documents_name_the_field(text, field, fragment):
    with pytest.raises(GraphFormatError) as info:
        loads(text)
    assert info.value.field == field
    assert fragment in str(info.value)


@pytest.mark.parametrize(
    "patch, field, fragment",
    [
        ({"nodes": [{"id": "i"}, {"id": "i"}]}, "nodes[1].id", "duplicate node id"),
        ({"edges": [{"source": "i", "target": "ghost"}]}, "edges[0].target", "no node"),
        ({"edges": [{"source": "i", "target": "i", "port": -1}]}, "edges[0].port", "integer"),
        ({"edges": [{"source": "i", "target": "i", "port": True}]}, "edges[0].port", "integer"),
        ({"edges": [{"source": "i", "target": "i"}, {"source": "i", "target": "i"}]}, "edges[1].port", "two edges"),
        ({"outputs": ["ghost"]}, "outputs[0]", "no node"),
        ({"outputs": ["i", "i"]}, "outputs", "twice"),
        ({"nodes": [{"id": "i", "position": [1]}]}, "nodes[0].position", "[x, y]"),
        ({"training": []}, "training", "expected an object"),
    ],
)
def test_structural_errors_name_the_field(patch, field, fragment):
    with pytest.raises(GraphFormatError) as info:
        loads(json.dumps({**BASE, **patch}))
    assert info.value.field == field
    assert fragment in str(info.value)


def test_deeply_nested_and_binary_input_are_refused_cleanly():
    deep = '{"version": 1, "training": ' + '{"a": ' * (MAX_JSON_DEPTH + 5) + "1" + "}" * (MAX_JSON_DEPTH + 6)
    with pytest.raises(GraphFormatError, match="nested"):
        loads(deep)
    very_deep = "[" * 100_000 + "]" * 100_000
    with pytest.raises(GraphFormatError):
        loads(very_deep)
    with pytest.raises(GraphFormatError, match="not UTF-8"):
        loads(b"\xff\xfe\x00garbage")


def test_odd_names_survive_a_round_trip():
    odd = 'x"); import os; os.system("echo'
    g, nid = Graph().add("Input", {"shape": [3]}, name="ünï\ncode 'q'")
    g, d = g.add("Dense", {"units": 2}, name=odd, inputs=[nid])
    g = g.set_outputs([d])
    again = loads(g.to_json())
    assert again.layer_of(d).name == odd
    assert again.layer_of(nid).name == "ünï\ncode 'q'"
