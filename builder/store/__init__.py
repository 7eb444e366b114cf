"""The workspace: saved models, their versions, training runs and read-only share links.

One SQL database through SQLAlchemy 2 (Core), its schema made by Alembic migrations shipped in
``builder/store/migrations`` and applied when the workspace is opened:

* default: SQLite (WAL journal, ``synchronous=FULL``, foreign keys on) in
  ``$KGB_DATA_DIR/workspace.sqlite3``; ``KGB_DATA_DIR`` defaults to the XDG data home,
  ``~/.local/share/keras-graph-builder``;
* ``KGB_DATABASE_URL=postgresql://user:pass@host/db`` (psycopg 3) lets several app servers share
  one PostgreSQL; concurrent first opens migrate under an advisory lock.

Pure Python: no Streamlit, no Keras. The API, as a UI page would use it::

    from builder.store import Workspace, ConflictError, CorruptError, UndoHistory

    ws = Workspace.open()                        # or Workspace.open("sqlite:///x.db"), postgresql://...
    ws.import_legacy()                           # old temp-folder documents, once each (idempotent)

    # models page
    ws.list_models(search="news", limit=50, offset=0)   # [ModelInfo(id, name, params, n_nodes, inputs,
                                                        #   outputs, ok, created_at, updated_at, revision,
                                                        #   deleted, problem)], newest edit first
    ws.count_models(search="news")
    mid = ws.create_model("News", graph)          # unguessable id (secrets.token_urlsafe, 128 bits)
    ws.rename(mid, "News 2"); new = ws.duplicate(mid)
    ws.delete(mid); ws.list_models(deleted=True); ws.undelete(mid)     # undoable; ws.purge(mid) is not

    # editor: every edit saved with its undo history
    m = ws.get_model(mid)                         # Model(graph, history: UndoHistory, revision, ...)
    rev = ws.save(mid, graph, UndoHistory(past, future), m.revision, report=report)
    #   the history is stored as deltas: labels and digests in models.history, each distinct graph
    #   once in history_graphs (schema 0002), so a save after an edit writes the one new graph
    #   -> ConflictError when another tab saved first: reload with get_model, or keep this graph
    #      as a version (create_version(mid, "mine", graph=graph)) or a new model (create_model)

    # versions (the list is paged; a model with 10,000 versions opens in a constant number of queries)
    ws.create_version(mid, "before dropout")      # named; create_version(mid) is automatic
    ws.list_versions(mid, limit=50, before=None)  # [VersionInfo], newest first, no graphs
    ws.get_version(mid, 3).graph; ws.get_version(mid, "before dropout"); ws.resolve_ref("News@3")

    # runs (each gets an automatic version of the graph it trained, unless version= is given)
    run = ws.record_run(mid, settings=..., history={"loss": [...], "main_output_loss": [...]},
                        metrics={...}, duration=12.5, keras=keras_bytes)
    ws.list_runs(mid); ws.get_run(run.id); ws.run_keras(run.id)        # bytes, SHA-256 checked

    # sharing
    token = ws.share(mid, version=3)              # or share(mid): a version of the current graph
    shared = ws.open_share(token)                 # SharedVersion(model_name, version_number, graph):
                                                  #   no model id, so no way to write
    ws.copy_share(token)                          # into one's own workspace; ws.revoke_share(token)

Errors (:mod:`builder.store.errors`): :class:`StoreError` and its subclasses
:class:`NotFoundError`, :class:`ConflictError` (``expected``/``actual`` revisions) and
:class:`CorruptError` (``model_id``, ``name``; only that model fails, listing and the other models
keep working). Every save is one transaction: a process killed in the middle leaves the previous
state intact.
"""

from __future__ import annotations

from .errors import ConflictError, CorruptError, NotFoundError, StoreError
from .workspace import (
    LegacyImport,
    Model,
    ModelInfo,
    RunInfo,
    SharedVersion,
    UndoHistory,
    Version,
    VersionInfo,
    Workspace,
    data_dir,
    database_url,
)

__all__ = [
    "ConflictError",
    "CorruptError",
    "LegacyImport",
    "Model",
    "ModelInfo",
    "NotFoundError",
    "RunInfo",
    "SharedVersion",
    "StoreError",
    "UndoHistory",
    "Version",
    "VersionInfo",
    "Workspace",
    "data_dir",
    "database_url",
]
