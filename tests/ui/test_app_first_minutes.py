"""Issue 15, "the first ten minutes", through AppTest: honest undo/redo (a redraw is never an
edit), messages that stay, the Model panel within reach, new nodes in view, documents that are
not replaced without a word. The canvas component is simulated as in test_app.py; the same
points in a real browser are in test_browser_first_minutes.py."""

from __future__ import annotations

import copy
from pathlib import Path

import pytest

from tests.ui.test_app import Canvas, doc_of, new_app, sync_of, widget
from ui.flow import FLOW_KEY


@pytest.fixture(autouse=True)
def _state_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    d = tmp_path / "state"
    monkeypatch.setenv("KGB_STATE_DIR", str(d))
    return d


def labels(entries: list) -> list[str]:
    return [label for _, label in entries]


def echo_of_last_push(at) -> dict:
    """What the component sends after adopting Python's last push (its 'echo')."""
    s = sync_of(at)
    return {
        "nodes": copy.deepcopy(s.nodes),
        "edges": copy.deepcopy(s.edges),
        "selectedId": None,
        "timestamp": s.timestamp + 5,
    }


# ---------------------------------------------------------------------- 1. honest undo


def test_an_echo_arriving_with_the_next_undo_is_not_an_edit() -> None:
    """The component echoes each push; on a slow page that echo reaches the server in the same
    rerun as the user's next Undo click. It describes the graph before that Undo, so applying it
    re-did what the Undo took back (a "disconnect" nobody made) and cleared Redo."""
    at = new_app("siamese_tweets")
    canvas = Canvas(at)
    doc = doc_of(at)
    s0 = doc.graph
    canvas.delete_edge("encoded_b", "concatenate")
    s1 = doc.graph
    canvas.drag("dense", 900.0, 300.0)
    s2 = doc.graph
    assert labels(doc.past)[1:] == ["disconnect lstm#1 → concatenate", "move dense"]
    at.button(key="undo").click().run()  # back to s1; its push is not echoed yet
    assert doc.graph == s1
    echo = echo_of_last_push(at)
    at.session_state[FLOW_KEY] = echo  # the echo and the second Undo in one rerun
    at.button(key="undo").click().run()
    assert doc.graph == s0, [e for e in doc.graph.edges if e.target == "concatenate"]
    assert labels(doc.past) == ["open template Siamese tweets: same author? (shared LSTM)"]
    assert labels(doc.future) == ["move dense", "disconnect lstm#1 → concatenate"]
    # the same for Redo: the echo of the first Redo arrives with the second
    at.button(key="redo").click().run()
    assert doc.graph == s1
    at.session_state[FLOW_KEY] = echo_of_last_push(at)
    at.button(key="redo").click().run()
    assert doc.graph == s2 and not doc.future
    canvas.sync()  # the component catches up: still no edit
    assert doc.graph == s2 and len(doc.past) == 3


def test_the_issue_sequence_undoes_exactly_the_user_edits() -> None:
    """Siamese template, a third LSTM call shared with the others, connected to the Concatenate,
    then four Undos (each echo arriving with the next click) and four Redos."""
    at = new_app("siamese_tweets")
    canvas = Canvas(at)
    doc = doc_of(at)
    states = [doc.graph]
    canvas.click("input_layer_1")
    at.session_state["palette_cat_recurrent"] = True  # open the palette's Recurrent group
    at.run()
    at.session_state["palette_cat_recurrent"] = True  # unfold the palette's Recurrent layers
    at.run()
    at.button(key="palette:LSTM").click().run()
    new = doc.selected
    states.append(doc.graph)
    widget(at.selectbox, f"instance:{new}:").set_value("lstm").run()
    states.append(doc.graph)
    canvas.connect(new, "concatenate")
    states.append(doc.graph)
    made = labels(doc.past)
    assert made[1:] == ["add lstm_1 after input_layer_1", "lstm_1 reuses lstm", "connect lstm#2 → concatenate"]
    for i in range(3, 0, -1):
        echo = echo_of_last_push(at)
        at.session_state[FLOW_KEY] = echo
        at.button(key="undo").click().run()
        assert doc.graph == states[i - 1], i
    assert labels(doc.past) == made[:1]
    assert labels(doc.future) == list(reversed(made[1:]))
    for i in range(1, 4):
        at.session_state[FLOW_KEY] = echo_of_last_push(at)
        at.button(key="redo").click().run()
        assert doc.graph == states[i], i
    assert [e.port for e in doc.graph.in_edges["concatenate"]] == [0, 1, 2]
    assert labels(doc.past) == made and not doc.future


def test_an_inspector_widget_of_an_older_graph_makes_no_edit() -> None:
    """A widget drawn for the graph before an Undo (its value sent with the Undo click) must not
    write that value back into the graph the Undo restored."""
    at = new_app("siamese_tweets")
    canvas = Canvas(at)
    doc = doc_of(at)
    canvas.click("concatenate")
    before = doc.graph
    widget(at.number_input, "param:concatenate:axis:").set_value(1).run()
    assert doc.graph.layer_by_id["concatenate"].config.get("axis") == 1
    stale = widget(at.number_input, "param:concatenate:axis:")
    stale.set_value(-1)  # the stale widget's value goes with the next click
    at.button(key="undo").click().run()
    assert doc.graph == before  # axis=-1 as the template has it (the stale -1 would drop the key)
    assert labels(doc.future) == ["set concatenate.axis"]
    assert doc.can_redo


# ---------------------------------------------------------------------- 3. messages that stay


def test_an_upload_refusal_stays_until_dismissed_or_the_next_edit() -> None:
    at = new_app("news")
    canvas = Canvas(at)
    doc = doc_of(at)
    from ui.files import open_upload

    assert not open_upload(doc, "bad.json", b"{not json")
    at.run()
    assert any("not valid JSON" in e.value for e in at.error)
    for _ in range(3):  # redraws: canvas echoes, clicks that change nothing
        canvas.click("dense_1")
        assert any("not valid JSON" in e.value for e in at.error)
    at.button(key="dismiss_message").click().run()
    assert not any("not valid JSON" in e.value for e in at.error)
    # an import note (a warning) stays too, until the user's next edit replaces it
    open_upload(doc, "x.json", doc.graph.to_json().encode())
    doc.message = ("warning", "Opened x.py: 3 nodes. Notes: dropped argument foo")
    at.run()
    canvas.click("dense_1")
    assert any("dropped argument foo" in w.value for w in at.warning)
    widget(at.text_input, "name:dense_1:").set_value("renamed").run()
    assert not any("dropped argument foo" in w.value for w in at.warning)


def test_a_success_toast_is_shown_once() -> None:
    at = new_app("news")
    assert any("Opened template" in t.value for t in at.toast)
    at.run()
    assert not any("Opened template" in t.value for t in at.toast)


# ---------------------------------------------------------------------- 4. the Model panel


def test_the_model_button_shows_the_model_panel() -> None:
    at = new_app("news")
    canvas = Canvas(at)
    doc = doc_of(at)
    canvas.click("dense_1")
    assert doc.selected == "dense_1"
    at.button(key="show_model").click().run()
    assert doc.selected is None
    assert any("### Model" in m.value for m in at.markdown)
    assert at.text_input(key=f"modelname:{doc.rev}").value == doc.graph.name


def test_a_pane_click_reported_with_stale_selected_flags_clears_the_selection() -> None:
    """React Flow reports a click on the empty pane with the nodes as they were, the old one
    still flagged ``selected``: the selection must clear all the same."""
    at = new_app("news")
    canvas = Canvas(at)
    doc = doc_of(at)
    canvas.click("dense_1")
    canvas.sync()
    for n in canvas.nodes:
        n["selected"] = n["id"] == "dense_1"
    canvas._send(None)
    assert doc.selected is None
    assert any("### Model" in m.value for m in at.markdown)


# ---------------------------------------------------------------------- 6. documents


def test_opening_over_an_edited_model_keeps_it_under_recent_documents() -> None:
    at = new_app("news")
    canvas = Canvas(at)
    news = doc_of(at)
    canvas.drag("dense_1", 777.0, 55.0)
    edited, history = news.graph, list(news.past)
    news_id = news.doc_id
    # a template opened by URL (the gallery does the same) opens as a new document
    at.query_params["template"] = "siamese_tweets"
    at.run()
    siamese = doc_of(at)
    assert siamese is not news and siamese.doc_id != news_id
    assert siamese.graph.name == "siamese_tweets" and news.graph is edited
    assert at.query_params["doc"] == [siamese.doc_id] or at.query_params["doc"] == siamese.doc_id
    assert any("Recent documents" in t.value for t in at.toast)
    # New too (an upload goes the same way: ui.state.load_graph)
    at.button(key="new").click().run()
    mlp = doc_of(at)  # the empty canvas
    assert mlp is not siamese and not mlp.graph.nodes
    # the previous documents are listed, newest first, and come back with their history
    buttons = [b for b in at.button if b.key and b.key.startswith("recent:")]
    assert [b.key.split(":")[2] for b in buttons] == [siamese.doc_id, news_id]
    at.button(key=f"recent:1:{news_id}").click().run()
    assert doc_of(at) is news and news.graph == edited and news.past == history
    assert news.graph.node_by_id["dense_1"].position == (777.0, 55.0)
    keys = [b.key for b in at.button if b.key and b.key.startswith("recent:")]
    assert keys == [f"recent:0:{mlp.doc_id}", f"recent:1:{siamese.doc_id}"]


# ---------------------------------------------------------------------- 7. smaller points


def test_input_dtype_shows_float32_as_its_default() -> None:
    at = new_app("mlp")
    canvas = Canvas(at)
    doc = doc_of(at)
    canvas.click(doc.graph.inputs[0])
    box = widget(at.selectbox, f"param:{doc.graph.inputs[0]}:dtype:")
    assert box.value is None and "float32 (default)" in box.options[0]


def test_output_order_is_editable_next_to_the_output_toggle() -> None:
    at = new_app("news")
    canvas = Canvas(at)
    doc = doc_of(at)
    assert doc.graph.outputs == ("main_output", "aux_output")
    canvas.click("aux_output")
    assert widget(at.toggle, "output:aux_output:").label == "Model output 2 of 2"
    assert widget(at.button, "outdown:aux_output:").disabled
    widget(at.button, "outup:aux_output:").click().run()
    assert doc.graph.outputs == ("aux_output", "main_output")
    assert widget(at.toggle, "output:aux_output:").label == "Model output 1 of 2"


def _heading(at) -> str:
    (h,) = [m.value for m in at.markdown if m.value.startswith("### ")]
    return h[4:].replace("\\", "")


def test_a_shared_call_is_named_alike_in_the_heading_the_name_field_and_the_code() -> None:
    """One scheme: the k-th call of shared layer ``lstm`` is headed "lstm (call k of n)", its
    Name field holds the layer's name, and the code defines ``lstm`` once and calls it as
    ``lstm_call_k`` (before: "lstm#1", "lstm", and a variable named after the node id)."""
    at = new_app("siamese_tweets")
    canvas = Canvas(at)
    at.session_state["kgb_tab"] = "Code"
    for node_id, k in (("encoded_a", 1), ("encoded_b", 2)):
        canvas.click(node_id)
        assert _heading(at) == f"lstm (call {k} of 2)"
        assert widget(at.text_input, "name:lstm:").value == "lstm"
        source = at.code[0].value
        assert '    lstm = layers.LSTM(64, name="lstm")' in source.splitlines()
        inputs = {"encoded_a": "input_layer", "encoded_b": "input_layer_1"}
        assert f"    lstm_call_{k} = lstm({inputs[node_id]})" in source.splitlines()
    assert '    concatenate = layers.Concatenate(name="concatenate")([lstm_call_1, lstm_call_2])' in source
    # a third call, added from the palette (node id lstm_1) and made to reuse the layer
    canvas.click("input_layer_1")
    at.session_state["palette_cat_recurrent"] = True  # unfold the palette's Recurrent layers
    at.run()
    at.button(key="palette:LSTM").click().run()
    doc = doc_of(at)
    new = doc.selected
    assert new == "lstm_1"
    widget(at.selectbox, f"instance:{new}:").set_value("lstm").run()
    assert doc.graph.layer_of(new).id == "lstm"
    assert _heading(at) == "lstm (call 3 of 3)"
    assert widget(at.text_input, "name:lstm:").value == "lstm"
    # connected to the Concatenate (as in the issue's Siamese session)
    canvas.click("concatenate")
    widget(at.selectbox, "addin:concatenate:").set_value(new).run()
    assert not doc.report.errors, doc.report.errors
    source = at.code[0].value
    assert "    lstm_call_3 = lstm(input_layer_1)" in source.splitlines()
    assert "[lstm_call_1, lstm_call_2, lstm_call_3]" in " ".join(source.split()).replace("[ ", "[").replace(", ]", "]")
    assert "lstm_1" not in source
    canvas.click(new)
    assert _heading(at) == "lstm (call 3 of 3)"


def test_the_layer_instance_row_is_there_for_every_layer_node() -> None:
    """The inspector keeps one layout: the "Layer instance" select is drawn for an unshared node
    too (disabled when there is nothing to share with), so it does not appear and push the
    panel down when a shared call is selected."""
    at = new_app("siamese_tweets")
    canvas = Canvas(at)
    canvas.click("dense")
    row = widget(at.selectbox, "instance:dense:")
    assert row.label == "Layer instance (weights)" and row.disabled
    assert row.options == ["dense (own weights; no other Dense layer to share them with)"]
    canvas.click("encoded_a")
    row = widget(at.selectbox, "instance:encoded_a:")
    assert row.label == "Layer instance (weights)" and not row.disabled
