"""The app's workspace on a real PostgreSQL server (``KGB_DATABASE_URL``, tests/postgres.py):
the Models page, the editor saving every edit with its undo history, a refresh bringing it back,
two tabs, the diff table. The same AppTest flows as tests/ui/test_models_page.py and
tests/ui/test_app.py, which run them on the default SQLite workspace.

Skipped when no PostgreSQL server can be started, unless ``KGB_REQUIRE_POSTGRES=1`` (CI)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.ui import test_app as app_tests
from tests.ui import test_models_page as page_tests
from ui.workspace import workspace

pytestmark = pytest.mark.usefixtures("postgres_workspace")


@pytest.fixture(autouse=True)
def _on_postgres(postgres_workspace: str) -> Iterator[None]:
    yield
    ws = workspace()  # the one the app used: the configured URL's
    assert ws.engine.dialect.name == "postgresql"
    assert ws.engine.url.database == postgres_workspace.rsplit("/", 1)[1]


@pytest.fixture
def _state_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    d = tmp_path / "state"
    monkeypatch.setenv("KGB_STATE_DIR", str(d))
    return d


test_models_page_lists_and_searches = page_tests.test_lists_models_with_picture_params_and_io_and_searches
test_models_page_rename_duplicate_delete_and_undo_delete = page_tests.test_rename_duplicate_delete_and_undo_delete
test_models_page_version_and_diff_table = page_tests.test_named_version_and_diff_against_a_template_in_a_table
test_editor_saves_every_edit_with_history = (
    page_tests.test_open_from_the_models_page_and_every_edit_is_saved_with_history
)
test_two_tabs_never_overwrite_each_other = page_tests.test_two_tabs_never_overwrite_each_other
test_runs_view = page_tests.test_runs_view_compares_heads_and_reopens_the_trained_version
test_share_link = page_tests.test_a_share_link_is_read_only_and_copies_into_the_workspace
test_undo_history_survives_a_refresh = app_tests.test_undo_redo_keep_fifty_steps_and_the_graph_survives_a_refresh


@pytest.mark.keras
def test_the_train_panel_records_its_run_on_postgres() -> None:
    page_tests.test_the_train_panel_records_its_run_once_with_a_version()
