"""The :class:`Workspace`: models, versions, runs and shares in one SQL database.

See the package docstring (:mod:`builder.store`) for the API in one page.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import secrets
import time
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, Engine, create_engine, event, func, insert, select, text, update
from sqlalchemy import delete as sql_delete
from sqlalchemy.exc import SQLAlchemyError

from ..core.graph import Graph, loads
from ..core.validate import Report, validate
from ..errors import GraphFormatError
from .errors import ConflictError, CorruptError, NotFoundError, StoreError
from .schema import blobs, history_graphs, models, runs, shares, versions

APP_DIR = "keras-graph-builder"
DB_FILE = "workspace.sqlite3"
MIGRATIONS = Path(__file__).resolve().parent / "migrations"
ID_BYTES = 16  # 128 random bits: secrets.token_urlsafe(16) is 22 URL-safe characters
SHARE_BYTES = 24
NAME_MAX = 200
DEFAULT_PAGE = 50
_PG_LOCK = 0x4B4742  # advisory lock id taken while migrating a PostgreSQL database ("KGB")
_LEGACY_ID = re.compile(r"^[0-9a-f]{16}$")


# --------------------------------------------------------------------------- values


@dataclass(frozen=True)
class UndoHistory:
    """Undo/redo stacks as ``ui.document.Document`` keeps them: ``(graph before, edit label)``.

    Stored in two parts (:meth:`refs_json` in ``models.history``, each distinct graph once in
    ``history_graphs`` under its :func:`graph_digest`), so that a save after an edit writes the
    one graph that joined the stacks, not the whole history again. :meth:`to_json` is the
    self-contained form (every graph inline) that schema 0001 stored; both are read back.
    """

    past: tuple[tuple[Graph, str], ...] = ()
    future: tuple[tuple[Graph, str], ...] = ()

    def to_json(self) -> str:
        """The stacks as JSON with every graph inline. Each graph's JSON is memoized on the
        (immutable) graph object, so only graphs never saved before are serialized."""

        def side(items: Sequence[tuple[Graph, str]]) -> str:
            entries = (
                '{"label": ' + json.dumps(label, ensure_ascii=False) + ', "graph": ' + graph_json(g) + "}"
                for g, label in items
            )
            return "[" + ", ".join(entries) + "]"

        return '{"past": ' + side(self.past) + ', "future": ' + side(self.future) + "}"

    def refs_json(self) -> str:
        """The stacks as JSON with a digest per graph (``{"label", "ref"}`` entries); see :meth:`graphs`."""

        def side(items: Sequence[tuple[Graph, str]]) -> list[dict[str, str]]:
            return [{"label": label, "ref": graph_digest(g)} for g, label in items]

        return json.dumps({"past": side(self.past), "future": side(self.future)}, ensure_ascii=False)

    def graphs(self) -> dict[str, Graph]:
        """Digest -> graph, for every distinct graph on the stacks."""
        return {graph_digest(g): g for g, _ in (*self.past, *self.future)}

    @staticmethod
    def parse(text_: str) -> dict[str, Any]:
        """The stored JSON document, checked for shape. Raises ``ValueError``."""
        doc = json.loads(text_)
        if not isinstance(doc, dict):
            raise ValueError("the undo history is not an object")
        for key in ("past", "future"):
            items = doc.get(key, [])
            if not isinstance(items, list) or not all(isinstance(i, dict) for i in items):
                raise ValueError(f"history.{key} is not a list of entries")
        return doc

    @staticmethod
    def refs(doc: Mapping[str, Any]) -> set[str]:
        """The digests a parsed document refers to (none for the inline form)."""
        return {str(i["ref"]) for key in ("past", "future") for i in doc.get(key, []) if "ref" in i}

    @classmethod
    def from_json(cls, text_: str | Mapping[str, Any], graphs: Mapping[str, str] | None = None) -> UndoHistory:
        """Either form; ``graphs`` maps each referenced digest to its graph JSON. Raises
        ``ValueError`` (also for a missing graph), ``KeyError`` or :class:`GraphFormatError`."""
        from ..core.graph import from_dict

        doc = cls.parse(text_) if isinstance(text_, str) else text_
        graphs = graphs or {}
        parsed: dict[str, Graph] = {}

        def entry(i: Mapping[str, Any]) -> Graph:
            if "ref" in i:
                ref = str(i["ref"])
                if ref not in parsed:
                    if ref not in graphs:
                        raise ValueError(f"the graph {ref[:12]} of an undo step is missing")
                    g = loads(graphs[ref])
                    g.__dict__["_store_json"] = graphs[ref]  # see graph_json
                    g.__dict__["_store_digest"] = ref  # see graph_digest
                    parsed[ref] = g
                return parsed[ref]
            g = from_dict(i["graph"])
            g.__dict__["_store_json"] = json.dumps(i["graph"], ensure_ascii=False)
            return g

        def side(key: str) -> tuple[tuple[Graph, str], ...]:
            return tuple((entry(i), str(i.get("label", ""))) for i in doc.get(key, []))

        return cls(past=side("past"), future=side("future"))


def graph_json(graph: Graph) -> str:
    """``graph.to_json(indent=None)``, memoized on the graph object (graphs are immutable; the
    memo lives in the instance ``__dict__`` like its cached properties and is not a field)."""
    cached = graph.__dict__.get("_store_json")
    if cached is None:
        cached = graph.to_json(indent=None)
        graph.__dict__["_store_json"] = cached
    return cached


def graph_digest(graph: Graph) -> str:
    """The SHA-256 of :func:`graph_json`, memoized like it: the key of an undo step's graph."""
    cached = graph.__dict__.get("_store_digest")
    if cached is None:
        cached = hashlib.sha256(graph_json(graph).encode()).hexdigest()
        graph.__dict__["_store_digest"] = cached
    return cached


EMPTY_HISTORY_JSON = UndoHistory().refs_json()


@dataclass(frozen=True)
class ModelInfo:
    """One row of the models page (no graph parsed). ``problem`` is set on an unreadable row."""

    id: str
    name: str
    params: int
    n_nodes: int
    inputs: list[str]
    outputs: list[str]
    ok: bool
    created_at: float
    updated_at: float
    revision: int
    deleted: bool
    problem: str | None = None


@dataclass(frozen=True)
class Model:
    """An open model: its graph, undo history and the revision to pass back to ``save``."""

    id: str
    name: str
    graph: Graph
    history: UndoHistory
    revision: int
    created_at: float
    updated_at: float
    deleted: bool
    latest_version: int | None  # the highest version number, None when there is none


@dataclass(frozen=True)
class VersionInfo:
    id: int
    model_id: str
    number: int
    name: str | None
    kind: str  # "named" | "auto" | "run"
    label: str | None
    created_at: float
    params: int


@dataclass(frozen=True)
class Version(VersionInfo):
    graph: Graph = field(default_factory=Graph)


@dataclass(frozen=True)
class RunInfo:
    id: str
    model_id: str
    version_id: int
    version_number: int
    created_at: float
    status: str
    settings: dict[str, Any]
    losses: dict[str, Any]
    loss_weights: dict[str, Any]
    history: dict[str, list[Any]]  # column (Keras' names: loss, <head>_loss, val_...) -> per-epoch values
    metrics: dict[str, Any]
    duration: float
    has_keras: bool


@dataclass(frozen=True)
class SharedVersion:
    """What a share link shows: a copy of one version. It carries no model id (no write access)."""

    token: str
    model_name: str
    version_number: int
    version_name: str | None
    created_at: float
    graph: Graph


@dataclass(frozen=True)
class LegacyImport:
    imported: list[str]  # new model ids
    skipped: list[tuple[str, str]]  # (file, why)


# --------------------------------------------------------------------------- locations


def data_dir() -> Path:
    """``$KGB_DATA_DIR``, else ``$XDG_DATA_HOME/keras-graph-builder``, else ``~/.local/share/...``."""
    if os.environ.get("KGB_DATA_DIR"):
        return Path(os.environ["KGB_DATA_DIR"])
    xdg = os.environ.get("XDG_DATA_HOME")
    base = Path(xdg) if xdg and Path(xdg).is_absolute() else Path.home() / ".local" / "share"
    return base / APP_DIR


def database_url(url: str | None = None) -> str:
    """The SQLAlchemy URL: ``url``, else ``$KGB_DATABASE_URL``, else SQLite in :func:`data_dir`.

    ``postgresql://`` and ``postgres://`` URLs use the psycopg 3 driver.
    """
    url = url or os.environ.get("KGB_DATABASE_URL") or None
    if url is None:
        d = data_dir()
        d.mkdir(parents=True, exist_ok=True)
        return f"sqlite:///{d / DB_FILE}"
    for prefix in ("postgresql://", "postgres://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix) :]
    return url


def legacy_dir() -> Path:
    """Where ``ui.document`` kept session documents (``$KGB_STATE_DIR`` or the temp folder)."""
    import tempfile

    return Path(os.environ.get("KGB_STATE_DIR") or Path(tempfile.gettempdir()) / APP_DIR / "sessions")


# --------------------------------------------------------------------------- engine and migrations


def _make_engine(url: str) -> Engine:
    if url.startswith("sqlite"):
        engine = create_engine(url, connect_args={"check_same_thread": False, "timeout": 30})

        @event.listens_for(engine, "connect")
        def _connect(dbapi_conn: Any, record: Any) -> None:
            dbapi_conn.isolation_level = None  # we emit BEGIN ourselves (below)
            cur = dbapi_conn.cursor()
            cur.execute("PRAGMA journal_mode=WAL")
            cur.execute("PRAGMA synchronous=FULL")
            cur.execute("PRAGMA foreign_keys=ON")
            cur.execute("PRAGMA busy_timeout=30000")
            cur.close()

        @event.listens_for(engine, "begin")
        def _begin(conn: Connection) -> None:
            # writers take the lock up front, so read-then-write never deadlocks or upgrades
            conn.exec_driver_sql("BEGIN IMMEDIATE" if conn.get_execution_options().get("kgb_write") else "BEGIN")

        return engine
    return create_engine(url, pool_pre_ping=True)


@lru_cache(maxsize=1)
def _alembic_head() -> str | None:
    from alembic.script import ScriptDirectory

    return ScriptDirectory.from_config(_alembic_config()).get_current_head()


def _alembic_config() -> Any:
    from alembic.config import Config

    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    return cfg


def migrate(engine: Engine) -> None:
    """Bring the database to the newest schema (Alembic, in one transaction; idempotent)."""
    from alembic import command
    from alembic.runtime.migration import MigrationContext

    with engine.connect() as conn:
        if MigrationContext.configure(conn).get_current_revision() == _alembic_head():
            return
    with engine.connect().execution_options(kgb_write=True) as conn, conn.begin():
        if engine.dialect.name == "postgresql":
            conn.execute(text("SELECT pg_advisory_xact_lock(:k)"), {"k": _PG_LOCK})
        cfg = _alembic_config()
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, "head")


# --------------------------------------------------------------------------- helpers


def new_id(nbytes: int = ID_BYTES) -> str:
    return secrets.token_urlsafe(nbytes)


def _summary(graph: Graph, report: Report | None) -> dict[str, Any]:
    report = report if report is not None else validate(graph)
    inputs = [graph.node_label(n) if n in graph.node_by_id else n for n in graph.inputs]
    return {
        "params": int(report.params.total),
        "n_nodes": len(graph.nodes),
        "inputs": json.dumps(inputs, ensure_ascii=False),
        "outputs": json.dumps(list(report.outputs), ensure_ascii=False),
        "ok": bool(report.ok),
    }


def _clean_name(name: str) -> str:
    name = " ".join(str(name).split())[:NAME_MAX]
    if not name:
        raise StoreError("a model name cannot be empty")
    return name


def _json_obj(value: Any, what: str) -> str:
    try:
        return json.dumps({} if value is None else value, ensure_ascii=False, default=_json_default)
    except (TypeError, ValueError) as exc:
        raise StoreError(f"{what} cannot be stored as JSON: {exc}") from None


def _json_default(value: Any) -> Any:
    if hasattr(value, "tolist"):  # numpy scalars/arrays coming from a Keras history
        return value.tolist()
    if isinstance(value, tuple | set):
        return list(value)
    raise TypeError(f"{type(value).__name__} is not JSON-serializable")


def _history_parts(history: UndoHistory | str | None) -> tuple[str | None, dict[str, Graph]]:
    """What ``models.history`` gets and the graphs ``history_graphs`` must hold for it (a
    ``str`` is a stored document as is, e.g. the inline form)."""
    if history is None or isinstance(history, str):
        return history, {}
    return history.refs_json(), history.graphs()


def _like(search: str) -> str:
    return "%" + search.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"


# --------------------------------------------------------------------------- the workspace


class Workspace:
    """One workspace database. Thread-safe (one engine, a connection per call); every write is
    one transaction. Open with :meth:`open`; use as a context manager or call :meth:`close`."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine

    # ------------------------------------------------------------------ opening
    @classmethod
    def open(cls, url: str | None = None) -> Workspace:
        """Open (creating and migrating as needed) the workspace at ``url`` (see :func:`database_url`)."""
        full = database_url(url)
        try:
            engine = _make_engine(full)
            migrate(engine)
        except SQLAlchemyError as exc:
            raise StoreError(f"cannot open the workspace database: {exc.__class__.__name__}: {exc}") from exc
        return cls(engine)

    def close(self) -> None:
        self.engine.dispose()

    def __enter__(self) -> Workspace:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @contextmanager
    def _read(self, *, snapshot: bool = False) -> Iterator[Connection]:
        """A read transaction; ``snapshot``: every statement sees the same committed state
        (PostgreSQL's default READ COMMITTED gives each statement its own; SQLite's read
        transactions are snapshots already)."""
        conn = self.engine.connect()
        if snapshot and self.engine.dialect.name == "postgresql":
            conn = conn.execution_options(isolation_level="REPEATABLE READ")
        with conn, conn.begin():
            yield conn

    @contextmanager
    def _write(self) -> Iterator[Connection]:
        with self.engine.connect().execution_options(kgb_write=True) as conn, conn.begin():
            yield conn

    def _model_row(self, conn: Connection, model_id: str, *cols: Any, lock: bool = False) -> Any:
        q = select(*(cols or (models,))).where(models.c.id == model_id)
        if lock:
            q = q.with_for_update()
        row = conn.execute(q).first() if isinstance(model_id, str) else None
        if row is None:
            raise NotFoundError(f"no model with id {model_id!r}")
        return row

    # ------------------------------------------------------------------ models
    def create_model(
        self,
        name: str | None = None,
        graph: Graph | None = None,
        history: UndoHistory | None = None,
        *,
        report: Report | None = None,
        _legacy_id: str | None = None,
        _created_at: float | None = None,
    ) -> str:
        """A new model (an empty graph by default); returns its unguessable id."""
        graph = graph if graph is not None else Graph()
        name = _clean_name(name or graph.name or "model")
        now = time.time()
        mid = new_id()
        hist, graphs = _history_parts(history)
        with self._write() as conn:
            conn.execute(
                insert(models).values(
                    id=mid,
                    name=name,
                    created_at=_created_at or now,
                    updated_at=_created_at or now,
                    graph=graph_json(graph),
                    history=hist or EMPTY_HISTORY_JSON,
                    revision=1,
                    deleted=False,
                    legacy_id=_legacy_id,
                    **_summary(graph, report),
                )
            )
            self._store_history_graphs(conn, mid, graphs, have=set())
        return mid

    def _store_history_graphs(
        self, conn: Connection, model_id: str, graphs: Mapping[str, Graph], have: set[str] | None = None
    ) -> None:
        """Make ``history_graphs`` hold exactly ``graphs`` for the model: insert the missing ones
        (one executemany; after an edit, the one graph that joined the undo stack), delete the
        ones no step refers to any more. ``have``: the digests stored (``None``: read them)."""
        if have is None:
            q = select(history_graphs.c.digest).where(history_graphs.c.model_id == model_id)
            have = set(conn.execute(q).scalars())
        new = [{"model_id": model_id, "digest": d, "graph": graph_json(g)} for d, g in graphs.items() if d not in have]
        if new:
            conn.execute(insert(history_graphs), new)
        stale = have.difference(graphs)
        if stale:
            conn.execute(
                sql_delete(history_graphs).where(
                    history_graphs.c.model_id == model_id, history_graphs.c.digest.in_(sorted(stale))
                )
            )

    def save(
        self,
        model_id: str,
        graph: Graph,
        history: UndoHistory | None,
        expected_revision: int,
        *,
        report: Report | None = None,
    ) -> int:
        """Save the graph (and the undo history; ``None`` keeps the stored one) in one transaction.

        ``expected_revision`` is the revision this copy was read at; when the model was saved
        since, nothing is written and :class:`ConflictError` is raised. Pass ``report`` (the
        graph's :func:`validate` result) when it is at hand, to skip validating again.
        Returns the new revision.
        """
        values: dict[str, Any] = {
            "graph": graph_json(graph),
            "revision": models.c.revision + 1,
            "updated_at": time.time(),
            **_summary(graph, report),
        }
        hist, graphs = _history_parts(history)
        if hist is not None:
            values["history"] = hist
        with self._write() as conn:
            res = conn.execute(
                update(models).where(models.c.id == model_id, models.c.revision == expected_revision).values(**values)
            )
            if res.rowcount != 1:
                row = self._model_row(conn, model_id, models.c.name, models.c.revision)
                raise ConflictError(model_id, row.name, expected_revision, row.revision)
            if hist is not None:  # the model row is locked by the UPDATE until the commit
                self._store_history_graphs(conn, model_id, graphs)
        return expected_revision + 1

    def get_model(self, model_id: str) -> Model:
        """Open a model: its graph and undo history. :class:`CorruptError` names an unreadable one."""
        problem = None
        step_graphs: dict[str, str] = {}
        with self._read(snapshot=True) as conn:
            row = self._model_row(conn, model_id)
            latest = conn.execute(select(func.max(versions.c.number)).where(versions.c.model_id == model_id)).scalar()
            try:
                doc = UndoHistory.parse(row.history)
                refs = UndoHistory.refs(doc)
            except (ValueError, TypeError, KeyError) as exc:
                problem = exc
            else:
                if refs:
                    q = select(history_graphs.c.digest, history_graphs.c.graph).where(
                        history_graphs.c.model_id == model_id
                    )
                    step_graphs = dict(conn.execute(q).tuples().all())
        try:
            graph = loads(row.graph)
        except (GraphFormatError, ValueError, TypeError) as exc:
            raise CorruptError(row.id, row.name, f"its saved graph cannot be read ({exc})") from None
        graph.__dict__["_store_json"] = row.graph  # see graph_json
        try:
            if problem is not None:
                raise problem
            history = UndoHistory.from_json(doc, step_graphs)
        except (GraphFormatError, ValueError, TypeError, KeyError) as exc:
            raise CorruptError(row.id, row.name, f"its undo history cannot be read ({exc})") from None
        return Model(
            id=row.id,
            name=row.name,
            graph=graph,
            history=history,
            revision=row.revision,
            created_at=row.created_at,
            updated_at=row.updated_at,
            deleted=bool(row.deleted),
            latest_version=latest,
        )

    def get_graphs(self, model_ids: Sequence[str]) -> dict[str, Graph]:
        """The current graphs of several models in one query (no undo history read); an
        unreadable one is left out (``get_model`` names its problem)."""
        ids = [m for m in model_ids if isinstance(m, str)]
        if not ids:
            return {}
        with self._read() as conn:
            rows = conn.execute(select(models.c.id, models.c.graph).where(models.c.id.in_(ids))).all()
        out: dict[str, Graph] = {}
        for r in rows:
            try:
                out[r.id] = loads(r.graph)
            except (GraphFormatError, ValueError, TypeError):
                continue
        return out

    def list_models(
        self,
        search: str | None = None,
        *,
        deleted: bool = False,
        limit: int | None = None,
        offset: int = 0,
    ) -> list[ModelInfo]:
        """The models page: newest edit first, ``search`` in the name (case-insensitive).

        ``deleted=True`` lists the deleted ones instead (to undo a delete). No graph is parsed
        or validated: params, inputs and outputs were stored at save time. A row whose summary
        cannot be read is listed with ``problem`` set.
        """
        cols = [c for c in models.c if c.name not in ("graph", "history")]
        q = select(*cols).where(models.c.deleted == deleted).order_by(models.c.updated_at.desc(), models.c.id)
        if search:
            q = q.where(models.c.name.ilike(_like(search.strip()), escape="\\"))
        if limit is not None:
            q = q.limit(limit).offset(offset)
        with self._read() as conn:
            rows = conn.execute(q).all()
        out = []
        for r in rows:
            problem = None
            try:
                inputs, outputs = json.loads(r.inputs), json.loads(r.outputs)
            except ValueError:
                inputs, outputs = [], []
                problem = f"model {r.name!r} (id {r.id}): its summary cannot be read"
            out.append(
                ModelInfo(
                    id=r.id,
                    name=r.name,
                    params=r.params,
                    n_nodes=r.n_nodes,
                    inputs=inputs,
                    outputs=outputs,
                    ok=bool(r.ok),
                    created_at=r.created_at,
                    updated_at=r.updated_at,
                    revision=r.revision,
                    deleted=bool(r.deleted),
                    problem=problem,
                )
            )
        return out

    def count_models(self, search: str | None = None, *, deleted: bool = False) -> int:
        q = select(func.count()).select_from(models).where(models.c.deleted == deleted)
        if search:
            q = q.where(models.c.name.ilike(_like(search.strip()), escape="\\"))
        with self._read() as conn:
            return int(conn.execute(q).scalar() or 0)

    def rename(self, model_id: str, name: str) -> None:
        """Rename (the revision is unchanged: a rename never conflicts with an edit)."""
        name = _clean_name(name)
        with self._write() as conn:
            res = conn.execute(update(models).where(models.c.id == model_id).values(name=name, updated_at=time.time()))
            if res.rowcount != 1:
                raise NotFoundError(f"no model with id {model_id!r}")

    def duplicate(self, model_id: str, name: str | None = None) -> str:
        """A copy (graph and undo history, not versions or runs); returns the new id."""
        m = self.get_model(model_id)  # raises CorruptError on an unreadable model
        return self.create_model(name or f"{m.name} (copy)", m.graph, m.history)

    def delete(self, model_id: str) -> None:
        """Delete (undoable with :meth:`undelete`; :meth:`purge` removes it for good)."""
        self._set_deleted(model_id, True)

    def undelete(self, model_id: str) -> None:
        self._set_deleted(model_id, False)

    def _set_deleted(self, model_id: str, flag: bool) -> None:
        with self._write() as conn:
            res = conn.execute(
                update(models)
                .where(models.c.id == model_id)
                .values(deleted=flag, deleted_at=time.time() if flag else None)
            )
            if res.rowcount != 1:
                raise NotFoundError(f"no model with id {model_id!r}")

    def purge(self, model_id: str) -> None:
        """Remove a model with its versions, runs, shares and trained files."""
        with self._write() as conn:
            self._model_row(conn, model_id, models.c.id, lock=True)
            blob_ids = [b for (b,) in conn.execute(select(runs.c.keras_blob).where(runs.c.model_id == model_id)) if b]
            version_ids = select(versions.c.id).where(versions.c.model_id == model_id)
            conn.execute(sql_delete(shares).where(shares.c.version_id.in_(version_ids)))
            conn.execute(sql_delete(runs).where(runs.c.model_id == model_id))
            if blob_ids:
                conn.execute(sql_delete(blobs).where(blobs.c.id.in_(blob_ids)))
            conn.execute(sql_delete(versions).where(versions.c.model_id == model_id))
            conn.execute(sql_delete(history_graphs).where(history_graphs.c.model_id == model_id))
            conn.execute(sql_delete(models).where(models.c.id == model_id))

    # ------------------------------------------------------------------ versions
    def _insert_version(
        self,
        conn: Connection,
        model_id: str,
        *,
        name: str | None,
        kind: str,
        label: str | None,
        graph: Graph | None,
    ) -> VersionInfo:
        row = self._model_row(conn, model_id, models.c.graph, models.c.params, lock=True)
        if graph is None:
            gtext, params = row.graph, row.params
        else:
            gtext, params = graph_json(graph), int(validate(graph).params.total)
        number = (
            conn.execute(select(func.max(versions.c.number)).where(versions.c.model_id == model_id)).scalar() or 0
        ) + 1
        now = time.time()
        vid = conn.execute(
            insert(versions)
            .values(
                model_id=model_id,
                number=number,
                name=_clean_name(name) if name else None,
                kind=kind,
                label=label,
                created_at=now,
                graph=gtext,
                params=params,
            )
            .returning(versions.c.id)
        ).scalar_one()
        return VersionInfo(vid, model_id, number, _clean_name(name) if name else None, kind, label, now, params)

    def create_version(
        self,
        model_id: str,
        name: str | None = None,
        *,
        label: str | None = None,
        graph: Graph | None = None,
        kind: str | None = None,
    ) -> VersionInfo:
        """Keep the current graph (or ``graph``, e.g. a tab's own after a conflict) as a version."""
        kind = kind or ("named" if name else "auto")
        if kind not in ("named", "auto", "run"):
            raise StoreError(f"unknown version kind {kind!r}")
        with self._write() as conn:
            return self._insert_version(conn, model_id, name=name, kind=kind, label=label, graph=graph)

    def list_versions(
        self, model_id: str, *, limit: int = DEFAULT_PAGE, before: int | None = None
    ) -> list[VersionInfo]:
        """Newest first, ``limit`` at a time (``before``: the number to continue below). No graphs."""
        q = select(*(c for c in versions.c if c.name != "graph")).where(versions.c.model_id == model_id)
        if before is not None:
            q = q.where(versions.c.number < before)
        q = q.order_by(versions.c.number.desc()).limit(limit)
        with self._read() as conn:
            self._model_row(conn, model_id, models.c.id)
            rows = conn.execute(q).all()
        return [VersionInfo(r.id, r.model_id, r.number, r.name, r.kind, r.label, r.created_at, r.params) for r in rows]

    def count_versions(self, model_id: str) -> int:
        with self._read() as conn:
            q = select(func.count()).select_from(versions).where(versions.c.model_id == model_id)
            return int(conn.execute(q).scalar() or 0)

    def get_version(self, model_id: str, ref: int | str) -> Version:
        """A version by number, by name (the newest of that name) or ``"latest"``."""
        q = select(versions, models.c.name.label("model_name")).join(models).where(versions.c.model_id == model_id)
        if isinstance(ref, int) or (isinstance(ref, str) and ref.isdigit()):
            q = q.where(versions.c.number == int(ref))
        elif ref != "latest":
            q = q.where(versions.c.name == ref)
        q = q.order_by(versions.c.number.desc()).limit(1)
        with self._read() as conn:
            row = conn.execute(q).first()
            if row is None:
                mrow = self._model_row(conn, model_id, models.c.name)
                raise NotFoundError(f"model {mrow.name!r} has no version {ref!r}")
        return self._version(row)

    def _version(self, row: Any) -> Version:
        try:
            graph = loads(row.graph)
        except (GraphFormatError, ValueError, TypeError) as exc:
            raise CorruptError(row.model_id, row.model_name, f"version {row.number} cannot be read ({exc})") from None
        return Version(
            row.id, row.model_id, row.number, row.name, row.kind, row.label, row.created_at, row.params, graph=graph
        )

    # ------------------------------------------------------------------ runs
    def record_run(
        self,
        model_id: str,
        *,
        settings: Mapping[str, Any],
        history: Mapping[str, Sequence[Any]],
        metrics: Mapping[str, Any] | None = None,
        duration: float,
        losses: Mapping[str, Any] | None = None,
        loss_weights: Mapping[str, Any] | None = None,
        status: str = "completed",
        keras: bytes | None = None,
        graph: Graph | None = None,
        version: int | None = None,
    ) -> RunInfo:
        """Record a training run; with no ``version`` it gets an automatic one (kind ``run``) of
        ``graph`` (default: the current graph), in the same transaction.

        ``losses`` / ``loss_weights`` default to ``settings["loss"]`` / ``settings["loss_weights"]``;
        ``history`` maps Keras' column names to per-epoch values; ``keras`` is the trained file.
        """
        settings = dict(settings)
        losses = dict(losses if losses is not None else settings.get("loss") or {})
        loss_weights = dict(loss_weights if loss_weights is not None else settings.get("loss_weights") or {})
        texts = {
            "settings": _json_obj(settings, "the run settings"),
            "losses": _json_obj(losses, "the losses"),
            "loss_weights": _json_obj(loss_weights, "the loss weights"),
            "history": _json_obj({k: list(v) for k, v in history.items()}, "the history"),
            "metrics": _json_obj(dict(metrics or {}), "the metrics"),
        }
        rid = new_id()
        now = time.time()
        with self._write() as conn:
            if version is None:
                v = self._insert_version(conn, model_id, name=None, kind="run", label=f"run {rid[:8]}", graph=graph)
                vid, vnum = v.id, v.number
            else:
                vrow = conn.execute(
                    select(versions.c.id, versions.c.number).where(
                        versions.c.model_id == model_id, versions.c.number == version
                    )
                ).first()
                if vrow is None:
                    raise NotFoundError(f"model {model_id!r} has no version {version}")
                vid, vnum = vrow.id, vrow.number
            blob_id = None
            if keras is not None:
                blob_id = conn.execute(
                    insert(blobs)
                    .values(sha256=hashlib.sha256(keras).hexdigest(), size=len(keras), data=keras)
                    .returning(blobs.c.id)
                ).scalar_one()
            conn.execute(
                insert(runs).values(
                    id=rid,
                    model_id=model_id,
                    version_id=vid,
                    created_at=now,
                    status=status,
                    duration=float(duration),
                    keras_blob=blob_id,
                    **texts,
                )
            )
        return RunInfo(
            rid,
            model_id,
            vid,
            vnum,
            now,
            status,
            json.loads(texts["settings"]),
            json.loads(texts["losses"]),
            json.loads(texts["loss_weights"]),
            json.loads(texts["history"]),
            json.loads(texts["metrics"]),
            float(duration),
            keras is not None,
        )

    def _runs_query(self) -> Any:
        return (
            select(runs, versions.c.number, models.c.name.label("model_name"))
            .join(versions, versions.c.id == runs.c.version_id)
            .join(models, models.c.id == runs.c.model_id)
        )

    def _run(self, r: Any) -> RunInfo:
        try:
            parsed = [json.loads(getattr(r, k)) for k in ("settings", "losses", "loss_weights", "history", "metrics")]
        except ValueError as exc:
            raise CorruptError(r.model_id, r.model_name, f"run {r.id} cannot be read ({exc})") from None
        return RunInfo(
            r.id,
            r.model_id,
            r.version_id,
            r.number,
            r.created_at,
            r.status,
            *parsed,
            r.duration,
            r.keras_blob is not None,
        )

    def list_runs(self, model_id: str, *, limit: int = 100) -> list[RunInfo]:
        """The model's runs, newest first, with their histories (for comparing curves)."""
        q = self._runs_query().where(runs.c.model_id == model_id).order_by(runs.c.created_at.desc()).limit(limit)
        with self._read() as conn:
            self._model_row(conn, model_id, models.c.id)
            rows = conn.execute(q).all()
        return [self._run(r) for r in rows]

    def get_run(self, run_id: str) -> RunInfo:
        with self._read() as conn:
            row = conn.execute(self._runs_query().where(runs.c.id == run_id)).first()
        if row is None:
            raise NotFoundError(f"no run with id {run_id!r}")
        return self._run(row)

    def run_keras(self, run_id: str) -> bytes:
        """The trained ``.keras`` file of a run, checked against its SHA-256."""
        q = (
            select(blobs.c.data, blobs.c.sha256, models.c.id, models.c.name)
            .select_from(runs)
            .join(blobs, blobs.c.id == runs.c.keras_blob)
            .join(models, models.c.id == runs.c.model_id)
            .where(runs.c.id == run_id)
        )
        with self._read() as conn:
            row = conn.execute(q).first()
        if row is None:
            raise NotFoundError(f"run {run_id!r} has no trained .keras file")
        data = bytes(row.data)
        if hashlib.sha256(data).hexdigest() != row.sha256:
            raise CorruptError(row.id, row.name, f"the trained .keras file of run {run_id} is damaged")
        return data

    # ------------------------------------------------------------------ shares
    def share(self, model_id: str, version: int | None = None) -> str:
        """A read-only link token for a version (``None``: an automatic version of the current graph)."""
        token = new_id(SHARE_BYTES)
        with self._write() as conn:
            if version is None:
                vid = self._insert_version(conn, model_id, name=None, kind="auto", label="shared", graph=None).id
            else:
                vid = conn.execute(
                    select(versions.c.id).where(versions.c.model_id == model_id, versions.c.number == version)
                ).scalar()
                if vid is None:
                    raise NotFoundError(f"model {model_id!r} has no version {version}")
            conn.execute(insert(shares).values(token=token, version_id=vid, created_at=time.time(), revoked=False))
        return token

    def open_share(self, token: str) -> SharedVersion:
        """What a share link shows. Never gives the model's id, so never write access."""
        q = (
            select(versions, models.c.name.label("model_name"), shares.c.token)
            .select_from(shares)
            .join(versions, versions.c.id == shares.c.version_id)
            .join(models, models.c.id == versions.c.model_id)
            .where(shares.c.token == token, shares.c.revoked.is_(False))
        )
        with self._read() as conn:
            row = conn.execute(q).first() if isinstance(token, str) else None
        if row is None:
            raise NotFoundError("this share link does not exist or was revoked")
        v = self._version(row)
        return SharedVersion(token, row.model_name, v.number, v.name, v.created_at, v.graph)

    def copy_share(self, token: str, name: str | None = None) -> str:
        """Copy a shared version into this workspace as a new model; returns its id."""
        s = self.open_share(token)
        return self.create_model(name or s.model_name, s.graph)

    def revoke_share(self, token: str) -> None:
        with self._write() as conn:
            conn.execute(update(shares).where(shares.c.token == token).values(revoked=True))

    # ------------------------------------------------------------------ references and import
    def find_model(self, ref: str) -> str:
        """A model id from an id or a (unique, not deleted) name."""
        with self._read() as conn:
            if conn.execute(select(models.c.id).where(models.c.id == ref)).first():
                return ref
            ids = conn.execute(select(models.c.id).where(models.c.name == ref, models.c.deleted.is_(False))).all()
        if not ids:
            raise NotFoundError(f"no model named {ref!r}")
        if len(ids) > 1:
            raise StoreError(f"{len(ids)} models are named {ref!r}: use the id")
        return ids[0][0]

    def find_legacy(self, legacy_id: str) -> str | None:
        """The id of the model imported from the temp-folder document ``legacy_id``, if any."""
        if not isinstance(legacy_id, str) or not _LEGACY_ID.match(legacy_id):
            return None
        with self._read() as conn:
            return conn.execute(select(models.c.id).where(models.c.legacy_id == legacy_id)).scalar()

    def resolve_ref(self, ref: str) -> Graph:
        """``MODEL@VERSION`` -> its graph (MODEL: id or name; VERSION: number, name, ``latest`` or
        ``current``, the current graph)."""
        model, sep, version = ref.rpartition("@")
        if not sep or not model or not version:
            raise StoreError(f"{ref!r} is not MODEL@VERSION")
        mid = self.find_model(model)
        if version == "current":
            return self.get_model(mid).graph
        return self.get_version(mid, version).graph

    def import_legacy(self, folder: Path | None = None) -> LegacyImport:
        """Import the old temp-folder documents (``<16 hex>.json``) once each: a document
        already imported is skipped, so calling this at every start is cheap and safe."""
        folder = folder or legacy_dir()
        imported: list[str] = []
        skipped: list[tuple[str, str]] = []
        try:
            files = sorted(p for p in folder.iterdir() if p.suffix == ".json" and _LEGACY_ID.match(p.stem))
        except OSError:
            return LegacyImport(imported, skipped)
        with self._read() as conn:
            done = {r for (r,) in conn.execute(select(models.c.legacy_id).where(models.c.legacy_id.is_not(None)))}
        for path in files:
            if path.stem in done:
                continue
            try:
                graph = loads(path.read_bytes())
                mtime = path.stat().st_mtime
            except (OSError, GraphFormatError) as exc:
                skipped.append((str(path), str(exc)))
                continue
            name = graph.name if graph.name and graph.name != "model" else f"Imported {path.stem[:6]}"
            try:
                imported.append(self.create_model(name, graph, _legacy_id=path.stem, _created_at=mtime))
            except SQLAlchemyError as exc:  # another server imported it at the same moment
                skipped.append((str(path), f"{exc.__class__.__name__}"))
        return LegacyImport(imported, skipped)
