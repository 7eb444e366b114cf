"""``kgb diff A B [--json]``: what changed between two graphs, template names or ``MODEL@VERSION``."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from ..core.diff import diff, is_equal, render
from ..core.graph import Graph
from ..core.templates import list_templates
from .common import EXIT_ERRORS, EXIT_OK, CliError, read_graph


def read_ref(ref: str) -> Graph:
    """A graph file, a template name, or ``MODEL@VERSION`` from the workspace."""
    if Path(ref).exists() or ref in {t.name for t in list_templates()} or "@" not in ref:
        return read_graph(ref)
    from ..store import StoreError, Workspace  # SQLAlchemy loads only for MODEL@VERSION

    try:
        with Workspace.open() as ws:
            return ws.resolve_ref(ref)
    except StoreError as exc:
        raise CliError(f"{ref}: {exc}") from None


def cmd_diff(args: argparse.Namespace) -> int:
    a, b = read_ref(args.a), read_ref(args.b)
    result = diff(a, b)
    if args.json:
        print(json.dumps(result, indent=2, ensure_ascii=False))
    else:
        sys.stdout.write(render(result) + "\n")
    return EXIT_OK if is_equal(result) else EXIT_ERRORS


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "diff",
        help="differences between two graphs (exit 0 equal, 1 different, 2 unreadable)",
        description="Added, removed and changed layers, calls and edges, changed parameters, shapes and "
        "parameter counts between A and B. A and B: graph JSON files, template names or MODEL@VERSION "
        "from the workspace (MODEL: id or name; VERSION: number, version name or 'current').",
    )
    p.add_argument("a", help="graph JSON file, template name or MODEL@VERSION")
    p.add_argument("b", help="graph JSON file, template name or MODEL@VERSION")
    p.add_argument("--json", action="store_true", help="print {added, removed, changed, params} as JSON")
    p.set_defaults(func=cmd_diff)
