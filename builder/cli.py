"""The command line: ``python -m builder COMMAND ...`` (a stable interface; see README).

Exit codes: 0 success; 1 the graph has errors (or the command's work failed); 2 the input
cannot be read or the arguments are wrong.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable, Sequence
from pathlib import Path

from .graph import Graph, GraphFormatError

EXIT_OK, EXIT_ERRORS, EXIT_UNREADABLE = 0, 1, 2


class CliError(Exception):
    """A problem to report in one line, with an exit code."""

    def __init__(self, message: str, code: int = EXIT_UNREADABLE) -> None:
        super().__init__(message)
        self.code = code


def read_graph(path: str) -> Graph:
    """A graph from a JSON file, or from a template name when no such file exists."""
    from . import load_graph
    from .templates import get_template, list_templates

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


# --------------------------------------------------------------------------- commands


def cmd_templates(args: argparse.Namespace) -> int:
    from .templates import list_templates
    from .validate import validate

    items = []
    for t in list_templates():
        report = validate(t.load())
        items.append(
            {
                "name": t.name,
                "title": t.title,
                "summary": t.summary,
                "path": str(t.path),
                "params": report.params.total,
                "trainable": report.params.trainable,
                "non_trainable": report.params.non_trainable,
                "inputs": len(t.load().inputs),
                "outputs": report.outputs,
                "ok": report.ok,
            }
        )
    if args.json:
        print(json.dumps(items, indent=2, ensure_ascii=False))
    else:
        w = max((len(i["name"]) for i in items), default=4)
        for i in items:
            status = "" if i["ok"] else "  (ERRORS)"
            print(f"{i['name']:<{w}}  {i['params']:>12,}  {i['title']}{status}")
    return EXIT_OK


def cmd_validate(args: argparse.Namespace) -> int:
    from .validate import validate

    graph = read_graph(args.path)
    report = validate(graph)
    if args.json:
        from .cost import cost

        doc = report.to_dict()
        doc["cost"] = cost(graph, report).to_dict()
        print(json.dumps(doc, indent=2, ensure_ascii=False))
    else:
        for issue in report.issues:
            where = graph.node_label(issue.node) if issue.node in graph.node_by_id else "(model)"
            port = f" (port {issue.port})" if issue.port is not None else ""
            print(f"{issue.severity:<7} {where}{port}  {issue.code}")
            print(f"  {issue.message}")
        p = report.params
        verdict = "OK" if report.ok else f"{len(report.errors)} error(s)"
        print(
            f"{verdict}: {len(graph.nodes)} nodes, {p.total:,} params "
            f"({p.trainable:,} trainable, {p.non_trainable:,} non-trainable); outputs: {', '.join(report.outputs)}"
        )
    return EXIT_OK if report.ok else EXIT_ERRORS


def cmd_summary(args: argparse.Namespace) -> int:
    from .summary import render
    from .validate import validate

    graph = read_graph(args.path)
    report = validate(graph)
    print(render(graph, report, with_cost=args.cost))
    return EXIT_OK if report.ok else EXIT_ERRORS


COMMANDS: dict[str, tuple[Callable[[argparse.Namespace], int], str]] = {}


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m builder", description="Keras Graph Builder, headless.")
    sub = parser.add_subparsers(dest="command", required=True)

    p = sub.add_parser("templates", help="list the templates with their parameter counts")
    p.add_argument("--json", action="store_true", help="print a JSON list")
    p.set_defaults(func=cmd_templates)

    p = sub.add_parser("validate", help="check a graph: exit 0 OK, 1 errors, 2 unreadable")
    p.add_argument("path", help="graph JSON file (or a template name)")
    p.add_argument("--json", action="store_true", help="print the report as JSON")
    p.set_defaults(func=cmd_validate)

    p = sub.add_parser("summary", help="a model.summary()-like table, computed without TensorFlow")
    p.add_argument("path", help="graph JSON file (or a template name)")
    p.add_argument("--cost", action="store_true", help="add FLOPs and memory columns (builder.cost)")
    p.set_defaults(func=cmd_summary)

    from . import exports, importers, training  # noqa: F401  (they register `export`, `import` and `train`)

    for register in EXTRA_COMMANDS:
        register(sub)
    return parser


# Other modules add their sub-commands here: each item is called with the subparsers object.
EXTRA_COMMANDS: list[Callable[[argparse._SubParsersAction], None]] = []


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as exc:
        return int(exc.code or 0)
    try:
        return int(args.func(args))
    except CliError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return exc.code
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        return EXIT_OK
