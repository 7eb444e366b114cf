"""The Train panel records each finished run in the workspace, once: settings, per-head losses
and loss weights, the per-epoch history, final metrics, duration and the trained ``.keras``,
with an automatic version of the graph it trained (``Workspace.record_run``). A document not yet
bound to a model gets one first. Recording never breaks the panel: a failure is shown."""

from __future__ import annotations

import math
import os
import tempfile
from typing import Any

import streamlit as st
from sqlalchemy.exc import SQLAlchemyError

from builder.errors import TrainingError
from builder.store import StoreError

from . import workspace as wsmod
from .document import Document
from .text import md

RECORDED = "kgb_recorded_runs"  # id of the training job -> what was recorded (text), or why not


def _plain(v: Any) -> Any:
    v = v.item() if hasattr(v, "item") else v
    return None if isinstance(v, float) and not math.isfinite(v) else v


def _keras(result: Any) -> bytes | None:
    try:
        with tempfile.TemporaryDirectory() as d:
            path = os.path.join(d, "model.keras")
            result.model.save(path)
            with open(path, "rb") as fh:
                return fh.read()
    except Exception:  # the run is still recorded, without the file
        return None


def _record(doc: Document, run: Any) -> tuple[str, str] | None:
    job = run.job
    result = job.result or getattr(job.error, "result", None)
    if result is None:
        return None  # it never started: nothing to record
    status = "failed" if isinstance(job.error, TrainingError) else "stopped" if result.stopped else "completed"
    history = result.history
    columns = {str(c): [_plain(v) for v in history[c]] for c in history.columns}
    try:
        model_id = wsmod.ensure_model(doc)
        rec = wsmod.workspace().record_run(
            model_id,
            settings=dict(result.settings),
            history=columns,
            metrics={k: v[-1] for k, v in columns.items() if v and k != "epoch"},
            duration=float(result.seconds),
            status=status,
            keras=_keras(result) if status == "completed" else None,
            graph=run.graph.set_training(dict(result.settings)),
        )
    except (StoreError, SQLAlchemyError) as exc:
        return ("error", f"This run could not be recorded in the workspace: {exc}")
    return (
        "info",
        f"Recorded in the workspace as version {rec.version_number} (run {rec.id[:6]}; Models page → Runs).",
    )


def record(doc: Document, run: Any) -> None:
    """Record ``run`` (a finished ``ui.training.TrainingRun``) once and say so."""
    done: dict[int, tuple[str, str] | None] = st.session_state.setdefault(RECORDED, {})
    key = id(run.job)
    if key not in done:
        done[key] = _record(doc, run)
    shown = done[key]
    if shown is not None:
        kind, text = shown
        (st.error if kind == "error" else st.caption)(md(text))
