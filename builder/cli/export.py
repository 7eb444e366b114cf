"""``kgb export GRAPH --format py|keras|json|png|graph -o OUT``."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from ..core.graph import Graph
from ..core.validate import validate
from ..errors import CompileError, ExportError
from ..exports import FORMATS, SUFFIXES, TEXT_FORMATS, export_bytes, export_file
from .common import EXIT_ERRORS, EXIT_OK, CliError, print_issues, read_graph


def cmd_export(args: argparse.Namespace) -> int:
    out: str | None = args.output
    fmt: str | None = args.format
    if fmt is None:
        suffix = Path(out).suffix.lower() if out else ""
        fmt = SUFFIXES.get(suffix)
        if fmt is None:
            raise CliError("give --format (py, keras, json, png or graph); it cannot be told from the output name")
    if out in (None, "-") and fmt not in TEXT_FORMATS:
        raise CliError(f"--format {fmt} writes a binary file: give -o OUT")
    if out not in (None, "-"):
        parent = Path(out).resolve().parent
        if not parent.is_dir():
            raise CliError(f"{out}: the folder {parent} does not exist")
        if fmt == "keras" and Path(out).suffix != ".keras":
            raise CliError(f"{out}: a Keras model file must end in .keras")
    graph = read_graph(args.graph)

    if fmt == "graph":
        report = validate(graph)
        _write_or_print(graph, fmt, out)
        if not report.ok:
            print_issues(graph, report.errors)
            print(f"wrote the graph, but it has {len(report.errors)} error(s)", file=sys.stderr)
            return EXIT_ERRORS
        return EXIT_OK
    try:
        _write_or_print(graph, fmt, out)
    except CompileError as exc:
        print_issues(graph, exc.issues)
        print(f"not exported: the graph has {len(exc.issues)} error(s)", file=sys.stderr)
        return EXIT_ERRORS
    except ExportError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return EXIT_ERRORS
    return EXIT_OK


def _write_or_print(graph: Graph, fmt: str, out: str | None) -> None:
    if out in (None, "-"):
        sys.stdout.write(export_bytes(graph, fmt).decode("utf-8"))
        sys.stdout.flush()
    else:
        export_file(graph, fmt, out)
        print(f"wrote {out} ({fmt})", file=sys.stderr)


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "export",
        help="export a graph: py | keras | json | png | graph (exit 0 OK, 1 graph errors, 2 unreadable)",
        description="Export a graph as Python code, a .keras file, Keras JSON, a PNG diagram or graph JSON. "
        "py and graph do not import TensorFlow.",
    )
    p.add_argument("graph", help="graph JSON file (or a template name)")
    p.add_argument(
        "--format",
        "-f",
        choices=FORMATS,
        help="output format (default: from the output's suffix: .py, .keras, .png)",
    )
    p.add_argument("-o", "--output", help="output file; text formats go to stdout when omitted or '-'")
    p.set_defaults(func=cmd_export)
