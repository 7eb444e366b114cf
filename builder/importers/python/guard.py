"""Refuse code that reaches for dynamic evaluation or Python internals, before anything is evaluated."""

from __future__ import annotations

import ast

from ...errors import GraphImportError

ALLOWED_DUNDER_ATTRS = {"__version__", "__name__", "__doc__"}
REFUSED_NAMES = {
    "eval", "exec", "compile", "__import__", "globals", "locals", "vars", "getattr", "setattr", "delattr",
    "breakpoint", "__builtins__", "__loader__", "__spec__",
}  # fmt: skip
ALLOWED_DUNDER_NAMES = {"__name__", "__file__", "__doc__"}


def refuse_hostile(tree: ast.AST) -> None:
    """Raise for dunder attributes (``().__class__.__bases__``), ``eval`` & co. (never needed by a model)."""
    for node in ast.walk(tree):
        line = getattr(node, "lineno", None)
        if (
            isinstance(node, ast.Attribute)
            and node.attr.startswith("__")
            and node.attr.endswith("__")
            and node.attr not in ALLOWED_DUNDER_ATTRS
        ):
            raise GraphImportError(
                f"refusing to import: the code accesses the attribute `{node.attr}`; dunder attributes are how "
                "code escapes a sandbox, and model code never needs them. The file was not run.",
                line,
            )
        if isinstance(node, ast.Name) and (
            node.id in REFUSED_NAMES
            or (node.id.startswith("__") and node.id.endswith("__") and node.id not in ALLOWED_DUNDER_NAMES)
        ):
            raise GraphImportError(
                f"refusing to import: the code uses `{node.id}`, which evaluates or reaches arbitrary code. "
                "The builder never runs uploaded code; write the model with plain Keras calls.",
                line,
            )
        if isinstance(node, ast.ImportFrom) and any(a.name in REFUSED_NAMES for a in node.names):
            raise GraphImportError(f"refusing to import: the code imports `{node.names[0].name}`", line)
