"""The undo history's graphs in their own table, one row per distinct graph.

Schema 0001 kept the whole undo/redo history (every step's graph inline) in ``models.history``,
so every save rewrote it: 11 copies of a 1,000-node graph (2 MB) for a 10-step history, which
PostgreSQL compresses and logs on every edit. From 0002 ``models.history`` holds the labels and
a SHA-256 per step (``{"label", "ref"}``); the graphs live in ``history_graphs`` and a save
inserts only the ones that are new. Upgrading moves the inline graphs out, model by model (a
history that cannot be read is left as it is: opening the model names the problem); downgrading
puts them back inline.

Revision ID: 0002
Revises: 0001
Create Date: 2026-12-03
"""

from __future__ import annotations

import hashlib
import json
from typing import Any

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None

_models = sa.table("models", sa.column("id", sa.String), sa.column("history", sa.Text))
_graphs = sa.table(
    "history_graphs", sa.column("model_id", sa.String), sa.column("digest", sa.String), sa.column("graph", sa.Text)
)
_SIDES = ("past", "future")


def upgrade() -> None:
    op.create_table(
        "history_graphs",
        sa.Column("model_id", sa.String(64), nullable=False),
        sa.Column("digest", sa.String(64), nullable=False),
        sa.Column("graph", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(
            ["model_id"], ["models.id"], name="fk_history_graphs_model_id_models", ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("model_id", "digest", name="pk_history_graphs"),
    )
    conn = op.get_bind()
    ids = [r for (r,) in conn.execute(sa.select(_models.c.id))]
    for mid in ids:  # one model's history in memory at a time
        text = conn.execute(sa.select(_models.c.history).where(_models.c.id == mid)).scalar()
        split = _split(text)
        if split is None:
            continue
        doc, graphs = split
        if graphs:
            conn.execute(sa.insert(_graphs), [{"model_id": mid, "digest": d, "graph": g} for d, g in graphs.items()])
        conn.execute(sa.update(_models).where(_models.c.id == mid).values(history=json.dumps(doc, ensure_ascii=False)))


def _split(text: str | None) -> tuple[dict[str, Any], dict[str, str]] | None:
    """An inline history -> (the document with refs, digest -> graph JSON); None when unreadable."""
    try:
        doc = json.loads(text or "")
    except ValueError:
        return None
    if not isinstance(doc, dict):
        return None
    graphs: dict[str, str] = {}
    out: dict[str, Any] = {}
    for side in _SIDES:
        items = doc.get(side, [])
        if not isinstance(items, list) or not all(isinstance(i, dict) and "graph" in i for i in items):
            return None
        entries = []
        for i in items:
            gtext = json.dumps(i["graph"], ensure_ascii=False)
            digest = hashlib.sha256(gtext.encode()).hexdigest()
            graphs[digest] = gtext
            entries.append({"label": str(i.get("label", "")), "ref": digest})
        out[side] = entries
    return out, graphs


def _inline(items: list[Any], graphs: dict[str, str]) -> str:
    """One side of a refs document with each step's graph put back inline ("null" if missing)."""
    parts = []
    for i in items:
        g = graphs.get(i.get("ref")) if isinstance(i, dict) else None
        if g is None:
            g = json.dumps(i.get("graph")) if isinstance(i, dict) and "graph" in i else "null"
        label = json.dumps(str(i.get("label", "")) if isinstance(i, dict) else "", ensure_ascii=False)
        parts.append('{"label": ' + label + ', "graph": ' + g + "}")
    return "[" + ", ".join(parts) + "]"


def downgrade() -> None:
    conn = op.get_bind()
    ids = [r for (r,) in conn.execute(sa.select(_models.c.id))]
    for mid in ids:
        text = conn.execute(sa.select(_models.c.history).where(_models.c.id == mid)).scalar()
        try:
            doc = json.loads(text or "")
        except ValueError:
            continue
        if not isinstance(doc, dict):
            continue
        rows = conn.execute(sa.select(_graphs.c.digest, _graphs.c.graph).where(_graphs.c.model_id == mid))
        graphs = dict(rows.tuples().all())

        past, future = doc.get("past", []), doc.get("future", [])
        if not isinstance(past, list) or not isinstance(future, list):
            continue
        inline = '{"past": ' + _inline(past, graphs) + ', "future": ' + _inline(future, graphs) + "}"
        conn.execute(sa.update(_models).where(_models.c.id == mid).values(history=inline))
    op.drop_table("history_graphs")
