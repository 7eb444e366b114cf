"""The Train tab: per-head losses, loss weights and metrics, global fit settings, data
(synthetic / NPZ / CSV) and a live view of a training run in a background thread.

Every setting is stored in ``graph.training`` through :meth:`Document.apply`, so undo/redo,
the saved JSON and the code export see it. The data is read and checked (``builder.keras_edge.data``)
before anything starts; problems are shown and nothing is lost. TensorFlow is imported only in
the training thread (``builder.keras_edge.training.train``), never to draw this panel.
"""

from __future__ import annotations

import io
import math
import os
import tempfile
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

import pandas as pd
import streamlit as st

from builder.core import losses
from builder.core import settings as settings_mod
from builder.core.graph import Graph
from builder.core.training_settings import (
    DEFAULT_LEARNING_RATES,
    EARLY_STOPPING_DEFAULTS,
    checked_settings,
    prepare_settings,
    resolve_settings,
)
from builder.errors import DataError, SettingsError, TrainingError
from builder.keras_edge.data import Dataset, default_samples, input_specs, load_csv, load_npz, synthetic_data
from builder.keras_edge.training import BackgroundTraining

from . import run_record
from .costs import memory_check
from .document import Document
from .files import file_stem
from .text import md

RUN = "kgb_train_run"  # the current / last TrainingRun of this session
DATA_KEY = "kgb_train_data"  # radio: synthetic | npz | csv
PROBLEM = "kgb_train_problem"  # why the last Train click did not start (data or settings)
# Every fragment rerun costs the training thread (GIL, and on a small machine the browser's
# redraw shares its cores): benchmarks/bench_train_start.py measured app/CLI to the first batch
# 2.1-2.7x at 0.5 s / 2 s and 1.45x at these values (news, 2 epochs, 2 cores).
POLL_SECONDS = 1.0  # the progress fragment (stages, timer, progress bar)
CHART_SECONDS = 5.0  # the curves fragment (vega charts cost the browser and the server more)
MAX_CHART_POINTS = 400
TABS_KEY = "kgb_tab"  # the bottom tabs' widget key (ui/editor.py)
DATA_KINDS = {"synthetic": "Synthetic", "npz": "NPZ upload", "csv": "CSV upload"}
SHORT_LOSSES = {v: k for k, v in settings_mod.LOSS_ALIASES.items()}


@dataclass
class TrainingRun:
    """One training run of this session: the graph it trained, its thread, its data source."""

    graph: Graph
    job: BackgroundTraining
    source: str
    started: float = field(default_factory=time.monotonic)
    ended: float | None = None

    @property
    def running(self) -> bool:
        return self.job.running


# ---------------------------------------------------------------------- settings in the graph


def head_names(graph: Graph) -> list[str]:
    return graph.output_names()


def current_settings(graph: Graph) -> dict[str, Any]:
    """``graph.training`` resolved over the defaults (a broken setting falls back to defaults)."""
    try:
        return resolve_settings(graph)
    except Exception:  # a hand-written JSON with odd settings must not take the panel down
        return resolve_settings(graph.set_training(None))


def _head_value(resolved: Mapping[str, Any], key: str, names: list[str], i: int) -> Any:
    value = resolved.get(key)
    if isinstance(value, Mapping):
        return value.get(names[i])
    if isinstance(value, (list, tuple)) and len(value) == len(names):
        return value[i]
    return value


def with_head_setting(graph: Graph, key: str, index: int, value: Any) -> Graph:
    """The graph with head ``index``'s ``key`` (loss / loss_weights / metrics) set to ``value``."""
    names = head_names(graph)
    resolved = current_settings(graph)
    values = [_head_value(resolved, key, names, i) for i in range(len(names))]
    values[index] = value
    per_head: Any = dict(zip(names, values)) if len(set(names)) == len(names) else values
    training = dict(graph.training or {})
    training[key] = per_head
    return graph.set_training(training)


def with_setting(graph: Graph, key: str, value: Any) -> Graph:
    training = dict(graph.training or {})
    if value is None:
        training.pop(key, None)
    else:
        training[key] = value
    return graph.set_training(training)


def _apply(doc: Document, graph: Graph, label: str) -> None:
    doc.apply(graph, label)


def _set_head(doc: Document, key: str, index: int, widget: str, label: str) -> None:
    value = st.session_state.get(widget)
    if key == "loss_weights":
        if value is None or not math.isfinite(float(value)):
            doc.message = ("error", f"{label}: a loss weight must be a number. The value was not changed.")
            return
        value = float(value)
    elif key == "metrics":
        value = list(value or [])
    names = head_names(doc.graph)
    if index >= len(names):
        return
    _apply(doc, with_head_setting(doc.graph, key, index, value), f"set {names[index]} {key.replace('_', ' ')}")


def _set_global(doc: Document, key: str, widget: str, convert: Callable[[Any], Any] = lambda v: v) -> None:
    value = st.session_state.get(widget)
    if value is None:
        return
    value = convert(value)
    graph = with_setting(doc.graph, key, value)
    if key == "optimizer":  # a new optimizer starts at its own Keras default learning rate
        training = dict(graph.training or {})
        training["learning_rate"] = DEFAULT_LEARNING_RATES.get(str(value), training.get("learning_rate"))
        graph = graph.set_training(training)
    _apply(doc, graph, f"set {key.replace('_', ' ')}")


def _set_early_stopping(doc: Document, on_key: str, patience_key: str) -> None:
    on = bool(st.session_state.get(on_key))
    value = {"patience": int(st.session_state.get(patience_key) or EARLY_STOPPING_DEFAULTS["patience"])} if on else None
    _apply(doc, with_setting(doc.graph, "early_stopping", value), "set early stopping")


def _open_issues() -> None:
    st.session_state[TABS_KEY] = "Issues"


# ---------------------------------------------------------------------- the settings form


def _loss_label(name: str) -> str:
    short = SHORT_LOSSES.get(name)
    return f"{name} ({short})" if short else name


def heads_form(doc: Document, resolved: Mapping[str, Any]) -> None:
    names = head_names(doc.graph)
    st.markdown("**Output heads**: the model trains on the weighted sum of these losses.")
    hdr = st.columns([1.4, 2.2, 1, 2.4])
    for col, text in zip(hdr, ("Head", "Loss", "Loss weight", "Metrics")):
        col.caption(text)
    for i, name in enumerate(names):
        loss = _head_value(resolved, "loss", names, i)
        weight = _head_value(resolved, "loss_weights", names, i)
        metrics = _head_value(resolved, "metrics", names, i) or []
        canonical = losses.canonical(loss)
        options = list(settings_mod.LOSSES)
        if canonical not in options:
            options.insert(0, canonical)
        metric_options = list(settings_mod.METRICS)
        metrics = [str(m) for m in (metrics if isinstance(metrics, (list, tuple)) else [metrics])]
        metric_options += [m for m in metrics if m not in metric_options]
        c = st.columns([1.4, 2.2, 1, 2.4], vertical_alignment="center")
        c[0].markdown(f"**{md(name)}**")
        key = f"train_loss:{i}:{doc.rev}"
        c[1].selectbox(
            f"Loss of {name}",
            options,
            index=options.index(canonical),
            format_func=_loss_label,
            key=key,
            on_change=_set_head,
            args=(doc, "loss", i, key, name),
            label_visibility="collapsed",
        )
        key = f"train_weight:{i}:{doc.rev}"
        try:
            w = float(weight if weight is not None else 1.0)
        except (TypeError, ValueError):
            w = 1.0
        c[2].number_input(
            f"Loss weight of {name}",
            value=w,
            min_value=0.0,
            step=0.1,
            format="%g",
            key=key,
            on_change=_set_head,
            args=(doc, "loss_weights", i, key, name),
            label_visibility="collapsed",
        )
        key = f"train_metrics:{i}:{doc.rev}"
        c[3].multiselect(
            f"Metrics of {name}",
            metric_options,
            default=metrics,
            key=key,
            on_change=_set_head,
            args=(doc, "metrics", i, key, name),
            label_visibility="collapsed",
            placeholder="no metrics",
        )


def _global_number(
    col: Any,
    doc: Document,
    label: str,
    short: str,
    setting: str,
    value: float,
    lo: float,
    hi: float,
    step: float,
    convert: Callable[[Any], Any],
    fmt: str | None = None,
    help: str | None = None,
) -> None:
    """A number input for one global training setting, stored in ``graph.training``."""
    key = f"train_{short}:{doc.rev}"
    col.number_input(
        label,
        value=value,
        min_value=lo,
        max_value=hi,
        step=step,
        format=fmt,
        key=key,
        on_change=_set_global,
        args=(doc, setting, key, convert),
        help=help,
    )


def fit_form(doc: Document, resolved: Mapping[str, Any]) -> None:
    rev = doc.rev
    c = st.columns(6, vertical_alignment="bottom")
    opts = list(settings_mod.OPTIMIZERS)
    opt = str(resolved.get("optimizer") or "rmsprop")
    if opt not in opts:
        opts.insert(0, opt)
    key = f"train_optimizer:{rev}"
    c[0].selectbox(
        "Optimizer", opts, index=opts.index(opt), key=key, on_change=_set_global, args=(doc, "optimizer", key)
    )
    number = _global_number
    number(
        c[1],
        doc,
        "Learning rate",
        "lr",
        "learning_rate",
        float(resolved.get("learning_rate") or 0.001),
        1e-8,
        10.0,
        1e-4,
        float,
        "%g",
    )
    number(c[2], doc, "Epochs", "epochs", "epochs", int(resolved.get("epochs") or 1), 1, 100_000, 1, int)
    number(c[3], doc, "Batch size", "batch", "batch_size", int(resolved.get("batch_size") or 32), 1, 1_000_000, 1, int)
    number(
        c[4],
        doc,
        "Validation split",
        "split",
        "validation_split",
        float(resolved.get("validation_split") or 0.0),
        0.0,
        0.9,
        0.05,
        float,
        "%g",
        help="The last fraction of the samples is kept for validation (Keras' validation_split).",
    )
    es = resolved.get("early_stopping")
    on_key, pat_key = f"train_es:{rev}", f"train_es_patience:{rev}"
    patience = int(es.get("patience", 3)) if isinstance(es, Mapping) else int(EARLY_STOPPING_DEFAULTS["patience"])
    with c[5]:
        st.checkbox(
            "Early stopping",
            value=isinstance(es, Mapping),
            key=on_key,
            on_change=_set_early_stopping,
            args=(doc, on_key, pat_key),
            help="Stop when the loss (val_loss with a validation split) stops improving; keeps the best weights.",
        )
        if isinstance(es, Mapping):
            st.number_input(
                "Patience (epochs)",
                value=patience,
                min_value=1,
                max_value=10_000,
                key=pat_key,
                on_change=_set_early_stopping,
                args=(doc, on_key, pat_key),
            )


# ---------------------------------------------------------------------- data


def _parse_columns(text: str) -> list[str] | str | None:
    text = (text or "").strip()
    if not text:
        return None
    if text.endswith("*") and "," not in text:
        return text
    return [c.strip() for c in text.split(",") if c.strip()]


def csv_mapping(graph: Graph) -> dict[str, list[str] | str]:
    out: dict[str, list[str] | str] = {}
    for name in [s.name for s in input_specs(graph)] + head_names(graph):
        cols = _parse_columns(st.session_state.get(f"train_map:{name}", ""))
        if cols is not None:
            out[name] = cols
    return out


def _forget_problem() -> None:
    st.session_state.pop(PROBLEM, None)


STRATEGIES = {
    "auto": "auto (MirroredStrategy on several GPUs)",
    "default": "default (one device)",
    "mirrored": "mirrored",
}
STRATEGY_KEY = "train_strategy"
TENSORBOARD_KEY = "train_tensorboard"
LOG_DIR = "train_log_dir"


def data_form(doc: Document) -> None:
    """The data choice (its widgets keep their values across graph edits)."""
    graph = doc.graph
    kind = st.radio(
        "Data",
        list(DATA_KINDS),
        format_func=DATA_KINDS.get,
        horizontal=True,
        key=DATA_KEY,
        on_change=_forget_problem,
    )
    if kind == "synthetic":
        st.columns([1, 3])[0].number_input(
            "Samples",
            min_value=2,
            max_value=1_000_000,
            value=default_samples(graph),
            step=32,
            key="train_samples",
            help="Random inputs that fit the model (token ids below each Embedding's input_dim) and labels that "
            "fit each head's loss; fixed seed.",
        )
    elif kind == "npz":
        names = [s.name for s in input_specs(graph)] + head_names(graph)
        st.file_uploader(
            "NPZ file: one array per input and output, named " + ", ".join(f"`{md(n)}`" for n in names),
            type=["npz"],
            key="train_npz",
            on_change=_forget_problem,
        )
    else:
        st.file_uploader(
            "CSV file with a header row",
            type=["csv"],
            key="train_csv",
            on_change=_forget_problem,
            help="Each input and head takes the column named after it, or NAME_0 .. NAME_k (reshaped to its "
            "shape), or the columns you list below.",
        )
        with st.expander("Column mapping (optional)"):
            st.caption(
                "Columns for each input and head: `a,b,c` or `prefix*`. Empty: the column named after it, "
                "or `NAME_0`, `NAME_1`, ...."
            )
            for spec in input_specs(graph):
                st.text_input(f"Input {spec.name} {spec.shape}", key=f"train_map:{spec.name}")
            for name in head_names(graph):
                st.text_input(f"Head {name}", key=f"train_map:{name}")
    with st.expander("Scale and logs"):
        c = st.columns(2)
        c[0].selectbox(
            "Distribution strategy",
            list(STRATEGIES),
            format_func=STRATEGIES.get,
            key=STRATEGY_KEY,
            help="tf.distribute: 'auto' mirrors the model over every GPU when there are several; 'mirrored' always "
            "uses MirroredStrategy; 'default' trains on one device.",
        )
        c[1].checkbox(
            "Write TensorBoard logs",
            key=TENSORBOARD_KEY,
            help="Per-epoch logs in a folder on the server; its path is shown after the run "
            "(`tensorboard --logdir PATH`).",
        )


def load_dataset(graph: Graph, resolved: Mapping[str, Any]) -> Dataset:
    """The chosen data, read and checked against the graph (raises DataError)."""
    kind = st.session_state.get(DATA_KEY, "synthetic")
    if kind == "npz":
        up = st.session_state.get("train_npz")
        if up is None:
            raise DataError("Choose an .npz file to upload first (or train on synthetic data).")
        return load_npz(io.BytesIO(up.getvalue()), graph, resolved)
    if kind == "csv":
        up = st.session_state.get("train_csv")
        if up is None:
            raise DataError("Choose a .csv file to upload first (or train on synthetic data).")
        buf = io.BytesIO(up.getvalue())
        buf.name = up.name  # type: ignore[attr-defined]
        return load_csv(buf, graph, resolved, csv_mapping(graph))
    samples = st.session_state.get("train_samples") or default_samples(graph)
    return synthetic_data(graph, int(samples), 0, resolved)


# ---------------------------------------------------------------------- running


def _start(doc: Document) -> None:
    old: TrainingRun | None = st.session_state.get(RUN)
    if old is not None and old.running:
        return
    graph = doc.graph
    if not doc.report.ok:
        doc.message = ("error", "The graph has errors; fix them (Issues tab) before training.")
        return
    try:
        prepared = prepare_settings(graph)  # the same typed check as kgb train and train()
        prepared.raise_for_errors()
        resolved = dict(prepared.values)
        dataset = load_dataset(graph.set_training(resolved), resolved)
        prepared.check_samples(dataset.n)
    except (DataError, SettingsError) as exc:
        st.session_state[PROBLEM] = str(exc)
        return
    except Exception as exc:  # never a traceback in the page
        st.session_state[PROBLEM] = f"{type(exc).__name__}: {exc}"
        return
    st.session_state.pop(PROBLEM, None)
    log_dir = tempfile.mkdtemp(prefix="kgb-tensorboard-") if st.session_state.get(TENSORBOARD_KEY) else None
    strategy = st.session_state.get(STRATEGY_KEY, "auto")
    job = BackgroundTraining(graph, dataset, None, seed=0, strategy=strategy, log_dir=log_dir).start()
    st.session_state[LOG_DIR] = log_dir
    st.session_state[RUN] = TrainingRun(graph=graph, job=job, source=dataset.source)


def _stop() -> None:
    run: TrainingRun | None = st.session_state.get(RUN)
    if run is not None:
        run.job.stop()


def _clear() -> None:
    run: TrainingRun | None = st.session_state.get(RUN)
    if run is not None and not run.running:
        st.session_state.pop(RUN, None)


def _downsample(frame: pd.DataFrame) -> pd.DataFrame:
    if len(frame) <= MAX_CHART_POINTS:
        return frame
    step = math.ceil(len(frame) / MAX_CHART_POINTS)
    keep = list(range(0, len(frame), step))
    if keep[-1] != len(frame) - 1:
        keep.append(len(frame) - 1)
    return frame.iloc[keep]


def curve_frame(history: pd.DataFrame, batches: pd.DataFrame, column: str, steps: int) -> pd.DataFrame:
    """Long-form points for one loss column: per-batch running averages (``train``, x in
    fractional epochs), the epoch values (``train (epoch)``) and ``validation``."""
    parts = []
    if column in batches.columns and len(batches) and steps:
        b = _downsample(batches[["epoch", "batch", column]].dropna())
        parts.append(pd.DataFrame({"epoch": b["epoch"] - 1 + b["batch"] / steps, "loss": b[column], "curve": "train"}))
    if column in history.columns and len(history):
        parts.append(pd.DataFrame({"epoch": history["epoch"], "loss": history[column], "curve": "train (epoch)"}))
    val = f"val_{column}"
    if val in history.columns and len(history):
        parts.append(pd.DataFrame({"epoch": history["epoch"], "loss": history[val], "curve": "validation"}))
    if not parts:
        return pd.DataFrame({"epoch": [], "loss": [], "curve": []})
    return pd.concat(parts, ignore_index=True)


CURVE_COLORS = {"train": "#93c5fd", "train (epoch)": "#2563eb", "validation": "#f97316"}


def _chart(title: str, data: pd.DataFrame) -> Any:
    import altair as alt

    present = [c for c in CURVE_COLORS if c in set(data["curve"])]  # the legend lists only these
    colors = alt.Scale(domain=present, range=[CURVE_COLORS[c] for c in present])
    return (
        alt.Chart(data, title=title)
        .mark_line(point=True)
        .encode(
            x=alt.X("epoch:Q", title="epoch"),
            y=alt.Y("loss:Q", title="loss", scale=alt.Scale(zero=False)),
            color=alt.Color("curve:N", scale=colors, legend=alt.Legend(orient="bottom", title=None)),
            tooltip=["curve", "epoch", "loss"],
        )
        .properties(height=220)
    )


def charts(run: TrainingRun, history: pd.DataFrame) -> None:
    """One chart per head (its training and validation loss) and one of the total weighted loss."""
    names = run.graph.output_names()
    batches = run.job.monitor.batches()
    steps = run.job.monitor.snapshot().steps
    if not len(batches) and not len(history):
        return  # nothing to draw yet: the stages line says what the run is doing
    items: list[tuple[str, str]] = []
    if len(names) > 1:
        items = [(f"{n} loss", f"{n}_loss") for n in names]
    items.append(("total weighted loss" if len(names) > 1 else f"{names[0] if names else 'model'} loss", "loss"))
    cols = st.columns(min(3, len(items)))
    for i, (title, column) in enumerate(items):
        with cols[i % len(cols)], st.container(key=f"train_chart_{i}"):
            data = curve_frame(history, batches, column, steps)
            if data.empty:
                st.caption(f"{title}: waiting for the first batch…")
            else:
                st.altair_chart(_chart(title, data), width="stretch")


def stages_text(stages: list[tuple[str, float]], now: float, running: bool) -> str:
    """``✓ importing TensorFlow 5.2 s · … first batch 1.4 s``: each stage with its duration, the
    current one with its running time (the stages come from the training monitor)."""
    parts = []
    for i, (name, began) in enumerate(stages):
        end = stages[i + 1][1] if i + 1 < len(stages) else now
        current = running and i == len(stages) - 1
        parts.append(f"{':material/progress_activity:' if current else ':material/check:'} {name} {end - began:.1f} s")
    return " · ".join(parts)


def _progress(run: TrainingRun) -> None:
    monitor = run.job.monitor
    snap = monitor.snapshot()
    stages = monitor.stages()
    now = time.monotonic()
    st.caption(
        f"Started {now - run.started:.1f} s ago: " + stages_text(stages, now, True),
        help="The first run in a session imports TensorFlow; Keras traces the training step during the first batch.",
    )
    if snap.status in ("preparing", "idle"):
        text = f"Preparing: {stages[-1][0] if stages else 'starting'}…"
    else:
        batch = f", batch {snap.batch}/{snap.steps}" if snap.steps else ""
        text = f"Epoch {min(snap.epoch + 1, max(snap.epochs, 1))}/{snap.epochs}{batch}"
        if len(snap.history):
            text += f" · loss {snap.history['loss'].iloc[-1]:.4g}"
    st.progress(snap.progress, text=text)


@st.fragment(run_every=CHART_SECONDS)
def _curves(run: TrainingRun) -> None:
    """The live loss curves, redrawn every CHART_SECONDS (not the page, not every poll)."""
    if run.running:
        charts(run, run.job.monitor.history())


@st.fragment(run_every=POLL_SECONDS)
def _live(run: TrainingRun) -> None:
    """Stop, the stages with their timers and the progress bar, every POLL_SECONDS."""
    if not run.running:
        run.ended = run.ended or time.monotonic()
        st.rerun()  # the whole page: show the results
    c = st.columns([1, 5], vertical_alignment="center")
    c[0].button(
        "Stop",
        icon=":material/stop:",
        key="train_stop",
        on_click=_stop,
        width="stretch",
        help="Stops at the end of the current batch",
    )
    with c[1]:
        if run.job.stop_event.is_set():
            st.caption("Stopping at the end of this batch…")
    _progress(run)


def same_model(a: Graph, b: Graph) -> bool:
    """Same layers, connections, outputs and training settings (node positions aside)."""
    if a is b:
        return True
    return (a.layers, a.edges, a.inputs, a.outputs, a.training, [n.layer for n in a.nodes]) == (
        b.layers,
        b.edges,
        b.inputs,
        b.outputs,
        b.training,
        [n.layer for n in b.nodes],
    )


def _model_bytes(run: TrainingRun) -> Callable[[], bytes]:
    def make() -> bytes:
        result = run.job.result or getattr(run.job.error, "result", None)
        if result is None:
            return b""
        with tempfile.TemporaryDirectory() as d:
            path = os.path.join(d, "model.keras")
            result.model.save(path)
            with open(path, "rb") as fh:
                return fh.read()

    return make


def results(doc: Document, run: TrainingRun) -> None:
    job = run.job
    snap = job.monitor.snapshot()
    err = job.error
    result = job.result or getattr(err, "result", None)
    if isinstance(err, TrainingError):
        st.error(md(str(err)), icon=":material/error:")
    elif err is not None:
        st.error(f"Training did not start: {md(str(err))}", icon=":material/error:")
    elif snap.status == "stopped":
        st.warning(md(snap.message), icon=":material/stop_circle:")
    else:
        seconds = result.seconds if result is not None else 0.0
        st.success(f"{md(snap.message)} ({seconds:.1f} s on {md(run.source)})", icon=":material/check_circle:")
    history = result.history if result is not None else snap.history
    run_record.record(doc, run)
    stages = job.monitor.stages()
    if stages:
        run.ended = run.ended or time.monotonic()
        st.caption("Stages: " + stages_text(stages, run.ended, False))
    if not same_model(run.graph, doc.graph):
        st.caption("The graph has changed since this run started; Train again to train the current graph.")
    if st.session_state.get(LOG_DIR):
        st.caption(f"TensorBoard logs: `{md(st.session_state[LOG_DIR])}`")
    if result is not None and result.notes:
        st.caption("Data: " + "; ".join(md(n) for n in result.notes))
    if len(history):
        charts(run, history)
        st.dataframe(history, hide_index=True, width="stretch", key="train_history")
    c = st.columns([1, 1, 1, 2])
    stem = file_stem(run.graph.name)
    c[0].download_button(
        "History CSV",
        data=history.to_csv(index=False),
        file_name=f"{stem}_history.csv",
        mime="text/csv",
        icon=":material/download:",
        key="train_history_csv",
        disabled=not len(history),
        width="stretch",
    )
    c[1].download_button(
        "Trained model (.keras)",
        data=_model_bytes(run),
        file_name=f"{stem}.keras",
        mime="application/octet-stream",
        icon=":material/download:",
        key="train_model_keras",
        disabled=result is None or isinstance(err, TrainingError),
        width="stretch",
    )
    c[2].button("Clear", icon=":material/delete_sweep:", key="train_clear", on_click=_clear, width="stretch")


# ---------------------------------------------------------------------- the panel


def training_panel(doc: Document) -> None:
    graph = doc.graph
    report = doc.report
    run: TrainingRun | None = st.session_state.get(RUN)
    if not graph.outputs:
        st.info("The model has no outputs yet: mark a node as a model output (inspector) to train it.")
        return
    if not report.ok:
        n = len(report.errors)
        c = st.columns([4, 1], vertical_alignment="center")
        c[0].error(
            f"The model cannot train while the graph has {n} error{'s' if n != 1 else ''}: Keras would refuse to "
            "build it. Fix them first.",
            icon=":material/error:",
        )
        c[1].button(
            "Show the issues", icon=":material/list:", key="train_issues", on_click=_open_issues, width="stretch"
        )
    resolved = current_settings(graph)
    heads_form(doc, resolved)
    for p in checked_settings(graph, resolved).problems:
        (st.error if p.severity == "error" else st.warning)((f"`{md(p.output)}`: " if p.output else "") + md(p.message))
    fit_form(doc, resolved)
    memory_check(doc, resolved)
    data_form(doc)
    problem = st.session_state.get(PROBLEM)
    if problem:
        st.error(f"Cannot train on this data: {md(problem)}", icon=":material/error:")
    running = run is not None and run.running
    st.button(
        "Train",
        icon=":material/play_arrow:",
        type="primary",
        key="train_start",
        on_click=_start,
        args=(doc,),
        disabled=running or not report.ok,
        help="Fix the graph's errors first (Issues tab)" if not report.ok else "Compile the model and fit it",
    )
    if run is None:
        return
    if running:
        _live(run)
        _curves(run)
    else:
        results(doc, run)
