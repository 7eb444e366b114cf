"""``kgb train`` records its run (``--model``, by name and by id) in a workspace on a real
PostgreSQL server (``KGB_DATABASE_URL``; tests/postgres.py). Skipped when no server can be
started, unless ``KGB_REQUIRE_POSTGRES=1`` (CI)."""

from __future__ import annotations

import pytest

from builder.cli import main
from builder.core.templates import get_template
from builder.store import Workspace
from tests.cli import test_train_record as sqlite_tests

pytestmark = [pytest.mark.keras, pytest.mark.usefixtures("postgres_workspace")]

test_train_records_on_postgres = sqlite_tests.test_train_records_settings_history_metrics_and_the_keras_file
test_two_models_of_one_name_stop_before_training = sqlite_tests.test_two_models_of_one_name_stop_before_training


def test_train_model_ref_records_under_that_model(postgres_workspace: str, capsys: pytest.CaptureFixture[str]) -> None:
    with Workspace.open() as ws:
        assert ws.engine.dialect.name == "postgresql"
        mine = ws.create_model("my mlp", get_template("mlp").load())
        other = ws.create_model("other", get_template("mlp").load())
    args = ["train", "mlp", "--epochs", "1", "--samples", "32", "--seed", "1"]
    assert main([*args, "--model", "my mlp"]) == 0
    assert "recorded: my mlp@1" in capsys.readouterr().err
    assert main([*args, "--model", other, "--quiet"]) == 0
    with Workspace.open(postgres_workspace) as ws:
        assert [r.version_number for r in ws.list_runs(mine)] == [1]
        assert [r.version_number for r in ws.list_runs(other)] == [1]
        assert ws.get_version(mine, 1).kind == "run" and ws.run_keras(ws.list_runs(other)[0].id)[:2] == b"PK"
        assert {m.name for m in ws.list_models()} == {"my mlp", "other"}  # nothing created for "mlp"
