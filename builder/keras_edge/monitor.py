"""The live training history: a thread-safe monitor a UI or the CLI reads while Keras trains.

:class:`TrainingMonitor` receives the per-batch and per-epoch logs (from
:mod:`builder.keras_edge.callback`); its :meth:`history <TrainingMonitor.history>` is a
thread-safe pandas snapshot with the columns Keras names (``loss``, ``main_output_loss``,
``aux_output_loss``, metrics, and ``val_`` columns with validation). It needs neither Keras nor
Streamlit (pandas is imported when a history is read).
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # pragma: no cover
    import pandas as pd

MAX_BATCH_ROWS = 200_000  # per-batch progress rows kept by a monitor


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
        return pd.DataFrame(rows, columns=order_columns(rows, self.output_names))

    def batches(self) -> pd.DataFrame:
        """One row per finished batch: ``epoch``, ``batch``, ``step`` and the running averages."""
        import pandas as pd

        with self._lock:
            rows = [dict(r) for r in self._batches]
        cols = ["epoch", "batch", "step"] + [
            c for c in order_columns(rows, self.output_names) if c not in ("epoch", "batch", "step")
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


def order_columns(rows: Sequence[Mapping[str, Any]], heads: Sequence[str] = ()) -> list[str]:
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
