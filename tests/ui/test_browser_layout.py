"""Issue 15's smaller points in a real browser (1440x900, Debian chromium): the working area fits
the window, fitted canvas text is readable, the minimap is small and can be hidden, the list
buttons stay inside the inspector, the inspector keeps one layout for shared and unshared nodes,
and a shared layer's calls are named alike in the heading, the Name field and the code.
Reuses the server and browser fixtures of test_browser.py."""

from __future__ import annotations

import re

import pytest

from tests.ui.test_browser import ARTIFACTS, FLOW_IFRAME, browser, server  # noqa: F401 (fixtures)
from tests.ui.test_browser_first_minutes import VIEWPORT, settle

pytestmark = pytest.mark.browser


def _open(browser, server: str, template: str):  # noqa: F811
    page = browser.new_page(viewport=VIEWPORT)
    page.goto(f"{server}/?template={template}")
    frame = page.frame_locator(FLOW_IFRAME)
    frame.locator(".react-flow__node").first.wait_for(timeout=60_000)
    settle(page, frame)
    page.wait_for_timeout(1000)  # the fit animation
    return page, frame


def _select(page, frame, node_id: str, heading: str) -> None:
    frame.locator(f".react-flow__node[data-id={node_id}]").click()
    page.locator(".st-key-inspector h3", has_text=heading).wait_for(timeout=20_000)
    settle(page, frame)


def test_the_working_area_fits_1440x900(server: str, browser) -> None:  # noqa: F811
    page, frame = _open(browser, server, "news")
    tabs = page.get_by_role("tab", name="Train").bounding_box()
    canvas = page.locator(FLOW_IFRAME).bounding_box()
    inspector = page.locator(".st-key-inspector").bounding_box()
    assert tabs is not None and canvas is not None and inspector is not None
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "browser_layout_1440x900.png"))
    # the bottom tabs (Issues, Summary, Code, Train...) are visible without scrolling
    assert tabs["y"] + tabs["height"] <= VIEWPORT["height"], tabs
    assert canvas["y"] + canvas["height"] <= VIEWPORT["height"], canvas
    # the canvas takes most of what the sidebar leaves (it was ~650 px of 1440)
    assert canvas["width"] >= 740, canvas
    assert inspector["x"] + inspector["width"] <= VIEWPORT["width"], inspector
    page.close()


def test_fitted_text_is_readable_and_the_minimap_small_and_hideable(server: str, browser) -> None:  # noqa: F811
    page, frame = _open(browser, server, "news")
    assert frame.locator(".react-flow__node").count() == 10
    # every text of every node, at the view's zoom, on screen (fitted, a 10-node graph had ~6 px)
    sizes = frame.locator(".react-flow__viewport").evaluate(
        """vp => {
            const m = new DOMMatrix(getComputedStyle(vp).transform);
            const out = [];
            for (const el of vp.querySelectorAll('.react-flow__node *')) {
                const own = [...el.childNodes].some(n => n.nodeType === 3 && n.textContent.trim());
                if (own) out.push([el.textContent.trim(), parseFloat(getComputedStyle(el).fontSize) * m.a]);
            }
            return out;
        }"""
    )
    assert len(sizes) >= 30, sizes
    small = [(t, round(px, 1)) for t, px in sizes if px < 10]
    assert not small, small
    canvas = page.locator(FLOW_IFRAME).bounding_box()
    minimap = frame.locator(".react-flow__minimap").bounding_box()
    assert canvas is not None and minimap is not None
    assert minimap["width"] * minimap["height"] <= 0.02 * canvas["width"] * canvas["height"], (minimap, canvas)
    assert minimap["width"] <= 0.12 * canvas["width"], (minimap, canvas)
    toggle = frame.locator("#kgb-minimap-toggle")
    assert toggle.inner_text() == "Hide minimap"
    toggle.click()
    assert not frame.locator(".react-flow__minimap").is_visible()
    assert toggle.inner_text() == "Show minimap"
    toggle.click()
    assert frame.locator(".react-flow__minimap").is_visible()
    page.close()


def _outside(page) -> list[tuple[str, dict]]:
    """The inspector's buttons that stick out of the panel (even partly)."""
    panel = page.locator(".st-key-inspector").bounding_box()
    assert panel is not None
    out = []
    for button in page.locator(".st-key-inspector button").all():
        box = button.bounding_box()
        if box is None:
            continue
        inside = panel["x"] - 0.5 <= box["x"] and box["x"] + box["width"] <= panel["x"] + panel["width"] + 0.5
        if not inside:
            out.append(((button.get_attribute("title") or button.inner_text()), box))
    return out


def _wrapped(page) -> list[str]:
    """Rows of the inspector's lists whose buttons did not stay on the row's line."""
    out = []
    for row in page.locator(".st-key-inspector [class*='row-']").all():
        tops = [b["y"] for b in (x.bounding_box() for x in row.locator("button").all()) if b is not None]
        text = row.locator("[data-testid=stMarkdownContainer]").first.bounding_box()
        if tops and text is not None and (max(tops) - min(tops) > 1 or max(tops) > text["y"] + text["height"]):
            out.append(row.inner_text())
    return out


def test_reorder_buttons_stay_inside_the_inspector(server: str, browser) -> None:  # noqa: F811
    page, frame = _open(browser, server, "news")
    page.locator(".st-key-inspector h3", has_text="Model").wait_for(timeout=20_000)
    # the Model panel: inputs and outputs in order, each with up/down
    arrows = page.locator(".st-key-inspector button:has([data-testid=stIconMaterial])")
    assert arrows.count() >= 8
    assert not _outside(page), _outside(page)
    assert not _wrapped(page), _wrapped(page)
    # an output's order next to its toggle, and a node's inputs with up/down/disconnect
    _select(page, frame, "main_output", "main_output")
    assert page.locator(".st-key-inspector [class*='st-key-outdown'] button").count() >= 1
    assert not _outside(page), _outside(page)
    _select(page, frame, "concatenate", "concatenate")
    drops = page.locator(".st-key-inspector [class*='st-key-drop'] button")
    drops.first.scroll_into_view_if_needed()
    assert drops.count() >= 2  # concatenate's two inputs, each with up, down and disconnect
    assert not _outside(page), _outside(page)
    assert not _wrapped(page), _wrapped(page)
    page.close()


def _y(page, label: str) -> float:
    box = page.locator(".st-key-inspector").get_by_label(label, exact=True).first.bounding_box()
    assert box is not None, label
    return box["y"]


def test_the_inspector_keeps_its_layout_and_names_shared_calls_alike(server: str, browser) -> None:  # noqa: F811
    page, frame = _open(browser, server, "siamese_tweets")
    _select(page, frame, "dense", "dense")
    unshared = (_y(page, "Name"), _y(page, "Layer instance (weights)"))
    _select(page, frame, "encoded_b", "lstm (call 2 of 2)")
    shared = (_y(page, "Name"), _y(page, "Layer instance (weights)"))
    page.locator(".st-key-inspector").screenshot(path=str(ARTIFACTS / "browser_inspector_shared_call.png"))
    assert shared == unshared
    # one scheme: the heading "lstm (call 2 of 2)", the Name "lstm", the code's lstm / lstm_call_2
    heading = page.locator(".st-key-inspector h3").first.inner_text().strip()
    assert heading == "lstm (call 2 of 2)"
    assert page.locator(".st-key-inspector").get_by_label("Name", exact=True).first.input_value() == "lstm"
    node = frame.locator(".react-flow__node[data-id=encoded_b]")
    assert node.locator(".kgb-name").inner_text() == "lstm" and "shared 2/2" in node.inner_text()
    page.get_by_role("tab", name="Code").click()
    code = page.locator("[data-testid=stCode]").first
    code.wait_for(timeout=20_000)
    text = code.inner_text()
    assert re.search(r'\blstm = layers\.LSTM\(64, name="lstm"\)$', text, re.M), text
    assert re.search(r"\blstm_call_2 = lstm\(input_layer_1\)$", text, re.M), text
    page.close()
