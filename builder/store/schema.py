"""The tables (SQLAlchemy Core). Migrations in ``migrations/versions`` must build exactly this;
``tests/store`` checks it with Alembic's autogenerate comparison.

Times are UNIX seconds (floats), JSON documents are text columns, so that SQLite and
PostgreSQL store the same thing.
"""

from __future__ import annotations

from sqlalchemy import (
    BigInteger,
    Boolean,
    Column,
    Float,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    String,
    Table,
    Text,
    UniqueConstraint,
)

metadata = MetaData(
    naming_convention={
        "ix": "ix_%(table_name)s_%(column_0_N_name)s",
        "uq": "uq_%(table_name)s_%(column_0_N_name)s",
        "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
        "pk": "pk_%(table_name)s",
    }
)

ID = String(64)

models = Table(
    "models",
    metadata,
    Column("id", ID, primary_key=True),  # secrets.token_urlsafe: unguessable, safe in a URL
    Column("name", String(200), nullable=False),
    Column("created_at", Float, nullable=False),
    Column("updated_at", Float, nullable=False),
    Column("graph", Text, nullable=False),  # the current graph, Graph.to_json
    # the undo/redo history, UndoHistory.refs_json: labels and the digests of its graphs, which
    # live in history_graphs (one row per distinct graph, so a save writes only the new ones)
    Column("history", Text, nullable=False),
    Column("revision", Integer, nullable=False),  # +1 on every save: optimistic concurrency
    Column("deleted", Boolean, nullable=False),
    Column("deleted_at", Float),
    # summary columns written on save, so that listing never parses nor validates a graph
    Column("params", BigInteger, nullable=False),
    Column("n_nodes", Integer, nullable=False),
    Column("inputs", Text, nullable=False),  # JSON list of input layer names
    Column("outputs", Text, nullable=False),  # JSON list of output names
    Column("ok", Boolean, nullable=False),  # validates without errors
    Column("legacy_id", String(32), unique=True),  # the temp-folder document it was imported from
    Index("ix_models_deleted_updated_at", "deleted", "updated_at"),
)

history_graphs = Table(
    "history_graphs",
    metadata,
    Column("model_id", ID, ForeignKey("models.id", ondelete="CASCADE"), primary_key=True),
    Column("digest", String(64), primary_key=True),  # sha256 of the graph JSON (workspace.graph_digest)
    Column("graph", Text, nullable=False),  # Graph.to_json
)

versions = Table(
    "versions",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("model_id", ID, ForeignKey("models.id", ondelete="CASCADE"), nullable=False),
    Column("number", Integer, nullable=False),  # 1, 2, ... per model
    Column("name", String(200)),  # a named version; NULL for automatic ones
    Column("kind", String(16), nullable=False),  # "named" | "auto" | "run"
    Column("label", Text),
    Column("created_at", Float, nullable=False),
    Column("graph", Text, nullable=False),
    Column("params", BigInteger, nullable=False),
    UniqueConstraint("model_id", "number"),
)

blobs = Table(
    "blobs",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("sha256", String(64), nullable=False),
    Column("size", BigInteger, nullable=False),
    Column("data", LargeBinary, nullable=False),
)

runs = Table(
    "runs",
    metadata,
    Column("id", ID, primary_key=True),
    Column("model_id", ID, ForeignKey("models.id", ondelete="CASCADE"), nullable=False),
    Column("version_id", Integer, ForeignKey("versions.id", ondelete="CASCADE"), nullable=False),
    Column("created_at", Float, nullable=False),
    Column("status", String(16), nullable=False),  # "completed" | "stopped" | "failed"
    Column("settings", Text, nullable=False),  # JSON: the resolved training settings
    Column("losses", Text, nullable=False),  # JSON: head -> loss
    Column("loss_weights", Text, nullable=False),  # JSON: head -> weight
    Column("history", Text, nullable=False),  # JSON: column -> per-epoch values (Keras' names)
    Column("metrics", Text, nullable=False),  # JSON: final metrics
    Column("duration", Float, nullable=False),  # seconds
    Column("keras_blob", Integer, ForeignKey("blobs.id", ondelete="SET NULL")),
    Index("ix_runs_model_id_created_at", "model_id", "created_at"),
)

shares = Table(
    "shares",
    metadata,
    Column("token", ID, primary_key=True),  # secrets.token_urlsafe: the read-only link
    Column("version_id", Integer, ForeignKey("versions.id", ondelete="CASCADE"), nullable=False, index=True),
    Column("created_at", Float, nullable=False),
    Column("revoked", Boolean, nullable=False),
)
