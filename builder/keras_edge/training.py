"""Training a graph: per-head losses and loss weights, a live history, a stop flag.

:func:`train` resolves and checks the settings (:mod:`builder.core.training_settings`) and the
data (:mod:`builder.keras_edge.data`) before importing TensorFlow, builds and compiles the model
(:func:`builder.keras_edge.build.compile_for_training`), and fits it. A
:class:`~builder.keras_edge.monitor.TrainingMonitor` receives the per-batch and per-epoch logs
through :func:`~builder.keras_edge.callback.stream_callback`. A ``threading.Event`` stops training
at the end of the current batch; a NaN or infinite loss stops it (the monitor's check, and Keras'
``TerminateOnNaN``) and raises :class:`~builder.errors.TrainingError` with a message saying where.

A UI runs :func:`train` in a background thread (:class:`BackgroundTraining`) with its own monitor
and polls ``monitor.snapshot()``.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..core.graph import Graph
from ..core.training_settings import prepare_settings
from ..core.validate import validate
from ..errors import CompileError, SettingsError, TrainingError
from .build import compile_for_training
from .callback import stream_callback
from .data import Dataset, load_data
from .monitor import TrainingMonitor
from .runtime import keras_module, tensorflow_module

if TYPE_CHECKING:  # pragma: no cover
    import pandas as pd

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
    tf = tensorflow_module()

    if strategy == "auto":
        gpus = tf.config.list_logical_devices("GPU")
        return tf.distribute.MirroredStrategy() if len(gpus) > 1 else tf.distribute.get_strategy()
    if strategy == "mirrored":
        return tf.distribute.MirroredStrategy()
    if strategy == "default":
        return tf.distribute.get_strategy()
    raise SettingsError(f"Unknown strategy {strategy!r}; use auto, mirrored or default.")


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
    columns by ``mapping``), a :class:`~builder.keras_edge.data.Dataset` or a dict of arrays by input and
    output name. ``settings`` override ``graph.training`` (merged by :func:`resolve_settings`).
    ``seed`` also seeds the weight initialisation. ``log_dir`` writes TensorBoard logs (per epoch).

    Raises :class:`SettingsError` / :class:`~builder.errors.DataError` before TensorFlow is
    imported, :class:`~builder.errors.CompileError` for graph errors, and :class:`TrainingError`
    when training fails (a NaN loss: the partial history is in ``exc.result``). A set
    ``stop_event`` stops at the end of the current batch and returns normally (``stopped``)."""
    t0 = time.perf_counter()
    monitor = monitor or TrainingMonitor()
    monitor._reset()
    try:
        prepared = prepare_settings(graph, settings)
        prepared.raise_for_errors()
        resolved = dict(prepared.values)
        trained = graph.set_training(resolved)
        report = validate(graph.set_training(None))
        if not report.ok:
            raise CompileError(report.errors)
        dataset = load_data(data, trained, resolved, samples=samples, seed=0 if seed is None else seed, mapping=mapping)
        prepared.check_samples(dataset.n)
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

    monitor._stage("importing TensorFlow")
    keras = keras_module()
    monitor._stage("building and compiling")
    if seed is not None:
        keras.utils.set_random_seed(seed)
    strat = make_strategy(strategy)
    try:
        if strat is not None:
            with strat.scope():
                model = compile_for_training(trained)
        else:
            model = compile_for_training(trained)
    except CompileError as exc:
        monitor._set("failed", str(exc))
        raise

    monitor.output_names = tuple(trained.output_names())
    cbs: list[Any] = [stream_callback(monitor, stop_event), keras.callbacks.TerminateOnNaN()]
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
    epochs = prepared.epochs
    result = TrainResult(model, monitor.history(), resolved, dataset, notes=list(dataset.notes))
    t_fit = time.perf_counter()
    try:
        model.fit(
            dataset.fit_x(),
            dataset.fit_y(),
            epochs=epochs,
            batch_size=prepared.batch_size,
            validation_split=prepared.validation_split,
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
