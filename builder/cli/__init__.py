"""The command line: ``kgb COMMAND ...`` or ``python -m builder COMMAND ...`` (a stable interface;
see README). A leaf: nothing in the package imports it but ``builder/__main__.py`` and the ``kgb``
console script.

One module per command, each with a ``register(subparsers)``. Exit codes: 0 success; 1 the graph
has errors (or the command's work failed); 2 the input cannot be read or the arguments are wrong.
An error a command does not handle itself is turned into its exit code by :data:`EXIT_CODES`.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence

from ..core.fixes import UnknownFix
from ..errors import (
    BuilderError,
    CompileError,
    DataError,
    ExportError,
    GraphFormatError,
    GraphImportError,
    SettingsError,
    TrainingError,
)
from . import diff, export, fix, import_cmd, layers, summary, templates, train, validate
from .common import EXIT_ERRORS, EXIT_OK, EXIT_UNREADABLE, CliError

COMMANDS = (templates, layers, validate, summary, export, import_cmd, train, diff, fix)

# The exit code of each error class (the first match wins; CliError carries its own).
EXIT_CODES: tuple[tuple[type[BaseException], int], ...] = (
    (GraphFormatError, EXIT_UNREADABLE),
    (UnknownFix, EXIT_UNREADABLE),  # kgb fix: no fix of that id for the graph
    (GraphImportError, EXIT_UNREADABLE),
    (SettingsError, EXIT_UNREADABLE),
    (DataError, EXIT_UNREADABLE),
    (CompileError, EXIT_ERRORS),
    (ExportError, EXIT_ERRORS),
    (TrainingError, EXIT_ERRORS),
    (BuilderError, EXIT_ERRORS),
)


def exit_code(exc: BaseException) -> int:
    if isinstance(exc, CliError):
        return exc.code
    return next((code for cls, code in EXIT_CODES if isinstance(exc, cls)), EXIT_ERRORS)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="kgb", description="Keras Graph Builder, headless.")
    sub = parser.add_subparsers(dest="command", required=True)
    for command in COMMANDS:
        command.register(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as exc:
        return int(exc.code or 0)
    try:
        return int(args.func(args))
    except BuilderError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return exit_code(exc)
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        return EXIT_OK


__all__ = ["EXIT_CODES", "EXIT_ERRORS", "EXIT_OK", "EXIT_UNREADABLE", "CliError", "build_parser", "exit_code", "main"]
