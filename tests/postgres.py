"""A throwaway PostgreSQL server for the tests that run on a real one (tests/store, the UI and
``kgb train`` on PostgreSQL): fixtures registered in tests/conftest.py.

The server is a throwaway cluster (``initdb`` + ``pg_ctl`` from Debian's
``/usr/lib/postgresql/*/bin``) in a temp dir on a free loopback port, started once per session
(as the ``postgres`` user when running as root) and stopped at the end. Without the binaries the
PostgreSQL tests skip, unless ``KGB_REQUIRE_POSTGRES=1`` (CI: ``scripts/ci-postgres.sh``), which
makes them fail instead. ``postgres_url`` is a fresh empty database per test, dropped after it;
``postgres_workspace`` also points ``KGB_DATABASE_URL`` at it, so that the app and the CLI use it.
"""

from __future__ import annotations

import glob
import os
import shutil
import subprocess
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.helpers import free_port


def _pg_bin() -> Path | None:
    """The newest Debian PostgreSQL bin dir, or ``$KGB_PG_BIN`` (the only place looked at then)."""
    if os.environ.get("KGB_PG_BIN"):
        found = glob.glob(os.path.join(os.environ["KGB_PG_BIN"], "initdb"))
    else:
        found = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"), key=lambda p: int(Path(p).parts[-3]))
    return Path(found[-1]).parent if found else None


def _as_owner(cmd: list[str]) -> list[str]:
    """Run as ``postgres`` when we are root (initdb refuses root)."""
    if os.geteuid() == 0:
        return ["runuser", "-u", "postgres", "--", *cmd]
    return cmd


@pytest.fixture(scope="session")
def postgres_server() -> Iterator[str]:
    """The admin URL of a throwaway PostgreSQL cluster."""
    bindir = _pg_bin()
    if bindir is None:
        reason = "PostgreSQL binaries not found (/usr/lib/postgresql/*/bin); install Debian's postgresql"
        if os.environ.get("KGB_REQUIRE_POSTGRES") == "1":
            pytest.fail(reason + " (KGB_REQUIRE_POSTGRES=1)")
        pytest.skip(reason)
    root = Path(tempfile.mkdtemp(prefix="kgb-pg-"))
    data, sock = root / "data", root / "sock"
    sock.mkdir()
    if os.geteuid() == 0:
        shutil.chown(root, "postgres")
        shutil.chown(sock, "postgres")
    port = free_port()
    log = root / "server.log"
    try:
        subprocess.run(
            _as_owner([str(bindir / "initdb"), "-D", str(data), "-U", "postgres", "-A", "trust", "-E", "UTF8"]),
            check=True,
            capture_output=True,
            timeout=120,
        )
        opts = f"-p {port} -k {sock} -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=50"
        subprocess.run(
            _as_owner([str(bindir / "pg_ctl"), "-D", str(data), "-l", str(log), "-o", opts, "-w", "-t", "60", "start"]),
            check=True,
            capture_output=True,
            timeout=90,
        )
    except (subprocess.CalledProcessError, subprocess.TimeoutExpired) as exc:
        detail = getattr(exc, "stderr", b"") or b""
        shutil.rmtree(root, ignore_errors=True)
        pytest.fail(f"could not start PostgreSQL: {exc}: {detail.decode(errors='replace')[-2000:]}")
    try:
        yield f"postgresql://postgres@127.0.0.1:{port}/postgres"
    finally:
        subprocess.run(
            _as_owner([str(bindir / "pg_ctl"), "-D", str(data), "-m", "immediate", "-w", "stop"]),
            capture_output=True,
            timeout=60,
        )
        shutil.rmtree(root, ignore_errors=True)


def _admin(url: str, sql: str) -> None:
    import psycopg

    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute(sql)


@pytest.fixture
def postgres_url(postgres_server: str) -> Iterator[str]:
    """A fresh, empty database on the throwaway server (dropped after the test)."""
    name = f"kgb_{os.urandom(6).hex()}"
    _admin(postgres_server, f"CREATE DATABASE {name}")
    try:
        yield postgres_server.rsplit("/", 1)[0] + "/" + name
    finally:
        _admin(postgres_server, f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")


@pytest.fixture
def postgres_workspace(postgres_url: str, _data_dir: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    """``KGB_DATABASE_URL`` set to a fresh PostgreSQL database: the app's and the CLI's workspace."""
    monkeypatch.setenv("KGB_DATABASE_URL", postgres_url)
    return postgres_url
