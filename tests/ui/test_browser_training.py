"""The Train tab in a real browser: open the news template by URL, train it for one epoch on
synthetic data from the panel, and see one loss curve per head plus the total; a screenshot goes
to artifacts/browser_training.png. Reuses the server and browser fixtures of test_browser.py."""

from __future__ import annotations

import re

import pytest

from tests.ui.test_browser import ARTIFACTS, FLOW_IFRAME, browser, server  # noqa: F401 (fixtures)

pytestmark = [pytest.mark.browser, pytest.mark.keras]


def test_train_a_template_for_one_epoch(server: str, browser) -> None:  # noqa: F811
    ARTIFACTS.mkdir(exist_ok=True)
    page = browser.new_page(viewport={"width": 1600, "height": 1800})
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.goto(f"{server}/?template=news")
    page.frame_locator(FLOW_IFRAME).locator(".react-flow__node").first.wait_for(timeout=60_000)
    page.get_by_role("tab", name="Train").click()
    start = page.locator(".st-key-train_start button").first
    start.wait_for(timeout=30_000)
    # the heads and the template's loss weights are shown
    page.get_by_text("main_output", exact=True).first.wait_for(timeout=10_000)
    page.get_by_text("aux_output", exact=True).first.wait_for(timeout=10_000)
    assert page.get_by_label("Loss weight of aux_output").input_value() == "0.2"

    for label, value in (("Epochs", "1"), ("Samples", "64")):
        box = page.get_by_label(label, exact=True)
        box.fill(value)
        box.press("Enter")
        page.wait_for_function(
            "([l, v]) => [...document.querySelectorAll('input')].some(i => i.getAttribute('aria-label') === l"
            " && i.value === v)",
            arg=[label, value],
            timeout=10_000,
        )
        page.wait_for_timeout(700)  # the rerun that stores the setting
    start.click()
    # the live view: a progress bar and a Stop button while the thread runs (polled by a fragment)
    page.locator("[data-testid=stProgress]").first.wait_for(timeout=30_000)
    page.locator(".st-key-train_stop button").first.wait_for(timeout=30_000)
    page.get_by_text(re.compile(r"Trained 1 epoch\b")).first.wait_for(timeout=240_000)
    titles = ["main_output loss", "aux_output loss", "total weighted loss"]
    for i, title in enumerate(titles):
        chart = page.locator(f".st-key-train_chart_{i} [data-testid=stVegaLiteChart]")
        chart.wait_for(timeout=30_000)
        # vega draws an SVG: the head's title and at least one line with points
        chart.locator("svg text", has_text=title).first.wait_for(timeout=10_000)
        assert chart.locator("g.mark-line path").count() >= 1
        assert chart.locator("g.mark-symbol path").count() >= 2
    table = page.locator("[data-testid=stDataFrame]")
    table.first.wait_for(timeout=10_000)
    table.locator("th", has_text="main_output_loss").first.wait_for(state="attached", timeout=10_000)
    table.locator("th", has_text="aux_output_loss").first.wait_for(state="attached", timeout=10_000)
    # the trained model downloads as a .keras zip (saved on demand)
    with page.expect_download(timeout=60_000) as info:
        page.locator(".st-key-train_model_keras button").first.click()
    saved = info.value.path()
    assert info.value.suggested_filename == "news.keras"
    assert saved is not None and open(saved, "rb").read(2) == b"PK"
    page.locator(".st-key-train_chart_0").scroll_into_view_if_needed()
    page.screenshot(path=str(ARTIFACTS / "browser_training.png"), full_page=True)
    assert not errors, errors
    page.close()
