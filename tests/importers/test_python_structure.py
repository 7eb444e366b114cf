"""The Python importer's package keeps its layers: a generic evaluator that knows nothing about Keras,
a Keras-API model above it, data tables at the bottom, and no import circles (read from the source)."""

from __future__ import annotations

import ast
from pathlib import Path

import builder.importers.python as package

PACKAGE = Path(package.__file__).parent
GENERIC = {"evaluator", "values", "operators", "handler", "diagnostics", "guard"}
KERAS_MODEL = {"keras_api", "namespace", "symbolic", "layers", "models", "config_values", "compile_fit", "assemble"}


def _imports(module: str) -> set[str]:
    """The modules of this package (by short name) and the outside modules that ``module`` imports."""
    tree = ast.parse((PACKAGE / f"{module}.py").read_text())
    out: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom):
            if node.level == 1:
                out.add(node.module or "")
            elif node.level > 1:
                out.add("." * node.level + (node.module or ""))
            else:
                out.add(node.module or "")
        elif isinstance(node, ast.Import):
            out.update(a.name for a in node.names)
    return out


def _modules() -> list[str]:
    return sorted(p.stem for p in PACKAGE.glob("*.py") if p.stem != "__init__")


def test_the_layers_named_here_are_the_package() -> None:
    assert GENERIC | KERAS_MODEL | {"importer", "signatures"} == set(_modules())


def test_the_evaluator_knows_nothing_about_keras() -> None:
    for module in GENERIC:
        imported = _imports(module)
        assert not imported & (KERAS_MODEL | {"signatures", "importer"}), (module, imported)
        assert not any("catalog" in m or "keras" in m for m in imported), (module, imported)


def test_the_signature_tables_come_from_the_catalog_or_are_data() -> None:
    assert _imports("signatures") == {"__future__", "...core.catalog"}


def test_no_import_circles_inside_the_package() -> None:
    mods = set(_modules())
    deps = {m: _imports(m) & mods for m in mods}
    done: set[str] = set()

    def visit(m: str, path: tuple[str, ...]) -> None:
        assert m not in path, f"import circle: {' -> '.join(path + (m,))}"
        if m in done:
            return
        for d in deps[m]:
            visit(d, path + (m,))
        done.add(m)

    for m in sorted(mods):
        visit(m, ())
