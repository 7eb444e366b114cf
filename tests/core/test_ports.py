"""Multi-output calls: output ports on nodes, edges from a source port, RNN states.

An LSTM / GRU / SimpleRNN with ``return_state=True`` has one output per port (output, then h and
c for an LSTM); an RNN call takes ``initial_state`` on the input ports after the sequence. The
graph document, the validator, the summary, code export and the Python importer all carry the
ports; graphs without them read and write exactly as before.
"""

from __future__ import annotations

import copy
import json

import pytest

from builder.codegen import to_python
from builder.core.catalog import Catalog, catalog, consistency_problems, load_document
from builder.core.graph import Edge, Graph, loads
from builder.core.summary import render, rows
from builder.core.templates import get_template
from builder.core.validate import validate
from builder.errors import GraphEditError, GraphFormatError
from builder.importers import import_keras_json, import_python


def seq2seq(enc_units: int = 16, dec_units: int = 16, rnn: str = "LSTM") -> Graph:
    n_states = 2 if rnn == "LSTM" else 1
    g = Graph(name="s2s")
    g, e = g.add("Input", {"shape": (None, 8)}, name="enc_in")
    g, d = g.add("Input", {"shape": (None, 6)}, name="dec_in")
    g, enc = g.add(rnn, {"units": enc_units, "return_state": True}, name="enc", inputs=[e])
    g, dec = g.add(rnn, {"units": dec_units, "return_sequences": True}, name="dec", inputs=[d])
    for k in range(1, n_states + 1):
        g = g.connect(enc, dec, k, source_port=k)
    g, y = g.add("Dense", {"units": 6, "activation": "softmax"}, name="head", inputs=[dec])
    return g.set_outputs([y])


# ------------------------------------------------------------------ the document


def test_source_port_is_written_only_when_not_zero_and_reads_back() -> None:
    g = seq2seq()
    doc = g.to_dict()
    assert {"source": "enc_in", "target": "enc", "port": 0} in doc["edges"]
    assert {"source": "enc", "target": "dec", "port": 1, "source_port": 1} in doc["edges"]
    assert loads(g.to_json()) == g


def test_old_documents_load_unchanged() -> None:
    t = get_template("mlp")
    raw = t.path.read_text()
    g = loads(raw)
    assert all(e.source_port == 0 for e in g.edges) and g.output_ports == ()
    assert "source_port" not in g.to_json() and loads(g.to_json()) == g


def test_outputs_name_a_port_as_node_colon_k() -> None:
    g = seq2seq().set_outputs(["head", "enc"], [0, 2])
    doc = g.to_dict()
    assert doc["outputs"] == ["head", "enc:2"]
    back = loads(json.dumps(doc))
    assert back.output_refs() == [("head", 0), ("enc", 2)]
    # the object form reads too, and port 0 stays a plain id
    doc["outputs"] = ["head", {"node": "enc", "port": 1}]
    assert loads(json.dumps(doc)).output_refs() == [("head", 0), ("enc", 1)]
    # two ports of one node are two outputs; one port twice is refused
    assert seq2seq().set_outputs(["enc", "enc"], [1, 2]).output_refs() == [("enc", 1), ("enc", 2)]
    with pytest.raises(GraphEditError, match="twice"):
        seq2seq().set_outputs(["enc", "enc"], [1, 1])
    doc["outputs"] = ["enc:1", "enc:1"]
    with pytest.raises(GraphFormatError, match="twice"):
        loads(json.dumps(doc))


def test_node_inputs_shorthand_names_source_ports() -> None:
    doc = json.loads(get_template("seq2seq_lstm").path.read_text())
    dec = next(n for n in doc["nodes"] if n["id"] == "decoder_lstm")
    assert dec["inputs"] == ["decoder_inputs", "encoder:1", "encoder:2"]
    g = loads(json.dumps(doc))
    assert [(e.source, e.source_port) for e in g.in_edges["decoder_lstm"]] == [
        ("decoder_inputs", 0),
        ("encoder", 1),
        ("encoder", 2),
    ]


def test_a_node_id_with_a_colon_wins_over_the_port_reading() -> None:
    g = Graph()
    g, a = g.add("Input", {"shape": (3,)}, name="a", node_id="a")
    g, b = g.add("Dense", {"units": 2}, name="a:1", node_id="a:1", inputs=[a])
    g = g.set_outputs([b])
    assert g.to_dict()["outputs"] == ["a:1"]
    assert loads(g.to_json()).output_refs() == [("a:1", 0)]
    with_port = g.set_outputs(["a"], [1])
    assert with_port.to_dict()["outputs"] == [{"node": "a", "port": 1}]
    assert loads(with_port.to_json()).output_refs() == [("a", 1)]


@pytest.mark.parametrize("bad", [-1, 10_001, True, "1"])
def test_a_bad_source_port_names_the_field(bad: object) -> None:
    doc = seq2seq().to_dict()
    doc["edges"][2]["source_port"] = bad
    with pytest.raises(GraphFormatError, match=r"edges\[2\]\.source_port"):
        loads(json.dumps(doc))


def test_edits_keep_source_ports() -> None:
    g = seq2seq()
    reordered = g.set_input_order("dec", ["dec_in", "enc", "enc"])
    assert [(e.source, e.port, e.source_port) for e in reordered.in_edges["dec"]] == [
        ("dec_in", 0, 0),
        ("enc", 1, 1),
        ("enc", 2, 2),
    ]
    g2 = g.set_outputs(["head", "enc"], [0, 1]).remove_node("head")
    assert g2.output_refs() == [("enc", 1)]


# ------------------------------------------------------------------ the catalog


@pytest.mark.parametrize(
    "rnn, ports", [("LSTM", ("output", "h", "c")), ("GRU", ("output", "h")), ("SimpleRNN", ("output", "h"))]
)
def test_catalog_output_ports(rnn: str, ports: tuple[str, ...]) -> None:
    t = catalog()[rnn]
    assert t.output_ports({"units": 4}) == ("output",)
    assert t.output_ports({"units": 4, "return_state": True}) == ports
    assert t.state_inputs == ports[1:]
    assert t.input_port_name(1) == "initial_state h"
    assert catalog()["Dense"].output_ports({"units": 3}) == ("output",)
    assert (t.outputs, catalog()["Dense"].outputs) == (len(ports), 1)  # what `kgb layers` lists


# ------------------------------------------------------------------ validation

# (type, units, return_sequences) -> each output port's shape on an input (None, 5, 3)
RNN_CASES = [
    ("LSTM", 4, False, [(None, 4), (None, 4), (None, 4)]),
    ("LSTM", 4, True, [(None, 5, 4), (None, 4), (None, 4)]),
    ("GRU", 7, False, [(None, 7), (None, 7)]),
    ("GRU", 7, True, [(None, 5, 7), (None, 7)]),
    ("SimpleRNN", 2, True, [(None, 5, 2), (None, 2)]),
]


@pytest.mark.parametrize("rnn, units, seqs, shapes", RNN_CASES)
def test_return_state_shapes_per_port(rnn: str, units: int, seqs: bool, shapes: list[tuple]) -> None:
    g = Graph()
    g, x = g.add("Input", {"shape": (5, 3)}, name="x")
    g, r = g.add(rnn, {"units": units, "return_sequences": seqs, "return_state": True}, name="r", inputs=[x])
    g = g.set_outputs([r] * len(shapes), list(range(len(shapes))))
    report = validate(g)
    assert report.ok, report.issues
    assert report.shapes[r] == shapes[0]
    assert report.port_shapes[r] == tuple(shapes)
    assert report.output_shapes() == shapes
    d = report.to_dict()
    assert d["port_shapes"] == {r: [list(s) for s in shapes]}
    assert d["output_ports"] == list(range(len(shapes)))
    assert d["output_shapes"] == [list(s) for s in shapes]


def test_seq2seq_validates_with_keras_params() -> None:
    report = validate(seq2seq())
    assert report.ok, report.issues
    # 4 * (16 * (8 + 16) + 16) + 4 * (16 * (6 + 16) + 16) + 16 * 6 + 6, as Keras counts it
    assert report.params.total == 1600 + 1472 + 102
    assert report.shapes["dec"] == (None, None, 16)
    assert report.to_dict()["port_shapes"] == {"enc": [[None, 16], [None, 16], [None, 16]]}


@pytest.mark.parametrize("rnn", ["LSTM", "GRU", "SimpleRNN"])
def test_state_size_mismatch_is_a_runtime_error_on_the_state_port(rnn: str) -> None:
    report = validate(seq2seq(enc_units=64, dec_units=128, rnn=rnn))
    [issue] = report.errors
    assert (issue.node, issue.port, issue.code, issue.keras) == ("dec", 1, "state_mismatch", "runtime")
    assert "shape (batch_size, 128); received (None, 64)" in issue.message
    assert "64 units" in issue.message


def test_an_lstm_given_one_state_is_told_it_needs_two() -> None:
    g = seq2seq().disconnect("enc", "dec", 2)
    [issue] = validate(g).errors
    assert (issue.code, issue.port, issue.keras) == ("state_mismatch", 2, "runtime")
    assert "list of 2 tensors (h, c)" in issue.message and "received 1" in issue.message


def test_a_state_of_another_rank_is_refused() -> None:
    g = seq2seq().connect("dec_in", "dec", 1)
    [issue] = validate(g).errors
    assert (issue.code, issue.port) == ("state_mismatch", 1)
    assert "received (None, None, 6)" in issue.message


def test_too_many_state_ports() -> None:
    g = seq2seq().connect("enc", "dec", 3, source_port=1)
    [issue] = validate(g).errors
    assert issue.code == "too_many_inputs" and "initial_state of 2" in issue.message


def test_a_port_the_call_does_not_have() -> None:
    g = seq2seq().update_config("enc", return_state=False).set_outputs(["head", "enc"], [0, 1])
    codes = [(i.code, i.node, i.port) for i in validate(g).errors]
    assert ("no_such_output", "dec", 1) in codes and ("no_such_output", "dec", 2) in codes
    assert ("no_such_output", "enc", None) in codes
    msg = next(i.message for i in validate(g).errors if i.node == "dec")
    assert "has 1 output (output): there is no output 1; set return_state=True" in msg
    bad = Graph(
        layers=seq2seq().layers,
        nodes=seq2seq().nodes,
        edges=seq2seq().edges + (Edge("head", "dec", 3, 1),),
    )
    assert any(i.code == "too_many_inputs" for i in validate(bad).errors)


# ------------------------------------------------------------------ summary and code


def test_summary_lists_every_output_and_names_source_ports() -> None:
    g = seq2seq()
    table = {r.node: r for r in rows(g)}
    assert table["enc"].output_shape == "[(None, 16), (None, 16), (None, 16)]"
    assert table["dec"].connected_to == ("dec_in", "enc[1]", "enc[2]")
    assert "Total params: 3,174" in render(g)


def test_code_unpacks_and_passes_initial_state() -> None:
    src = to_python(seq2seq().set_outputs(["head", "enc"], [0, 2]))
    assert 'enc, enc_h, enc_c = layers.LSTM(16, return_state=True, name="enc")(enc_in)' in src
    assert "initial_state=[enc_h, enc_c]" in src
    assert "outputs=[head, enc_c]" in src
    compile(src, "<generated>", "exec")


@pytest.mark.parametrize("rnn", ["LSTM", "GRU", "SimpleRNN"])
def test_graph_code_import_round_trip(rnn: str) -> None:
    g = seq2seq(rnn=rnn).set_outputs(["head", "enc"], [0, 1])
    back = import_python(to_python(g)).graph
    assert back.edges == g.edges
    assert back.output_refs() == g.output_refs()
    assert validate(back).params == validate(g).params


# ------------------------------------------------------------------ the Python importer

SEQ2SEQ_SOURCE = """
import keras
from keras import layers

encoder_inputs = keras.Input(shape=(None, 71))
encoder = layers.LSTM(256, return_state=True)
encoder_outputs, state_h, state_c = encoder(encoder_inputs)
encoder_states = [state_h, state_c]

decoder_inputs = keras.Input(shape=(None, 93))
decoder_lstm = layers.LSTM(256, return_sequences=True, return_state=True)
decoder_outputs, _, _ = decoder_lstm(decoder_inputs, initial_state=encoder_states)
decoder_dense = layers.Dense(93, activation="softmax")
decoder_outputs = decoder_dense(decoder_outputs)

model = keras.Model([encoder_inputs, decoder_inputs], decoder_outputs)
model.compile(optimizer="rmsprop", loss="categorical_crossentropy", metrics=["accuracy"])
"""


def test_imports_the_keras_io_seq2seq_example() -> None:
    r = import_python(SEQ2SEQ_SOURCE)
    g = r.graph
    report = validate(g)
    assert report.ok, report.issues
    assert report.params.total == 718_173
    assert [(e.source, e.port, e.source_port) for e in g.in_edges["lstm_1"]] == [
        ("input_layer_1", 0, 0),
        ("lstm", 1, 1),
        ("lstm", 2, 2),
    ]
    assert g.layer_by_id["lstm"].config["return_state"] is True


def test_imports_a_state_as_a_model_output_and_gru_states() -> None:
    src = (
        "import keras\nfrom keras import layers\n"
        "x = keras.Input((5, 3))\n"
        "o, h = layers.GRU(4, return_state=True, name='g')(x)\n"
        "y = layers.GRU(4, name='g2')(x, initial_state=h)\n"
        "m = keras.Model(x, [y, h])\n"
    )
    g = import_python(src).graph
    assert g.output_refs() == [("g2", 0), ("g", 1)]
    assert [(e.source, e.source_port) for e in g.in_edges["g2"]] == [("input_layer", 0), ("g", 1)]
    assert validate(g).output_shapes() == [(None, 4), (None, 4)]


def test_unpacking_a_single_output_is_still_refused() -> None:
    src = "from keras import layers, Input\nx = Input((5, 3))\no, h = layers.GRU(4)(x)\n"
    with pytest.raises(Exception, match="returns one tensor"):
        import_python(src)


# ------------------------------------------------------------------ the generic mechanism


def _catalog_with_a_call_param() -> Catalog:
    """A made-up type in the shape of MultiHeadAttention's ``return_attention_scores``: a param
    given to the call that adds an output port."""
    doc = copy.deepcopy(load_document())
    entry = copy.deepcopy(next(e for e in doc["layers"] if e["type"] == "Dense"))
    entry.update(type="Scored", keras="keras.layers.Scored", aliases=[], helper=None)
    entry["params"]["return_scores"] = {"kind": "bool", "default": False}
    entry["call_params"] = ["return_scores"]
    entry["multi_output"] = {"when": "return_scores", "ports": ["output", "scores"]}
    doc["layers"].append(entry)
    return Catalog(doc)


def test_call_params_go_to_the_call_and_add_output_ports() -> None:
    cat = _catalog_with_a_call_param()
    t = cat["Scored"]
    assert consistency_problems(cat) == consistency_problems()
    assert t.output_ports({"units": 2, "return_scores": True}) == ("output", "scores")
    assert t.split_config({"units": 2, "return_scores": True}) == ({"units": 2}, {"return_scores": True})
    g = Graph()
    g, x = g.add("Input", {"shape": (3,)}, name="x")
    g, s = g.add("Scored", {"units": 2, "return_scores": True}, name="s", inputs=[x])
    src = to_python(g.set_outputs([s]), cat)
    assert 's, s_scores = layers.Scored(2, name="s")(x, return_scores=True)' in src


# ------------------------------------------------------------------ the Keras config importer


def _t(name: str, tensor: int = 0) -> dict:
    return {"class_name": "__keras_tensor__", "config": {"shape": [None, 16], "keras_history": [name, 0, tensor]}}


def _l(cls: str, name: str, config: dict, inbound: list) -> dict:
    return {"module": "keras.layers", "class_name": cls, "config": {"name": name, **config}, "name": name,
            "registered_name": None, "inbound_nodes": inbound}  # fmt: skip


def test_keras_config_tensor_indices_and_initial_state() -> None:
    """The node format of Keras 3.15's ``model.to_json()`` (as measured): ``initial_state`` is a
    call kwarg holding tensors ``[enc, 0, 1]`` and ``[enc, 0, 2]``; an output may be ``[enc, 0, 1]``."""
    doc = {
        "class_name": "Functional",
        "config": {
            "name": "s2s",
            "layers": [
                _l("InputLayer", "enc_in", {"batch_shape": [None, None, 8]}, []),
                _l("InputLayer", "dec_in", {"batch_shape": [None, None, 6]}, []),
                _l("LSTM", "enc", {"units": 16, "return_state": True}, [{"args": [_t("enc_in")], "kwargs": {"training": False, "mask": None}}]),
                _l("LSTM", "dec", {"units": 16, "return_sequences": True}, [{"args": [_t("dec_in")], "kwargs": {"initial_state": [_t("enc", 1), _t("enc", 2)]}}]),
                _l("GRU", "gru", {"units": 16}, [{"args": [_t("dec_in")], "kwargs": {"initial_state": _t("enc", 1)}}]),
                _l("Dense", "head", {"units": 6, "activation": "softmax"}, [{"args": [_t("dec")], "kwargs": {}}]),
            ],
            "input_layers": [["enc_in", 0, 0], ["dec_in", 0, 0]],
            "output_layers": [["head", 0, 0], ["enc", 0, 1], ["gru", 0, 0]],
        },
    }  # fmt: skip
    r = import_keras_json(doc)
    g = r.graph
    assert [(e.source, e.port, e.source_port) for e in g.in_edges["dec"]] == [
        ("dec_in", 0, 0),
        ("enc", 1, 1),
        ("enc", 2, 2),
    ]
    assert [(e.source, e.source_port) for e in g.in_edges["gru"]] == [("dec_in", 0), ("enc", 1)]
    assert g.output_refs() == [("head", 0), ("enc", 1), ("gru", 0)]
    assert not [n for n in r.notes if "initial_state" in n.message]
    report = validate(g)
    assert report.ok, report.issues
    assert report.output_shapes() == [(None, None, 6), (None, 16), (None, 16)]


# ------------------------------------------------------------------ the command line


def test_cli_validate_export_import_round_trip(tmp_path, cli) -> None:  # noqa: ANN001 - fixtures
    r = cli("validate", "seq2seq_lstm", "--json")
    assert r.code == 0
    assert r.json["port_shapes"]["encoder"] == [[None, 256]] * 3
    assert r.json["output_ports"] == [0]
    bad = seq2seq(enc_units=64, dec_units=128)
    path = tmp_path / "bad.json"
    path.write_text(bad.to_json())
    r = cli("validate", path, "--json")
    assert r.code == 1
    [issue] = r.json["issues"]
    assert (issue["code"], issue["node"], issue["port"], issue["keras"]) == ("state_mismatch", "dec", 1, "runtime")
    py = tmp_path / "s2s.py"
    assert cli("export", "seq2seq_lstm", "--format", "py", "-o", py).code == 0
    back = tmp_path / "back.json"
    assert cli("import", py, "-o", back).code == 0
    g = loads(back.read_text())
    assert g.edges == get_template("seq2seq_lstm").load().edges
