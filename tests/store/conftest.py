"""Fixtures: every store test runs on SQLite (a temp dir) and on a real PostgreSQL server
(``postgres_server`` / ``postgres_url``: tests/postgres.py, registered in tests/conftest.py)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from builder.store import Workspace


@pytest.fixture(params=["sqlite", "postgresql"])
def db_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """A fresh, empty workspace database URL on each backend."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'workspace.sqlite3'}"
        return
    yield request.getfixturevalue("postgres_url")


@pytest.fixture
def ws(db_url: str) -> Iterator[Workspace]:
    w = Workspace.open(db_url)
    try:
        yield w
    finally:
        w.close()
