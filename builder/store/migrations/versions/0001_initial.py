"""The first workspace schema: models, versions, blobs, runs, shares.

Revision ID: 0001
Revises:
Create Date: 2026-01-01
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None

ID = sa.String(64)


def upgrade() -> None:
    op.create_table(
        "models",
        sa.Column("id", ID, nullable=False),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("created_at", sa.Float(), nullable=False),
        sa.Column("updated_at", sa.Float(), nullable=False),
        sa.Column("graph", sa.Text(), nullable=False),
        sa.Column("history", sa.Text(), nullable=False),
        sa.Column("revision", sa.Integer(), nullable=False),
        sa.Column("deleted", sa.Boolean(), nullable=False),
        sa.Column("deleted_at", sa.Float()),
        sa.Column("params", sa.BigInteger(), nullable=False),
        sa.Column("n_nodes", sa.Integer(), nullable=False),
        sa.Column("inputs", sa.Text(), nullable=False),
        sa.Column("outputs", sa.Text(), nullable=False),
        sa.Column("ok", sa.Boolean(), nullable=False),
        sa.Column("legacy_id", sa.String(32)),
        sa.PrimaryKeyConstraint("id", name="pk_models"),
        sa.UniqueConstraint("legacy_id", name="uq_models_legacy_id"),
    )
    op.create_index("ix_models_deleted_updated_at", "models", ["deleted", "updated_at"])
    op.create_table(
        "versions",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("model_id", ID, nullable=False),
        sa.Column("number", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(200)),
        sa.Column("kind", sa.String(16), nullable=False),
        sa.Column("label", sa.Text()),
        sa.Column("created_at", sa.Float(), nullable=False),
        sa.Column("graph", sa.Text(), nullable=False),
        sa.Column("params", sa.BigInteger(), nullable=False),
        sa.ForeignKeyConstraint(["model_id"], ["models.id"], name="fk_versions_model_id_models", ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name="pk_versions"),
        sa.UniqueConstraint("model_id", "number", name="uq_versions_model_id_number"),
    )
    op.create_table(
        "blobs",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("sha256", sa.String(64), nullable=False),
        sa.Column("size", sa.BigInteger(), nullable=False),
        sa.Column("data", sa.LargeBinary(), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_blobs"),
    )
    op.create_table(
        "runs",
        sa.Column("id", ID, nullable=False),
        sa.Column("model_id", ID, nullable=False),
        sa.Column("version_id", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.Float(), nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("settings", sa.Text(), nullable=False),
        sa.Column("losses", sa.Text(), nullable=False),
        sa.Column("loss_weights", sa.Text(), nullable=False),
        sa.Column("history", sa.Text(), nullable=False),
        sa.Column("metrics", sa.Text(), nullable=False),
        sa.Column("duration", sa.Float(), nullable=False),
        sa.Column("keras_blob", sa.Integer()),
        sa.ForeignKeyConstraint(["model_id"], ["models.id"], name="fk_runs_model_id_models", ondelete="CASCADE"),
        sa.ForeignKeyConstraint(
            ["version_id"], ["versions.id"], name="fk_runs_version_id_versions", ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(["keras_blob"], ["blobs.id"], name="fk_runs_keras_blob_blobs", ondelete="SET NULL"),
        sa.PrimaryKeyConstraint("id", name="pk_runs"),
    )
    op.create_index("ix_runs_model_id_created_at", "runs", ["model_id", "created_at"])
    op.create_table(
        "shares",
        sa.Column("token", ID, nullable=False),
        sa.Column("version_id", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.Float(), nullable=False),
        sa.Column("revoked", sa.Boolean(), nullable=False),
        sa.ForeignKeyConstraint(
            ["version_id"], ["versions.id"], name="fk_shares_version_id_versions", ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("token", name="pk_shares"),
    )
    op.create_index("ix_shares_version_id", "shares", ["version_id"])


def downgrade() -> None:
    op.drop_table("shares")
    op.drop_table("runs")
    op.drop_table("blobs")
    op.drop_table("versions")
    op.drop_table("models")
