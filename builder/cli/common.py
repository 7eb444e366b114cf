"""What every command shares: reading a graph argument, printing issues, exit codes."""

from __future__ import annotations

import sys
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from ..core.graph import Graph, load_graph
from ..core.templates import get_template, list_templates
from ..errors import BuilderError, GraphFormatError

EXIT_OK, EXIT_ERRORS, EXIT_UNREADABLE = 0, 1, 2


class CliError(BuilderError):
    """A problem to report in one line, with an exit code."""

    def __init__(self, message: str, code: int = EXIT_UNREADABLE) -> None:
        super().__init__(message)
        self.code = code


def read_graph(path: str) -> Graph:
    """A graph from a JSON file, or from a template name when no such file exists."""
    p = Path(path)
    if not p.exists() and path in {t.name for t in list_templates()}:
        p = get_template(path).path
    try:
        return load_graph(p)
    except FileNotFoundError:
        raise CliError(f"{path}: no such file (nor a template of that name)") from None
    except IsADirectoryError:
        raise CliError(f"{path}: is a directory") from None
    except OSError as exc:
        raise CliError(f"{path}: cannot read: {exc.strerror or exc}") from None
    except GraphFormatError as exc:
        raise CliError(f"{path}: invalid graph: {exc}") from None


def print_issues(graph: Graph, issues: Iterable[Any], stream: Any = None) -> None:
    """Each issue as three lines: severity, node (and port), code; the message; what Keras would do."""
    stream = stream or sys.stderr
    for issue in issues:
        where = graph.node_label(issue.node) if issue.node in graph.node_by_id else "(model)"
        port = f" (port {issue.port})" if issue.port is not None else ""
        print(f"{issue.severity:<7} {where}{port}  {issue.code}", file=stream)
        print(f"  {issue.message}", file=stream)
        words = getattr(issue, "keras_words", None)
        if words:
            print(f"  keras: {issue.keras}: {words}", file=stream)
