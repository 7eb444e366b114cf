"""The Models page with 1,000 models, timed in a real browser, against the same page with one
page of models (20: the same rows drawn) and with none (Streamlit's own page load).

Three app servers (``streamlit run app.py``, tests/streamlit_server.py), each on its own
workspace (SQLite in a temp ``KGB_DATA_DIR``), filled with 1,000, 20 and 0 models (the news
template, 10 nodes, under distinct names, written through ``builder.store``). Debian's chromium
(Playwright) opens ``/models`` in a new tab and the time is taken from the navigation until the
page shows its list: the "1,000 models" caption and the first page's rows (20 pictures and
*Details* buttons) visible. The first visit of each server is reported apart (it imports the
page's modules and draws the pictures of the first page); then ``--repeat`` visits, median.
Also: typing a search that matches one model, until "1 model matching" shows. The server's own
time for the page (one script run, through AppTest) is printed too.

Target (issue 13): under 1 s with 1,000 models. A ratio near 1 against 20 models means the page
does not grow with the workspace; the ratio against 0 models is the cost of drawing the rows.
These machines are noisy and shared: compare the ratios of one run.

    .venv/bin/python benchmarks/bench_models_page.py [--models 1000] [--repeat 7]
"""

from __future__ import annotations

import argparse
import re
import shutil
import statistics
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from builder.core.templates import get_template  # noqa: E402
from builder.core.validate import validate  # noqa: E402
from builder.store import Workspace  # noqa: E402
from builder.store.workspace import DB_FILE  # noqa: E402
from tests.streamlit_server import streamlit_app  # noqa: E402

CHROMIUM = "/usr/bin/chromium"
ROWS = 20  # ui.models.PAGE_SIZE


def fill(data_dir: Path, n: int) -> None:
    graph = get_template("news").load()
    report = validate(graph)
    data_dir.mkdir(parents=True, exist_ok=True)
    with Workspace.open(f"sqlite:///{data_dir / DB_FILE}") as ws:  # where the app finds it (KGB_DATA_DIR)
        for i in range(n):
            ws.create_model(f"model {i:04d}", graph, report=report)


@contextmanager
def serve(data_dir: Path, log: Path) -> Iterator[str]:
    env = {"KGB_DATA_DIR": str(data_dir), "KGB_STATE_DIR": str(data_dir / "legacy"), "KGB_DATABASE_URL": None}
    with streamlit_app(env, log) as url:
        yield url


def shown(page, n: int) -> None:
    """Wait until the page shows the list: the count caption and the first page's rows."""
    caption = f"{n:,} model{'s' if n != 1 else ''}"
    page.get_by_text(re.compile(rf"^{re.escape(caption)}$")).first.wait_for(timeout=60_000)
    rows = min(n, ROWS)
    if rows == 0:
        page.get_by_text("No models yet").first.wait_for(timeout=60_000)
        return
    page.get_by_role("button", name="Details").nth(rows - 1).wait_for(timeout=60_000)
    page.locator("[data-testid=stMarkdownContainer] svg").nth(rows - 1).wait_for(timeout=60_000)


def visit(browser, url: str, n: int) -> float:
    page = browser.new_page(viewport={"width": 1400, "height": 1000})
    try:
        t0 = time.perf_counter()
        page.goto(f"{url}/models")
        shown(page, n)
        return time.perf_counter() - t0
    finally:
        page.close()


def search(browser, url: str, n: int, name: str) -> float:
    page = browser.new_page(viewport={"width": 1400, "height": 1000})
    try:
        page.goto(f"{url}/models")
        shown(page, n)
        box = page.get_by_placeholder("part of a name")
        t0 = time.perf_counter()
        box.fill(name)
        box.press("Enter")
        page.get_by_text(re.compile(r"^1 model matching")).first.wait_for(timeout=60_000)
        return time.perf_counter() - t0
    finally:
        page.close()


def measure(browser, data_dir: Path, n: int, repeat: int, log: Path) -> dict[str, float]:
    with serve(data_dir, log) as url:
        first = visit(browser, url, n)
        times = [visit(browser, url, n) for _ in range(repeat)]
        found = statistics.median(search(browser, url, n, f"model {n - 1:04d}") for _ in range(3)) if n else 0.0
    return {"first": first, "median": statistics.median(times), "search": found, "server": server_time(data_dir)}


def server_time(data_dir: Path, repeat: int = 7) -> float:
    """The page's script run on the server (AppTest, warm: the median of ``repeat`` runs)."""
    import os

    from streamlit.testing.v1 import AppTest

    old = os.environ.get("KGB_DATA_DIR")
    os.environ["KGB_DATA_DIR"] = str(data_dir)
    try:
        at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120)
        at.run()
        at.switch_page("ui/pages/models.py").run()
        at.run()  # warm: the first page's pictures drawn, the modules imported
        times = []
        for _ in range(repeat):
            t0 = time.perf_counter()
            at.run()
            times.append(time.perf_counter() - t0)
        return statistics.median(times)
    finally:
        if old is None:
            os.environ.pop("KGB_DATA_DIR", None)
        else:
            os.environ["KGB_DATA_DIR"] = old


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--models", type=int, default=1000)
    ap.add_argument("--repeat", type=int, default=5)
    args = ap.parse_args()
    from playwright.sync_api import sync_playwright

    tmp = Path(tempfile.mkdtemp(prefix="kgb-bench-models-"))
    try:
        sizes = (args.models, ROWS, 0)
        t0 = time.perf_counter()
        for n in sizes:
            fill(tmp / str(n), n)
        print(
            f"filled the workspaces ({', '.join(f'{n:,}' for n in sizes)} models) in {time.perf_counter() - t0:.1f} s"
        )
        log = tmp / "streamlit.log"
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox", "--disable-dev-shm-usage"])
            try:
                got = {n: measure(browser, tmp / str(n), n, args.repeat, log) for n in sizes}
            finally:
                browser.close()
        if "Traceback" in log.read_text(errors="replace"):
            print(log.read_text(errors="replace")[-3000:])
            return 1
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    big, page, empty = (got[n] for n in sizes)
    print(f"\nModels page in Chromium, until the list shows (target < 1000 ms with {args.models:,} models)")
    print(f"{'':<40} {args.models:>6,} models {ROWS:>6} models {0:>6} models  ratio vs {ROWS}  vs 0")
    for what, key in (
        ("first visit (server cold for this page)", "first"),
        (f"visit, median of {args.repeat}", "median"),
        ("search to 1 match", "search"),
        ("server: one run of the page (AppTest)", "server"),
    ):
        a, b, c = big[key], page[key], empty[key]
        vs0 = f"{a / c:5.2f}x" if c else "    -"
        print(f"{what:<40} {a * 1e3:10.0f} ms {b * 1e3:10.0f} ms {c * 1e3:10.0f} ms  {a / b:8.2f}x {vs0}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
