"""The import contracts in pyproject.toml (`[tool.importlinter]`) hold: layers point one way, the CLI
is a leaf, only the Keras edge imports Keras/TensorFlow, the core is pure, no Streamlit in builder/.

``make test`` runs ``lint-imports`` before pytest; this test makes the suite fail on a broken
contract too. app.py and ui/pages/ are scripts, not packages, so import-linter does not see them:
their imports are read here with ``ast``.
"""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SCRIPTS = [ROOT / "app.py", *sorted((ROOT / "ui" / "pages").glob("*.py"))]
FORBIDDEN_IN_SCRIPTS = ("builder.cli", "keras", "tensorflow")


def test_lint_imports_keeps_every_contract() -> None:
    proc = subprocess.run(
        [
            sys.executable,
            "-c",
            "import sys; from importlinter.cli import lint_imports_command; sys.exit(lint_imports_command())",
            "--no-cache",
            "--no-logo",
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "0 broken" in proc.stdout and " kept" in proc.stdout, proc.stdout


def imported_names(source: str) -> set[str]:
    """Every module a script imports, at any level (function-level imports too)."""
    names: set[str] = set()
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module)
            names.update(f"{node.module}.{alias.name}" for alias in node.names)
    return names


@pytest.mark.parametrize("path", SCRIPTS, ids=lambda p: str(p.relative_to(ROOT)))
def test_app_scripts_import_neither_the_cli_nor_keras(path: Path) -> None:
    bad = sorted(
        n
        for n in imported_names(path.read_text(encoding="utf-8"))
        if any(n == f or n.startswith(f + ".") for f in FORBIDDEN_IN_SCRIPTS)
    )
    assert bad == [], f"{path.name} imports {bad}"


def test_the_script_check_sees_lazy_and_dotted_imports() -> None:
    """The reader finds what the test above must refuse (else that test could never fail)."""
    source = "import os\ndef f():\n    from builder.cli import main\n    import tensorflow.keras as tk\n"
    assert imported_names(source) == {"os", "builder.cli", "builder.cli.main", "tensorflow.keras"}
