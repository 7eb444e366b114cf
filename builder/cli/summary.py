"""``kgb summary GRAPH``: a ``model.summary()``-like table, computed without TensorFlow."""

from __future__ import annotations

import argparse

from ..core.summary import render
from ..core.validate import validate
from .common import EXIT_ERRORS, EXIT_OK, read_graph


def cmd_summary(args: argparse.Namespace) -> int:
    graph = read_graph(args.path)
    report = validate(graph)
    print(render(graph, report, with_cost=args.cost))
    return EXIT_OK if report.ok else EXIT_ERRORS


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("summary", help="a model.summary()-like table, computed without TensorFlow")
    p.add_argument("path", help="graph JSON file (or a template name)")
    p.add_argument("--cost", action="store_true", help="add FLOPs and memory columns (builder.core.cost)")
    p.set_defaults(func=cmd_summary)
