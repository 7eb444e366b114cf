"""The palette's search in a real browser: type "conv" in the sidebar's search box, only the
matching types are offered, and a click on Conv2D puts a Conv2D node on the canvas."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from builder.core.catalog import catalog
from tests.streamlit_server import streamlit_app
from ui.palette_search import search

pytestmark = pytest.mark.browser

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = "/usr/bin/chromium"
ARTIFACTS = ROOT / "artifacts"
FLOW_IFRAME = 'iframe[title*="streamlit_flow"]'

if not os.path.exists(CHROMIUM):  # pragma: no cover - CI installs chromium; never skipped there
    pytest.skip(f"{CHROMIUM} is not installed", allow_module_level=True)

sync_api = pytest.importorskip("playwright.sync_api")


@pytest.fixture(scope="module")
def url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    env = {
        "KGB_STATE_DIR": str(tmp_path_factory.mktemp("state")),
        "KGB_DATA_DIR": str(tmp_path_factory.mktemp("data")),
    }
    log = tmp_path_factory.mktemp("log") / "streamlit.log"
    with streamlit_app(env, log) as server:
        yield server
    assert "Traceback" not in log.read_text(errors="replace")


def test_search_conv_then_add_conv2d(url: str) -> None:
    from tests.ui.test_browser import CHROMIUM_ARGS

    with sync_api.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            page = browser.new_page(viewport={"width": 1400, "height": 1000})
            errors: list[str] = []
            page.on("pageerror", lambda exc: errors.append(str(exc)))
            page.goto(url)
            sidebar = page.locator("section[data-testid=stSidebar]")
            box = sidebar.get_by_placeholder("Search: conv", exact=False)
            box.wait_for(timeout=60_000)
            assert sidebar.get_by_role("button", name="Dense", exact=True).count() == 1  # core is open
            box.fill("conv")
            box.press("Enter")
            sidebar.get_by_role("button", name="Conv2D", exact=True).wait_for(timeout=20_000)
            sidebar.get_by_role("button", name="Dense", exact=True).wait_for(state="detached", timeout=20_000)
            for t in search(catalog().types.values(), "conv").all:
                assert sidebar.get_by_role("button", name=t.type, exact=True).count() == 1, t.type
            sidebar.get_by_role("button", name="Conv2D", exact=True).click()
            frame = page.frame_locator(FLOW_IFRAME)
            frame.locator(".react-flow__node", has_text="Conv2D").first.wait_for(timeout=30_000)
            ARTIFACTS.mkdir(exist_ok=True)
            page.screenshot(path=str(ARTIFACTS / "browser_palette_search.png"), full_page=True)
            assert not errors, errors
        finally:
            browser.close()
