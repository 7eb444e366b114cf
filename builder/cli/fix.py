"""``kgb fix GRAPH FIX_ID -o OUT``: apply one quick fix (``validate --json`` lists them per issue).

Exit 0: the fixed graph validates; 1: it was written but still has errors (another fix, or a hand
edit, is needed); 2: the graph cannot be read, or no fix of that id applies to it (the message lists
the graph's fixes).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from ..core.fixes import find_fix
from ..core.validate import validate
from .common import EXIT_ERRORS, EXIT_OK, EXIT_UNREADABLE, CliError, print_issues, read_graph


def cmd_fix(args: argparse.Namespace) -> int:
    graph = read_graph(args.path)
    fix = find_fix(graph, args.fix_id)  # UnknownFix: exit 2 (EXIT_CODES), listing the graph's fixes
    fixed = fix.apply(graph)
    out = Path(args.output)
    try:
        out.write_text(fixed.to_json(), encoding="utf-8")
    except OSError as exc:
        raise CliError(f"{out}: cannot write: {exc.strerror or exc}", EXIT_UNREADABLE) from None
    report = validate(fixed)
    print(f"applied {fix.id}: {fix.label}")
    print_issues(fixed, report.issues, sys.stdout)
    left = f"{len(report.errors)} error(s) left" if not report.ok else "the graph validates"
    print(f"wrote {out}; {left}")
    return EXIT_OK if report.ok else EXIT_ERRORS


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "fix", help="apply one quick fix (ids from validate --json): exit 0 OK, 1 errors left, 2 no such fix"
    )
    p.add_argument("path", help="graph JSON file (or a template name)")
    p.add_argument("fix_id", help="the fix id, as `validate --json` lists it under the issue")
    p.add_argument("-o", "--output", required=True, help="where to write the fixed graph JSON")
    p.set_defaults(func=cmd_fix)
