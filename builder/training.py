"""Training a graph: per-head losses and loss weights, a live history, a stop flag.

* :func:`default_settings` picks a loss per output head from its activation and shape
  (sigmoid -> binary crossentropy, softmax -> categorical crossentropy, anything else -> mse),
  weight 1 and Keras' defaults for the rest; :func:`resolve_settings` merges ``graph.training``
  (and optional overrides) over them. The result is what goes into ``graph.training``: ``loss``,
  ``loss_weights`` and ``metrics`` are dicts keyed by output name (lists in output order when two
  outputs share a name).
* :func:`train` checks the settings and the data (:mod:`builder.data`) before importing
  TensorFlow, builds and compiles the model (:func:`builder.compile.compile_graph`), and fits it.
  A :class:`TrainingMonitor` receives the per-batch and per-epoch logs; its :meth:`history
  <TrainingMonitor.history>` is a thread-safe pandas snapshot with the columns Keras names
  (``loss``, ``main_output_loss``, ``aux_output_loss``, metrics, and ``val_`` columns with
  validation). A ``threading.Event`` stops training at the end of the current batch; a NaN or
  infinite loss stops it (the monitor's check, and Keras' ``TerminateOnNaN``) and raises
  :class:`TrainingError` with a message saying where.

A UI runs :func:`train` in a background thread with its own monitor and polls
``monitor.snapshot()``; the monitor itself needs neither Keras nor Streamlit.

``python -m builder train GRAPH ...`` is the same from the command line (see :func:`cmd_train`).
"""

from __future__ import annotations

import argparse
import math
import sys
import threading
import time
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from . import settings as settings_mod
from .catalog import catalog
from .data import DataError, Dataset, load_data, parse_mapping
from .graph import Graph
from .validate import Report, validate

if TYPE_CHECKING:  # pragma: no cover
    import pandas as pd

DEFAULT_OPTIMIZER = "rmsprop"  # model.compile's own default
DEFAULT_LEARNING_RATES = {name: 0.001 for name in settings_mod.OPTIMIZERS} | {"sgd": 0.01}  # Keras 3 defaults
DEFAULT_EPOCHS = 10
DEFAULT_BATCH_SIZE = 32
EARLY_STOPPING_DEFAULTS: dict[str, Any] = {
    "monitor": None,
    "patience": 3,
    "min_delta": 0.0,
    "restore_best_weights": True,
}
PER_HEAD_KEYS = ("loss", "loss_weights", "metrics")
MAX_BATCH_ROWS = 200_000  # per-batch progress rows kept by a monitor


class SettingsError(ValueError):
    """Training settings Keras would refuse (unknown loss, a loss for no output, ...)."""


class TrainingError(RuntimeError):
    """Training started but failed (NaN loss, an error inside Keras). ``result`` holds the model
    and the history up to the failure (``None`` when it failed before the first batch)."""

    def __init__(self, message: str, result: TrainResult | None = None) -> None:
        super().__init__(message)
        self.result = result


# --------------------------------------------------------------------------- settings


def head_activation(graph: Graph, node_id: str) -> str | None:
    """The activation of the layer behind an output node (``None`` when it has none)."""
    layer = graph.layer_of(node_id)
    ltype = catalog().types.get(layer.type)
    cfg = ltype.resolved(dict(layer.config)) if ltype else dict(layer.config)
    act = cfg.get("activation")
    return act if isinstance(act, str) else None


def default_head(activation: str | None, shape: Sequence[int | None] | None) -> tuple[str, list[str]]:
    """(loss, metrics) for a head with this activation and output shape (batch axis included)."""
    classes = shape[-1] if shape and len(shape) > 1 else None
    if activation == "sigmoid":
        return "binary_crossentropy", ["accuracy"]
    if activation == "softmax" and classes != 1:
        return "categorical_crossentropy", ["accuracy"]
    return "mse", []


def default_settings(graph: Graph, report: Report | None = None) -> dict[str, Any]:
    """Settings that train the graph as it is: a loss per head from its activation, weight 1."""
    report = report or validate(graph.set_training(None))
    names = graph.output_names()
    heads = []
    for nid in graph.outputs:
        if nid not in graph.node_by_id:
            heads.append(("mse", []))
            continue
        heads.append(default_head(head_activation(graph, nid), report.shapes.get(nid)))
    return {
        "optimizer": DEFAULT_OPTIMIZER,
        "learning_rate": DEFAULT_LEARNING_RATES[DEFAULT_OPTIMIZER],
        "loss": _per_head(names, [h[0] for h in heads]),
        "loss_weights": _per_head(names, [1.0] * len(names)),
        "metrics": _per_head(names, [list(h[1]) for h in heads]),
        "epochs": DEFAULT_EPOCHS,
        "batch_size": DEFAULT_BATCH_SIZE,
        "validation_split": 0.0,
        "early_stopping": None,
    }


def _per_head(names: Sequence[str], values: Sequence[Any]) -> dict[str, Any] | list[Any]:
    if len(set(names)) == len(names):
        return dict(zip(names, values))
    return list(values)


def _plain(value: Any) -> Any:
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    if isinstance(value, Mapping):
        return {k: _plain(v) for k, v in value.items()}
    return value


def _merge_head_values(key: str, base: Any, given: Any, names: Sequence[str]) -> Any:
    """``given`` (one value, a list in output order or a dict by output name) over ``base``."""
    given = _plain(given)
    unique = len(set(names)) == len(names)
    base_list = [base[n] for n in names] if isinstance(base, Mapping) else list(base)
    if key == "metrics" and (
        isinstance(given, str) or (isinstance(given, list) and not any(isinstance(m, list) for m in given))
    ):
        values = [[given] if isinstance(given, str) else list(given) for _ in names]  # every head
        return _per_head(names, values)
    if isinstance(given, Mapping):
        if not unique:
            return given  # settings.check reports that dicts cannot address duplicate names
        merged = dict(zip(names, base_list))
        merged.update(given)  # unknown keys stay, so that the checks name them
        return merged
    if isinstance(given, list):
        if len(given) != len(names):
            return given  # settings.check reports the count
        return _per_head(names, given)
    return _per_head(names, [given] * len(names))


def resolve_settings(graph: Graph, overrides: Mapping[str, Any] | None = None) -> dict[str, Any]:
    """``graph.training`` and then ``overrides`` merged over :func:`default_settings`.

    Per-head keys (``loss``, ``loss_weights``, ``metrics``) merge head by head; a single value
    (``loss="mse"``) applies to every head. A new optimizer without a learning rate gets that
    optimizer's Keras default."""
    out = default_settings(graph)
    names = graph.output_names()
    lr_given = False
    for layer in (graph.training or {}, overrides or {}):
        for key, value in layer.items():
            if key in PER_HEAD_KEYS and value is not None:
                out[key] = _merge_head_values(key, out[key], value, names)
            elif key == "early_stopping":
                out[key] = _early_stopping(value)
            else:
                out[key] = _plain(value)
            lr_given = lr_given or (key == "learning_rate" and value is not None)
    if not lr_given:
        out["learning_rate"] = DEFAULT_LEARNING_RATES.get(str(out.get("optimizer")), out["learning_rate"])
    return out


def _early_stopping(value: Any) -> Any:
    if value is None or value is False:
        return None
    if value is True:
        return dict(EARLY_STOPPING_DEFAULTS)
    if isinstance(value, Mapping):
        return {**EARLY_STOPPING_DEFAULTS, **_plain(value)}
    return value  # settings.check reports it


def check_settings(graph: Graph, resolved: Mapping[str, Any]) -> None:
    """Raise :class:`SettingsError` for settings Keras would refuse."""
    problems = [p for p in settings_mod.check(resolved, graph.output_names()) if p.severity == "error"]
    if problems:
        lines = [(f"{p.output}: " if p.output else "") + p.message for p in problems]
        raise SettingsError("; ".join(lines))


def head_columns(history_columns: Sequence[str], output_names: Sequence[str]) -> dict[str, str]:
    """Head name -> its loss column in a history (``loss`` itself for a single-output model,
    which Keras logs without a per-head column)."""
    if len(output_names) == 1:
        return {output_names[0]: "loss"}
    return {n: f"{n}_loss" for n in output_names if f"{n}_loss" in history_columns}


# --------------------------------------------------------------------------- the monitor


@dataclass(frozen=True)
class Snapshot:
    status: str  # idle | preparing | running | done | stopped | failed
    message: str
    epoch: int  # epochs finished
    epochs: int  # epochs planned
    batch: int  # batches finished in the current epoch
    steps: int  # batches per epoch (0 until known)
    progress: float  # 0..1
    history: pd.DataFrame


class TrainingMonitor:
    """Collects the training logs; every read is a copy, safe from another thread.

    ``listener`` (optional) is called with each finished epoch's row (a dict), from the
    training thread."""

    def __init__(self, listener: Callable[[dict[str, Any]], None] | None = None) -> None:
        self._lock = threading.Lock()
        self._epochs: list[dict[str, Any]] = []
        self._batches: list[dict[str, Any]] = []
        self.listener = listener
        self.status = "idle"
        self.message = ""
        self._epoch = 0
        self._planned = 0
        self._batch = 0
        self._steps = 0
        self._step = 0
        self.nan: str | None = None  # a message once a non-finite loss was seen
        self.output_names: tuple[str, ...] = ()  # orders the head-loss columns
        self.stop_requested = False
        self.callback_seconds = 0.0  # time spent in the builder's callback (benchmarks read it)
        self._stages: list[tuple[str, float]] = []  # (stage, time.monotonic() it began)

    # ---- read side (any thread)
    def history(self) -> pd.DataFrame:
        """One row per finished epoch: ``epoch`` (from 1) and the Keras log keys."""
        import pandas as pd

        with self._lock:
            rows = [dict(r) for r in self._epochs]
        return pd.DataFrame(rows, columns=_order_columns(rows, self.output_names))

    def batches(self) -> pd.DataFrame:
        """One row per finished batch: ``epoch``, ``batch``, ``step`` and the running averages."""
        import pandas as pd

        with self._lock:
            rows = [dict(r) for r in self._batches]
        cols = ["epoch", "batch", "step"] + [
            c for c in _order_columns(rows, self.output_names) if c not in ("epoch", "batch", "step")
        ]
        return pd.DataFrame(rows, columns=cols)

    def stages(self) -> list[tuple[str, float]]:
        """The stages so far, ``(name, time.monotonic() it began)``: ``preparing data``,
        ``importing TensorFlow``, ``building and compiling``, ``first batch`` (Keras traces the
        training step), ``training``; each lasts until the next begins (or the run ends)."""
        with self._lock:
            return list(self._stages)

    @property
    def progress(self) -> float:
        with self._lock:
            return self._progress()

    def _progress(self) -> float:
        if not self._planned:
            return 0.0
        frac = self._batch / self._steps if self._steps else 0.0
        return min(1.0, (self._epoch + min(frac, 1.0)) / self._planned)

    def snapshot(self) -> Snapshot:
        hist = self.history()
        with self._lock:
            return Snapshot(
                self.status,
                self.message,
                self._epoch,
                self._planned,
                self._batch,
                self._steps,
                self._progress(),
                hist,
            )

    # ---- write side (the training thread)
    def _reset(self) -> None:
        with self._lock:
            self._epochs.clear()
            self._batches.clear()
            self.status, self.message = "preparing", ""
            self._epoch = self._planned = self._batch = self._steps = self._step = 0
            self.nan = None
            self.stop_requested = False
            self.callback_seconds = 0.0
            self._stages = [("preparing data", time.monotonic())]

    def _stage(self, name: str) -> None:
        with self._lock:
            self._stages.append((name, time.monotonic()))

    def _set(self, status: str, message: str = "") -> None:
        with self._lock:
            self.status = status
            if message:
                self.message = message

    def _begin(self, epochs: int, steps: int | None) -> None:
        with self._lock:
            self.status = "running"
            self._planned = int(epochs or 0)
            self._steps = int(steps or 0)
            self._epoch = 0
            self._batch = 0
            self._stages.append(("first batch", time.monotonic()))

    def _epoch_begin(self, epoch: int) -> None:
        with self._lock:
            self._batch = 0

    def _batch_end(self, epoch: int, batch: int, logs: Mapping[str, Any]) -> None:
        row = {"epoch": epoch + 1, "batch": batch + 1, "step": 0, **logs}
        with self._lock:
            self._step += 1
            if self._step == 1:
                self._stages.append(("training", time.monotonic()))
            row["step"] = self._step
            self._batch = batch + 1
            if len(self._batches) < MAX_BATCH_ROWS:
                self._batches.append(row)

    def _epoch_end(self, epoch: int, logs: Mapping[str, Any]) -> None:
        row = {"epoch": epoch + 1, **logs}
        with self._lock:
            self._epochs.append(row)
            self._epoch = epoch + 1
            self._batch = 0
        if self.listener is not None:
            self.listener(dict(row))


def _order_columns(rows: Sequence[Mapping[str, Any]], heads: Sequence[str] = ()) -> list[str]:
    """``epoch``, ``loss``, the head losses in output order, the other metrics (Keras' order),
    then the same with ``val_``."""
    seen: list[str] = []
    for r in rows:
        for k in r:
            if k not in seen:
                seen.append(k)
    rank = {f"{h}_loss": i for i, h in enumerate(heads)}

    def key(c: str) -> tuple[int, int]:
        base = c[4:] if c.startswith("val_") else c
        if base == "loss":
            return (0, 0)
        if base in rank:
            return (1, rank[base])
        return (2 if base.endswith("_loss") else 3, 0)

    train = [c for c in seen if c not in ("epoch", "batch", "step") and not c.startswith("val_")]
    val = [c for c in seen if c.startswith("val_")]
    return [c for c in ("epoch", "batch", "step") if c in seen] + sorted(train, key=key) + sorted(val, key=key)


def _stream_callback(monitor: TrainingMonitor, stop_event: threading.Event | None) -> Any:
    """The Keras callback feeding ``monitor`` (Keras is imported here, lazily)."""
    import keras

    class StreamHistory(keras.callbacks.Callback):
        # Synchronous on purpose: the stop flag is read right after each batch, before Keras
        # decides whether to run the next one. Reading the logs of every batch costs nothing
        # measurable (benchmarks/bench_training.py).
        def __init__(self) -> None:
            super().__init__()
            self.epoch = 0

        def on_train_begin(self, logs: Any = None) -> None:
            monitor._begin(self.params.get("epochs", 0), self.params.get("steps"))
            self._check_stop()

        def on_epoch_begin(self, epoch: int, logs: Any = None) -> None:
            self.epoch = epoch
            monitor._epoch_begin(epoch)
            self._check_stop()

        def on_train_batch_end(self, batch: int, logs: Any = None) -> None:
            t0 = time.perf_counter()
            logs = logs or {}
            loss = logs.get("loss")
            if loss is not None and not math.isfinite(loss) and monitor.nan is None:
                monitor.nan = (
                    f"The loss became {'NaN' if math.isnan(loss) else 'infinite'} at epoch {self.epoch + 1}, "
                    f"batch {batch + 1}; training stopped. Lower the learning rate, scale the data, or check "
                    f"the labels against each head's loss."
                )
                self.model.stop_training = True
            monitor._batch_end(self.epoch, batch, logs)
            self._check_stop()
            monitor.callback_seconds += time.perf_counter() - t0

        def on_epoch_end(self, epoch: int, logs: Any = None) -> None:
            logs = dict(logs or {})
            monitor._epoch_end(epoch, logs)
            loss = logs.get("loss")
            if loss is not None and not math.isfinite(loss) and monitor.nan is None:
                monitor.nan = f"The loss is not finite after epoch {epoch + 1} ({loss}); training stopped."
            if monitor.nan is not None:
                self.model.stop_training = True
            self._check_stop()

        def _check_stop(self) -> None:
            if stop_event is not None and stop_event.is_set():
                monitor.stop_requested = True
                self.model.stop_training = True

    return StreamHistory()


# --------------------------------------------------------------------------- training


@dataclass
class TrainResult:
    """What :func:`train` returns; ``model, history = train(...)`` also works."""

    model: Any
    history: pd.DataFrame
    settings: dict[str, Any]
    dataset: Dataset | None = None
    stopped: bool = False  # stopped by the stop flag
    early_stopped: bool = False
    seconds: float = 0.0  # the whole call
    fit_seconds: float = 0.0  # inside model.fit
    callback_seconds: float = 0.0  # of which in the builder's per-batch callback
    notes: list[str] = field(default_factory=list)

    def __iter__(self) -> Iterator[Any]:
        return iter((self.model, self.history))


def make_strategy(strategy: Any) -> Any:
    """``None`` -> None (no scope); ``"auto"`` -> MirroredStrategy with several GPUs, the default
    strategy otherwise; ``"mirrored"`` / ``"default"``; or a ``tf.distribute.Strategy`` as is."""
    if strategy is None:
        return None
    if not isinstance(strategy, str):
        if not hasattr(strategy, "scope"):
            raise SettingsError(
                f"strategy must be 'auto', 'mirrored', 'default' or a tf.distribute.Strategy; got {strategy!r}"
            )
        return strategy
    import tensorflow as tf

    if strategy == "auto":
        gpus = tf.config.list_logical_devices("GPU")
        return tf.distribute.MirroredStrategy() if len(gpus) > 1 else tf.distribute.get_strategy()
    if strategy == "mirrored":
        return tf.distribute.MirroredStrategy()
    if strategy == "default":
        return tf.distribute.get_strategy()
    raise SettingsError(f"Unknown strategy {strategy!r}; use auto, mirrored or default.")


def _check_split(dataset: Dataset, resolved: Mapping[str, Any]) -> None:
    split = float(resolved.get("validation_split") or 0.0)
    if split <= 0:
        return
    n = dataset.n
    n_val = int(n * split)
    if n_val < 1 or n - n_val < 1:
        raise DataError(
            f"validation_split={split:g} of {n:,} samples leaves {n_val} for validation and {n - n_val} for "
            f"training; both need at least one (use more samples or another split)."
        )


def train(
    graph: Graph,
    data: Any = "synthetic",
    settings: Mapping[str, Any] | None = None,
    *,
    callbacks: Sequence[Any] = (),
    stop_event: threading.Event | None = None,
    strategy: Any = None,
    monitor: TrainingMonitor | None = None,
    samples: int | None = None,
    seed: int | None = None,
    mapping: Mapping[str, list[str] | str] | None = None,
    log_dir: str | Path | None = None,
    verbose: int = 0,
) -> TrainResult:
    """Compile ``graph`` and fit it on ``data``.

    ``data``: ``"synthetic"`` (``samples`` rows, ``seed``), an ``.npz`` / ``.csv`` path (CSV
    columns by ``mapping``), a :class:`~builder.data.Dataset` or a dict of arrays by input and
    output name. ``settings`` override ``graph.training`` (merged by :func:`resolve_settings`).
    ``seed`` also seeds the weight initialisation. ``log_dir`` writes TensorBoard logs (per epoch).

    Raises :class:`SettingsError` / :class:`~builder.data.DataError` before TensorFlow is
    imported, :class:`~builder.compile.CompileError` for graph errors, and :class:`TrainingError`
    when training fails (a NaN loss: the partial history is in ``exc.result``). A set
    ``stop_event`` stops at the end of the current batch and returns normally (``stopped``)."""
    t0 = time.perf_counter()
    monitor = monitor or TrainingMonitor()
    monitor._reset()
    try:
        resolved = resolve_settings(graph, settings)
        check_settings(graph, resolved)
        trained = graph.set_training(resolved)
        report = validate(graph.set_training(None))
        if not report.ok:
            from .compile import CompileError

            raise CompileError(report.errors)
        dataset = load_data(data, trained, resolved, samples=samples, seed=0 if seed is None else seed, mapping=mapping)
        _check_split(dataset, resolved)
        if log_dir is not None:
            import importlib.util

            if importlib.util.find_spec("tensorboard") is None:
                raise SettingsError("TensorBoard logs need the `tensorboard` package (pip install tensorboard).")
        es = resolved.get("early_stopping")
        if (
            isinstance(es, Mapping)
            and str(es.get("monitor") or "").startswith("val_")
            and not resolved.get("validation_split")
        ):
            raise SettingsError(f"Early stopping monitors {es['monitor']!r}, which needs a validation_split above 0.")
    except Exception as exc:  # SettingsError, DataError, CompileError
        monitor._set("failed", str(exc))
        raise

    import os

    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
    monitor._stage("importing TensorFlow")
    import keras

    from .compile import CompileError, compile_graph

    monitor._stage("building and compiling")

    if seed is not None:
        keras.utils.set_random_seed(seed)
    strat = make_strategy(strategy)
    try:
        if strat is not None:
            with strat.scope():
                model = compile_graph(trained, training=True)
        else:
            model = compile_graph(trained, training=True)
    except CompileError as exc:
        monitor._set("failed", str(exc))
        raise

    monitor.output_names = tuple(trained.output_names())
    cbs: list[Any] = [_stream_callback(monitor, stop_event), keras.callbacks.TerminateOnNaN()]
    if isinstance(es, Mapping):
        mon = es.get("monitor") or ("val_loss" if resolved.get("validation_split") else "loss")
        cbs.append(
            keras.callbacks.EarlyStopping(
                monitor=mon,
                patience=int(es.get("patience", 3)),
                min_delta=float(es.get("min_delta", 0.0)),
                restore_best_weights=bool(es.get("restore_best_weights", True)),
            )
        )
    if log_dir is not None:
        cbs.append(keras.callbacks.TensorBoard(log_dir=str(log_dir)))
    cbs.extend(callbacks)
    epochs = int(resolved.get("epochs") or DEFAULT_EPOCHS)
    result = TrainResult(model, monitor.history(), resolved, dataset, notes=list(dataset.notes))
    t_fit = time.perf_counter()
    try:
        model.fit(
            dataset.fit_x(),
            dataset.fit_y(),
            epochs=epochs,
            batch_size=int(resolved.get("batch_size") or DEFAULT_BATCH_SIZE),
            validation_split=float(resolved.get("validation_split") or 0.0),
            callbacks=cbs,
            verbose=verbose,
        )
    except Exception as exc:
        result.history = monitor.history()
        text = " ".join(str(exc).split())
        msg = f"Keras failed during training: {type(exc).__name__}: {text[:600]}"
        monitor._set("failed", msg)
        raise TrainingError(msg, result) from None
    result.fit_seconds = time.perf_counter() - t_fit
    result.callback_seconds = monitor.callback_seconds
    result.history = monitor.history()
    result.seconds = time.perf_counter() - t0
    if monitor.nan is not None:
        monitor._set("failed", monitor.nan)
        raise TrainingError(monitor.nan, result)
    done = len(result.history)
    result.stopped = monitor.stop_requested
    result.early_stopped = not result.stopped and done < epochs
    if result.stopped:
        monitor._set("stopped", f"Stopped after {monitor._step} batches ({done} full epochs).")
    else:
        monitor._set(
            "done",
            f"Trained {done} epoch{'s' if done != 1 else ''}" + (" (early stopping)." if result.early_stopped else "."),
        )
    return result


class BackgroundTraining:
    """:func:`train` in a daemon thread, for a UI that polls ``monitor.snapshot()``.

    >>> run = BackgroundTraining(graph, "synthetic", {"epochs": 5}).start()   # doctest: +SKIP
    >>> run.monitor.snapshot().history; run.stop(); run.join()                # doctest: +SKIP

    After the thread ends, ``result`` holds the :class:`TrainResult` or ``error`` the exception
    (a :class:`TrainingError` keeps the partial result in ``error.result``)."""

    def __init__(self, graph: Graph, data: Any = "synthetic", settings: Mapping[str, Any] | None = None, **kwargs: Any):
        self.monitor: TrainingMonitor = kwargs.pop("monitor", None) or TrainingMonitor()
        self.stop_event: threading.Event = kwargs.pop("stop_event", None) or threading.Event()
        self.result: TrainResult | None = None
        self.error: BaseException | None = None
        self._args = (graph, data, settings)
        self._kwargs = kwargs
        self.thread = threading.Thread(target=self._run, name="keras-graph-builder-train", daemon=True)

    def _run(self) -> None:
        graph, data, settings = self._args
        try:
            self.result = train(graph, data, settings, monitor=self.monitor, stop_event=self.stop_event, **self._kwargs)
        except BaseException as exc:  # reported to the UI, never lost in the thread
            self.error = exc
            if self.monitor.status not in ("failed",):
                self.monitor._set("failed", f"{type(exc).__name__}: {exc}")

    def start(self) -> BackgroundTraining:
        self.thread.start()
        return self

    def stop(self) -> None:
        """Stop at the end of the current batch."""
        self.stop_event.set()

    @property
    def running(self) -> bool:
        return self.thread.is_alive()

    def join(self, timeout: float | None = None) -> bool:
        """Wait for the thread; True when it has ended."""
        self.thread.join(timeout)
        return not self.thread.is_alive()


# --------------------------------------------------------------------------- CLI


def _pairs(items: Sequence[str] | None, what: str, convert: Callable[[str], Any]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for item in items or ():
        head, sep, value = item.rpartition("=")
        if not sep or not head or not value:
            raise SettingsError(f"--{what} takes HEAD=VALUE; received {item!r}.")
        try:
            out[head] = convert(value)
        except ValueError:
            raise SettingsError(f"--{what} {item!r}: {value!r} is not a valid value.") from None
    return out


def _weight(value: str) -> float:
    w = float(value)
    if not math.isfinite(w):
        raise ValueError(value)
    return w


def cmd_train(args: argparse.Namespace) -> int:
    from .cli import EXIT_ERRORS, EXIT_OK, EXIT_UNREADABLE, CliError, read_graph
    from .compile import CompileError

    graph = read_graph(args.graph)
    names = graph.output_names()
    try:
        overrides: dict[str, Any] = {}
        losses = _pairs(args.loss, "loss", str)
        weights = _pairs(args.loss_weight, "loss-weight", _weight)
        for flag, given in (("loss", losses), ("loss-weight", weights)):
            unknown = [h for h in given if h not in names]
            if unknown:
                raise SettingsError(f"--{flag}: {unknown} name no output; outputs: {names}.")
        bad = [v for v in losses.values() if not settings_mod.is_loss(v)]
        if bad:
            raise SettingsError(settings_mod._unknown_loss(bad[0]))
        if losses:
            overrides["loss"] = losses
        if weights:
            overrides["loss_weights"] = weights
        for key in ("epochs", "batch_size", "validation_split", "optimizer", "learning_rate"):
            value = getattr(args, key)
            if value is not None:
                overrides[key] = value
        if args.early_stopping is not None:
            overrides["early_stopping"] = {"patience": args.early_stopping}
        if args.save and Path(args.save).suffix != ".keras":
            raise SettingsError(f"--save {args.save}: the file name must end in .keras.")
        mapping = parse_mapping(args.map or [])
    except (SettingsError, DataError) as exc:
        raise CliError(str(exc), EXIT_UNREADABLE) from None
    data = args.data
    if data != "synthetic" and not Path(data).is_file():
        raise CliError(f"--data {data}: no such file (use 'synthetic', an .npz or a .csv file).", EXIT_UNREADABLE)

    def show(row: dict[str, Any]) -> None:
        if not args.quiet:
            cols = [c for c in _order_columns([row], names) if c != "epoch" and isinstance(row[c], float)]
            print(f"epoch {row['epoch']}: " + "  ".join(f"{c}={row[c]:.4g}" for c in cols), flush=True)

    if not args.quiet:
        try:
            shown = resolve_settings(graph, overrides)
            loss, weights = shown["loss"], shown["loss_weights"]
            if isinstance(loss, Mapping) and isinstance(weights, Mapping):
                heads = ", ".join(f"{h}: {loss.get(h)} x {weights.get(h, 1.0):g}" for h in names)
                print(f"training {graph.name} ({heads})", file=sys.stderr, flush=True)
        except Exception:  # the same problem is reported by train() below
            pass

    monitor = TrainingMonitor(listener=show)
    stop = threading.Event()
    previous = _install_sigint(stop)
    code = EXIT_OK
    result: TrainResult | None = None
    try:
        result = train(
            graph,
            data,
            overrides,
            stop_event=stop,
            strategy=args.strategy,
            monitor=monitor,
            samples=args.samples,
            seed=args.seed,
            mapping=mapping,
            log_dir=args.tensorboard,
        )
    except (SettingsError, DataError) as exc:
        raise CliError(str(exc), EXIT_UNREADABLE) from None
    except CompileError as exc:
        for issue in exc.issues:
            where = graph.node_label(issue.node) if issue.node in graph.node_by_id else "(model)"
            print(f"{issue.severity:<7} {where}  {issue.code}\n  {issue.message}", file=sys.stderr)
        raise CliError(
            f"{args.graph}: the graph cannot be compiled ({len(exc.issues)} problem(s)).", EXIT_ERRORS
        ) from None
    except TrainingError as exc:
        print(f"error: {exc}", file=sys.stderr)
        result = exc.result
        code = EXIT_ERRORS
    finally:
        _restore_sigint(previous)
    history = result.history if result is not None else monitor.history()
    if args.history:
        try:
            history.to_csv(args.history, index=False)
        except OSError as exc:
            raise CliError(f"--history {args.history}: cannot write: {exc.strerror or exc}", EXIT_UNREADABLE) from None
    if args.save and result is not None and code == EXIT_OK:
        try:
            result.model.save(args.save)
        except Exception as exc:
            raise CliError(f"--save {args.save}: cannot save the model: {exc}", EXIT_ERRORS) from None
    if code == EXIT_OK and result is not None and not args.quiet:
        final = history.iloc[-1].to_dict() if len(history) else {}
        what = "stopped" if result.stopped else "done"
        print(
            f"{what}: {len(history)} epochs in {result.seconds:.1f} s on {result.dataset.source if result.dataset else data}; "
            f"final loss {final.get('loss', float('nan')):.4g}",
            file=sys.stderr,
        )
    return code


def _install_sigint(stop: threading.Event) -> Any:
    """First Ctrl-C: stop at the end of the batch (history and model are still written)."""
    import signal

    if threading.current_thread() is not threading.main_thread():
        return None

    def handler(signum: int, frame: Any) -> None:
        if stop.is_set():
            raise KeyboardInterrupt
        print("stopping at the end of this batch (Ctrl-C again to abort)", file=sys.stderr)
        stop.set()

    try:
        return signal.signal(signal.SIGINT, handler)
    except ValueError:
        return None


def _restore_sigint(previous: Any) -> None:
    import signal

    if previous is not None:
        signal.signal(signal.SIGINT, previous)


def register_cli(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "train",
        help="train a graph: exit 0 OK, 1 training failed (NaN, graph errors), 2 bad input",
        description="Compile a graph and train it on synthetic data, an .npz or a .csv file. Per-head losses and "
        "loss weights come from the graph's training settings, then defaults from each head's activation, then "
        "these flags.",
    )
    p.add_argument("graph", help="graph JSON file (or a template name)")
    p.add_argument("--data", default="synthetic", help="synthetic (default), FILE.npz or FILE.csv")
    p.add_argument(
        "--map", action="append", metavar="NAME=COLS", help="CSV columns for an input or head: a,b,c or PREFIX*"
    )
    p.add_argument("--samples", type=int, help="rows of synthetic data (default: 256, fewer for big inputs)")
    p.add_argument("--seed", type=int, help="seed for synthetic data and weight initialisation")
    p.add_argument("--epochs", type=int)
    p.add_argument("--batch-size", type=int)
    p.add_argument("--loss", action="append", metavar="HEAD=LOSS", help="a head's loss (repeat per head)")
    p.add_argument("--loss-weight", action="append", metavar="HEAD=W", help="a head's loss weight (repeat per head)")
    p.add_argument("--optimizer", choices=settings_mod.OPTIMIZERS)
    p.add_argument("--learning-rate", type=float)
    p.add_argument("--validation-split", type=float)
    p.add_argument("--early-stopping", type=int, metavar="PATIENCE", help="stop when the monitored loss stalls")
    p.add_argument("--strategy", choices=("auto", "mirrored", "default"), help="train under a tf.distribute strategy")
    p.add_argument("--history", metavar="OUT.csv", help="write the per-epoch history as CSV")
    p.add_argument("--save", metavar="OUT.keras", help="save the trained model")
    p.add_argument("--tensorboard", metavar="DIR", help="write TensorBoard logs to DIR")
    p.add_argument("--quiet", "-q", action="store_true", help="no per-epoch lines")
    p.set_defaults(func=cmd_train)


def _register() -> None:
    from .cli import EXTRA_COMMANDS

    hook: Callable[[argparse._SubParsersAction], None] = register_cli
    if hook not in EXTRA_COMMANDS:
        EXTRA_COMMANDS.append(hook)


_register()

__all__ = [
    "BackgroundTraining",
    "DataError",
    "SettingsError",
    "TrainResult",
    "TrainingError",
    "TrainingMonitor",
    "default_settings",
    "resolve_settings",
    "train",
]
