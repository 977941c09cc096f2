"""Insert-or-update on the primary key, in one statement, on SQLite and PostgreSQL alike."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from sqlalchemy import Table
from sqlalchemy.dialects import postgresql, sqlite
from sqlmodel import Session, SQLModel


def upsert(session: Session, model: type[SQLModel], rows: Sequence[Mapping[str, Any]]) -> int:
    """Insert `rows` into `model`'s table, updating the non-key columns of rows whose key exists.

    `INSERT … ON CONFLICT (primary key) DO UPDATE` is atomic on both backends, so concurrent syncs of the
    same bucket cannot produce a duplicate or a lost-update error. Returns how many rows were given.
    """
    if not rows:
        return 0
    table: Table = model.__table__  # type: ignore[attr-defined]
    dialect = session.get_bind().dialect.name
    if dialect == "postgresql":
        pg_statement = postgresql.insert(table)
        key = [column.name for column in table.primary_key.columns]
        updates = {name: pg_statement.excluded[name] for name in _non_key_columns(table)}
        session.execute(pg_statement.on_conflict_do_update(index_elements=key, set_=updates), list(rows))
    elif dialect == "sqlite":
        lite_statement = sqlite.insert(table)
        key = [column.name for column in table.primary_key.columns]
        updates = {name: lite_statement.excluded[name] for name in _non_key_columns(table)}
        session.execute(lite_statement.on_conflict_do_update(index_elements=key, set_=updates), list(rows))
    else:
        raise NotImplementedError(f"upsert is not implemented for {dialect}")
    return len(rows)


def _non_key_columns(table: Table) -> list[str]:
    return [column.name for column in table.columns if not column.primary_key]
