"""One way to start the app for a real browser: ``streamlit run app.py`` on a free loopback port,
waited for through its health endpoint, stopped at the end (used by the Chromium tests and by
``benchmarks/bench_train_start.py``; no pytest here)."""

from __future__ import annotations

import os
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path

from tests.helpers import free_port

ROOT = Path(__file__).resolve().parent.parent


@contextmanager
def streamlit_app(env: Mapping[str, str | None], log: Path, *, start_timeout: float = 60) -> Iterator[str]:
    """Serve the app with ``os.environ`` updated by ``env`` (a ``None`` value removes the variable);
    its output is appended to ``log``. Yields the base URL."""
    full = dict(os.environ, TF_CPP_MIN_LOG_LEVEL="3")
    for key, value in env.items():
        if value is None:
            full.pop(key, None)
        else:
            full[key] = value
    port = free_port()
    cmd = [sys.executable, "-m", "streamlit", "run", str(ROOT / "app.py"), "--server.port", str(port)]
    cmd += ["--server.address", "127.0.0.1", "--server.headless", "true", "--browser.gatherUsageStats", "false"]
    with log.open("ab") as fh:
        proc = subprocess.Popen(cmd, cwd=ROOT, env=full, stdout=fh, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + start_timeout
        while True:
            try:
                with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as r:
                    if r.status == 200:
                        break
            except OSError:
                pass
            if proc.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"streamlit did not start:\n{log.read_text(errors='replace')}")
            time.sleep(0.3)
        yield url
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
