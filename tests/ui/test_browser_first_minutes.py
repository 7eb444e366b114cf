"""Issue 15 in a real browser (1440x900, Debian chromium): what a new user meets in the first
minutes. Undo/redo replays exactly the user's edits, also when clicked in quick succession
(each state is checked against the canvas the user made); screenshots go to artifacts/.
Reuses the server and browser fixtures of test_browser.py."""

from __future__ import annotations

import time

import pytest

from tests.ui.test_browser import ARTIFACTS, FLOW_IFRAME, _center, _drag, browser, server  # noqa: F401 (fixtures)

pytestmark = pytest.mark.browser

VIEWPORT = {"width": 1440, "height": 900}
QUICK_MS = 40  # between quick clicks


def canvas_view(frame) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """What the canvas shows: node ids and edge ids (``source->target#port``), sorted."""
    nodes = frame.locator(".react-flow__node").evaluate_all("els => els.map(e => e.getAttribute('data-id'))")
    edges = frame.locator(".react-flow__edge").evaluate_all(
        "els => els.map(e => (e.getAttribute('data-testid') || '').replace('rf__edge-', ''))"
    )
    return tuple(sorted(nodes)), tuple(sorted(edges))


def settle(page, frame, expected=None, timeout: float = 30) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """Wait until the app is idle and the canvas stops changing (or shows ``expected``)."""
    deadline = time.monotonic() + timeout
    last, same_since = None, time.monotonic()
    while time.monotonic() < deadline:
        running = page.locator("[data-testid=stStatusWidget]").count() > 0
        view = canvas_view(frame)
        if view != last:
            last, same_since = view, time.monotonic()
        if not running and (view == expected or (expected is None and time.monotonic() - same_since > 1.5)):
            page.wait_for_timeout(300)
            return canvas_view(frame)
        page.wait_for_timeout(150)
    return canvas_view(frame)


def can_redo(page) -> bool:
    return page.locator(".st-key-redo button").first.is_enabled()


def toasts(page) -> list[str]:
    return [" ".join(t.split()) for t in page.locator("[data-testid=stToast]").all_inner_texts()]


def test_undo_and_redo_replay_exactly_the_user_edits(server: str, browser) -> None:  # noqa: F811
    ARTIFACTS.mkdir(exist_ok=True)
    page = browser.new_page(viewport=VIEWPORT)
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.goto(f"{server}/?template=siamese_tweets")
    frame = page.frame_locator(FLOW_IFRAME)
    frame.locator(".react-flow__node[data-id=dense]").wait_for(timeout=60_000)
    states = [settle(page, frame)]
    assert len(states[0][0]) == 6 and len(states[0][1]) == 5, states[0]

    # 1. a third LSTM call after the second input
    frame.locator(".react-flow__node[data-id=input_layer_1]").click()
    settle(page, frame)
    sidebar = page.locator("section[data-testid=stSidebar]")
    sidebar.get_by_text("Recurrent").click()
    sidebar.get_by_role("button", name="LSTM", exact=True).click()
    frame.locator(".react-flow__node[data-id=lstm_1]").wait_for(timeout=20_000)
    states.append(settle(page, frame))
    assert states[1][0] == tuple(sorted(states[0][0] + ("lstm_1",)))
    # 2. it reuses the shared LSTM (three calls, one set of weights)
    page.locator(".stSelectbox", has_text="Layer instance").click()
    page.get_by_role("option", name="reuse lstm").click()
    frame.locator(".react-flow__node[data-id=lstm_1]", has_text="shared 3/3").wait_for(timeout=20_000)
    states.append(settle(page, frame))
    # 3. connected to the Concatenate by dragging handle to handle
    src = frame.locator(".react-flow__handle.source[data-nodeid=lstm_1]").bounding_box()
    dst = frame.locator(".react-flow__handle.target[data-nodeid=concatenate]").bounding_box()
    assert src is not None and dst is not None
    _drag(page, _center(src), (_center(dst)["x"], _center(dst)["y"]), steps=15)
    frame.locator("[data-testid='rf__edge-lstm_1->concatenate#2']").wait_for(timeout=20_000)
    states.append(settle(page, frame))
    made = states
    page.screenshot(path=str(ARTIFACTS / "browser_undo_made.png"))

    # Undos and Redos clicked in quick succession, as an impatient user does (each click lands
    # while the page is still redrawing the previous one): the canvas ends on the graph of the
    # template, every step is still there to redo, and Redos bring the user's graph back.
    undo = page.locator(".st-key-undo button").first
    redo = page.locator(".st-key-redo button").first
    for _ in range(2):
        for _ in range(3):
            undo.click()
            page.wait_for_timeout(QUICK_MS)
        assert settle(page, frame, made[0]) == made[0]
        assert can_redo(page)
        for _ in range(3):
            redo.click()
            page.wait_for_timeout(QUICK_MS)
        assert settle(page, frame, made[3]) == made[3]
        assert not can_redo(page)

    # One Undo at a time: each state is one the user made, with the true label.
    labels = ["add lstm_1 after input_layer_1", "lstm_1 reuses lstm", "connect lstm#2 → concatenate"]
    page.wait_for_timeout(4500)  # the toasts of the quick clicks are gone
    for i in range(3, 0, -1):
        undo.click()
        assert settle(page, frame, made[i - 1]) == made[i - 1], i
        assert f"Undid: {labels[i - 1]}" in toasts(page)[-1]
        assert can_redo(page), "Redo must survive Undo"
    for i in range(1, 4):
        redo.click()
        assert settle(page, frame, made[i]) == made[i], i
        assert f"Redid: {labels[i - 1]}" in toasts(page)[-1]
    page.screenshot(path=str(ARTIFACTS / "browser_undo_redone.png"))
    assert not errors, errors
    page.close()


def test_a_refused_upload_clears_the_uploader_and_its_message_stays(server: str, browser, tmp_path) -> None:  # noqa: F811
    page = browser.new_page(viewport=VIEWPORT)
    page.goto(f"{server}/?template=siamese_tweets")
    frame = page.frame_locator(FLOW_IFRAME)
    frame.locator(".react-flow__node[data-id=dense]").wait_for(timeout=60_000)
    settle(page, frame)
    bad = tmp_path / "broken.json"
    bad.write_text("{not json")
    page.locator("section[data-testid=stSidebar] input[type=file]").set_input_files(str(bad))
    alert = page.locator("[data-testid=stAlert]", has_text="not valid JSON")
    alert.wait_for(timeout=20_000)
    settle(page, frame)
    # the uploader is empty again: it does not show the refused file as if accepted
    assert page.locator("[data-testid=stFileUploaderFile]").count() == 0
    assert "broken.json" not in page.locator("section[data-testid=stSidebar]").inner_text()
    # redraws (a click on a node) keep the message; Dismiss removes it
    frame.locator(".react-flow__node[data-id=dense]").click()
    page.wait_for_timeout(2500)
    settle(page, frame)
    assert alert.count() == 1 and alert.is_visible()
    page.screenshot(path=str(ARTIFACTS / "browser_upload_refused.png"))
    page.locator(".st-key-dismiss_message button").first.click()
    alert.wait_for(state="detached", timeout=20_000)
    page.close()


def _inspector_heading(page) -> str:
    return page.locator(".st-key-inspector h3").first.inner_text().strip()


def test_empty_canvas_escape_and_the_model_button_show_the_model_panel(server: str, browser) -> None:  # noqa: F811
    page = browser.new_page(viewport=VIEWPORT)
    page.goto(f"{server}/?template=siamese_tweets")
    frame = page.frame_locator(FLOW_IFRAME)
    dense = frame.locator(".react-flow__node[data-id=dense]")
    dense.wait_for(timeout=60_000)
    settle(page, frame)
    model = page.locator(".st-key-inspector h3", has_text="Model")

    def select_dense() -> None:
        dense.click()
        page.locator(".st-key-inspector h3", has_text="dense").wait_for(timeout=20_000)

    select_dense()
    # a click on the empty canvas
    pane = frame.locator(".react-flow__pane").bounding_box()
    assert pane is not None
    page.mouse.click(pane["x"] + pane["width"] * 0.5, pane["y"] + pane["height"] * 0.85)
    model.wait_for(timeout=20_000)
    assert page.get_by_label("Model name").input_value() == "siamese_tweets"
    # Escape on the canvas
    select_dense()
    page.wait_for_timeout(500)
    page.keyboard.press("Escape")
    model.wait_for(timeout=20_000)
    # the visible Model button
    select_dense()
    page.locator(".st-key-show_model button").first.click()
    model.wait_for(timeout=20_000)
    page.screenshot(path=str(ARTIFACTS / "browser_model_panel.png"))
    page.close()


def test_new_nodes_are_brought_into_view(server: str, browser) -> None:  # noqa: F811
    page = browser.new_page(viewport=VIEWPORT)
    page.goto(f"{server}/?template=siamese_tweets")
    frame = page.frame_locator(FLOW_IFRAME)
    frame.locator(".react-flow__node[data-id=dense]").wait_for(timeout=60_000)
    settle(page, frame)
    frame.locator(".react-flow__node[data-id=dense]").click()
    settle(page, frame)
    sidebar = page.locator("section[data-testid=stSidebar]")
    iframe = page.locator(FLOW_IFRAME).bounding_box()
    assert iframe is not None
    for i in range(1, 6):  # a chain of Dense layers, each after the last
        before = set(canvas_view(frame)[0])
        sidebar.get_by_role("button", name="Dense", exact=True).click()
        page.wait_for_function(
            "n => document.querySelector('iframe[title*=streamlit_flow]').contentDocument"
            ".querySelectorAll('.react-flow__node').length === n",
            arg=len(before) + 1,
            timeout=20_000,
        )
        settle(page, frame)
        page.wait_for_timeout(800)  # the fit animation
        (new,) = set(canvas_view(frame)[0]) - before
        box = frame.locator(f".react-flow__node[data-id={new}]").bounding_box()
        assert box is not None
        inside = (
            box["x"] >= iframe["x"] - 1
            and box["y"] >= iframe["y"] - 1
            and box["x"] + box["width"] <= iframe["x"] + iframe["width"] + 1
            and box["y"] + box["height"] <= iframe["y"] + iframe["height"] + 1
        )
        assert inside, (i, new, box, iframe)
        # the inspector shows the new node (selected, so the next one chains after it)
        page.wait_for_timeout(1000)
        assert _inspector_heading(page) == new
    page.screenshot(path=str(ARTIFACTS / "browser_new_nodes_in_view.png"))
    page.close()
