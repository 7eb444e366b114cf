"""What many test modules share: ONE CLI runner and ONE "TensorFlow/Keras/Streamlit was not imported" check.

- ``cli`` (fixture): ``cli("validate", "news")`` runs :func:`builder.cli.main` in this process and
  returns a :class:`CliResult` (exit code, stdout, stderr); ``cli.subprocess(...)`` (also
  :func:`run_cli`) runs ``python -m builder`` or the ``kgb`` console script in a fresh Python,
  from a given folder.
- :func:`heavy_modules_imported`: run code in a fresh Python and return which heavy modules
  (TensorFlow, Keras, and Streamlit when asked) it imported.
- Every test gets its own empty workspace database (``KGB_DATA_DIR`` in a temp folder), so that
  nothing is written to the user's data folder (the app and ``kgb train`` record there).
- ``postgres_server`` / ``postgres_url`` / ``postgres_workspace``: a real PostgreSQL server
  (tests/postgres.py) for the store, the UI and the CLI on PostgreSQL.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from tests.postgres import postgres_server, postgres_url, postgres_workspace  # noqa: F401  (fixtures)

ROOT = Path(__file__).resolve().parent.parent
KERAS = ("keras", "tensorflow")
HEAVY = (*KERAS, "streamlit")
_REPORT = "@@heavy-modules@@"


@dataclass(frozen=True)
class CliResult:
    """One CLI run: exit code and what it printed."""

    code: int
    out: str
    err: str

    def __iter__(self) -> Iterator[Any]:  # code, out, err = cli(...)
        return iter((self.code, self.out, self.err))

    @property
    def json(self) -> Any:
        """stdout parsed as JSON (``validate --json``, ``templates --json``, ...)."""
        return json.loads(self.out)


def kgb_script() -> Path:
    """The ``kgb`` console script of the Python running the tests (``pip install -e .`` puts it there)."""
    return Path(sys.executable).parent / ("kgb.exe" if os.name == "nt" else "kgb")


def run_cli(
    *args: str | os.PathLike[str],
    cwd: str | os.PathLike[str] = ROOT,
    script: bool = False,
    env: Mapping[str, str] | None = None,
    timeout: float = 300,
) -> CliResult:
    """Run the CLI in a fresh Python from ``cwd``: ``python -m builder ARGS`` or, with ``script``,
    the venv's ``kgb ARGS``. ``env`` adds to (does not replace) this process's environment."""
    if script:
        kgb = kgb_script()
        if not kgb.exists():
            pytest.fail(f"no console script {kgb}: install the project with `pip install -e .` (scripts/setup.sh does)")
        cmd = [str(kgb)]
    else:
        cmd = [sys.executable, "-m", "builder"]
    proc = subprocess.run(
        [*cmd, *map(str, args)],
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=timeout,
        env={**os.environ, "TF_CPP_MIN_LOG_LEVEL": "3", **(env or {})},
    )
    return CliResult(proc.returncode, proc.stdout, proc.stderr)


class CliRunner:
    """``cli(*args)``: :func:`builder.cli.main` in this process, output captured through ``capsys``.
    A command never prints a traceback (it must turn every failure into a message and an exit code)."""

    def __init__(self, capsys: pytest.CaptureFixture[str]) -> None:
        self._capsys = capsys

    def __call__(self, *args: str | os.PathLike[str]) -> CliResult:
        from builder.cli import main

        self._capsys.readouterr()  # drop what the test printed before
        try:
            code = main([str(a) for a in args])
        except SystemExit as exc:  # main() returns its code; argparse's exit would land here
            code = exc.code if isinstance(exc.code, int) else 1
        out, err = self._capsys.readouterr()
        assert "Traceback" not in out + err, out + err
        return CliResult(code, out, err)

    @staticmethod
    def subprocess(*args: str | os.PathLike[str], **kwargs: Any) -> CliResult:
        """:func:`run_cli`: the same command in a fresh Python (``cwd=``, ``script=True`` for ``kgb``)."""
        return run_cli(*args, **kwargs)


@pytest.fixture
def cli(capsys: pytest.CaptureFixture[str]) -> CliRunner:
    return CliRunner(capsys)


def heavy_modules_imported(
    code: str,
    *,
    of: Iterable[str] = KERAS,
    cwd: str | os.PathLike[str] = ROOT,
    env: Mapping[str, str] | None = None,
    timeout: float = 180,
) -> list[str]:
    """Run ``code`` in a fresh Python (from ``cwd``, the repository root by default, so ``import
    builder`` is this checkout) and return, sorted, which of the modules ``of`` (default: Keras and
    TensorFlow; :data:`HEAVY` adds Streamlit) it had imported when it finished. The test fails when
    the code fails (its asserts count) or exits early."""
    names = sorted(set(of))
    report = (
        f"\nimport json as _j, sys as _s\nprint({_REPORT!r} + _j.dumps([m for m in {names!r} if m in _s.modules]))\n"
    )
    proc = subprocess.run(
        [sys.executable, "-c", code + report],
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=timeout,
        env={**os.environ, "TF_CPP_MIN_LOG_LEVEL": "3", **(env or {})},
    )
    if proc.returncode != 0:
        pytest.fail(f"the code failed in a fresh Python (exit {proc.returncode}):\n{proc.stderr[-4000:]}")
    lines = [line for line in proc.stdout.splitlines() if line.startswith(_REPORT)]
    if not lines:
        pytest.fail(f"the code exited before the check ran:\n{proc.stdout[-2000:]}\n{proc.stderr[-2000:]}")
    return json.loads(lines[-1][len(_REPORT) :])


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


@pytest.fixture(autouse=True)
def _platform_unknown() -> Iterator[None]:
    """What a probe found on this machine (builder.core.platform) stays inside the test that probed:
    a channels_first build in one test must not add warnings to another test's report."""
    yield
    from builder.core import platform

    platform.reset()
