"""How ``kgb train`` records its run in the workspace (:mod:`builder.store`).

The rule for the model a run is attached to: ``--model REF`` (a model id, or the name of one
model) when given, else the graph's name (a template's graph is named after the template, a
graph file after its ``name`` field, else the file's stem). When one model of the workspace has
that name the run is attached to it; when none has, a model of that name is created holding the
trained graph; when several have, the command stops before training and asks for ``--model ID``.
The run keeps an automatic version of the graph it trained (the model's current graph is left as
it is), its resolved settings, per-head losses and loss weights, the per-epoch history, the final
metrics, the duration and the trained ``.keras`` file. ``--no-record`` records nothing.
"""

from __future__ import annotations

import math
import os
import sys
import tempfile
from pathlib import Path
from typing import Any

from ..core.graph import Graph
from .common import EXIT_UNREADABLE, CliError


def model_name(graph: Graph, source: str) -> str:
    if graph.name and graph.name != "model":
        return graph.name
    return Path(source).stem or "model"


def find_target(ref: str | None, graph: Graph, source: str) -> tuple[Any, str | None, str]:
    """(workspace, model id or None to create one, name); raises :class:`CliError` early."""
    from ..store import NotFoundError, StoreError, Workspace

    name = ref or model_name(graph, source)
    try:
        ws = Workspace.open()
        try:
            return ws, ws.find_model(name), name
        except NotFoundError:
            return ws, None, name
    except StoreError as exc:
        raise CliError(
            f"cannot record the run ({exc}); use --no-record to train without recording", EXIT_UNREADABLE
        ) from None


def _finite(value: Any) -> Any:
    if isinstance(value, float) and not math.isfinite(value):
        return None
    return value


def _keras_bytes(result: Any, saved: str | None) -> bytes | None:
    try:
        if saved and Path(saved).is_file():
            return Path(saved).read_bytes()
        with tempfile.TemporaryDirectory() as d:
            path = os.path.join(d, "model.keras")
            result.model.save(path)
            return Path(path).read_bytes()
    except Exception as exc:  # the run is still recorded, without the file
        print(f"warning: the trained model could not be kept: {exc}", file=sys.stderr)
        return None


def record(
    target: tuple[Any, str | None, str], graph: Graph, result: Any, *, status: str, saved: str | None = None
) -> str | None:
    """Record the run; returns ``model@version`` or None (a warning says why)."""
    from ..store import StoreError

    ws, model_id, name = target
    history = result.history
    columns = {str(c): [_finite(v.item() if hasattr(v, "item") else v) for v in history[c]] for c in history.columns}
    final = {k: v[-1] for k, v in columns.items() if v and k != "epoch"}
    settings = dict(result.settings)
    trained = graph.set_training(settings)
    try:
        if model_id is None:
            model_id = ws.create_model(name, trained)
        run = ws.record_run(
            model_id,
            settings=settings,
            history=columns,
            metrics=final,
            duration=float(result.seconds),
            status=status,
            keras=_keras_bytes(result, saved) if status == "completed" else None,
            graph=trained,
        )
    except StoreError as exc:
        print(f"warning: the run was not recorded: {exc}", file=sys.stderr)
        return None
    finally:
        ws.close()
    return f"{name}@{run.version_number} (run {run.id})"
