"""Alembic environment: run by :func:`builder.store.workspace.migrate` on an open connection
(``config.attributes["connection"]``); never configures logging."""

from __future__ import annotations

from alembic import context

from builder.store.schema import metadata

connection = context.config.attributes["connection"]
context.configure(connection=connection, target_metadata=metadata, render_as_batch=True)
with context.begin_transaction():
    context.run_migrations()
