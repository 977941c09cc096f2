"""The metadata every billbot table belongs to, with constraint names that are the same on every backend.

Alembic needs named constraints to alter or drop them later (SQLite batch mode especially), so the
naming convention is set on sqlmodel's metadata before any table is declared: every table derives from
`StoreModel`, so importing a table module imports this one first.
"""

from __future__ import annotations

from sqlmodel import SQLModel

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

metadata = SQLModel.metadata
metadata.naming_convention = NAMING_CONVENTION


class StoreModel(SQLModel):
    """The base of billbot's tables (declare them with `table=True`)."""
