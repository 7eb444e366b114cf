"""The workspace in a real browser: open a template, edit it, restart the server, find the model
on the Models page with its undo history, and diff it against the template: the table, and the
canvas with the changed layer amber and the added one green (Chromium)."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from tests.streamlit_server import streamlit_app
from tests.ui.test_browser import ARTIFACTS, FLOW_IFRAME, _node_ids, _wait_text, browser  # noqa: F401

pytestmark = pytest.mark.browser


@contextmanager
def serve(data_dir: Path, log: Path) -> Iterator[str]:
    env = {"KGB_DATA_DIR": str(data_dir), "KGB_STATE_DIR": str(data_dir / "legacy"), "KGB_DATABASE_URL": None}
    with streamlit_app(env, log) as url:
        yield url


def _select(page, label: str, option: str) -> None:
    box = page.locator("[data-testid=stSelectbox]").filter(has_text=label).first
    box.click()
    page.get_by_role("option", name=option, exact=True).click()


def test_edit_restart_find_on_models_page_and_diff(tmp_path: Path, browser) -> None:  # noqa: F811
    ARTIFACTS.mkdir(exist_ok=True)
    data, log = tmp_path / "data", tmp_path / "streamlit.log"
    with serve(data, log) as url:
        page = browser.new_page(viewport={"width": 1600, "height": 1150})
        page.goto(f"{url}/?template=mlp")
        frame = page.frame_locator(FLOW_IFRAME)
        frame.locator(".react-flow__node").first.wait_for(timeout=60_000)
        before = set(_node_ids(frame))
        # change a parameter in the inspector: Dense "dense" 32 -> 7 units
        frame.locator(".react-flow__node[data-id=dense]").click()
        units = page.locator("[data-testid=stNumberInput]").filter(has_text="units").locator("input").first
        units.wait_for(timeout=20_000)
        units.fill("7")
        units.press("Enter")
        frame.locator(".react-flow__node[data-id=dense]", has_text="(None, 7)").wait_for(timeout=20_000)
        frame.locator(".react-flow__pane").click(position={"x": 30, "y": 30})  # nothing selected: a free node next
        page.wait_for_timeout(1000)
        page.locator("section[data-testid=stSidebar]").get_by_role("button", name="Dense", exact=True).click()
        frame.locator(".react-flow__node").nth(len(before)).wait_for(timeout=20_000)
        _wait_text(page, rf"{len(before) + 1} nodes")
        page.wait_for_function("() => location.search.includes('doc=')", timeout=10_000)
        page.wait_for_timeout(1000)
        page.close()
    # a new server process on the same data folder
    with serve(data, log) as url:
        page = browser.new_page(viewport={"width": 1600, "height": 1400})
        page.goto(f"{url}/models")
        _wait_text(page, r"1 model\b", timeout=60)
        _wait_text(page, rf"{len(before) + 1} nodes")
        page.get_by_role("button", name="Details").first.click()
        _wait_text(page, r"Undo history: 3 steps")
        _wait_text(page, r"add Dense|open template")
        page.get_by_role("tab", name="Diff").click()
        _select(page, "From", "template mlp")
        _select(page, "To", "this model (current)")
        _wait_text(page, r"1 added")
        _wait_text(page, r"0 removed")
        # the diff canvas: the edited layer amber, the new one green, the others unmarked
        canvas = page.frame_locator(FLOW_IFRAME)
        changed = canvas.locator(".react-flow__node[data-id=dense]")
        changed.wait_for(timeout=30_000)
        assert "kgb-diff-changed" in (changed.get_attribute("class") or "")
        assert changed.evaluate("n => getComputedStyle(n).borderTopColor") == "rgb(217, 119, 6)"  # amber
        assert "config.units: 32 → 7" in (changed.locator(".kgb-node").get_attribute("title") or "")
        added = canvas.locator(".react-flow__node.kgb-diff-added")
        assert added.count() == 1 and added.get_attribute("data-id") not in before
        assert added.evaluate("n => getComputedStyle(n).borderTopColor") == "rgb(22, 163, 74)"  # green
        same = canvas.locator(".react-flow__node[data-id=input_layer]")
        assert "kgb-diff-same" in (same.get_attribute("class") or "")
        assert same.evaluate("n => getComputedStyle(n).borderTopColor") == "rgb(203, 213, 225)"  # the usual grey
        page.screenshot(path=str(ARTIFACTS / "browser_models_diff.png"), full_page=True)
        page.close()
    text = log.read_text(errors="replace")
    assert "Traceback" not in text, text
