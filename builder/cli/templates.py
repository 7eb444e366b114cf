"""``kgb templates [--json]``: every template with its parameter count."""

from __future__ import annotations

import argparse
import json

from ..core.templates import list_templates
from ..core.validate import validate
from .common import EXIT_OK


def cmd_templates(args: argparse.Namespace) -> int:
    items = []
    for t in list_templates():
        graph = t.load()
        report = validate(graph)
        items.append(
            {
                "name": t.name,
                "title": t.title,
                "summary": t.summary,
                "path": str(t.path),
                "params": report.params.total,
                "trainable": report.params.trainable,
                "non_trainable": report.params.non_trainable,
                "inputs": len(graph.inputs),
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


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("templates", help="list the templates with their parameter counts")
    p.add_argument("--json", action="store_true", help="print a JSON list")
    p.set_defaults(func=cmd_templates)
