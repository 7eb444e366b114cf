"""The project is an installable package: the ``kgb`` console script works from any folder, and a
wheel built from the tree ships every module, the catalog and the templates (no Keras needed).

``make test`` installs the project editable into ``.venv`` (scripts/setup.sh), so ``kgb`` sits next
to the interpreter running the tests.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from builder.core.templates import list_templates
from tests.conftest import kgb_script, run_cli

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "builder"
NEWS_PARAMS = "5,200,610"


def installed_builder(cwd: Path, env: dict[str, str] | None = None) -> Path:
    """Where ``import builder`` resolves from ``cwd`` (outside the repository: the installed copy)."""
    proc = subprocess.run(
        [sys.executable, "-c", "import builder; print(builder.__file__)"],
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=60,
        env={**os.environ, **(env or {})},
    )
    if proc.returncode != 0:
        pytest.fail(f"`import builder` fails outside the repository; run `pip install -e .`:\n{proc.stderr[-2000:]}")
    return Path(proc.stdout.strip()).resolve().parent


def test_kgb_works_from_a_folder_outside_the_repository(tmp_path: Path) -> None:
    assert kgb_script().exists(), f"no {kgb_script()}: `pip install -e .` (scripts/setup.sh) installs it"
    where = installed_builder(tmp_path)
    if where != PACKAGE:
        pytest.skip(f"this venv's builder is another checkout's ({where}); `pip install -e .` here to test this one")

    r = run_cli("validate", "news", cwd=tmp_path, script=True)
    assert r.code == 0, r.err
    assert r.out.startswith("OK:") and NEWS_PARAMS in r.out, r.out

    r = run_cli("templates", "--json", cwd=tmp_path, script=True)
    assert r.code == 0, r.err
    items = {item["name"]: item for item in r.json}
    assert set(items) == {t.name for t in list_templates()}
    assert items["news"]["params"] == 5_200_610
    for item in items.values():
        path = Path(item["path"])
        assert path.is_file() and path.parent == PACKAGE / "templates", item["path"]

    r = run_cli("summary", "mlp", cwd=tmp_path)  # python -m builder, the same CLI
    assert r.code == 0 and "Total params:" in r.out, r.err


def test_the_wheel_ships_every_module_the_catalog_and_the_templates(tmp_path: Path) -> None:
    src = tmp_path / "src"  # a copy, so that the build leaves nothing in the repository
    src.mkdir()
    for name in ("pyproject.toml", "README.md"):
        shutil.copy(ROOT / name, src / name)
    shutil.copytree(PACKAGE, src / "builder", ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))
    dist = tmp_path / "dist"
    proc = subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "wheel",
            "--no-deps",
            "-q",
            "--disable-pip-version-check",
            "-w",
            str(dist),
            str(src),
        ],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert proc.returncode == 0, proc.stdout[-2000:] + proc.stderr[-2000:]
    (wheel,) = dist.glob("keras_graph_builder-*.whl")

    with zipfile.ZipFile(wheel) as zf:
        names = set(zf.namelist())
        entry_points = next(zf.read(n).decode() for n in names if n.endswith(".dist-info/entry_points.txt"))
        zf.extractall(tmp_path / "site")
    wanted = {p.relative_to(ROOT).as_posix() for p in PACKAGE.rglob("*.py") if "__pycache__" not in p.parts}
    wanted |= {"builder/core/catalog.json"}
    wanted |= {p.relative_to(ROOT).as_posix() for p in (PACKAGE / "core" / "layers").glob("*.json")}
    assert len([n for n in wanted if n.startswith("builder/core/layers/")]) >= 9
    wanted |= {
        p.relative_to(ROOT).as_posix() for p in (PACKAGE / "templates").iterdir() if p.suffix in (".json", ".md")
    }
    assert any(n.startswith("builder/templates/") and n.endswith(".md") for n in wanted)
    assert sorted(wanted - names) == []
    assert "kgb = builder.cli:main" in entry_points

    # The unpacked wheel alone (first on the path, run from elsewhere) reads its own catalog and templates.
    site = tmp_path / "site"
    env = {"PYTHONPATH": str(site)}
    assert installed_builder(tmp_path, env) == (site / "builder").resolve()
    r = run_cli("validate", "news", cwd=tmp_path, env=env)
    assert r.code == 0 and NEWS_PARAMS in r.out, r.err
    r = run_cli("templates", "--json", cwd=tmp_path, env=env)
    assert r.code == 0 and all(Path(i["path"]).parent == (site / "builder" / "templates").resolve() for i in r.json), (
        r.out
    )


OUTSIDE = re.compile(r"\.\./shared|(?<![\w./-])shared/(?:seeds|DESIGN|KERAS)|\bDESIGN\.md\b|\bKERAS_FACTS\b|/work/")
# Lines waiting for their owner's edit (tests/ui is being changed elsewhere): drop them once fixed.
PENDING: dict[str, str] = {}


def test_nothing_in_the_repository_refers_to_a_path_outside_it() -> None:
    if not (ROOT / ".git").exists():
        pytest.skip("not a git checkout")
    files = subprocess.run(
        ["git", "ls-files", "-z"], cwd=ROOT, capture_output=True, text=True, check=True, timeout=60
    ).stdout.split("\0")
    hits = []
    for name in filter(None, files):
        path = ROOT / name
        if name == "tests/test_packaging.py" or not path.is_file() or path.stat().st_size > 2_000_000:
            continue
        try:
            text = path.read_text(encoding="utf-8")
        except UnicodeDecodeError:
            continue
        pending = PENDING.get(name)
        hits += [
            f"{name}:{n}: {line.strip()}"
            for n, line in enumerate(text.splitlines(), 1)
            if OUTSIDE.search(line) and not (pending and pending in line)
        ]
    assert hits == []
