"""The undo history stored as deltas (schema 0002): each distinct graph once in
``history_graphs``, a save writing only the new ones; and the migration from schema 0001, where
the whole history was inline in ``models.history``. On SQLite and on a real PostgreSQL server."""

from __future__ import annotations

import json
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import event, func, insert, select, update

from builder import load_graph
from builder.core.graph import Graph
from builder.store import CorruptError, UndoHistory, Workspace, database_url
from builder.store import workspace as workspace_mod
from builder.store.schema import history_graphs, models

ROOT = Path(__file__).resolve().parents[2]


def news() -> Graph:
    return load_graph(ROOT / "builder" / "templates" / "news.json")


def edits(n: int) -> list[Graph]:
    g = news()
    out = [g]
    for i in range(n):
        g = g.update_config("dense", units=8 + i)
        out.append(g)
    return out


@contextmanager
def graph_inserts(ws: Workspace) -> Iterator[list[Any]]:
    """The parameter rows of every INSERT into history_graphs while the block runs."""
    rows: list[Any] = []

    def hook(conn, cursor, statement, parameters, context, executemany) -> None:  # noqa: ANN001
        if statement.lstrip().upper().startswith("INSERT INTO HISTORY_GRAPHS"):
            rows.extend(parameters if executemany else [parameters])

    event.listen(ws.engine, "before_cursor_execute", hook)
    try:
        yield rows
    finally:
        event.remove(ws.engine, "before_cursor_execute", hook)


def stored_digests(ws: Workspace, mid: str) -> set[str]:
    with ws.engine.connect() as conn:
        q = select(history_graphs.c.digest).where(history_graphs.c.model_id == mid)
        return set(conn.execute(q).scalars())


def test_a_save_after_an_edit_writes_only_the_new_graph(ws: Workspace) -> None:
    gs = edits(12)
    mid = ws.create_model("deltas", gs[0])
    rev, past = 1, []
    for i in range(1, 12):
        past.append((gs[i - 1], f"edit {i}"))
        with graph_inserts(ws) as rows:
            rev = ws.save(mid, gs[i], UndoHistory(past=tuple(past)), rev)
        assert len(rows) == 1  # the graph that joined the undo stack; the others are stored
    with ws.engine.connect() as conn:
        text_ = conn.execute(select(models.c.history).where(models.c.id == mid)).scalar()
    assert '"graph"' not in text_ and len(text_) < 2_000  # labels and digests only
    assert len(stored_digests(ws, mid)) == 11
    m = ws.get_model(mid)
    assert m.graph == gs[11] and [g for g, _ in m.history.past] == gs[:11]
    # undo twice: two steps move to the redo stack, nothing new is written
    h = UndoHistory(past=m.history.past[:-2], future=(m.history.past[-1], m.history.past[-2]))
    with graph_inserts(ws) as rows:
        ws.save(mid, gs[9], h, m.revision)
    assert rows == []
    assert ws.get_model(mid).history == h


def test_graphs_no_step_refers_to_are_deleted(ws: Workspace) -> None:
    gs = edits(4)
    mid = ws.create_model("gc", gs[0])
    rev = ws.save(mid, gs[2], UndoHistory(past=((gs[0], "a"), (gs[1], "b"))), 1)
    assert len(stored_digests(ws, mid)) == 2
    rev = ws.save(mid, gs[3], UndoHistory(past=((gs[2], "c"),)), rev)  # a 1-step cap dropped a, b
    assert stored_digests(ws, mid) == {workspace_mod.graph_digest(gs[2])}
    ws.save(mid, gs[3], UndoHistory(), rev)
    assert stored_digests(ws, mid) == set()
    ws.purge(mid)


def test_the_same_graph_twice_on_the_stacks_is_stored_once(ws: Workspace) -> None:
    a, b = edits(1)
    h = UndoHistory(past=((a, "x"), (b, "y"), (load_graph(ROOT / "builder" / "templates" / "news.json"), "z")))
    mid = ws.create_model("dup", b, h)
    assert len(stored_digests(ws, mid)) == 2
    m = ws.get_model(mid)
    assert m.history == h and m.history.past[0][0] is m.history.past[2][0]
    copy = ws.duplicate(mid)
    assert ws.get_model(copy).history == h and len(stored_digests(ws, copy)) == 2
    ws.purge(mid)
    assert stored_digests(ws, mid) == set() and ws.get_model(copy).history == h


def test_a_missing_history_graph_names_the_model(ws: Workspace) -> None:
    gs = edits(2)
    mid = ws.create_model("Lost step", gs[2], UndoHistory(past=((gs[0], "a"), (gs[1], "b"))))
    with ws.engine.begin() as conn:
        conn.execute(history_graphs.delete().where(history_graphs.c.digest == workspace_mod.graph_digest(gs[1])))
    with pytest.raises(CorruptError, match=r"'Lost step'.*undo history cannot be read.*missing"):
        ws.get_model(mid)
    ws.save(mid, gs[2], UndoHistory(), 1)  # recovery: a save with a fresh history
    assert ws.get_model(mid).history == UndoHistory()


# --------------------------------------------------------------------------- migration 0001 -> 0002


def _at_revision(db_url: str, target: str) -> None:
    from alembic import command

    engine = workspace_mod._make_engine(database_url(db_url))
    try:
        with engine.connect().execution_options(kgb_write=True) as conn, conn.begin():
            cfg = workspace_mod._alembic_config()
            cfg.attributes["connection"] = conn
            if target == "0001" and conn.dialect.has_table(conn, "alembic_version"):
                command.downgrade(cfg, target)
            else:
                command.upgrade(cfg, target)
    finally:
        engine.dispose()


def _old_row(mid: str, name: str, graph: Graph, history: str) -> dict[str, Any]:
    now = time.time()
    return {
        "id": mid,
        "name": name,
        "created_at": now,
        "updated_at": now,
        "graph": graph.to_json(indent=None),
        "history": history,
        "revision": 3,
        "deleted": False,
        "params": 1,
        "n_nodes": len(graph.nodes),
        "inputs": "[]",
        "outputs": "[]",
        "ok": True,
    }


def test_migrating_a_0001_workspace_moves_the_history_graphs_out(db_url: str) -> None:
    gs = edits(3)
    history = UndoHistory(past=((gs[0], "Set units"), (gs[1], "Set units")), future=((gs[3], "Redo me"),))
    inline = history.to_json()  # what schema 0001's save wrote
    assert '"graph"' in inline
    _at_revision(db_url, "0001")
    engine = workspace_mod._make_engine(database_url(db_url))
    with engine.begin() as conn:
        conn.execute(
            insert(models),
            [
                _old_row("old-model", "Old model", gs[2], inline),
                _old_row("empty-history", "No steps", gs[0], '{"past": [], "future": []}'),
                _old_row("broken", "Broken history", gs[0], '{"past": [{"graph": 3'),
            ],
        )
    engine.dispose()

    with Workspace.open(db_url) as ws:  # migrates to the head
        with ws.engine.connect() as conn:
            assert conn.exec_driver_sql("SELECT version_num FROM alembic_version").scalar() == "0002"
            stored = dict(conn.execute(select(models.c.id, models.c.history)).tuples().all())
            n = conn.execute(select(func.count()).select_from(history_graphs)).scalar()
        assert n == 3 and '"graph"' not in stored["old-model"]
        assert [e["label"] for e in json.loads(stored["old-model"])["past"]] == ["Set units", "Set units"]
        m = ws.get_model("old-model")
        assert m.graph == gs[2] and m.history == history and m.revision == 3
        assert ws.get_model("empty-history").history == UndoHistory()
        with pytest.raises(CorruptError, match="'Broken history'.*undo history"):
            ws.get_model("broken")
        # saving after the migration writes only the step that is new
        with graph_inserts(ws) as rows:
            longer = UndoHistory(past=(*m.history.past, (m.graph, "Add")), future=())
            ws.save("old-model", gs[3], longer, m.revision)
        assert len(rows) == 1 and ws.get_model("old-model").history == longer

    _at_revision(db_url, "0001")  # and back: the history inline again
    engine = workspace_mod._make_engine(database_url(db_url))
    try:
        with engine.connect() as conn:
            assert not conn.dialect.has_table(conn, "history_graphs")
            text_ = conn.execute(select(models.c.history).where(models.c.id == "old-model")).scalar()
            broken = conn.execute(select(models.c.history).where(models.c.id == "broken")).scalar()
        assert UndoHistory.from_json(text_) == longer and broken == '{"past": [{"graph": 3'
    finally:
        engine.dispose()


def test_the_refs_form_and_the_inline_form_read_the_same(db_url: str) -> None:
    gs = edits(2)
    h = UndoHistory(past=((gs[0], "a"),), future=((gs[2], "b"),))
    with Workspace.open(db_url) as ws:
        mid = ws.create_model("forms", gs[1])
        with ws.engine.begin() as conn:  # the inline form (schema 0001) still reads
            conn.execute(update(models).where(models.c.id == mid).values(history=h.to_json()))
        assert ws.get_model(mid).history == h


def test_opening_reads_one_snapshot_while_another_server_saves(db_url: str) -> None:
    """A save that drops the old steps' graphs commits between get_model's reads of the model row
    and of its history graphs: the reader still sees the history and graphs of one moment."""
    gs = edits(3)
    old = UndoHistory(past=((gs[0], "a"), (gs[1], "b")))
    with Workspace.open(db_url) as reader, Workspace.open(db_url) as writer:
        mid = reader.create_model("raced", gs[2], old)
        fired: list[int] = []

        def save_in_between(conn, cursor, statement, parameters, context, executemany) -> None:  # noqa: ANN001
            if not fired and statement.lstrip().upper().startswith("SELECT") and "history_graphs" in statement:
                fired.append(writer.save(mid, gs[3], UndoHistory(past=((gs[2], "c"),)), 1))

        event.listen(reader.engine, "before_cursor_execute", save_in_between)
        try:
            m = reader.get_model(mid)
        finally:
            event.remove(reader.engine, "before_cursor_execute", save_in_between)
        assert fired == [2]  # the other save did commit in between
        assert m.revision == 1 and m.graph == gs[2] and m.history == old
        assert stored_digests(reader, mid) == {workspace_mod.graph_digest(gs[2])}
        assert reader.get_model(mid).history == UndoHistory(past=((gs[2], "c"),))
