"""Alembic's environment for billbot: migrations always run through a connection given by `migrate()`."""

from __future__ import annotations

from typing import Any, Literal

from alembic import context
from alembic.autogenerate.api import AutogenContext
from sqlalchemy import Connection

from billbot.store.tables import metadata
from billbot.store.types import Money, UtcDateTime


def render_item(kind: str, item: Any, autogen_context: AutogenContext) -> str | Literal[False]:
    """Write billbot's column types into scripts as plain SQLAlchemy types: a script never changes."""
    if kind == "type" and isinstance(item, Money):
        autogen_context.imports.add("from sqlalchemy.dialects import postgresql")
        return 'sa.Text().with_variant(postgresql.NUMERIC(), "postgresql")'
    if kind == "type" and isinstance(item, UtcDateTime):
        return "sa.DateTime(timezone=True)"
    return False


connection = context.config.attributes.get("connection")
if not isinstance(connection, Connection):
    raise RuntimeError("run billbot's migrations with billbot.store.migrate(engine), not the alembic CLI")

context.configure(
    connection=connection,
    target_metadata=metadata,
    compare_type=True,
    render_item=render_item,
    # SQLite cannot ALTER most things: alembic's batch mode copies the table instead.
    render_as_batch=connection.dialect.name == "sqlite",
)
with context.begin_transaction():
    context.run_migrations()
