"""Schema migrations with alembic, driven from code: no alembic.ini is needed at run time.

The scripts live inside the package (`billbot/store/migrations`), so an installed wheel migrates as well
as a checkout. `migrate(engine)` upgrades to the newest revision and is safe to run at every start;
`schema_diff(engine)` lists what differs between the database and the tables' metadata (empty when
the migrations are complete); `new_revision` writes a new migration script for a developer.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Connection, Engine

from billbot.store.tables import metadata

MIGRATIONS_DIR = Path(__file__).resolve().parent / "migrations"


def alembic_config(connection: Connection | None = None) -> Config:
    """An alembic configuration for billbot's migrations, run through `connection` when given."""
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR).replace("%", "%%"))
    config.set_main_option("file_template", "%%(rev)s_%%(slug)s")
    config.attributes["connection"] = connection
    return config


def migrate(engine: Engine) -> None:
    """Upgrade the database to the newest revision (a no-op when it is already there)."""
    with engine.begin() as connection:
        command.upgrade(alembic_config(connection), "head")


def head_revision() -> str:
    """The newest revision of the migration scripts."""
    head = ScriptDirectory.from_config(alembic_config()).get_current_head()
    if head is None:
        raise RuntimeError("no migration scripts found")
    return head


def current_revision(engine: Engine) -> str | None:
    """The database's revision (None: never migrated)."""
    with engine.connect() as connection:
        return MigrationContext.configure(connection).get_current_revision()


def schema_diff(engine: Engine) -> list[Any]:
    """Alembic's autogenerate diff between the database and the tables' metadata (empty: they agree)."""
    with engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        return list(compare_metadata(context, metadata))


def new_revision(engine: Engine, message: str, rev_id: str) -> None:
    """Write a migration script for what the metadata has and the (migrated) database lacks."""
    with engine.begin() as connection:
        command.revision(alembic_config(connection), message=message, autogenerate=True, rev_id=rev_id)
