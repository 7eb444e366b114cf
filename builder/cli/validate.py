"""``kgb validate GRAPH [--json]``: every issue (``--json``: each with its quick ``fixes``); exit 0 OK,
1 errors, 2 unreadable."""

from __future__ import annotations

import argparse
import json
import sys

from ..core.cost import cost
from ..core.fixes import fixes_for
from ..core.validate import validate
from .common import EXIT_ERRORS, EXIT_OK, print_issues, read_graph


def cmd_validate(args: argparse.Namespace) -> int:
    graph = read_graph(args.path)
    report = validate(graph)
    if args.json:
        doc = report.to_dict()
        doc["cost"] = cost(graph, report).to_dict()
        fixes = fixes_for(graph, report)  # additive: each issue keeps its fields and gains `fixes`
        for i, issue in enumerate(doc["issues"]):
            issue["fixes"] = [f.to_dict() for f in fixes.get(i, [])]
        print(json.dumps(doc, indent=2, ensure_ascii=False))
    else:
        print_issues(graph, report.issues, sys.stdout)
        p = report.params
        verdict = "OK" if report.ok else f"{len(report.errors)} error(s)"
        print(
            f"{verdict}: {len(graph.nodes)} nodes, {p.total:,} params "
            f"({p.trainable:,} trainable, {p.non_trainable:,} non-trainable); outputs: {', '.join(report.outputs)}"
        )
    return EXIT_OK if report.ok else EXIT_ERRORS


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("validate", help="check a graph: exit 0 OK, 1 errors, 2 unreadable")
    p.add_argument("path", help="graph JSON file (or a template name)")
    p.add_argument("--json", action="store_true", help="print the report as JSON")
    p.set_defaults(func=cmd_validate)
