"""Issue 15, point 2: the Train panel starts at once. No timings are asserted here (the
app-vs-CLI time to the first batch is measured by benchmarks/bench_train_start.py); these check
the causes and what the user sees: no forced full garbage collection after each rerun, the
stages with their timers, curves in their own slower fragment, legends only for curves that
exist."""

from __future__ import annotations

import tomllib
from pathlib import Path

import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from ui import training as T

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(autouse=True)
def _state_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    d = tmp_path / "state"
    monkeypatch.setenv("KGB_STATE_DIR", str(d))
    return d


def test_no_full_garbage_collection_after_each_rerun() -> None:
    """Streamlit's gc.collect(2) after every run (the progress fragment runs twice a second)
    walks TensorFlow's ~300,000 objects with the GIL held and starved the training thread."""
    config = tomllib.loads((ROOT / ".streamlit" / "config.toml").read_text(encoding="utf-8"))
    assert config["runner"]["postScriptGC"] is False


def test_stages_are_listed_with_their_times() -> None:
    stages = [("preparing data", 10.0), ("importing TensorFlow", 10.5), ("building and compiling", 16.0)]
    text = T.stages_text(stages, 17.25, running=True)
    assert text == (
        ":material/check: preparing data 0.5 s · :material/check: importing TensorFlow 5.5 s · "
        ":material/progress_activity: building and compiling 1.2 s"
    )
    done = T.stages_text(stages, 17.25, running=False)
    assert done.count(":material/check:") == 3


def test_a_legend_lists_only_the_curves_that_exist() -> None:
    hist = pd.DataFrame({"epoch": [1, 2], "loss": [1.0, 0.5]})
    batches = pd.DataFrame({"epoch": [1, 1, 2, 2], "batch": [1, 2, 1, 2], "loss": [0.9, 0.7, 0.4, 0.3]})
    spec = T._chart("loss", T.curve_frame(hist, batches, "loss", steps=2)).to_dict()
    assert spec["encoding"]["color"]["scale"]["domain"] == ["train", "train (epoch)"]
    assert spec["height"] >= 200
    hist["val_loss"] = [1.1, 0.6]
    spec = T._chart("loss", T.curve_frame(hist, batches, "loss", steps=2)).to_dict()
    assert spec["encoding"]["color"]["scale"]["domain"] == ["train", "train (epoch)", "validation"]


class _RunningJob:
    """A BackgroundTraining stand-in (no Keras) that is importing TensorFlow."""

    def __init__(self) -> None:
        import threading

        from builder.keras_edge.monitor import TrainingMonitor

        self.monitor = TrainingMonitor()
        self.monitor._reset()
        self.monitor._stage("importing TensorFlow")
        self.error = None
        self.result = None
        self.running = True
        self.stop_event = threading.Event()

    def stop(self) -> None:
        self.stop_event.set()


def test_a_running_job_shows_its_stage_and_no_empty_charts() -> None:
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    at.query_params["template"] = "news"
    at.run()
    at.session_state["kgb_tab"] = "Train"
    doc = at.session_state["kgb_doc"]
    at.session_state[T.RUN] = T.TrainingRun(graph=doc.graph, job=_RunningJob(), source="synthetic")
    at.run()
    assert not at.exception, at.exception
    captions = " ".join(c.value for c in at.caption)
    assert ":material/progress_activity: importing TensorFlow" in captions
    assert ":material/check: preparing data" in captions
    assert "waiting for the first batch" not in captions  # three empty charts said only that
    assert not at.get("vega_lite_chart")
    assert at.button(key="train_stop")


@pytest.mark.keras
def test_the_monitor_records_every_stage_of_a_run() -> None:
    from builder.core.templates import get_template
    from builder.keras_edge.monitor import TrainingMonitor
    from builder.keras_edge.training import train

    monitor = TrainingMonitor()
    train(get_template("mlp").load(), "synthetic", {"epochs": 1}, monitor=monitor, samples=16, seed=0)
    names = [name for name, _ in monitor.stages()]
    assert names == ["preparing data", "importing TensorFlow", "building and compiling", "first batch", "training"]
    times = [t for _, t in monitor.stages()]
    assert times == sorted(times)
