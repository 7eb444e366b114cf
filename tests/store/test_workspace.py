"""The workspace store, on SQLite and on a real PostgreSQL server (see conftest.py)."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest
from sqlalchemy import event, insert, select, text, update

from builder import load_graph
from builder.core.graph import Graph
from builder.store import (
    ConflictError,
    CorruptError,
    NotFoundError,
    StoreError,
    UndoHistory,
    Workspace,
    database_url,
)
from builder.store import workspace as workspace_mod
from builder.store.schema import blobs, metadata, models, versions
from tests.helpers import chain

ROOT = Path(__file__).resolve().parents[2]
NEWS = ROOT / "builder" / "templates" / "news.json"


def news() -> Graph:
    return load_graph(NEWS)


class QueryCounter:
    """Counts the SQL statements an engine runs (and keeps them)."""

    def __init__(self, ws: Workspace) -> None:
        self.ws = ws
        self.statements: list[str] = []

    def _hook(self, conn, cursor, statement, parameters, context, executemany) -> None:  # noqa: ANN001
        if not statement.lstrip().upper().startswith(("BEGIN", "COMMIT", "ROLLBACK", "PRAGMA")):
            self.statements.append(statement)

    def __enter__(self) -> QueryCounter:
        event.listen(self.ws.engine, "before_cursor_execute", self._hook)
        return self

    def __exit__(self, *exc: object) -> None:
        event.remove(self.ws.engine, "before_cursor_execute", self._hook)


# --------------------------------------------------------------------------- schema and opening


def test_migrations_build_exactly_the_declared_schema(ws: Workspace) -> None:
    from alembic.autogenerate import compare_metadata
    from alembic.runtime.migration import MigrationContext

    with ws.engine.connect() as conn:
        diffs = compare_metadata(MigrationContext.configure(conn), metadata)
        assert diffs == []
        assert conn.execute(text("SELECT version_num FROM alembic_version")).scalar() == "0002"


def test_reopening_keeps_data_and_does_not_migrate_again(db_url: str) -> None:
    with Workspace.open(db_url) as ws:
        mid = ws.create_model("kept", news())
    with Workspace.open(db_url) as ws:
        assert ws.get_model(mid).graph == news()
        assert [m.name for m in ws.list_models()] == ["kept"]


def test_sqlite_is_in_wal_mode_with_foreign_keys(tmp_path: Path) -> None:
    with Workspace.open(f"sqlite:///{tmp_path / 'w.db'}") as ws, ws.engine.connect() as conn:
        assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1


def test_default_location_is_the_data_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("KGB_DATABASE_URL", raising=False)
    monkeypatch.setenv("KGB_DATA_DIR", str(tmp_path / "data"))
    assert database_url() == f"sqlite:///{tmp_path / 'data' / 'workspace.sqlite3'}"
    monkeypatch.delenv("KGB_DATA_DIR")
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "xdg"))
    assert database_url() == f"sqlite:///{tmp_path / 'xdg' / 'keras-graph-builder' / 'workspace.sqlite3'}"
    monkeypatch.setenv("KGB_DATABASE_URL", "postgresql://u:p@db.example/kgb")
    assert database_url() == "postgresql+psycopg://u:p@db.example/kgb"


def test_an_unreachable_database_is_a_clear_store_error() -> None:
    with pytest.raises(StoreError, match="cannot open the workspace database"):
        Workspace.open("postgresql://nobody@127.0.0.1:1/none")


# --------------------------------------------------------------------------- models page


def test_listing_gives_name_params_inputs_outputs_and_last_edit(ws: Workspace) -> None:
    a = ws.create_model("News", news())
    time.sleep(0.01)
    b = ws.create_model("Tiny", chain(("Dense", {"units": 3})))
    items = ws.list_models()
    assert [m.id for m in items] == [b, a]  # newest edit first
    info = items[1]
    assert (info.name, info.params, info.n_nodes, info.ok) == ("News", 5_200_610, 10, True)
    assert info.inputs == ["main_input", "aux_input"] and info.outputs == ["main_output", "aux_output"]
    assert items[0].params == 8 * 3 + 3
    m = ws.get_model(a)
    ws.save(a, m.graph.update_config("dense", units=32), None, m.revision)
    first = ws.list_models()[0]
    assert first.id == a and first.updated_at > info.updated_at and first.params < 5_200_610


def test_listing_never_validates(ws: Workspace, monkeypatch: pytest.MonkeyPatch) -> None:
    for i in range(5):
        ws.create_model(f"m{i}", news())

    def boom(*a: object, **k: object) -> None:
        raise AssertionError("list_models validated a graph")

    monkeypatch.setattr(workspace_mod, "validate", boom)
    with QueryCounter(ws) as q:
        assert len(ws.list_models()) == 5
    assert len(q.statements) == 1
    assert "models.graph" not in q.statements[0] and "models.history" not in q.statements[0]


def test_search_rename_duplicate_delete_undelete_purge(ws: Workspace) -> None:
    a = ws.create_model("News headline", news())
    b = ws.create_model("100%_tiny", chain(("Dense", {"units": 3})))
    assert [m.id for m in ws.list_models(search="HEADLINE")] == [a]
    assert [m.id for m in ws.list_models(search="%_")] == [b]  # wildcards are literal
    assert ws.list_models(search="_x") == []
    ws.rename(a, "  Renamed   model ")
    assert ws.get_model(a).name == "Renamed model" and ws.get_model(a).revision == 1
    with pytest.raises(StoreError):
        ws.rename(a, "   ")
    c = ws.duplicate(a)
    assert c != a and ws.get_model(c).name == "Renamed model (copy)" and ws.get_model(c).graph == news()
    ws.delete(a)
    assert a not in {m.id for m in ws.list_models()}
    assert [m.id for m in ws.list_models(deleted=True)] == [a]
    assert ws.count_models() == 2 and ws.count_models(deleted=True) == 1
    ws.undelete(a)
    assert a in {m.id for m in ws.list_models()} and ws.list_models(deleted=True) == []
    ws.create_version(c, "v")
    ws.record_run(c, settings={}, history={"loss": [1.0]}, duration=1.0, keras=b"k")
    ws.purge(c)
    with pytest.raises(NotFoundError):
        ws.get_model(c)
    with ws.engine.connect() as conn:
        assert conn.execute(select(blobs.c.id)).all() == []
        assert conn.execute(select(versions.c.id)).all() == []


# --------------------------------------------------------------------------- nothing lost, nobody in the wrong place


def test_two_tabs_never_overwrite_each_other_silently(db_url: str) -> None:
    with Workspace.open(db_url) as server1, Workspace.open(db_url) as server2:
        mid = server1.create_model("shared", news())
        tab_a, tab_b = server1.get_model(mid), server2.get_model(mid)
        graph_a = tab_a.graph.update_config("dense", units=10)
        graph_b = tab_b.graph.update_config("dense", units=20)
        assert server1.save(mid, graph_a, None, tab_a.revision) == tab_a.revision + 1
        with pytest.raises(ConflictError) as err:
            server2.save(mid, graph_b, None, tab_b.revision)
        assert (err.value.expected, err.value.actual) == (1, 2)
        assert "'shared'" in str(err.value) and "changed elsewhere" in str(err.value)
        # nothing of tab B was written; tab B can keep its graph as a version, then reload
        assert server2.get_model(mid).graph == graph_a
        v = server2.create_version(mid, "tab B", graph=graph_b)
        assert server1.get_version(mid, v.number).graph == graph_b
        reloaded = server2.get_model(mid)
        assert server2.save(mid, graph_b, None, reloaded.revision) == 3


_CHILD = textwrap.dedent(
    """
    import os, sys
    from sqlalchemy import event
    from builder import load_graph
    from builder.store import Workspace
    url, mid, mode = sys.argv[1], sys.argv[2], sys.argv[3]
    ws = Workspace.open(url)
    m = ws.get_model(mid)
    if mode == "mid-transaction":
        def die(conn, cursor, statement, *rest):
            if statement.lstrip().upper().startswith("UPDATE MODELS"):
                os._exit(3)  # the UPDATE ran, the COMMIT never comes
        event.listen(ws.engine, "after_cursor_execute", die)
        ws.save(mid, m.graph.update_config("dense", units=7), None, m.revision)
        sys.exit(0)
    rev, graph = m.revision, m.graph
    for i in range(100000):
        graph = graph.update_config("dense", units=1 + i % 500).set_training({"epochs": rev + 1})
        rev = ws.save(mid, graph, None, rev)
        print(rev, flush=True)
    """
)


def _child(db_url: str, mid: str, mode: str) -> subprocess.Popen[str]:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    return subprocess.Popen(
        [sys.executable, "-c", _CHILD, db_url, mid, mode], cwd=ROOT, env=env, stdout=subprocess.PIPE, text=True
    )


def test_a_process_dying_in_the_middle_of_a_save_loses_nothing(db_url: str) -> None:
    with Workspace.open(db_url) as ws:
        mid = ws.create_model("crash", news())
        before = ws.get_model(mid)
    child = _child(db_url, mid, "mid-transaction")
    assert child.wait(timeout=120) == 3
    with Workspace.open(db_url) as ws:
        after = ws.get_model(mid)
        assert after.graph == before.graph and after.revision == before.revision
        assert ws.list_models()[0].params == 5_200_610
        ws.save(mid, after.graph.update_config("dense", units=8), None, after.revision)  # not locked


def test_sigkill_during_a_stream_of_saves_leaves_a_consistent_model(db_url: str) -> None:
    with Workspace.open(db_url) as ws:
        mid = ws.create_model("killed", news().set_training({"epochs": 1}))
    child = _child(db_url, mid, "loop")
    assert child.stdout is not None
    seen = [int(child.stdout.readline()) for _ in range(5)]
    os.kill(child.pid, signal.SIGKILL)
    child.wait(timeout=60)
    child.stdout.close()
    with Workspace.open(db_url) as ws:
        m = ws.get_model(mid)
        assert m.revision >= seen[-1]
        assert m.graph.training == {"epochs": m.revision}  # graph and revision from one transaction
        if ws.engine.dialect.name == "sqlite":
            with ws.engine.connect() as conn:
                assert conn.exec_driver_sql("PRAGMA integrity_check").scalar() == "ok"


def test_a_corrupt_row_names_its_model_and_the_rest_keeps_working(ws: Workspace) -> None:
    good = ws.create_model("Good one", news())
    bad = ws.create_model("Broken one", news())
    hist = ws.create_model("Bad history", news())
    with ws.engine.begin() as conn:
        conn.execute(update(models).where(models.c.id == bad).values(graph='{"format": "keras-graph-builder", "lay'))
        conn.execute(update(models).where(models.c.id == hist).values(history='{"past": [{"graph": 3}]}'))
    with pytest.raises(CorruptError, match=r"model 'Broken one' \(id .*\): its saved graph cannot be read") as err:
        ws.get_model(bad)
    assert err.value.model_id == bad
    with pytest.raises(CorruptError, match="'Bad history'.*undo history"):
        ws.get_model(hist)
    with pytest.raises(CorruptError, match="Broken one"):
        ws.duplicate(bad)
    assert {m.name for m in ws.list_models()} == {"Good one", "Broken one", "Bad history"}
    with ws.engine.begin() as conn:
        conn.execute(update(models).where(models.c.id == hist).values(outputs="[oops"))
    listed = {m.name: m.problem for m in ws.list_models()}
    assert listed["Good one"] is None and listed["Broken one"] is None
    assert listed["Bad history"] is not None and "'Bad history'" in listed["Bad history"]
    assert ws.get_model(good).graph == news()
    m = ws.get_model(good)
    ws.save(good, m.graph, None, m.revision)
    # the damaged model can still be overwritten with a good graph (recovery)
    ws.save(bad, news(), None, 1)
    assert ws.get_model(bad).graph == news()


def test_an_unreadable_blob_names_its_model(ws: Workspace) -> None:
    mid = ws.create_model("Trained", news())
    run = ws.record_run(mid, settings={}, history={"loss": [0.5]}, duration=2.0, keras=b"PK\x03\x04 trained")
    assert ws.run_keras(run.id) == b"PK\x03\x04 trained"
    with ws.engine.begin() as conn:
        conn.execute(update(blobs).values(data=b"PK\x03\x04 truncat"))
    with pytest.raises(CorruptError, match="'Trained'.*damaged"):
        ws.run_keras(run.id)
    assert ws.list_runs(mid)[0].id == run.id and ws.get_model(mid).name == "Trained"


def test_ids_are_unguessable(ws: Workspace) -> None:
    ids = [ws.create_model("same name", Graph()) for _ in range(200)]
    assert len(set(ids)) == 200
    alphabet = set("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_")
    for i in ids:
        assert len(i) >= 22 and set(i) <= alphabet  # >= 128 random bits, URL-safe
    assert len({i[:4] for i in ids}) > 150  # not sequential, no shared prefix
    neighbour = ids[0][:-1] + ("A" if ids[0][-1] != "A" else "B")
    with pytest.raises(NotFoundError):
        ws.get_model(neighbour)
    with pytest.raises(NotFoundError):
        ws.save(neighbour, Graph(), None, 1)
    token = ws.share(ids[0])
    assert len(token) >= 32 and set(token) <= alphabet


def test_a_share_token_gives_read_only_access(ws: Workspace) -> None:
    mid = ws.create_model("Mine", news())
    v = ws.create_version(mid, "release")
    token = ws.share(mid, v.number)
    shared = ws.open_share(token)
    assert (shared.model_name, shared.version_number, shared.version_name) == ("Mine", v.number, "release")
    assert shared.graph == news()
    assert mid not in repr(shared)  # nothing in it leads to the model itself
    for write in (
        lambda: ws.save(token, Graph(), None, 1),
        lambda: ws.rename(token, "x"),
        lambda: ws.delete(token),
        lambda: ws.create_version(token),
        lambda: ws.get_model(token),
    ):
        with pytest.raises(NotFoundError):
            write()
    m = ws.get_model(mid)
    ws.save(mid, m.graph.update_config("dense", units=1), None, m.revision)
    assert ws.open_share(token).graph == news()  # the link shows the version, not later edits
    copy = ws.copy_share(token, "My copy")
    assert copy != mid and ws.get_model(copy).graph == news()
    ws.revoke_share(token)
    with pytest.raises(NotFoundError, match="revoked"):
        ws.open_share(token)
    with pytest.raises(NotFoundError):
        ws.open_share(token[:-1])


def test_the_undo_history_round_trips(db_url: str) -> None:
    g0 = news()
    g1 = g0.update_config("dense", units=16)
    g2, _ = g1.add("Dropout", {"rate": 0.5}, name="drop", inputs=["dense_2"])
    g3 = g2.rename_layer("drop", "dropout_a")
    history = UndoHistory(past=((g0, "Set units"), (g1, "Add Dropout")), future=((g3, "Rename"),))
    with Workspace.open(db_url) as ws:
        mid = ws.create_model("undo", g0)
        ws.save(mid, g2, history, 1)
    with Workspace.open(db_url) as ws:
        m = ws.get_model(mid)
        assert m.graph == g2 and m.history == history
        assert [label for _, label in m.history.past] == ["Set units", "Add Dropout"]
        ws.save(mid, g3, None, m.revision)  # None keeps the stored history
        assert ws.get_model(mid).history == history
        # the loaded graphs (their JSON memoized from the database) save back unchanged
        again = ws.get_model(mid)
        longer = UndoHistory(past=(*again.history.past, (again.graph, "Rename")))
        ws.save(mid, g0, longer, again.revision)
    with Workspace.open(db_url) as ws:
        m = ws.get_model(mid)
        assert m.graph == g0 and m.history == longer and m.history.past[-1][0] == g3


def test_a_model_with_10000_versions_opens_in_constant_queries(ws: Workspace) -> None:
    small = ws.create_model("few", news())
    big = ws.create_model("many", news())
    for _ in range(3):
        ws.create_version(small)
    gtext = news().to_json(indent=None)
    rows = [
        {"model_id": big, "number": n, "name": None, "kind": "auto", "label": None, "created_at": n, "graph": gtext}
        | {"params": 5_200_610}
        for n in range(1, 10_001)
    ]
    with ws.engine.begin() as conn:
        conn.execute(insert(versions), rows)

    def queries(mid: str) -> list[str]:
        with QueryCounter(ws) as q:
            m = ws.get_model(mid)
            page = ws.list_versions(mid)
        assert m.graph == news() and len(page) == min(50, m.latest_version or 0)
        return q.statements

    few, many = queries(small), queries(big)
    assert len(few) == len(many) <= 4
    assert any("LIMIT" in s.upper() for s in many)  # the version list is paged in SQL
    assert ws.get_model(big).latest_version == 10_000
    page = ws.list_versions(big)
    assert [v.number for v in page] == list(range(10_000, 9_950, -1))
    assert ws.list_versions(big, before=page[-1].number, limit=3)[0].number == 9_950
    assert ws.get_version(big, 1).number == 1 and ws.count_versions(big) == 10_000
    if ws.engine.dialect.name == "sqlite":  # the lookups use the (model_id, number) index, no scan
        with ws.engine.connect() as conn:
            for sql in (
                "SELECT max(number) FROM versions WHERE model_id = 'x'",
                "SELECT id, number FROM versions WHERE model_id = 'x' ORDER BY number DESC LIMIT 50",
            ):
                plan = " ".join(str(r[-1]) for r in conn.exec_driver_sql("EXPLAIN QUERY PLAN " + sql))
                assert "USING" in plan and "INDEX" in plan and "SCAN versions" not in plan.replace("USING", "")


# --------------------------------------------------------------------------- versions, runs, import


def test_versions_named_and_automatic(ws: Workspace) -> None:
    mid = ws.create_model("v", news())
    v1 = ws.create_version(mid, "first", label="the template")
    m = ws.get_model(mid)
    changed = m.graph.update_config("dense", units=2)
    ws.save(mid, changed, None, m.revision)
    v2 = ws.create_version(mid)
    assert (v1.number, v1.kind, v1.name, v2.number, v2.kind) == (1, "named", "first", 2, "auto")
    assert ws.get_version(mid, "first").graph == news() and ws.get_version(mid, 2).graph == changed
    assert ws.get_version(mid, "latest").number == 2 and ws.get_version(mid, "2").number == 2
    assert ws.resolve_ref("v@first") == news() and ws.resolve_ref(f"{mid}@current") == changed
    assert [v.number for v in ws.list_versions(mid)] == [2, 1]
    assert ws.list_versions(mid)[1].params == 5_200_610
    with pytest.raises(NotFoundError, match="'v' has no version 'nope'"):
        ws.get_version(mid, "nope")
    ws.create_model("v", Graph())
    with pytest.raises(StoreError, match="2 models are named 'v'"):
        ws.resolve_ref("v@1")


def test_a_recorded_run_keeps_everything_and_its_version(ws: Workspace) -> None:
    mid = ws.create_model("trainee", news())
    settings = {
        "loss": {"main_output": "binary_crossentropy", "aux_output": "mse"},
        "loss_weights": {"main_output": 1.0, "aux_output": 0.2},
        "epochs": 2,
    }
    history = {"loss": [0.9, 0.7], "main_output_loss": [0.6, 0.5], "aux_output_loss": [1.5, 1.0]}
    run = ws.record_run(
        mid, settings=settings, history=history, metrics={"loss": 0.7}, duration=3.25, keras=b"keras-bytes"
    )
    got = ws.list_runs(mid)
    assert [r.id for r in got] == [run.id] and got[0] == run
    r = got[0]
    assert r.losses == settings["loss"] and r.loss_weights == {"main_output": 1.0, "aux_output": 0.2}
    assert r.history["aux_output_loss"] == [1.5, 1.0] and r.metrics == {"loss": 0.7} and r.duration == 3.25
    v = ws.get_version(mid, r.version_number)
    assert v.kind == "run" and v.graph == news() and r.has_keras
    assert ws.run_keras(r.id) == b"keras-bytes"
    second = ws.record_run(mid, settings={}, history={"loss": [1.0]}, duration=1, version=v.number)
    assert second.version_id == r.version_id and not second.has_keras
    assert ws.get_run(second.id).history == {"loss": [1.0]}
    with pytest.raises(NotFoundError):
        ws.run_keras(second.id)
    with pytest.raises(StoreError, match="JSON"):
        ws.record_run(mid, settings={"x": object()}, history={}, duration=0)
    assert len(ws.list_runs(mid)) == 2  # the refused run left nothing


def test_legacy_documents_are_imported_once(ws: Workspace, tmp_path: Path) -> None:
    folder = tmp_path / "sessions"
    folder.mkdir()
    (folder / "0123456789abcdef.json").write_text(news().to_json())
    (folder / "fedcba9876543210.json").write_text(chain(("Dense", {"units": 2})).to_json())
    (folder / "00000000000000aa.json").write_text("{not json")
    (folder / ".0123456789abcdef.1234.tmp").write_text("partial")
    (folder / "notes.json").write_text("{}")
    first = ws.import_legacy(folder)
    assert len(first.imported) == 2 and [Path(p).name for p, _ in first.skipped] == ["00000000000000aa.json"]
    names = {m.name for m in ws.list_models()}
    assert "news" in names and len(names) == 2
    again = ws.import_legacy(folder)
    assert again.imported == [] and len(ws.list_models()) == 2
    assert ws.import_legacy(tmp_path / "missing").imported == []


def test_save_reuses_the_report_it_is_given(ws: Workspace, monkeypatch: pytest.MonkeyPatch) -> None:
    from builder import validate

    g = news()
    report = validate(g)
    smaller = g.update_config("dense", units=8)
    smaller_report = validate(smaller)

    def boom(*a: object, **k: object) -> None:
        raise AssertionError("validated although a report was given")

    monkeypatch.setattr(workspace_mod, "validate", boom)
    mid = ws.create_model("r", g, report=report)
    assert ws.list_models()[0].params == 5_200_610
    ws.save(mid, smaller, None, 1, report=smaller_report)
    info = ws.list_models()[0]
    assert info.params == smaller_report.params.total < 5_200_610 and info.outputs == smaller_report.outputs


def test_documents_written_by_the_old_editor_store_are_imported(
    ws: Workspace, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from ui.document import store_save

    monkeypatch.setenv("KGB_STATE_DIR", str(tmp_path / "state"))
    store_save("0123456789abcdef", news())
    result = ws.import_legacy()  # the default folder is the old store's
    assert len(result.imported) == 1 and result.skipped == []
    assert ws.get_model(result.imported[0]).graph == news()
    assert ws.import_legacy().imported == []
