"""Quick fixes in the app (AppTest): a button on the issue (Issues tab) and on the red node
(inspector); pressing one repairs the graph in one undoable step labelled with the fix."""

from __future__ import annotations

from pathlib import Path

import pytest

from builder.core.graph import load_graph
from tests.ui.test_app import Canvas, doc_of, new_app, widget

CASES = Path(__file__).resolve().parents[1] / "cases"


@pytest.fixture(autouse=True)
def _state_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    d = tmp_path / "state"
    monkeypatch.setenv("KGB_STATE_DIR", str(d))
    return d


def _open_case(name: str):  # type: ignore[no-untyped-def]
    at = new_app()
    doc = doc_of(at)
    doc.apply(load_graph(CASES / f"{name}.json"), f"open {name}")
    at.run()
    assert not at.exception, at.exception
    return at, doc


def test_fix_button_on_the_issue_repairs_and_undo_brings_it_back() -> None:
    at, doc = _open_case("residual_add_mismatch")
    assert [i.code for i in doc.report.issues] == ["shape_mismatch"]
    button = widget(at.button, "fix:issues:0:project_conv:add:1:")
    assert (
        button.label == "Insert Conv2D(128, 1, strides=2, padding='same') on the shortcut from 'input_layer' into 'add'"
    )
    button.click().run()
    assert not at.exception
    assert doc.report.ok and not doc.report.issues
    assert doc.report.params.total == 311_680
    assert doc.past[-1][1] == button.label  # one step, labelled with the fix
    assert any("No issues" in s.value for s in at.success)
    at.button(key="undo").click().run()
    assert [i.code for i in doc.report.issues] == ["shape_mismatch"]
    assert doc.report.params.total == 295_168
    assert widget(at.button, "fix:issues:0:project_conv:add:1:")  # offered again


def test_fix_button_on_the_selected_red_node_in_the_inspector() -> None:
    at, doc = _open_case("seed003_shared_dense_64_then_32")
    Canvas(at).click("dense_b")
    assert doc.selected == "dense_b"
    steps = len(doc.past)
    widget(at.button, "fix:node:dense_b:unshare:dense_b:").click().run()
    assert not at.exception
    assert not doc.report.issues and doc.report.shapes["dense_b"] == (None, 8)
    assert len(doc.past) == steps + 1
    at.button(key="undo").click().run()
    assert [i.code for i in doc.report.issues] == ["shared_layer_mismatch"]


def test_model_wide_issue_gets_its_fix_too() -> None:
    at, doc = _open_case("seed000_single_loss_two_weights")
    widget(at.button, "fix:issues:0:loss_per_head:").click().run()
    assert not at.exception and not doc.report.issues
    assert dict(doc.graph.training["loss"]) == {
        "main_output": "binary_crossentropy",
        "aux_output": "binary_crossentropy",
    }
