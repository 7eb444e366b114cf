"""Time to the first training batch: the app's Train panel vs the CLI, measured in one run.

Both sides start cold (a fresh process that has not imported TensorFlow) and train the same
template on the same synthetic data (default: news, 256 samples, batch 32, 2 epochs):

* CLI: ``python -m builder train TEMPLATE ...`` in a subprocess; the first batch is timed from
  the process start by a tiny wrapper that runs the CLI's ``main`` with a hook on the
  training monitor (the CLI itself prints nothing per batch), and the end as the process exit;
* app: ``streamlit run app.py`` with Debian's chromium (Playwright): the template is opened by
  URL, the Train tab gets the same epochs / samples / batch size, Train is clicked, and the
  first batch is seen when the panel's progress text says ``batch N/M`` with N >= 1 (the
  end: "Trained N epochs").

Prints both times and the ratios app / CLI (goal: first batch within 1.5x). These machines are
noisy and shared: compare the ratios of one run, not absolute seconds.

    .venv/bin/python benchmarks/bench_train_start.py [--template news] [--epochs 2]
        [--samples 256] [--batch-size 32] [--repeats 1]
"""

from __future__ import annotations

import argparse
import os
import re
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.streamlit_server import streamlit_app  # noqa: E402

CHROMIUM = "/usr/bin/chromium"

_CLI_WRAPPER = r"""
import sys, time
t0 = float(sys.argv[1])
import builder.keras_edge.monitor as T
_orig = T.TrainingMonitor._batch_end
def _batch_end(self, *a, **k):
    if not getattr(T, "_kgb_first", None):
        T._kgb_first = time.time()
        print(f"FIRST_BATCH {T._kgb_first - t0:.3f}", flush=True)
    return _orig(self, *a, **k)
T.TrainingMonitor._batch_end = _batch_end
from builder.cli import main
code = main(sys.argv[2:])
print(f"END {time.time() - t0:.3f}", flush=True)
sys.exit(code)
"""


def cli_times(template: str, epochs: int, samples: int, batch: int) -> tuple[float, float]:
    t0 = time.time()
    out = subprocess.run(
        [sys.executable, "-c", _CLI_WRAPPER, repr(t0), "train", template]
        + ["--epochs", str(epochs), "--samples", str(samples), "--batch-size", str(batch), "--quiet"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        # a throwaway workspace: kgb train records its run there, as the app does in its own
        env=dict(os.environ, TF_CPP_MIN_LOG_LEVEL="3", KGB_DATA_DIR=tempfile.mkdtemp(prefix="kgb-bench-data-")),
        timeout=600,
    )
    end = time.time() - t0
    first = re.search(r"FIRST_BATCH ([\d.]+)", out.stdout)
    if out.returncode != 0 or first is None:
        raise RuntimeError(f"CLI failed ({out.returncode}):\n{out.stdout}\n{out.stderr}")
    return float(first.group(1)), end


def app_times(template: str, epochs: int, samples: int, batch: int) -> tuple[float, float]:
    from playwright.sync_api import sync_playwright

    state = tempfile.mkdtemp(prefix="kgb-bench-state-")
    env = {"KGB_STATE_DIR": state, "KGB_DATA_DIR": str(Path(state) / "data"), "KGB_DATABASE_URL": None}
    log = Path(os.environ.get("BENCH_LOG") or Path(state) / "streamlit.log")
    with streamlit_app(env, log) as url:
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=CHROMIUM, args=["--headless", "--no-sandbox", "--disable-gpu"])
            page = browser.new_page(viewport={"width": 1440, "height": 900})
            page.goto(f"{url}/?template={template}")
            page.frame_locator('iframe[title*="streamlit_flow"]').locator(".react-flow__node").first.wait_for(
                timeout=60_000
            )
            page.get_by_role("tab", name="Train").click()
            page.locator(".st-key-train_start button").first.wait_for(timeout=30_000)
            for label, value in (("Epochs", epochs), ("Samples", samples), ("Batch size", batch)):
                box = page.get_by_label(label, exact=True)
                box.fill(str(value))
                box.press("Enter")
                page.wait_for_function(
                    "([l, v]) => [...document.querySelectorAll('input')]"
                    ".some(i => i.getAttribute('aria-label') === l && i.value === v)",
                    arg=[label, str(value)],
                    timeout=10_000,
                )
                page.wait_for_timeout(700)
            page.wait_for_function(
                "() => !document.querySelector('[data-testid=stStatusWidget]')", timeout=30_000, polling=100
            )
            t0 = time.time()
            page.locator(".st-key-train_start button").first.click()
            page.wait_for_function(
                r"() => /batch [1-9]\d*\//.test(document.body.innerText)"
                r" || /Trained \d+ epoch/.test(document.body.innerText)",
                timeout=600_000,
                polling=50,
            )
            first = time.time() - t0
            page.get_by_text(re.compile(r"Trained \d+ epochs?\b")).first.wait_for(timeout=600_000)
            end = time.time() - t0
            browser.close()
        return first, end


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--template", default="news")
    ap.add_argument("--epochs", type=int, default=2)
    ap.add_argument("--samples", type=int, default=256)
    ap.add_argument("--batch-size", type=int, default=32)
    ap.add_argument("--repeats", type=int, default=1)
    a = ap.parse_args()
    rows = []
    for i in range(a.repeats):
        # alternate which side goes first so that a busy phase of the machine hits both
        sides = ("cli", "app") if i % 2 == 0 else ("app", "cli")
        got = {}
        for side in sides:
            fn = cli_times if side == "cli" else app_times
            got[side] = fn(a.template, a.epochs, a.samples, a.batch_size)
        (cf, ce), (af, ae) = got["cli"], got["app"]
        print(
            f"run {i + 1}: CLI first batch {cf:6.2f} s, end {ce:6.2f} s | app first batch {af:6.2f} s, end {ae:6.2f} s"
        )
        rows.append((af / cf, ae / ce))
    first = statistics.median(r[0] for r in rows)
    end = statistics.median(r[1] for r in rows)
    print(
        f"app / CLI, first batch: {first:.2f}x (goal <= 1.5x); to the end: {end:.2f}x  [{a.template}, "
        f"{a.samples} samples, batch {a.batch_size}, {a.epochs} epochs, median of {len(rows)} run(s)]"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
