"""Training with Keras: every template trains, loss weights act, NaN and the stop flag, the CLI."""

from __future__ import annotations

import importlib.util
import math
import subprocess
import sys
import threading
import time
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from builder.cli import main
from builder.core import settings as settings_mod
from builder.core.graph import Graph
from builder.core.templates import get_template, list_templates
from builder.core.training_settings import DEFAULT_LEARNING_RATES, head_columns, resolve_settings
from builder.errors import DataError, SettingsError, TrainingError
from builder.keras_edge.data import synthetic_data
from builder.keras_edge.monitor import TrainingMonitor
from builder.keras_edge.training import BackgroundTraining, train

pytestmark = pytest.mark.keras

ROOT = Path(__file__).resolve().parents[2]
TEMPLATES = [t.name for t in list_templates()]


def two_heads(hidden: int = 8) -> Graph:
    """Input(4) -> Dense -> reg (linear) and flag (sigmoid); no dropout, no regularisers."""
    g, x = Graph(name="two_heads").add("Input", {"shape": [4]}, name="x")
    g, h = g.add("Dense", {"units": hidden, "activation": "tanh"}, inputs=[x], name="hidden")
    g, reg = g.add("Dense", {"units": 1}, inputs=[h], name="reg")
    g, flag = g.add("Dense", {"units": 1, "activation": "sigmoid"}, inputs=[h], name="flag")
    return g.set_outputs([reg, flag])


def weighted_sum(row: pd.Series | dict, weights: dict[str, float], prefix: str = "") -> float:
    return sum(w * row[f"{prefix}{head}_loss"] for head, w in weights.items())


# --------------------------------------------------------------------------- every template


@pytest.mark.parametrize("name", TEMPLATES)
def test_every_template_trains_one_epoch_on_synthetic_data(name):
    graph = get_template(name).load()
    result = train(graph, "synthetic", {"epochs": 1, "batch_size": 4}, samples=4, seed=0)
    model, history = result  # unpacks as (model, history)
    heads = graph.output_names()
    assert list(model.output_names) == heads
    assert len(history) == 1 and history["epoch"].tolist() == [1]
    cols = head_columns(list(history.columns), heads)
    assert set(cols) == set(heads), history.columns  # a loss column per head, as Keras names it
    assert all(math.isfinite(history.loc[0, c]) for c in ["loss", *cols.values()])
    if len(heads) > 1:  # the total is the weighted sum of the head losses
        weights = result.settings["loss_weights"]
        assert history.loc[0, "loss"] == pytest.approx(weighted_sum(history.loc[0], weights), rel=1e-4)
    assert result.settings["loss"] == resolve_settings(graph)["loss"]


# --------------------------------------------------------------------------- loss weights


def test_the_total_loss_is_the_weighted_sum_of_the_head_losses():
    """Holds for every epoch when all batches have the same size: Keras 3.15 averages the total
    loss over samples but each head's loss over batches, so a smaller last batch breaks it."""
    from builder.core.compile_spec import compile_spec
    from builder.keras_edge.build import compile_kwargs

    batch_size = 8  # four batches of 8 per epoch
    graph = two_heads()
    data = synthetic_data(graph, 32, seed=3)
    weights = {"reg": 1.0, "flag": 0.2}
    result = train(graph, data, {"loss_weights": weights, "epochs": 3, "batch_size": batch_size}, seed=1)
    history = result.history
    assert list(history.columns[:4]) == ["epoch", "loss", "reg_loss", "flag_loss"]
    for _, row in history.iterrows():
        assert row["loss"] == pytest.approx(weighted_sum(row, weights), rel=1e-5)
    # the same model evaluated on the same data: the same identity
    ev = result.model.evaluate(data.fit_x(), data.fit_y(), batch_size=batch_size, verbose=0, return_dict=True)
    assert ev["loss"] == pytest.approx(weighted_sum(ev, weights), rel=1e-5)

    # change one weight: the head losses stay, the total follows the new weights
    new = {"reg": 1.0, "flag": 5.0}
    regraph = graph.set_training(resolve_settings(graph, {"loss_weights": new}))
    result.model.compile(**compile_kwargs(compile_spec(regraph)))
    ev2 = result.model.evaluate(data.fit_x(), data.fit_y(), batch_size=batch_size, verbose=0, return_dict=True)
    assert ev2["flag_loss"] == pytest.approx(ev["flag_loss"], rel=1e-5)
    assert ev2["reg_loss"] == pytest.approx(ev["reg_loss"], rel=1e-5)
    assert ev2["loss"] == pytest.approx(weighted_sum(ev2, new), rel=1e-5)
    assert ev2["loss"] - ev["loss"] == pytest.approx(4.8 * ev["flag_loss"], rel=1e-4)


def test_training_with_other_weights_reports_the_new_weighted_sum():
    graph = two_heads()
    data = synthetic_data(graph, 16, seed=3)
    runs = {}
    for w in (0.0, 10.0):
        weights = {"reg": 1.0, "flag": w}
        h = train(graph, data, {"loss_weights": weights, "epochs": 2, "batch_size": 16}, seed=7).history
        for _, row in h.iterrows():
            assert row["loss"] == pytest.approx(weighted_sum(row, weights), rel=1e-5)
        runs[w] = h
    # same seed, same data: the first batch sees the same head losses, weighted differently
    first0, first10 = runs[0.0].loc[0], runs[10.0].loc[0]
    assert first0["flag_loss"] == pytest.approx(first10["flag_loss"], rel=1e-5)
    assert first10["loss"] == pytest.approx(first0["loss"] + 10 * first10["flag_loss"], rel=1e-5)


# --------------------------------------------------------------------------- NaN, stop, early stopping


def overflow_data(graph: Graph, n: int = 8) -> dict[str, np.ndarray]:
    """Finite data whose squared error overflows float32 (the loss becomes inf, then NaN)."""
    return {"x": np.full((n, 4), 1e30), "reg": np.full((n, 1), -1e30), "flag": np.ones((n, 1))}


def test_a_nan_or_infinite_loss_stops_training_with_a_message():
    graph = two_heads()
    monitor = TrainingMonitor()
    with pytest.raises(TrainingError) as err:
        train(graph, overflow_data(graph), {"epochs": 5, "batch_size": 4}, monitor=monitor)
    msg = str(err.value)
    assert ("NaN" in msg or "infinite" in msg) and "epoch 1, batch 1" in msg and "learning rate" in msg
    result = err.value.result
    assert result is not None and len(result.history) == 1  # stopped in the first epoch
    assert int(result.model.optimizer.iterations.numpy()) == 1  # after the first batch
    assert monitor.snapshot().status == "failed" and monitor.message == msg


def test_data_problems_are_reported_before_keras_runs():
    graph = two_heads()
    data = overflow_data(graph)
    data["x"] = data["x"][:, :3]
    with pytest.raises(DataError, match="expected shape"):
        train(graph, data)
    with pytest.raises(SettingsError, match="Unknown loss"):
        train(graph, "synthetic", {"loss": {"reg": "nope"}})
    with pytest.raises(DataError, match="validation"):
        train(graph, "synthetic", {"validation_split": 0.5}, samples=1)
    with pytest.raises(SettingsError, match="validation_split"):
        train(graph, "synthetic", {"early_stopping": {"monitor": "val_loss"}}, samples=8)


def test_the_stop_flag_stops_at_the_end_of_the_current_batch():
    import keras

    graph = two_heads()
    stop = threading.Event()

    class SetFlagDuringBatch4(keras.callbacks.Callback):
        def on_train_batch_begin(self, batch, logs=None):
            if batch == 3:
                stop.set()

    monitor = TrainingMonitor()
    result = train(
        graph,
        "synthetic",
        {"epochs": 3, "batch_size": 4},
        samples=64,
        stop_event=stop,
        monitor=monitor,
        callbacks=[SetFlagDuringBatch4()],
    )
    assert result.stopped and not result.early_stopped
    assert int(result.model.optimizer.iterations.numpy()) == 4
    assert len(monitor.batches()) == 4 and monitor.batches()["batch"].tolist() == [1, 2, 3, 4]
    assert monitor.snapshot().status == "stopped"


def test_training_in_a_background_thread_can_be_polled_and_stopped():
    run = BackgroundTraining(two_heads(), "synthetic", {"epochs": 10_000, "batch_size": 8}, samples=64).start()
    deadline = time.monotonic() + 120
    snap = run.monitor.snapshot()
    while len(snap.history) < 2 and run.running and time.monotonic() < deadline:
        time.sleep(0.05)
        snap = run.monitor.snapshot()
    assert snap.status == "running" and len(snap.history) >= 2 and 0 < snap.progress < 1
    assert snap.steps == 8 and snap.epochs == 10_000
    assert list(snap.history.columns[:4]) == ["epoch", "loss", "reg_loss", "flag_loss"]
    run.stop()
    assert run.join(120) and run.error is None, run.error
    assert run.result is not None and run.result.stopped and len(run.result.history) < 10_000
    assert run.monitor.snapshot().status == "stopped"
    # errors in the thread are kept for the UI, not lost
    bad = BackgroundTraining(two_heads(), "synthetic", {"loss": {"reg": "nope"}}).start()
    assert bad.join(60) and isinstance(bad.error, SettingsError)
    assert bad.monitor.snapshot().status == "failed" and "nope" in bad.monitor.snapshot().message


def test_early_stopping_ends_training_when_the_loss_stalls():
    graph = two_heads()
    settings = {"epochs": 50, "batch_size": 16, "early_stopping": {"patience": 0, "min_delta": 1e9}}
    result = train(graph, "synthetic", settings, samples=16)
    assert result.early_stopped and len(result.history) == 2


def test_validation_columns_and_a_strategy():
    graph = two_heads()
    result = train(
        graph, "synthetic", {"epochs": 1, "batch_size": 8, "validation_split": 0.25}, samples=16, strategy="default"
    )
    cols = list(result.history.columns)
    assert cols[:4] == ["epoch", "loss", "reg_loss", "flag_loss"]
    assert {"val_loss", "val_reg_loss", "val_flag_loss", "flag_accuracy", "val_flag_accuracy"} <= set(cols)
    row = result.history.loc[0]
    assert row["val_loss"] == pytest.approx(weighted_sum(row, {"reg": 1, "flag": 1}, "val_"), rel=1e-5)
    with pytest.raises(SettingsError, match="Unknown strategy"):
        train(graph, "synthetic", {"epochs": 1}, samples=4, strategy="bogus")


def test_mirrored_strategy_trains_on_the_devices_present():
    import tensorflow as tf

    graph = two_heads()
    result = train(graph, "synthetic", {"epochs": 1, "batch_size": 8}, samples=16, strategy="mirrored")
    assert isinstance(result.model.distribute_strategy, tf.distribute.MirroredStrategy)
    assert math.isfinite(result.history.loc[0, "loss"])


def test_the_known_metrics_and_default_learning_rates_match_keras():
    import keras

    for name in settings_mod.METRICS:
        if name != "acc":  # model.compile maps "acc" itself
            keras.metrics.get(name)
    for name, lr in DEFAULT_LEARNING_RATES.items():
        assert float(keras.optimizers.get(name).learning_rate.numpy()) == pytest.approx(lr)


# --------------------------------------------------------------------------- CLI


def test_cli_trains_a_template_and_writes_history_and_model(tmp_path):
    """shared_conv2d: two heads, conved_a and conved_b (12 training rows in batches of 4, 4 for validation)."""
    hist, saved = tmp_path / "h.csv", tmp_path / "m.keras"
    args = ["shared_conv2d", "--samples", "16", "--epochs", "2", "--batch-size", "4", "--validation-split", "0.25"]
    args += ["--loss-weight", "conved_b=0.5", "--loss", "conved_a=mae"]
    args += ["--history", str(hist), "--save", str(saved), "--seed", "0"]
    out = subprocess.run(
        [sys.executable, "-m", "builder", "train", *args], cwd=ROOT, capture_output=True, text=True, timeout=300
    )
    assert out.returncode == 0, out.stderr
    assert "epoch 2:" in out.stdout
    h = pd.read_csv(hist)
    assert len(h) == 2
    assert list(h.columns) == [
        "epoch",
        "loss",
        "conved_a_loss",
        "conved_b_loss",
        "val_loss",
        "val_conved_a_loss",
        "val_conved_b_loss",
    ]
    for prefix in ("", "val_"):
        for _, row in h.iterrows():
            total = row[f"{prefix}conved_a_loss"] + 0.5 * row[f"{prefix}conved_b_loss"]
            assert row[f"{prefix}loss"] == pytest.approx(total, rel=1e-4)

    import keras

    model = keras.saving.load_model(saved)
    assert model.count_params() == 448 and list(model.output_names) == ["conved_a", "conved_b"]


def write_graph(tmp_path: Path, graph: Graph) -> str:
    path = tmp_path / "g.json"
    path.write_text(graph.to_json())
    return str(path)


@pytest.mark.parametrize(
    "extra, fragment",
    [
        (["--loss", "reg=nope"], "Unknown loss 'nope'"),
        (["--loss", "nohead=mse"], "name no output"),
        (["--loss-weight", "reg=heavy"], "not a valid value"),
        (["--loss", "reg"], "HEAD=VALUE"),
        (["--data", "missing.npz"], "no such file"),
        (["--save", "model.h5"], "must end in .keras"),
        (["--epochs", "0"], "`epochs` must be an integer"),
        (["--map", "x"], "NAME=COL1"),
    ],
)
def test_cli_bad_input_exits_2_with_a_message(tmp_path, capsys, extra, fragment):
    code = main(["train", write_graph(tmp_path, two_heads()), "--samples", "4", *extra])
    err = capsys.readouterr().err
    assert code == 2 and fragment in err, err


def test_cli_bad_data_files_exit_2(tmp_path, capsys):
    path = write_graph(tmp_path, two_heads())
    csv = tmp_path / "d.csv"
    csv.write_text("x_0,x_1,x_2,x_3,reg,flag\n1,2,3,oops,0.5,1\n")
    assert main(["train", path, "--data", str(csv)]) == 2
    assert "column 'x_3' (for 'x') is not numeric: row 1 holds 'oops'" in capsys.readouterr().err
    npz = tmp_path / "d.npz"
    np.savez(npz, x=np.zeros((3, 4)), reg=np.zeros((3, 1)))
    assert main(["train", path, "--data", str(npz)]) == 2
    assert "no data for 'flag'" in capsys.readouterr().err


def test_cli_trains_from_csv_and_npz(tmp_path, capsys):
    path = write_graph(tmp_path, two_heads())
    rng = np.random.default_rng(0)
    rows = ["a,b,c,d,target,flag"] + [
        ",".join(f"{v:.3f}" for v in rng.standard_normal(5)) + f",{int(rng.integers(0, 2))}" for _ in range(8)
    ]
    csv = tmp_path / "d.csv"
    csv.write_text("\n".join(rows) + "\n")
    hist = tmp_path / "h.csv"
    args = ["train", path, "--data", str(csv), "--map", "x=a,b,c,d", "--map", "reg=target", "--epochs", "2"]
    assert main([*args, "--history", str(hist), "-q"]) == 0, capsys.readouterr().err
    assert len(pd.read_csv(hist)) == 2
    logs = tmp_path / "tb"
    code = main([*args, "--epochs", "1", "--tensorboard", str(logs), "-q"])
    if importlib.util.find_spec("tensorboard") is None:
        assert code == 2 and "pip install tensorboard" in capsys.readouterr().err
    else:
        assert code == 0 and list(logs.rglob("events.out.tfevents.*"))
    npz = tmp_path / "d.npz"
    synthetic_data(two_heads(), 8).to_npz(npz)
    assert main(["train", path, "--data", str(npz), "--epochs", "1", "-q"]) == 0


def test_cli_nan_loss_and_graph_errors_exit_1(tmp_path, capsys):
    graph = two_heads()
    npz = tmp_path / "big.npz"
    np.savez(npz, **overflow_data(graph))
    hist = tmp_path / "h.csv"
    code = main(["train", write_graph(tmp_path, graph), "--data", str(npz), "--history", str(hist), "-q"])
    err = capsys.readouterr().err
    assert code == 1 and ("NaN" in err or "infinite" in err)
    assert len(pd.read_csv(hist)) == 1  # the history up to the failure is still written

    g, x = Graph().add("Input", {"shape": [4]}, name="x")
    g, lstm = g.add("LSTM", {"units": 2}, inputs=[x])
    bad = tmp_path / "bad.json"
    bad.write_text(g.set_outputs([lstm]).to_json())
    assert main(["train", str(bad), "--samples", "4"]) == 1
    err = capsys.readouterr().err
    assert "rank_mismatch" in err or "errors" in err


@pytest.mark.parametrize("name", [t.name for t in list_templates()])
def test_every_template_trains_through_the_cli(name, tmp_path, capsys):
    hist = tmp_path / "h.csv"
    args = ["train", name, "--samples", "16", "--epochs", "1", "--batch-size", "8", "--history", str(hist), "-q"]
    assert main(args) == 0, capsys.readouterr().err
    h = pd.read_csv(hist)
    outputs = get_template(name).load().output_names()
    assert len(h) == 1 and np.isfinite(h["loss"]).all()
    if len(outputs) > 1:  # Keras names a loss column per head only when there are several
        assert [c for c in h.columns if c.endswith("_loss")] == [f"{o}_loss" for o in outputs]
