"""The Train tab through AppTest: heads and their defaults, edits stored in ``graph.training``
(undoable, seen by the code export), data problems shown before training, a short synthetic
training run in the background thread, and the panel drawn without importing TensorFlow."""

from __future__ import annotations

import os
import re
from pathlib import Path

import numpy as np
import pytest
from streamlit.testing.v1 import AppTest

from builder.core.graph import Graph
from builder.core.templates import list_templates
from tests.conftest import heavy_modules_imported
from ui import training as T
from ui.document import Document

ROOT = Path(__file__).resolve().parents[2]
APP = str(ROOT / "app.py")


@pytest.fixture(autouse=True)
def _state_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    d = tmp_path / "state"
    monkeypatch.setenv("KGB_STATE_DIR", str(d))
    return d


def train_tab(template: str) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=60)
    at.query_params["template"] = template
    at.run()
    at.session_state["kgb_tab"] = "Train"
    at.run()
    assert not at.exception, at.exception
    return at


def doc_of(at: AppTest) -> Document:
    return at.session_state["kgb_doc"]


def keras_download(at: AppTest):
    (button,) = [b.proto for b in at.get("download_button") if b.proto.label == "Trained model (.keras)"]
    return button


def errors(at: AppTest) -> str:
    """The error messages as the page shows them (markdown escapes removed)."""
    return re.sub(r"\\(.)", r"\1", "\n".join(e.value for e in at.error))


def test_heads_and_their_defaults_appear() -> None:
    at = train_tab("news")
    assert at.selectbox(key=f"train_loss:0:{doc_of(at).rev}").label == "Loss of main_output"
    rev = doc_of(at).rev
    losses = [at.selectbox(key=f"train_loss:{i}:{rev}").value for i in range(2)]
    weights = [at.number_input(key=f"train_weight:{i}:{rev}").value for i in range(2)]
    metrics = [at.multiselect(key=f"train_metrics:{i}:{rev}").value for i in range(2)]
    assert losses == ["binary_crossentropy", "binary_crossentropy"]
    assert weights == [1.0, 0.2]  # the template's own weights
    assert metrics == [["accuracy"], ["accuracy"]]
    assert at.selectbox(key=f"train_optimizer:{rev}").value == "rmsprop"
    assert at.radio(key=T.DATA_KEY).value == "synthetic"
    assert not at.button(key="train_start").disabled

    # A template without training settings: defaults from each head's activation (softmax, linear).
    at = train_tab("mlp")
    g = doc_of(at).graph
    assert g.training is None
    rev = doc_of(at).rev
    names = g.output_names()
    got = [at.selectbox(key=f"train_loss:{i}:{rev}").value for i in range(len(names))]
    from builder.core.training_settings import default_settings

    expected = default_settings(g)["loss"]
    canon = {"mse": "mean_squared_error"}
    assert got == [canon.get(expected[n], expected[n]) for n in names]
    assert doc_of(at).graph.training is None  # showing the panel stores nothing


def test_edits_are_stored_in_the_graph_undoable_and_exported() -> None:
    at = train_tab("news")
    doc = doc_of(at)
    at.number_input(key=f"train_weight:1:{doc.rev}").set_value(0.5).run()
    assert not at.exception, at.exception
    assert doc.graph.training["loss_weights"] == {"main_output": 1.0, "aux_output": 0.5}
    assert doc.past[-1][1] == "set aux_output loss weights"
    at.selectbox(key=f"train_loss:0:{doc.rev}").set_value("huber").run()
    at.number_input(key=f"train_epochs:{doc.rev}").set_value(3).run()
    at.selectbox(key=f"train_optimizer:{doc.rev}").set_value("adam").run()
    at.checkbox(key=f"train_es:{doc.rev}").check().run()
    assert not at.exception, at.exception
    t = doc.graph.training
    assert t["loss"] == {"main_output": "huber", "aux_output": "binary_crossentropy"}
    assert t["epochs"] == 3 and t["optimizer"] == "adam" and t["learning_rate"] == 0.001
    assert t["early_stopping"] == {"patience": 3}
    # the code export writes the new settings
    from builder.codegen import to_python

    source = to_python(doc.graph)
    assert "'huber'" in source or '"huber"' in source
    assert "0.5" in source
    # undo four times: back to weight 0.5 and the template's loss; the widgets follow
    for _ in range(4):
        at.button(key="undo").click().run()
    assert doc.graph.training["loss_weights"]["aux_output"] == 0.5
    assert doc.graph.training["loss"]["main_output"] == "binary_crossentropy"
    assert at.selectbox(key=f"train_loss:0:{doc.rev}").value == "binary_crossentropy"
    assert at.number_input(key=f"train_weight:1:{doc.rev}").value == 0.5


def test_a_graph_with_errors_cannot_train_and_links_to_issues() -> None:
    at = train_tab("news")
    doc = doc_of(at)
    g = doc.graph
    broken = g.update_config("main_output", units=0)  # Dense(units=0): a validator error
    doc.apply(broken, "break it")
    at.run()
    assert not doc.report.ok
    assert "cannot train while the graph has" in errors(at)
    assert at.button(key="train_start").disabled
    at.button(key="train_issues").click().run()
    assert at.session_state["kgb_tab"] == "Issues"


def test_bad_csv_and_npz_are_refused_before_training() -> None:
    at = train_tab("news")
    doc = doc_of(at)
    before = doc.graph
    at.radio(key=T.DATA_KEY).set_value("csv").run()
    header = ",".join([f"main_input_{i}" for i in range(100)] + [f"aux_input_{i}" for i in range(5)])
    row = ",".join(["1"] * 100 + ["0.5", "x", "0.1", "0.2", "0.3"]) + ",1,0"
    csv = f"{header},main_output,aux_output\n{row}\n".encode()
    at.file_uploader(key="train_csv").set_value(("bad.csv", csv, "text/csv")).run()
    at.button(key="train_start").click().run()
    assert not at.exception, at.exception
    assert "column 'aux_input_1' (for 'aux_input') is not numeric" in errors(at)
    assert T.RUN not in at.session_state
    # missing columns
    at.file_uploader(key="train_csv").set_value(("few.csv", b"a,b\n1,2\n", "text/csv")).run()
    at.button(key="train_start").click().run()
    assert "no columns for 'main_input'" in errors(at)
    # an NPZ whose shapes do not fit
    buf = __import__("io").BytesIO()
    np.savez(
        buf,
        main_input=np.zeros((4, 99), np.int32),
        aux_input=np.zeros((4, 5), np.float32),
        main_output=np.zeros((4, 1), np.float32),
        aux_output=np.zeros((4, 1), np.float32),
    )
    at.radio(key=T.DATA_KEY).set_value("npz").run()
    at.file_uploader(key="train_npz").set_value(("bad.npz", buf.getvalue(), "application/octet-stream")).run()
    at.button(key="train_start").click().run()
    assert "expected shape (None, 100), received (4, 99)" in errors(at)
    assert doc.graph is before and T.RUN not in at.session_state  # nothing lost, nothing started


@pytest.mark.keras
def test_a_short_synthetic_run_completes_with_a_loss_per_head() -> None:
    at = train_tab("news")
    doc = doc_of(at)
    at.number_input(key=f"train_epochs:{doc.rev}").set_value(1).run()
    at.number_input(key="train_samples").set_value(32).run()
    at.selectbox(key=T.STRATEGY_KEY).set_value("default").run()
    at.checkbox(key=T.TENSORBOARD_KEY).check().run()
    at.button(key="train_start").click().run()
    assert not at.exception, at.exception
    run: T.TrainingRun = at.session_state[T.RUN]
    assert run.job.join(timeout=240), "training did not finish"
    log_dir = at.session_state[T.LOG_DIR]
    assert log_dir and any(files for _, _, files in os.walk(log_dir)), "no TensorBoard logs written"
    assert run.job.error is None, run.job.error
    at.run()
    assert not at.exception, at.exception
    hist = run.job.result.history
    assert len(hist) == 1
    assert {"loss", "main_output_loss", "aux_output_loss"} <= set(hist.columns)
    # total = weighted sum of the head losses (weights 1 and 0.2; no regularisation)
    row = hist.iloc[0]
    assert row["loss"] == pytest.approx(row["main_output_loss"] + 0.2 * row["aux_output_loss"], rel=1e-3)
    shown = at.dataframe[0].value
    assert list(shown["loss"]) == list(hist["loss"])
    assert any(re.search(r"Trained 1 epoch(?!s)", s.value) for s in at.success)
    # a chart per head plus the total
    specs = [c.proto.spec for c in at.get("vega_lite_chart")]
    assert len(specs) == 3
    for spec, title in zip(specs, ("main_output loss", "aux_output loss", "total weighted loss")):
        assert f'"{title}"' in spec
    assert not at.button(key="train_start").disabled
    # the trained model is offered as .keras (saved only when downloaded); an edit is flagged
    assert not keras_download(at).disabled
    assert not any("graph has changed" in c.value for c in at.caption)
    at.number_input(key=f"train_weight:1:{doc.rev}").set_value(0.7).run()
    assert any("graph has changed since this run" in c.value for c in at.caption)


@pytest.mark.keras
def test_stop_button_ends_a_long_run_early() -> None:
    at = train_tab("mlp")
    doc = doc_of(at)
    at.number_input(key=f"train_epochs:{doc.rev}").set_value(10_000).run()
    at.number_input(key="train_samples").set_value(16).run()
    at.button(key="train_start").click().run()
    run: T.TrainingRun = at.session_state[T.RUN]
    assert at.button(key="train_start").disabled  # one run at a time
    at.button(key="train_stop").click().run()
    assert run.job.join(timeout=240), "training did not stop"
    at.run()
    assert not at.exception, at.exception
    assert run.job.error is None and run.job.result.stopped
    assert len(run.job.result.history) < 10_000
    assert any("Stopped after" in w.value for w in at.warning)
    at.button(key="train_clear").click().run()
    assert T.RUN not in at.session_state


class _FinishedJob:
    """A finished BackgroundTraining stand-in (no Keras): a NaN loss stopped it."""

    def __init__(self) -> None:
        from builder.errors import TrainingError
        from builder.keras_edge.monitor import TrainingMonitor

        self.monitor = TrainingMonitor()
        self.monitor._set("failed", "nan")
        self.error = TrainingError("The loss became NaN at epoch 1, batch 3; training stopped.", None)
        self.result = None
        self.running = False
        self.stop_event = __import__("threading").Event()


def test_a_nan_stop_is_shown_as_a_message() -> None:
    at = train_tab("news")
    at.session_state[T.RUN] = T.TrainingRun(graph=doc_of(at).graph, job=_FinishedJob(), source="synthetic")
    at.run()
    assert not at.exception, at.exception
    assert "The loss became NaN at epoch 1, batch 3" in errors(at)
    assert keras_download(at).disabled  # no model to save
    assert not at.button(key="train_start").disabled  # can train again


def test_curve_frames_without_keras() -> None:
    import pandas as pd

    hist = pd.DataFrame({"epoch": [1, 2], "loss": [1.0, 0.5], "a_loss": [0.7, 0.3], "val_a_loss": [0.8, 0.4]})
    batches = pd.DataFrame({"epoch": [1, 1, 2, 2], "batch": [1, 2, 1, 2], "a_loss": [0.9, 0.7, 0.4, 0.3]})
    f = T.curve_frame(hist, batches, "a_loss", steps=2)
    assert set(f["curve"]) == {"train", "train (epoch)", "validation"}
    assert list(f[f.curve == "train"]["epoch"]) == [0.5, 1.0, 1.5, 2.0]
    assert list(f[f.curve == "validation"]["loss"]) == [0.8, 0.4]
    g = Graph()
    assert T.current_settings(g)["loss"] == {}


def test_the_train_tab_does_not_import_tensorflow(tmp_path: Path) -> None:
    code = (
        "from streamlit.testing.v1 import AppTest\n"
        f"at = AppTest.from_file({APP!r}, default_timeout=60)\n"
        "at.query_params['template'] = 'news'\n"
        "at.run()\n"
        "at.session_state['kgb_tab'] = 'Train'\n"
        "at.run()\n"
        "assert not at.exception, at.exception\n"
        "assert at.button(key='train_start')\n"
    )
    assert heavy_modules_imported(code, env={"KGB_STATE_DIR": str(tmp_path)}) == []


@pytest.mark.keras
@pytest.mark.parametrize("name", [t.name for t in list_templates()])
def test_every_template_trains_from_the_panel(name: str) -> None:
    at = train_tab(name)
    doc = doc_of(at)
    at.number_input(key=f"train_epochs:{doc.rev}").set_value(1).run()
    at.number_input(key="train_samples").set_value(16).run()
    at.button(key="train_start").click().run()
    assert not at.exception, at.exception
    run: T.TrainingRun = at.session_state[T.RUN]
    assert run.job.join(timeout=240), "training did not finish"
    assert run.job.error is None, run.job.error
    hist = run.job.result.history
    assert len(hist) == 1 and np.isfinite(hist["loss"]).all()
    at.run()
    assert not at.exception, at.exception
    assert len(at.get("vega_lite_chart")) == len(doc.graph.outputs) + (1 if len(doc.graph.outputs) > 1 else 0)


def test_loss_charts_are_drawn_at_a_readable_height_with_a_legend_of_the_curves_shown() -> None:
    """Issue 15: the loss charts were ~30 px tall; their legend listed "validation" with no
    validation split. (Fixed on main before this test; it keeps the spec honest.)"""
    import pandas as pd

    hist = pd.DataFrame({"epoch": [1, 2], "loss": [1.0, 0.5]})
    batches = pd.DataFrame({"epoch": [1, 1, 2, 2], "batch": [1, 2, 1, 2], "loss": [0.9, 0.7, 0.4, 0.3]})
    spec = T._chart("model loss", T.curve_frame(hist, batches, "loss", steps=2)).to_dict()
    assert spec["height"] >= 200
    assert spec["encoding"]["color"]["scale"]["domain"] == ["train", "train (epoch)"]
