"""The Keras callback that feeds a :class:`~builder.keras_edge.monitor.TrainingMonitor`.

It reads the stop flag after every batch and stops on a NaN or infinite loss.
"""

from __future__ import annotations

import math
import threading
import time
from typing import Any

from .monitor import TrainingMonitor
from .runtime import keras_module


def stream_callback(monitor: TrainingMonitor, stop_event: threading.Event | None) -> Any:
    """The Keras callback feeding ``monitor`` (Keras is imported here, lazily)."""
    keras = keras_module()

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
