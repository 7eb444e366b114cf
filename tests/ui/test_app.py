"""The Streamlit app through ``streamlit.testing.v1.AppTest`` (every page and tab), plus the
pure-Python parts of ``ui/`` (layout, canvas mapping, history, param parsing, uploads).

In AppTest the canvas (a custom component) is an unknown element: its answers are simulated
by setting its session_state key to what the component would send (see ``Canvas`` below),
following the component's protocol (it first echoes each state Python pushes).
"""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import pytest
from streamlit.testing.v1 import AppTest

from builder.core.graph import Graph, loads
from builder.core.layout import WRAP, X_GAP, auto_layout, layered_positions, readable
from builder.core.templates import get_template, list_templates
from builder.core.validate import validate
from tests.conftest import heavy_modules_imported
from ui import flow
from ui.document import HISTORY_LIMIT, Document, valid_doc_id
from ui.files import UploadError, open_upload, read_upload
from ui.flow import FLOW_KEY, SyncState, apply_answer, plan_push, read_answer, view_edges, view_nodes
from ui.params import ParamInputError, format_value, parse_value
from ui.workspace import workspace

ROOT = Path(__file__).resolve().parents[2]
APP = str(ROOT / "app.py")
TEMPLATES = [t.name for t in list_templates()]


@pytest.fixture(autouse=True)
def _state_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    d = tmp_path / "state"
    monkeypatch.setenv("KGB_STATE_DIR", str(d))
    return d


def new_app(template: str | None = None, **query: str) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=60)
    if template:
        at.query_params["template"] = template
    for k, v in query.items():
        at.query_params[k] = v
    at.run()
    assert not at.exception, at.exception
    return at


def doc_of(at: AppTest) -> Document:
    return at.session_state["kgb_doc"]


def sync_of(at: AppTest) -> SyncState:
    return at.session_state["kgb_sync"]


class Canvas:
    """Simulates the canvas component: it adopts (and echoes) each state Python pushes, keeps
    what it shows, and answers user interactions with its full state, as the real one does."""

    def __init__(self, at: AppTest) -> None:
        self.at = at
        self.adopted = -1
        self.nodes: list[dict[str, Any]] = []
        self.edges: list[dict[str, Any]] = []

    def _send(self, selected: str | None = None) -> None:
        s = sync_of(self.at)
        ts = max(s.timestamp, s.last_answer or 0) + 7
        value = {"nodes": self.nodes, "edges": self.edges, "selectedId": selected, "timestamp": ts}
        self.at.session_state[FLOW_KEY] = copy.deepcopy(value)
        self.at.run()
        assert not self.at.exception, self.at.exception

    def sync(self) -> None:
        """Adopt Python's latest push, if any, and echo it."""
        s = sync_of(self.at)
        if s.pushes != self.adopted:
            self.adopted = s.pushes
            self.nodes, self.edges = copy.deepcopy(s.nodes), copy.deepcopy(s.edges)
            self._send()
            assert sync_of(self.at).awaiting is None
            self.sync()

    def click(self, node_id: str | None) -> None:
        self.sync()
        for n in self.nodes:
            n["selected"] = n["id"] == node_id
        self._send(node_id)
        self.sync()

    def connect(self, source: str, target: str) -> None:
        self.sync()
        eid = f"st-flow-edge_{source}-{target}"
        self.edges.append({"id": eid, "source": source, "target": target, "sourceHandle": None, "targetHandle": None})
        self._send(eid)
        self.sync()

    def delete_node(self, node_id: str) -> None:
        self.sync()
        self.nodes = [n for n in self.nodes if n["id"] != node_id]
        self.edges = [e for e in self.edges if node_id not in (e["source"], e["target"])]
        self._send()
        self.sync()

    def delete_edge(self, source: str, target: str) -> None:
        self.sync()
        self.edges = [e for e in self.edges if (e["source"], e["target"]) != (source, target)]
        self._send()
        self.sync()

    def drag(self, node_id: str, x: float, y: float) -> None:
        self.sync()
        for n in self.nodes:
            n["selected"] = n["id"] == node_id
            if n["id"] == node_id:
                n["position"] = {"x": x, "y": y}
        self._send()
        self.sync()

    def content(self, node_id: str) -> str:
        for n in sync_of(self.at).nodes:
            if n["id"] == node_id:
                return n["data"]["content"]
        raise KeyError(node_id)

    def classes(self, node_id: str) -> str:
        return next(n["className"] for n in sync_of(self.at).nodes if n["id"] == node_id)


def widget(elements: Any, prefix: str) -> Any:
    found = [w for w in elements if w.key and w.key.startswith(prefix)]
    assert len(found) == 1, (prefix, [w.key for w in elements])
    return found[0]


def markdown_text(at: AppTest) -> str:
    return "\n".join(m.value for m in at.markdown)


# ---------------------------------------------------------------------- start and templates


def test_app_starts_without_tensorflow(tmp_path: Path) -> None:
    code = (
        "from streamlit.testing.v1 import AppTest\n"
        f"at = AppTest.from_file({APP!r}, default_timeout=60)\n"
        "at.query_params['template'] = 'news'\n"
        "at.run()\n"
        "for tab in ('Summary', 'Code', 'Overview'):\n"
        "    at.session_state['kgb_tab'] = tab\n"
        "    at.run()\n"
        "    assert not at.exception, at.exception\n"
        "    assert tab != 'Code' or at.code, 'the Code tab shows the exported source'\n"
        "at.switch_page('ui/pages/templates.py').run()\n"
        "assert not at.exception, at.exception\n"
    )
    assert heavy_modules_imported(code, env={"KGB_STATE_DIR": str(tmp_path)}) == []


def test_empty_editor_starts_with_a_hint_and_a_document_id() -> None:
    at = new_app()
    doc = doc_of(at)
    assert doc.graph.nodes == ()
    assert any("Empty canvas" in i.value for i in at.info)
    assert at.query_params["doc"] == [doc.doc_id] or at.query_params["doc"] == doc.doc_id
    assert valid_doc_id(doc.doc_id)


@pytest.mark.parametrize("name", TEMPLATES)
def test_every_template_opens_by_url(name: str) -> None:
    at = new_app(name)
    doc = doc_of(at)
    expected = get_template(name).load()
    report = validate(expected)
    assert [n.id for n in doc.graph.nodes] == [n.id for n in expected.nodes]
    assert all(n.position is not None for n in doc.graph.nodes)  # laid out when it had none
    assert doc.report.params.total == report.params.total
    assert f"{report.params.total:,}" in markdown_text(at)
    assert "template" not in at.query_params
    assert len(sync_of(at).nodes) == len(expected.nodes)
    assert len(sync_of(at).edges) == len(expected.edges)
    # every node shows its name, shape and params on the canvas
    for node in expected.nodes:
        html = Canvas(at).content(node.id)
        shape = report.shapes.get(node.id)
        layer = expected.layer_of(node.id)
        assert f'<span class="kgb-name">{layer.name}</span>' in html  # the layer's name, as the Name field
        calls = expected.calls.get(layer.id, [])
        if len(calls) > 1:  # a shared layer's call: its number on the badge, as in the inspector's heading
            assert f"shared {calls.index(node.id) + 1}/{len(calls)}</span>" in html
        if shape is not None:
            assert "(" + ", ".join("None" if d is None else str(d) for d in shape) in html


def test_unknown_template_is_reported_and_the_graph_kept() -> None:
    at = new_app("no_such_template")
    assert doc_of(at).graph.nodes == ()
    assert any("no\\_such\\_template" in e.value for e in at.error)  # shown escaped


def test_gallery_lists_every_template_and_opens_one() -> None:
    at = new_app()
    at.switch_page("ui/pages/templates.py").run()
    assert not at.exception
    text = markdown_text(at)
    for t in list_templates():
        assert t.title in text
        total = validate(t.load()).params.total
        assert f"{total:,}" in text
    at.button(key="open_news").click().run()
    assert not at.exception
    doc = doc_of(at)
    assert doc.graph.name == get_template("news").load().name
    assert doc.report.params.total == 5_200_610


# ---------------------------------------------------------------------- canvas edits


def test_palette_adds_nodes_connected_after_the_selection() -> None:
    at = new_app()
    at.button(key="palette:Input").click().run()
    doc = doc_of(at)
    (inp,) = [n.id for n in doc.graph.nodes]
    assert doc.selected == inp
    at.button(key="palette:Dense").click().run()
    dense = doc.selected
    assert dense != inp and doc.graph.input_nodes(dense) == [inp]
    assert doc.report.shapes[dense] == (None, 64)
    assert "(None, 64)" in Canvas(at).content(dense)
    # the new node sits to the right of the one it follows
    assert doc.graph.node_by_id[dense].position[0] > doc.graph.node_by_id[inp].position[0]
    # with the toggle off (or nothing selected) the node is free
    at.toggle(key="kgb_chain").set_value(False).run()
    at.button(key="palette:Dense").click().run()
    assert doc.graph.input_nodes(doc.selected) == []
    assert "kgb-error" in Canvas(at).classes(doc.selected)  # missing input: marked, not dropped


def test_connect_into_next_free_port_and_see_a_mismatch_error() -> None:
    at = new_app("news")
    canvas = Canvas(at)
    doc = doc_of(at)
    assert doc.report.ok
    canvas.connect("embedding", "concatenate")  # (None, 100, 512) into a concat of 2D tensors
    assert doc.graph.input_nodes("concatenate") == ["lstm", "aux_input", "embedding"]
    codes = {i.code for i in doc.report.issues_for("concatenate")}
    assert codes & {"shape_mismatch", "rank_mismatch"}, codes
    assert "kgb-error" in canvas.classes("concatenate")
    assert "error" in markdown_text(at)
    # the issues panel names the node; choosing the issue selects it and the inspector shows it
    issue_button = [b for b in at.button if b.key and b.key.startswith("issue:") and "concatenate" in b.label]
    assert issue_button
    issue_button[0].click().run()
    assert doc.selected == "concatenate"
    assert any("concatenate" in e.value or "Concatenate" in e.value for e in at.error)
    # both say what Keras itself would do, in words
    assert "Keras refuses to build this model" in issue_button[0].label
    assert any("Keras refuses to build this model" in e.value for e in at.error)
    # undo removes the edge and the error
    at.button(key="undo").click().run()
    assert doc.report.ok and doc.graph.input_nodes("concatenate") == ["lstm", "aux_input"]
    assert "kgb-error" not in canvas.classes("concatenate")
    at.button(key="redo").click().run()
    assert not doc.report.ok


def test_a_cycle_drawn_on_the_canvas_is_kept_and_reported() -> None:
    at = new_app("news")
    canvas = Canvas(at)
    doc = doc_of(at)
    canvas.connect("dense_2", "dense")
    assert ("dense_2", 1) in [(e.source, e.port) for e in doc.graph.in_edges["dense"]]
    assert "cycle" in {i.code for i in doc.report.issues}
    assert len(sync_of(at).edges) == len(doc.graph.edges)  # still drawn
    assert "kgb-error" in canvas.classes("dense")
    at.session_state["kgb_tab"] = "Summary"
    at.run()  # every view copes with a cyclic graph
    assert not at.exception
    at.session_state["kgb_tab"] = "Overview"
    at.run()
    assert not at.exception


def test_delete_move_and_disconnect_from_the_canvas() -> None:
    at = new_app("news")
    canvas = Canvas(at)
    doc = doc_of(at)
    canvas.drag("dense_1", 1234.5, -77.0)
    assert doc.graph.node_by_id["dense_1"].position == (1234.5, -77.0)
    assert doc.selected == "dense_1"
    assert json.loads(doc.graph.to_json())["nodes"][7]["position"] == [1234.5, -77.0]
    canvas.delete_edge("lstm", "concatenate")  # port 0 goes; aux_input moves up to port 0
    assert [(e.source, e.port) for e in doc.graph.in_edges["concatenate"]] == [("aux_input", 0)]
    canvas.delete_node("dense_1")
    assert "dense_1" not in doc.graph.node_by_id
    assert doc.graph.input_nodes("dense_2") == []
    assert not doc.report.ok  # dense_2 lost its input: reported, nothing else dropped
    assert len(doc.graph.nodes) == 9
    for _ in range(3):
        at.button(key="undo").click().run()
    assert doc.graph == readable(get_template("news").load())


def test_a_stale_answer_never_deletes_a_node_just_added() -> None:
    at = new_app("news")
    canvas = Canvas(at)
    canvas.sync()
    old_nodes, old_edges = canvas.nodes, canvas.edges
    at.button(key="palette:Dense").click().run()
    doc = doc_of(at)
    new = doc.selected
    assert new in doc.graph.node_by_id
    # An answer made before the push arrived (older timestamp, old node set): ignored.
    s = sync_of(at)
    at.session_state[FLOW_KEY] = {
        "nodes": old_nodes,
        "edges": old_edges,
        "selectedId": None,
        "timestamp": s.timestamp - 1,
    }
    at.run()
    assert new in doc.graph.node_by_id
    # An answer newer than the push that still lacks the node: the push was refused; re-pushed.
    pushes = s.pushes
    at.session_state[FLOW_KEY] = {
        "nodes": old_nodes,
        "edges": old_edges,
        "selectedId": None,
        "timestamp": s.timestamp + 100,
    }
    at.run()
    assert new in doc.graph.node_by_id
    assert s.pushes == pushes + 1 and new in {n["id"] for n in s.nodes}


# ---------------------------------------------------------------------- inspector


def test_edit_a_param_and_see_the_shape_change() -> None:
    at = new_app("news")
    canvas = Canvas(at)
    doc = doc_of(at)
    canvas.click("lstm")
    assert doc.selected == "lstm"
    assert "### lstm" in markdown_text(at)
    widget(at.number_input, "param:lstm:units:").set_value(16).run()
    assert doc.report.shapes["lstm"] == (None, 16)
    assert doc.report.shapes["concatenate"] == (None, 21)
    assert "(None, 16)" in canvas.content("lstm")
    assert "(None, 21)" in canvas.content("concatenate")
    assert doc.graph.layer_by_id["lstm"].config["units"] == 16
    # back to a value equal to the Keras default drops the key (advanced params folded away)
    widget(at.toggle, "param:lstm:return_sequences:").set_value(True).run()
    assert doc.report.shapes["lstm"] == (None, 100, 16)
    widget(at.toggle, "param:lstm:return_sequences:").set_value(False).run()
    assert "return_sequences" not in doc.graph.layer_by_id["lstm"].config
    at.button(key="undo").click().run()
    at.button(key="undo").click().run()
    at.button(key="undo").click().run()
    assert doc.report.shapes["lstm"] == (None, 32)


def test_text_params_are_parsed_and_bad_text_is_refused() -> None:
    at = new_app("news")
    canvas = Canvas(at)
    doc = doc_of(at)
    canvas.click("aux_input")
    widget(at.text_input, "param:aux_input:shape:").set_value("None, 7").run()
    assert doc.report.shapes["aux_input"] == (None, None, 7)
    before = doc.graph
    widget(at.text_input, "param:aux_input:shape:").set_value("seven").run()
    assert doc.graph is before
    assert any("not an integer" in e.value for e in at.error)


def test_rename_mark_output_and_reorder_inputs() -> None:
    at = new_app("news")
    canvas = Canvas(at)
    doc = doc_of(at)
    canvas.click("concatenate")
    widget(at.button, "down:concatenate:0:").click().run()
    assert doc.graph.input_nodes("concatenate") == ["aux_input", "lstm"]
    canvas.click("dense_2")
    widget(at.text_input, "name:dense_2:").set_value("features").run()
    assert doc.graph.layer_by_id["dense_2"].name == "features"
    widget(at.toggle, "output:dense_2:").set_value(True).run()
    assert doc.graph.outputs[-1] == "dense_2" and doc.report.outputs[-1] == "features"
    assert "output" in canvas.content("dense_2")


def test_reuse_a_layer_to_share_weights_and_undo_it() -> None:
    at = new_app("siamese_tweets")
    canvas = Canvas(at)
    doc = doc_of(at)
    total = doc.report.params.total
    shared_node = doc.graph.calls[next(la.id for la in doc.graph.layers if doc.graph.is_shared(la.id))][1]
    canvas.click(shared_node)
    # stop sharing: the call gets its own LSTM, params go up by one LSTM
    widget(at.selectbox, f"instance:{shared_node}:").set_value(flow_new_layer()).run()
    g = doc.graph
    own = g.node_by_id[shared_node].layer
    assert not any(g.is_shared(la.id) for la in g.layers)
    assert doc.report.params.total > total
    assert "shared" not in canvas.content(shared_node)
    # reuse the other LSTM again: params drop back, both calls show the shared badge
    other = next(la.id for la in g.layers if la.type == "LSTM" and la.id != own)
    widget(at.selectbox, f"instance:{shared_node}:").set_value(other).run()
    assert doc.report.params.total == total
    assert "shared 2/2" in canvas.content(shared_node)
    assert "kgb-shared" in canvas.classes(shared_node)
    at.button(key="undo").click().run()
    assert doc.report.params.total > total
    at.button(key="undo").click().run()
    assert doc.report.params.total == total


def flow_new_layer() -> str:
    from ui.inspector import NEW_LAYER

    return NEW_LAYER


def test_delete_button_and_model_panel() -> None:
    at = new_app("news")
    canvas = Canvas(at)
    doc = doc_of(at)
    canvas.click(None)
    assert doc.selected is None
    assert "### Model" in markdown_text(at)
    widget(at.button, "outputsdown:0:").click().run()
    assert doc.graph.outputs == ("aux_output", "main_output")
    canvas.click("dense")
    widget(at.button, "delete:dense:").click().run()
    assert "dense" not in doc.graph.node_by_id and doc.selected is None


# ---------------------------------------------------------------------- tabs, history, refresh


def test_bottom_tabs_summary_code_overview() -> None:
    at = new_app("news")
    at.session_state["kgb_tab"] = "Summary"
    at.run()
    assert not at.exception
    df = at.dataframe[0].value
    assert len(df) == 10
    assert list(df.columns[:3]) == ["Layer (type)", "Output shape", "Param #"]
    assert int(df["Param #"].sum()) == 5_200_610
    assert any(m.value == "5,200,610" for m in at.metric)
    at.session_state["kgb_tab"] = "Code"
    at.run()
    assert not at.exception
    if at.code:
        source = at.code[0].value
        assert "def build_model" in source and "main_output" in source
        compile(source, "model.py", "exec")  # valid Python (compiled, never run here)
    else:
        assert any("not available" in i.value for i in at.info)
    at.session_state["kgb_tab"] = "Overview"
    at.run()
    assert not at.exception
    at.session_state["kgb_tab"] = "Issues"
    at.run()
    assert any("No issues" in s.value for s in at.success)


def test_undo_redo_keep_fifty_steps_and_the_graph_survives_a_refresh(_state_dir: Path) -> None:
    at = new_app()
    doc = doc_of(at)
    g = Graph()
    for i in range(60):
        g, _ = g.add("Input", {"shape": [i + 1]})
        doc.apply(g, f"step {i}")
    at.run()
    assert len(doc.graph.nodes) == 60
    for _ in range(50):
        at.button(key="undo").click().run()
    assert len(doc.graph.nodes) == 10
    for _ in range(5):
        at.button(key="redo").click().run()
    assert len(doc.graph.nodes) == 15
    # A browser refresh is a new session with the same URL: the graph comes back from the store.
    doc_id = doc.doc_id
    saved = workspace().get_model(doc_id)
    assert saved.graph == doc.graph
    assert (len(saved.history.past), len(saved.history.future)) == (len(doc.past), len(doc.future))
    again = new_app(doc=doc_id)
    assert doc_of(again).graph == auto_layout(doc.graph)  # positions added where missing
    assert doc_of(again).doc_id == doc_id
    assert (len(doc_of(again).past), len(doc_of(again).future)) == (15, 45)  # the undo history too
    # a made-up id cannot reach outside the store
    other = new_app(doc="../../etc/passwd")
    assert doc_of(other).graph.nodes == () and doc_of(other).doc_id != "../../etc/passwd"


def test_new_canvas_and_layout_buttons() -> None:
    at = new_app("news")
    doc = doc_of(at)
    at.button(key="layout").click().run()
    pos = {n.id: n.position for n in doc.graph.nodes}
    assert pos == layered_positions(doc.graph)
    assert pos["main_input"][0] < pos["embedding"][0] < pos["lstm"][0]
    assert pos["main_output"][1] > pos["main_input"][1]  # 8 levels: folded into a second band
    at.button(key="new").click().run()
    assert doc_of(at).graph.nodes == () and doc_of(at) is not doc  # a new document...
    at.button(key=f"recent:0:{doc.doc_id}").click().run()  # ...and the previous one is one click away
    assert doc_of(at) is doc and len(doc.graph.nodes) == 10


# ---------------------------------------------------------------------- uploads


def test_upload_json_and_refusals_keep_the_graph(tmp_path: Path) -> None:
    news = get_template("news").load()
    graph, notes = read_upload("news.json", news.to_json().encode())
    assert graph == news and notes == []
    for name, data, words in [
        ("bad.json", b"{not json", "not valid JSON"),
        ("trunc.json", news.to_json().encode()[:200], "JSON"),
        ("big.json", b" " * 2048, "limited"),
        ("model.exe", b"MZ", "unsupported"),
        ("wrong.json", b'{"format": "keras-graph-builder", "version": 99}', "version"),
    ]:
        with pytest.raises(UploadError, match=words):
            read_upload(name, data, limit=1024 if name == "big.json" else 50 * 2**20)
    doc = Document(graph=news)
    assert not open_upload(doc, "bad.json", b"[1, 2")
    assert doc.graph == news and doc.message is not None and doc.message[0] == "error"
    assert open_upload(doc, "g.json", get_template("siamese_tweets").load().to_json().encode())
    assert len(doc.graph.nodes) == 6 and doc.can_undo


def test_upload_python_is_parsed_not_executed(tmp_path: Path) -> None:
    import builder.importers  # noqa: F401  (must import: a failure is a failure, not a skip)

    marker = tmp_path / "executed"
    source = (
        "import keras\nfrom keras import layers\n"
        f"open({str(marker)!r}, 'w').write('x')\n"
        "inp = keras.Input(shape=(8,), name='x')\n"
        "out = layers.Dense(4, name='y')(inp)\n"
        "model = keras.Model(inp, out)\n"
    )
    try:
        graph, _ = read_upload("model.py", source.encode())
    except UploadError as exc:  # refusing the file is fine too; running it is not
        assert "open" in str(exc) or "line" in str(exc)
    else:
        assert [la.type for la in graph.layers] == ["Input", "Dense"]
    assert not marker.exists()


# ---------------------------------------------------------------------- pure parts


def test_layered_layout_orders_levels_and_survives_cycles() -> None:
    g = get_template("news").load()
    bare = loads(json.dumps({**json.loads(g.to_json()), "nodes": [{"id": n.id} for n in g.nodes]}))
    pos = layered_positions(bare, wrap=None)
    assert pos["main_input"][0] == pos["aux_input"][0] == 0
    assert pos["embedding"][0] < pos["lstm"][0] < pos["concatenate"][0] < pos["main_output"][0]
    assert len(set(pos.values())) == len(pos)  # no two nodes on one spot
    cyc = g.connect("dense_2", "dense")  # dense <- dense_2 closes a cycle
    pos2 = layered_positions(cyc)
    assert set(pos2) == set(cyc.node_by_id) and len(set(pos2.values())) == len(pos2)
    laid = auto_layout(bare)
    assert all(n.position is not None for n in laid.nodes)
    # a long chain is folded into bands instead of one row that fit-to-view would shrink
    chain, prev = Graph().add("Input", {"shape": [8]})
    for _ in range(19):
        chain, prev = chain.add("Dense", {"units": 8}, inputs=[prev])
    cpos = layered_positions(chain)
    assert max(x for x, _ in cpos.values()) < WRAP * X_GAP
    assert len({y for _, y in cpos.values()}) == 4  # 20 levels -> 4 bands of 5
    assert len(set(cpos.values())) == 20
    partial = laid.move("dense", 5.0, 5.0)
    partial, extra = partial.add("Dense", {"units": 3}, inputs=["dense"])
    placed = auto_layout(partial)
    assert placed.node_by_id["dense"].position == (5.0, 5.0)  # kept
    assert placed.node_by_id[extra].position is not None


def test_node_content_escapes_names() -> None:
    g, a = Graph().add("Input", {"shape": [4]}, name='<img src=x onerror="alert(1)">\n\nx')
    g, b = g.add("Dense", {"units": 2}, inputs=[a], name="<script>")
    g = g.set_outputs([b])
    nodes = view_nodes(g, validate(g), None)
    html = " ".join(n["data"]["content"] for n in nodes)
    assert "<script>" not in html and "<img" not in html
    assert "&lt;script&gt;" in html
    assert "\n" not in html


def test_sync_protocol_pushes_only_on_change() -> None:
    g = get_template("news").load()
    r = validate(g)
    s = SyncState()
    nodes, edges = view_nodes(g, r, None), view_edges(g)
    assert plan_push(s, nodes, edges)
    assert not plan_push(s, nodes, edges)
    assert s.awaiting is not None
    kind, _ = read_answer(s, {"nodes": nodes, "edges": edges, "selectedId": None, "timestamp": s.timestamp + 1})
    assert kind == "echo" and s.awaiting is None  # the echo of the push: no user action
    kind, _ = read_answer(s, {"nodes": nodes, "edges": edges, "selectedId": None, "timestamp": s.timestamp + 1})
    assert kind == "old"
    assert read_answer(s, None)[0] == "none"
    assert read_answer(s, {"nodes": "x", "edges": [], "timestamp": 5})[0] == "stale"
    # an answer with garbage entries maps to nothing harmful
    change = apply_answer(g, {"nodes": [1, None, {"id": "zzz"}], "edges": [{"id": "e", "source": "a"}]})
    assert change.graph.nodes == () and "delete" in change.label


def test_history_is_bounded_and_params_parse() -> None:
    doc = Document()
    g = Graph()
    for i in range(HISTORY_LIMIT + 20):
        g, _ = g.add("Input", {"shape": [1]})
        doc.apply(g, str(i))
    assert len(doc.past) == HISTORY_LIMIT
    assert not doc.apply(doc.graph, "no-op")
    from builder.core.catalog import catalog

    p = catalog()["Conv2D"].params
    assert parse_value(p["kernel_size"], "3") == 3
    assert parse_value(p["kernel_size"], "(3, 5)") == (3, 5)
    assert parse_value(p["kernel_size"], "") is None
    with pytest.raises(ParamInputError):
        parse_value(p["kernel_size"], "3, 3, 3")
    shape = catalog()["Input"].params["shape"]
    assert parse_value(shape, "None, 64") == (None, 64)
    assert format_value((None, 64)) == "None, 64"
    assert format_value((5,)) == "5,"
    pad = catalog()["ZeroPadding2D"].params["padding"]
    assert parse_value(pad, "((1, 2), (3, 4))") == ((1, 2), (3, 4))
    assert parse_value(pad, format_value(((1, 2), (3, 4)))) == ((1, 2), (3, 4))


def test_flow_component_build_dir_carries_the_injected_script() -> None:
    d = flow._build_dir()
    index = (d / "index.html").read_text(encoding="utf-8")
    assert "kgbSynthetic" in index and "static/js/main" in index
    assert (d / "static" / "js").is_dir()


@pytest.mark.keras
def test_keras_and_png_exports_on_demand() -> None:
    at = new_app("mlp")
    at.session_state["kgb_tab"] = "Code"
    at.run()
    assert not at.exception
    at.button(key="export_keras").click().run()
    assert not at.exception
    assert not at.error, [e.value for e in at.error]
    data = at.session_state["kgb_exports"]["keras"][1]
    assert isinstance(data, bytes) and data[:2] == b"PK"  # a .keras file is a zip
    at.button(key="export_png").click().run()
    assert not at.exception
    png = at.session_state["kgb_exports"]["png"][1]
    assert isinstance(png, bytes) and png[:8] == b"\x89PNG\r\n\x1a\n"
    assert len(at.get("image")) == 1


# ---------------------------------------------------------------------- the issue's walk-through


def _set(at: AppTest, kind: str, node: str, param: str, value: Any) -> None:
    widget(getattr(at, kind), f"param:{node}:{param}:").set_value(value).run()
    assert not at.exception, at.exception


def _add(at: AppTest, type_name: str, name: str) -> str:
    from builder.core.catalog import catalog

    at.session_state[f"palette_cat_{catalog()[type_name].category}"] = True  # open its palette group
    at.run()
    at.button(key=f"palette:{type_name}").click().run()
    node = doc_of(at).selected
    widget(at.text_input, f"name:{node}:").set_value(name).run()
    return node


def test_rebuild_the_seed_000_news_model_from_an_empty_canvas() -> None:
    """Issue 5's walk-through: the news model (seed 000, corrected) drawn from nothing, with the
    palette, the canvas and the inspector only; then its exported code is valid Python."""
    at = new_app()
    canvas = Canvas(at)
    doc = doc_of(at)
    assert not doc.graph.nodes

    main_input = _add(at, "Input", "main_input")
    _set(at, "text_input", main_input, "shape", "100")
    _set(at, "selectbox", main_input, "dtype", "int32")
    embedding = _add(at, "Embedding", "embedding")  # chained after the selection
    _set(at, "number_input", embedding, "output_dim", 512)
    lstm = _add(at, "LSTM", "lstm")
    aux_output = _add(at, "Dense", "aux_output")
    _set(at, "number_input", aux_output, "units", 1)
    _set(at, "selectbox", aux_output, "activation", "sigmoid")
    widget(at.toggle, f"output:{aux_output}:").set_value(True).run()

    at.toggle(key="kgb_chain").set_value(False).run()
    aux_input = _add(at, "Input", "aux_input")
    _set(at, "text_input", aux_input, "shape", "5")
    at.toggle(key="kgb_chain").set_value(True).run()

    canvas.click(lstm)
    concat = _add(at, "Concatenate", "concatenate")
    canvas.connect(aux_input, concat)  # by its handle: the next free port
    assert doc.graph.input_nodes(concat) == [lstm, aux_input]
    assert doc.report.shapes[concat] == (None, 37)
    x = concat
    for name in ["dense", "dense_1", "dense_2"]:
        canvas.click(x)
        x = _add(at, "Dense", name)
    main_output = _add(at, "Dense", "main_output")
    _set(at, "number_input", main_output, "units", 1)
    _set(at, "selectbox", main_output, "activation", "sigmoid")
    widget(at.toggle, f"output:{main_output}:").set_value(True).run()

    report = doc.report
    assert report.ok, report.issues
    assert report.params.total == 5_200_610  # the count hand-written Keras gives (tests/importers)
    assert sorted(report.outputs) == ["aux_output", "main_output"]
    assert report.shapes[embedding] == (None, 100, 512) and report.shapes[lstm] == (None, 32)
    assert "5,120,000 params" in canvas.content(embedding)

    # a shape error appears and disappears
    canvas.click(lstm)
    _set(at, "number_input", lstm, "units", 16)
    canvas.connect(embedding, concat)  # a 3D tensor into a concatenation of 2D ones
    assert any(i.code == "shape_mismatch" for i in doc.report.issues_for(concat))
    assert "kgb-error" in canvas.classes(concat)
    canvas.delete_edge(embedding, concat)
    canvas.click(lstm)
    _set(at, "number_input", lstm, "units", 32)
    assert doc.report.ok and doc.report.params.total == 5_200_610

    from builder.codegen import to_python

    source = to_python(doc.graph)
    compile(source, "<exported>", "exec")  # valid Python; tests/test_codegen.py execs such files
    assert 'layers.Embedding(10000, 512, name="embedding")' in source


def test_an_issue_keras_builds_says_so_in_words() -> None:
    at = new_app("news")
    doc = doc_of(at)
    doc.apply(doc.graph.update_config("embedding", input_dim=100, output_dim=100_000), "swap")
    doc.select("embedding")
    at.run()
    issues = doc.report.issues_for("embedding")
    assert [(i.code, i.keras) for i in issues] == [("embedding_swapped", "runtime")]
    words = "Keras builds this, but it fails as soon as data flows"
    assert any(words in w.value for w in at.warning)  # the inspector
    assert any(words in b.label for b in at.button if b.key and b.key.startswith("issue:"))  # the issues list


def test_the_inspector_edits_a_wrapper_and_its_wrapped_layer() -> None:
    from tests.helpers import chain

    at = new_app()
    doc = doc_of(at)
    lstm = {"type": "LSTM", "config": {"units": 16, "return_sequences": True}}
    g = chain(
        ("Bidirectional", {"layer": lstm}),
        ("TimeDistributed", {"layer": {"type": "Dense", "config": {"units": 5}}}),
        input_shape=(20, 8),
    )
    doc.apply(g, "open wrappers")
    doc.select("bidirectional")
    at.run()
    assert doc.report.ok and doc.report.shapes["bidirectional"] == (None, 20, 32)
    canvas = Canvas(at)
    assert "Bidirectional(LSTM)" in canvas.content("bidirectional")
    assert "TimeDistributed(Dense)" in canvas.content("time_distributed")
    # a param of the wrapped LSTM: one edit, one undo step
    widget(at.number_input, "param:bidirectional:layer.units:").set_value(8).run()
    assert doc.graph.layer_by_id["bidirectional"].config["layer"] == {
        "type": "LSTM",
        "config": {"units": 8, "return_sequences": True},
    }
    assert doc.report.shapes["bidirectional"] == (None, 20, 16)
    # the wrapper's own param
    widget(at.selectbox, "param:bidirectional:merge_mode:").set_value("sum").run()
    assert doc.report.shapes["bidirectional"] == (None, 20, 8)
    # another wrapped type keeps the values it takes
    widget(at.selectbox, "wrapped:bidirectional:layer:").set_value("GRU").run()
    assert doc.graph.layer_by_id["bidirectional"].config["layer"] == {
        "type": "GRU",
        "config": {"units": 8, "return_sequences": True},
    }
    assert doc.report.ok, doc.report.issues
    at.button(key="undo").click().run()
    at.button(key="undo").click().run()
    at.button(key="undo").click().run()
    assert doc.graph.layer_by_id["bidirectional"].config == {"layer": lstm}
