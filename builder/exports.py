"""Exports of a graph: Python code, ``.keras``, Keras JSON, a PNG diagram, our graph JSON.

- ``py``: Python source (:func:`builder.codegen.to_python`); no TensorFlow.
- ``graph``: our graph JSON (``Graph.to_json``); no TensorFlow; written even with errors.
- ``json``: Keras JSON (``model.to_json()``).
- ``keras``: a ``.keras`` file (``model.save``).
- ``png``: ``keras.utils.plot_model`` with shapes (needs pydot and graphviz' ``dot``).

:func:`export_bytes` returns the file's content (for downloads); :func:`export_file` writes
it. Graph errors raise :class:`builder.compile.CompileError` (``issues`` names the nodes);
anything else that goes wrong raises :class:`ExportError` with a one-line message.

The CLI command ``python -m builder export GRAPH --format F -o OUT`` is registered here
(:func:`register_cli`).
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path

from .compile import CompileError, build
from .graph import Graph

FORMATS = ("py", "keras", "json", "png", "graph")
SUFFIXES = {".py": "py", ".keras": "keras", ".png": "png"}
TEXT_FORMATS = ("py", "json", "graph")
NEEDS_KERAS = ("keras", "json", "png")


class ExportError(Exception):
    """An export that failed for a reason other than the graph (disk, graphviz, Keras)."""


# --------------------------------------------------------------------------- exports


def to_graph_json(graph: Graph) -> str:
    return graph.to_json() + "\n"


def to_python(graph: Graph) -> str:
    from .codegen import to_python as _to_python

    return _to_python(graph)


def to_keras_json(graph: Graph, indent: int | None = 2) -> str:
    """The Keras model config as JSON (``model.to_json()``); reload it with
    ``keras.models.model_from_json``."""
    model = build(graph).model
    try:
        return model.to_json(indent=indent) + "\n"
    except Exception as exc:
        raise ExportError(f"Keras could not serialise the model: {type(exc).__name__}: {exc}") from None


def save_keras(graph: Graph, path: str | Path) -> Path:
    """``model.save(path)``: architecture and (freshly initialised) weights. ``path`` must end
    in ``.keras``, as Keras requires."""
    path = Path(path)
    if path.suffix != ".keras":
        raise ExportError(f"a Keras model file must end in .keras, got {path.name!r}")
    model = build(graph).model
    try:
        model.save(path)
    except OSError as exc:
        raise ExportError(f"cannot write {path}: {exc.strerror or exc}") from None
    except Exception as exc:
        raise ExportError(f"Keras could not save the model: {type(exc).__name__}: {exc}") from None
    return path


def plot_png(graph: Graph, path: str | Path, *, dpi: int = 96) -> Path:
    """``keras.utils.plot_model`` with shapes (needs pydot and graphviz' ``dot``)."""
    import shutil

    path = Path(path)
    if shutil.which("dot") is None:
        raise ExportError("the PNG export needs graphviz: install it (Debian: apt-get install graphviz)")
    try:
        import pydot  # noqa: F401
    except ImportError:
        raise ExportError("the PNG export needs pydot: pip install pydot") from None
    model = build(graph).model
    import keras

    try:
        keras.utils.plot_model(
            model,
            to_file=str(path),
            show_shapes=True,
            show_layer_names=True,
            dpi=dpi,
        )
    except Exception as exc:
        raise ExportError(f"plot_model failed: {type(exc).__name__}: {exc}") from None
    if not path.exists() or path.stat().st_size == 0:
        raise ExportError("plot_model wrote no image (is graphviz' dot working?)")
    return path


def export_bytes(graph: Graph, fmt: str) -> bytes:
    """The exported file's content, for a download button."""
    if fmt not in FORMATS:
        raise ExportError(f"unknown export format {fmt!r}; formats: {', '.join(FORMATS)}")
    if fmt == "graph":
        return to_graph_json(graph).encode("utf-8")
    if fmt == "py":
        return to_python(graph).encode("utf-8")
    if fmt == "json":
        return to_keras_json(graph).encode("utf-8")
    with tempfile.TemporaryDirectory(prefix="kgb-export-") as tmp:
        out = Path(tmp) / f"model.{fmt}"
        if fmt == "keras":
            save_keras(graph, out)
        else:
            plot_png(graph, out)
        return out.read_bytes()


def export_file(graph: Graph, fmt: str, path: str | Path) -> Path:
    """Write the export to ``path`` (replaced atomically for text formats)."""
    path = Path(path)
    if fmt == "keras":
        return save_keras(graph, path)
    if fmt == "png":
        return plot_png(graph, path)
    data = export_bytes(graph, fmt)
    tmp = path.with_name(f".{path.name}.tmp")
    try:
        tmp.write_bytes(data)
        os.replace(tmp, path)
    except OSError as exc:
        tmp.unlink(missing_ok=True)
        raise ExportError(f"cannot write {path}: {exc.strerror or exc}") from None
    return path


# --------------------------------------------------------------------------- CLI


def _print_issues(graph: Graph, issues: list) -> None:
    stream = sys.stderr
    for issue in issues:
        where = graph.node_label(issue.node) if issue.node in graph.node_by_id else "(model)"
        port = f" (port {issue.port})" if issue.port is not None else ""
        print(f"{issue.severity:<7} {where}{port}  {issue.code}", file=stream)
        print(f"  {issue.message}", file=stream)


def cmd_export(args: argparse.Namespace) -> int:
    from .cli import EXIT_ERRORS, EXIT_OK, CliError, read_graph
    from .validate import validate

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
            _print_issues(graph, report.errors)
            print(f"wrote the graph, but it has {len(report.errors)} error(s)", file=sys.stderr)
            return EXIT_ERRORS
        return EXIT_OK
    try:
        _write_or_print(graph, fmt, out)
    except CompileError as exc:
        _print_issues(graph, exc.issues)
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


def register_cli(sub: argparse._SubParsersAction) -> None:
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


def _register() -> None:
    from .cli import EXTRA_COMMANDS

    hook: Callable[[argparse._SubParsersAction], None] = register_cli
    if hook not in EXTRA_COMMANDS:
        EXTRA_COMMANDS.append(hook)


_register()
