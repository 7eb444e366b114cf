"""The real app in a real browser: Streamlit server + Debian's chromium through Playwright.

Loads a template by URL, adds a node from the palette, drags it, connects another node to it
by dragging handle to handle, checks the new node's shape label, deletes a node with the
keyboard, reloads the page (the graph survives), and saves screenshots under artifacts/.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.streamlit_server import streamlit_app

pytestmark = pytest.mark.browser

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = "/usr/bin/chromium"
ARTIFACTS = ROOT / "artifacts"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
FLOW_IFRAME = 'iframe[title*="streamlit_flow"]'

if not os.path.exists(CHROMIUM):  # pragma: no cover - CI installs chromium; never skipped there
    pytest.skip(f"{CHROMIUM} is not installed", allow_module_level=True)

sync_api = pytest.importorskip("playwright.sync_api")


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    env = {
        "KGB_STATE_DIR": str(tmp_path_factory.mktemp("state")),
        "KGB_DATA_DIR": str(tmp_path_factory.mktemp("data")),
    }
    log = tmp_path_factory.mktemp("log") / "streamlit.log"
    with streamlit_app(env, log) as url:
        yield url
    text = log.read_text(errors="replace")
    assert "Traceback" not in text, text
    assert "tensorflow" not in text.lower(), text


@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    with sync_api.sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            yield b
        finally:
            b.close()


def _node_ids(frame) -> list[str]:
    return frame.locator(".react-flow__node").evaluate_all("els => els.map(e => e.getAttribute('data-id'))")


def _drag(page, start: dict, end: tuple[float, float], steps: int = 12) -> None:
    page.mouse.move(start["x"], start["y"])
    page.mouse.down()
    page.mouse.move(start["x"] + 3, start["y"] + 3, steps=3)
    page.mouse.move(end[0], end[1], steps=steps)
    page.mouse.up()


def _center(box: dict) -> dict:
    return {"x": box["x"] + box["width"] / 2, "y": box["y"] + box["height"] / 2}


def _wait_text(page, pattern: str, timeout: float = 20) -> None:
    page.get_by_text(re.compile(pattern)).first.wait_for(timeout=timeout * 1000)


def test_build_in_the_browser(server: str, browser) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    page = browser.new_page(viewport={"width": 1600, "height": 1150})
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.goto(f"{server}/?template=siamese_tweets")
    frame = page.frame_locator(FLOW_IFRAME)
    frame.locator(".react-flow__node[data-id=dense]").wait_for(timeout=60_000)
    _wait_text(page, r"82,305")
    # The URL now names the session's document (so that a refresh finds it).
    page.wait_for_function("() => location.search.includes('doc=')", timeout=10_000)
    assert "template=" not in page.url
    before = set(_node_ids(frame))
    assert {"concatenate", "dense"} <= before and len(before) == 6, before
    page.screenshot(path=str(ARTIFACTS / "browser_template.png"), full_page=True)

    # Add a Dense from the palette (nothing selected: a free node).
    page.locator("section[data-testid=stSidebar]").get_by_role("button", name="Dense", exact=True).click()
    frame.locator(".react-flow__node").nth(len(before)).wait_for(timeout=20_000)
    new_ids = set(_node_ids(frame)) - before
    assert len(new_ids) == 1, new_ids
    new = new_ids.pop()
    new_node = frame.locator(f".react-flow__node[data-id={new}]")
    assert "?" in new_node.inner_text()  # not connected yet: no shape

    # Drag it to the right of the last node.
    box = new_node.bounding_box()
    dense_box = frame.locator(".react-flow__node[data-id=dense]").bounding_box()
    assert box is not None and dense_box is not None
    target = (dense_box["x"] + dense_box["width"] / 2, dense_box["y"] + dense_box["height"] * 2.2)
    _drag(page, _center(box), target)
    page.wait_for_timeout(1500)
    moved = new_node.bounding_box()
    assert moved is not None
    assert abs(moved["y"] - box["y"]) > 20 or abs(moved["x"] - box["x"]) > 20

    # Connect concatenate -> the new node by dragging from handle to handle.
    src = frame.locator(".react-flow__handle.source[data-nodeid=concatenate]").bounding_box()
    dst = frame.locator(f".react-flow__handle.target[data-nodeid={new}]").bounding_box()
    assert src is not None and dst is not None
    _drag(page, _center(src), (_center(dst)["x"], _center(dst)["y"]), steps=15)
    # The new node shows its inferred shape: Dense(64) on (None, 128) -> (None, 64).
    frame.locator(f".react-flow__node[data-id={new}]", has_text="(None, 64)").wait_for(timeout=20_000)
    assert "8,256 params" in new_node.inner_text()  # 128 * 64 + 64
    _wait_text(page, r"7 nodes")  # not yet an output: the model's params are unchanged
    page.screenshot(path=str(ARTIFACTS / "browser_connected.png"), full_page=True)

    # Select the new node by clicking it: the inspector shows it; then delete it with the key.
    new_node.click()
    page.locator("[data-testid=stMarkdownContainer]", has_text="Output shape").filter(
        has_text="(None, 64)"
    ).first.wait_for(timeout=20_000)
    new_node.click()
    page.keyboard.press("Delete")
    new_node.wait_for(state="detached", timeout=20_000)
    _wait_text(page, r"6 nodes")

    # Undo brings it back (connected), the graph survives a refresh of the page.
    page.get_by_role("button", name="Undo").click()
    frame.locator(f".react-flow__node[data-id={new}]", has_text="(None, 64)").wait_for(timeout=20_000)
    _wait_text(page, r"7 nodes")
    page.wait_for_timeout(500)
    page.reload()
    frame = page.frame_locator(FLOW_IFRAME)
    frame.locator(f".react-flow__node[data-id={new}]", has_text="(None, 64)").wait_for(timeout=60_000)
    _wait_text(page, r"7 nodes")
    page.screenshot(path=str(ARTIFACTS / "browser_after_refresh.png"), full_page=True)
    assert not errors, errors
    page.close()


def test_gallery_opens_a_template(server: str, browser) -> None:
    page = browser.new_page(viewport={"width": 1500, "height": 1000})
    page.goto(f"{server}/templates")
    page.get_by_text("Question answering").first.wait_for(timeout=60_000)
    page.screenshot(path=str(ARTIFACTS / "browser_gallery.png"), full_page=True)
    page.locator(".st-key-open_question_answering button").click()
    frame = page.frame_locator(FLOW_IFRAME)
    frame.locator(".react-flow__node").first.wait_for(timeout=60_000)
    _wait_text(page, r"1,000,052")
    page.close()
