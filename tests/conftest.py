"""Every test gets its own empty workspace database (``KGB_DATA_DIR`` in a temp folder), so that
nothing is written to the user's data folder (the app and ``kgb train`` record there)."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from pathlib import Path

import pytest


@pytest.fixture(autouse=True)
def _data_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    d = tmp_path / "data"
    monkeypatch.setenv("KGB_DATA_DIR", str(d))
    monkeypatch.delenv("KGB_DATABASE_URL", raising=False)
    yield d
    workspace = sys.modules.get("ui.workspace")
    if workspace is None:
        return
    with workspace._LOCK:
        opened = list(workspace._OPEN.items())
        workspace._OPEN.clear()
    for _, ws in opened:
        ws.close()
