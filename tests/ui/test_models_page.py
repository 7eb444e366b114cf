"""The Models page, the runs view, share links and the two-tab conflict, through AppTest on a
fresh workspace per test (tests/ui/conftest.py)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from builder.core.graph import Graph
from builder.core.templates import get_template
from builder.core.validate import validate
from builder.store import Workspace
from ui import models as models_view
from ui.document import Document
from ui.workspace import binding, workspace

ROOT = Path(__file__).resolve().parents[2]
APP = str(ROOT / "app.py")
MODELS_PAGE = "ui/pages/models.py"
EDITOR_PAGE = "ui/pages/editor.py"


def new_app(**query: str) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=60)
    for k, v in query.items():
        at.query_params[k] = v
    at.run()
    assert not at.exception, at.exception
    return at


def models_page() -> AppTest:
    at = AppTest.from_file(APP, default_timeout=60)
    at.run()
    at.switch_page(MODELS_PAGE).run()
    assert not at.exception, at.exception
    return at


def text(at: AppTest) -> str:
    shown = "\n".join(m.value for m in at.markdown) + "\n" + "\n".join(c.value for c in at.caption)
    return re.sub(r"\\(.)", r"\1", shown)  # names are shown markdown-escaped


def doc_of(at: AppTest) -> Document:
    return at.session_state["kgb_doc"]


def two_models(ws: Workspace) -> tuple[str, str]:
    news = ws.create_model("News model", get_template("news").load())
    other = ws.create_model("Tiny", Graph().add("Input", {"shape": [4]})[0])
    return news, other


def test_lists_models_with_picture_params_and_io_and_searches() -> None:
    ws = workspace()
    news, tiny = two_models(ws)
    at = models_page()
    t = text(at)
    assert "News model" in t and "Tiny" in t
    assert "5,200,610 params" in t
    assert "in: main_input, aux_input" in t and "main_output" in t
    assert sum("<svg" in m.value for m in at.markdown) == 2
    assert "2 models" in t
    at.text_input(key="models_search").input("tin").run()
    t = text(at)
    assert "Tiny" in t and "News model" not in t and "1 model matching" in t
    at.text_input(key="models_search").input("no such thing").run()
    assert "News model" not in text(at) and "Tiny" not in text(at)


def test_rename_duplicate_delete_and_undo_delete() -> None:
    ws = workspace()
    news, tiny = two_models(ws)
    at = models_page()
    at.button(key=f"details_{news}").click().run()
    assert "Undo history: 0 steps" in text(at)
    at.text_input(key=f"rename_{news}").input("Headlines").run()
    at.button(key=f"do_rename_{news}").click().run()
    assert ws.get_model(news).name == "Headlines"
    assert "Headlines" in text(at)
    at.button(key=f"dup_{tiny}").click().run()
    assert ws.count_models() == 3
    assert "Tiny (copy)" in text(at)
    at.button(key=f"del_{tiny}").click().run()
    assert ws.count_models() == 2 and "Tiny" not in [m.name for m in ws.list_models()]
    assert any("Deleted “Tiny”" in i.value for i in at.info)
    at.button(key="undo_delete").click().run()
    assert ws.count_models() == 3 and ws.get_model(tiny).graph.nodes


def test_named_version_and_diff_against_a_template_in_a_table() -> None:
    ws = workspace()
    g = get_template("news").load()
    dense = next(lay for lay in g.layers if lay.type == "Dense")
    edited = g.update_config(dense.id, units=7)
    mid = ws.create_model("edited news", edited)
    at = models_page()
    at.button(key=f"details_{mid}").click().run()
    at.text_input(key=f"version_name_{mid}").input("units seven").run()
    at.button(key=f"new_version_{mid}").click().run()
    assert [(v.number, v.name, v.kind) for v in ws.list_versions(mid)] == [(1, "units seven", "named")]
    at.selectbox(key=f"diff_a_{mid}").select("template news").run()
    at.selectbox(key=f"diff_b_{mid}").select("this model (current)").run()
    assert not at.exception, at.exception
    frames = [d.value for d in at.dataframe]
    frame = next(f for f in frames if hasattr(f, "columns") and "change" in getattr(f, "columns", []))
    rows = frame.to_dict("records")
    assert {
        "change": "changed",
        "what": dense.name,
        "field": "config.units",
        "before": str(dense.config["units"]),
        "after": "7",
    } in rows
    expected = validate(edited).params.total
    assert any(f"→ **{expected:,}**" in m.value for m in at.markdown)
    # the same graph against its own version: equal
    at.selectbox(key=f"diff_a_{mid}").select("version 1 “units seven”").run()
    assert any("same" in s.value for s in at.success)


def test_open_from_the_models_page_and_every_edit_is_saved_with_history() -> None:
    ws = workspace()
    news, _ = two_models(ws)
    at = models_page()
    at.button(key=f"open_{news}").click().run()
    assert not at.exception, at.exception
    doc = doc_of(at)
    assert doc.doc_id == news and len(doc.graph.nodes) == 10
    g2, _ = doc.graph.add("Dense", {"units": 3})
    doc.apply(g2, "add a dense")
    at.switch_page(EDITOR_PAGE).run()  # AppTest stays on the page it was switched to last
    saved = ws.get_model(news)
    assert len(saved.graph.nodes) == 11 and [label for _, label in saved.history.past] == ["add a dense"]
    at.button(key="undo").click().run()
    saved = ws.get_model(news)
    assert len(saved.graph.nodes) == 10 and len(saved.history.future) == 1


def test_two_tabs_never_overwrite_each_other() -> None:
    ws = workspace()
    mid = ws.create_model("shared", Graph().add("Input", {"shape": [4]})[0])
    a, b = new_app(doc=mid), new_app(doc=mid)
    da, db = doc_of(a), doc_of(b)
    da.apply(da.graph.add("Dense", {"units": 1})[0], "tab A adds")
    a.run()
    db.apply(db.graph.add("Dense", {"units": 2})[0], "tab B adds")
    b.run()
    saved = ws.get_model(mid)
    assert saved.graph == da.graph and saved.graph != db.graph  # B did not overwrite A
    assert any("Another tab saved" in w.value for w in b.warning)
    assert binding(db).conflict is not None
    b.button(key="ws_keep_version").click().run()
    assert not at_exception(b)
    v = ws.get_version(mid, "kept from another tab")
    assert v.graph == db.graph
    assert doc_of(b).graph.layers == ws.get_model(mid).graph.layers  # reloaded the saved one, saving again
    doc_of(b).apply(doc_of(b).graph.add("Dense", {"units": 5})[0], "after reload")
    b.run()
    assert len(ws.get_model(mid).graph.nodes) == 3


def at_exception(at: AppTest) -> bool:
    return bool(at.exception)


def _record(ws: Workspace, mid: str, losses: list[float], aux: list[float]) -> str:
    history = {
        "epoch": [1, 2, 3],
        "loss": [x + y for x, y in zip(losses, aux)],
        "main_output_loss": losses,
        "aux_output_loss": aux,
    }
    run = ws.record_run(
        mid,
        settings={"epochs": 3, "loss": {"main_output": "binary_crossentropy", "aux_output": "binary_crossentropy"}},
        history=history,
        metrics={"loss": history["loss"][-1]},
        duration=1.5,
        loss_weights={"main_output": 1.0, "aux_output": 0.2},
    )
    return run.id


def test_runs_view_compares_heads_and_reopens_the_trained_version() -> None:
    ws = workspace()
    news, _ = two_models(ws)
    _record(ws, news, [0.9, 0.7, 0.6], [0.5, 0.4, 0.3])
    g = ws.get_model(news).graph
    ws.save(news, g.add("Dense", {"units": 3})[0], None, ws.get_model(news).revision)
    _record(ws, news, [0.8, 0.5, 0.4], [0.6, 0.5, 0.5])
    cols = models_view.head_columns(ws.list_runs(news))
    assert cols == {"total loss": "loss", "main_output loss": "main_output_loss", "aux_output loss": "aux_output_loss"}
    frame = models_view.curves(ws.list_runs(news), "aux_output_loss")
    assert frame.shape == (3, 2) and sorted(frame.iloc[-1].tolist()) == [0.3, 0.5]
    at = models_page()
    at.button(key=f"details_{news}").click().run()
    assert not at.exception, at.exception
    assert len(at.get("vega_lite_chart")) == 3  # total + one per head
    assert "**aux_output loss**" in text(at) and "**main_output loss**" in text(at)
    oldest = ws.list_runs(news)[-1]
    label = next(o for o in at.selectbox(key=f"reopen_pick_{news}").options if o.startswith(oldest.id[:6]))
    at.selectbox(key=f"reopen_pick_{news}").select(label).run()
    at.button(key=f"reopen_{news}").click().run()
    assert not at.exception, at.exception
    doc = doc_of(at)
    assert doc.doc_id == news and doc.graph == ws.get_version(news, oldest.version_number).graph
    assert len(doc.graph.nodes) == 10  # the first run trained the graph before the Dense was added


def test_a_share_link_is_read_only_and_copies_into_the_workspace() -> None:
    ws = workspace()
    news, _ = two_models(ws)
    token = ws.share(news)
    before = ws.get_model(news)
    at = new_app(share=token)
    assert any("News model" in m.value and "version 1" in m.value for m in at.markdown)
    assert "kgb_doc" not in at.session_state  # no editor document, so no way to edit the shared model
    at.button(key="share_copy").click().run()
    assert not at.exception, at.exception
    assert ws.count_models() == 3
    copy = doc_of(at)
    assert copy.doc_id not in (news,) and copy.graph.layers == before.graph.layers
    after = ws.get_model(news)
    assert after.revision == before.revision and after.graph == before.graph
    bad = new_app(share="x" * 32)
    assert any("does not exist" in e.value for e in bad.error)


@pytest.mark.keras
def test_the_train_panel_records_its_run_once_with_a_version() -> None:
    from ui import training as T

    at = new_app(template="mlp")
    at.session_state["kgb_tab"] = "Train"
    at.run()
    doc = doc_of(at)
    at.number_input(key=f"train_epochs:{doc.rev}").set_value(1).run()
    at.number_input(key="train_samples").set_value(32).run()
    at.button(key="train_start").click().run()
    run: T.TrainingRun = at.session_state[T.RUN]
    assert run.job.join(timeout=240), "training did not finish"
    at.run()
    at.run()  # shown twice, recorded once
    assert not at.exception, at.exception
    ws = workspace()
    [info] = ws.list_models()
    assert info.id == doc_of(at).doc_id
    [rec] = ws.list_runs(info.id)
    assert rec.status == "completed" and rec.has_keras and len(rec.history["loss"]) == 1
    assert rec.settings["epochs"] == 1
    assert ws.get_version(info.id, rec.version_number).kind == "run"
    assert any("Recorded in the workspace as version 1" in c.value for c in at.caption)
