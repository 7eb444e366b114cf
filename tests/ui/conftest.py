"""Every UI test gets its own empty workspace database (``KGB_DATA_DIR`` in a temp folder)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest


@pytest.fixture(autouse=True)
def _data_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    d = tmp_path / "data"
    monkeypatch.setenv("KGB_DATA_DIR", str(d))
    monkeypatch.delenv("KGB_DATABASE_URL", raising=False)
    yield d
    from ui import workspace

    with workspace._LOCK:
        opened = list(workspace._OPEN.items())
        workspace._OPEN.clear()
    for _, ws in opened:
        ws.close()
