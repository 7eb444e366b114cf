"""``kgb train`` records its run in the workspace (and ``--no-record`` does not)."""

from __future__ import annotations

import pytest

from builder.cli import main
from builder.store import Workspace

pytestmark = pytest.mark.keras


def test_train_records_settings_history_metrics_and_the_keras_file(capsys: pytest.CaptureFixture[str]) -> None:
    assert (
        main(["train", "mlp", "--epochs", "1", "--samples", "32", "--seed", "1", "--loss-weight", "dense_2=0.5"]) == 0
    )
    err = capsys.readouterr().err
    assert "recorded: mlp@1" in err
    with Workspace.open() as ws:
        [info] = ws.list_models()
        assert info.name == "mlp"  # created for the template, named after it
        [run] = ws.list_runs(info.id)
        assert run.status == "completed" and run.version_number == 1
        assert run.settings["epochs"] == 1 and run.loss_weights == {"dense_2": 0.5}
        assert set(run.losses) == {"dense_2"}
        assert run.history["epoch"] == [1] and len(run.history["loss"]) == 1
        assert run.metrics["loss"] == run.history["loss"][-1]
        assert run.duration > 0
        data = ws.run_keras(run.id)
        assert data[:2] == b"PK"  # a .keras file is a zip archive
        assert ws.get_version(info.id, 1).kind == "run"
    # the same model is found again by name; --no-record adds nothing
    assert main(["train", "mlp", "--epochs", "1", "--samples", "32", "--quiet"]) == 0
    assert main(["train", "mlp", "--epochs", "1", "--samples", "32", "--quiet", "--no-record"]) == 0
    with Workspace.open() as ws:
        [info] = ws.list_models()
        assert len(ws.list_runs(info.id)) == 2 and ws.count_versions(info.id) == 2


def test_two_models_of_one_name_stop_before_training(capsys: pytest.CaptureFixture[str]) -> None:
    from builder.core.templates import get_template

    with Workspace.open() as ws:
        ws.create_model("mlp", get_template("mlp").load())
        ws.create_model("mlp", get_template("mlp").load())
    assert main(["train", "mlp", "--epochs", "1", "--samples", "32"]) == 2
    err = capsys.readouterr().err
    assert "2 models are named 'mlp'" in err and "--no-record" in err
