"""One error hierarchy for the whole package.

Every error the builder raises on purpose is a :class:`BuilderError`; the CLI turns each class
into an exit code in one table (``builder.cli.EXIT_CODES``) and the UI shows its message. The
classes keep the standard base they always had (``ValueError``, ``RuntimeError``), so callers
that caught those keep working.

- :class:`GraphFormatError`: a graph document that cannot be read (``field`` names where).
- :class:`GraphEditError`: an edit that cannot apply; the graph is unchanged.
- :class:`GraphImportError`: a source (Python, Keras JSON, ``.keras``) that cannot be imported.
- :class:`SettingsError`: training settings Keras would refuse.
- :class:`DataError`: data that does not fit the model, or cannot be read.
- :class:`CompileError`: the graph cannot become a Keras model (``issues`` says where).
- :class:`ExportError`: an export that failed for a reason other than the graph.
- :class:`TrainingError`: training failed (NaN loss, Keras error); ``result`` keeps what ran.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any


class BuilderError(Exception):
    """The base of every error the builder raises on purpose."""


class GraphFormatError(BuilderError, ValueError):
    """A graph document that cannot be read. ``field`` names where (e.g. ``layers[2].type``)."""

    def __init__(self, field: str, message: str) -> None:
        self.field = field
        self.message = message
        super().__init__(f"{field}: {message}" if field else message)


class GraphEditError(BuilderError, ValueError):
    """An edit that cannot apply (unknown node, layer or port). The graph is unchanged."""


class GraphImportError(BuilderError, ValueError):
    """The source cannot be imported. ``line`` is the 1-based line in Python source (or None)."""

    def __init__(self, message: str, line: int | None = None) -> None:
        self.message = message
        self.line = line
        super().__init__(f"line {line}: {message}" if line is not None else message)


class SettingsError(BuilderError, ValueError):
    """Training settings Keras would refuse (unknown loss, a loss for no output, ...)."""


class DataError(BuilderError, ValueError):
    """Data that does not fit the model (or cannot be read). The message says what and where."""


class CompileError(BuilderError):
    """The graph cannot become a Keras model. ``issues`` says where and why (validator issues,
    or one ``keras_error`` issue naming the node whose layer Keras refused). The issues are
    :class:`builder.core.validate.Issue` values; this module imports nothing of the package, so
    every layer can raise these errors."""

    def __init__(self, issues: Sequence[Any], message: str | None = None) -> None:
        self.issues: list[Any] = list(issues)
        if message is None:
            if len(self.issues) == 1:
                message = self.issues[0].message
            else:
                first = self.issues[0].message if self.issues else "unknown problem"
                message = f"{len(self.issues)} errors; the first: {first}"
        super().__init__(message)


class CodegenError(CompileError):
    """The graph cannot be written as Python (it has errors). ``issues`` says why."""


class ExportError(BuilderError):
    """An export that failed for a reason other than the graph (disk, graphviz, Keras)."""


class TrainingError(BuilderError, RuntimeError):
    """Training failed (NaN loss, an error inside Keras). ``result`` keeps the partial result."""

    def __init__(self, message: str, result: Any = None) -> None:
        super().__init__(message)
        self.result = result


__all__ = [
    "BuilderError",
    "CodegenError",
    "CompileError",
    "DataError",
    "ExportError",
    "GraphEditError",
    "GraphFormatError",
    "GraphImportError",
    "SettingsError",
    "TrainingError",
]
