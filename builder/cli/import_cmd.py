"""``kgb import SRC [-o GRAPH.json]``: Python (never run), ``.keras`` (config only), Keras or graph JSON."""

from __future__ import annotations

import argparse
import sys
from dataclasses import replace
from pathlib import Path

from ..core.validate import validate
from ..errors import GraphImportError
from ..importers import import_file
from .common import EXIT_OK, CliError


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "import",
        help="import Python model code (never run), a .keras file or a Keras/graph JSON into a graph JSON",
        description="Import a model into the builder's graph JSON. Exit 0 on success (warnings on stderr), "
        "2 when the source cannot be read or uses something unsupported.",
    )
    p.add_argument("src", help="a .py, .keras or .json file")
    p.add_argument("-o", "--output", help="where to write the graph JSON (default: stdout)")
    p.add_argument("--name", help="the graph's name (default: the model's name or the file name)")
    p.set_defaults(func=cmd_import)


def cmd_import(args: argparse.Namespace) -> int:
    try:
        result = import_file(args.src)
    except GraphImportError as exc:
        raise CliError(f"{args.src}: {exc}") from None
    graph = result.graph
    if args.name:
        graph = replace(graph, name=args.name)
    for note in result.notes:
        print(f"warning: {note}", file=sys.stderr)
    text = graph.to_json() + "\n"
    if args.output:
        try:
            Path(args.output).write_text(text, encoding="utf-8")
        except OSError as exc:
            raise CliError(f"{args.output}: cannot write: {exc.strerror or exc}") from None
    else:
        sys.stdout.write(text)
    report = validate(graph)
    p = report.params
    verdict = "OK" if report.ok else f"{len(report.errors)} error(s), {len(report.warnings)} warning(s)"
    print(
        f"imported {len(graph.layers)} layers, {len(graph.nodes)} nodes, {p.total:,} params "
        f"({p.trainable:,} trainable, {p.non_trainable:,} non-trainable); validation: {verdict}"
        + (f"; wrote {args.output}" if args.output else ""),
        file=sys.stderr,
    )
    return EXIT_OK
