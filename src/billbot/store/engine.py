"""The database engine: a SQLite file by default, PostgreSQL through `DATABASE_URL`.

SQLite allows one writer at a time. So that concurrent writers (threads, or the bot and a `billbot sync`
process) wait their turn instead of failing with "database is locked", every SQLite connection:
- runs in WAL journal mode (readers never block the writer, nor the writer the readers), with
  `synchronous=FULL` (an acknowledged commit survives a power cut, not only a crash);
- waits up to `busy_timeout` for the write lock instead of failing at once;
- lets SQLAlchemy, not pysqlite, emit BEGIN (the documented pysqlite recipe), and emits
  `BEGIN IMMEDIATE`: the write lock is taken when the transaction starts, so a read-then-write
  transaction can never hit the busy-snapshot error that no timeout cures. A read-only session asks
  for a plain deferred BEGIN through the `BEGIN_MODE` execution option (`session_scope(read_only=True)`);
- enforces foreign keys.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import platformdirs
from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import URL, Connection, make_url
from sqlalchemy.exc import ArgumentError
from sqlalchemy.pool import StaticPool

from billbot.store.migrate import migrate

BEGIN_MODE = "billbot_sqlite_begin"
"""Execution option: the SQLite BEGIN mode, `IMMEDIATE` (the default) or `DEFERRED`."""

DEFAULT_BUSY_TIMEOUT = 30.0
_BEGIN_MODES = frozenset({"IMMEDIATE", "DEFERRED", "EXCLUSIVE"})
_SECRET_QUERY_KEYS = frozenset({"password", "passfile", "sslpassword"})
_POSTGRES_SCHEMES = frozenset({"postgres", "postgresql", "postgresql+psycopg"})


class StoreConfigError(ValueError):
    """The database URL is unusable; the message never contains the URL itself."""


def default_sqlite_url(data_dir: Path | None = None) -> str:
    """`sqlite:///<user data dir>/billbot.db`, creating the directory."""
    directory = data_dir if data_dir is not None else platformdirs.user_data_path("billbot", appauthor=False)
    directory.mkdir(parents=True, exist_ok=True)
    return f"sqlite:///{directory / 'billbot.db'}"


def parse_url(url: str) -> URL:
    """The SQLAlchemy URL, with `postgres://` and `postgresql://` normalised to psycopg 3."""
    try:
        parsed = make_url(url)
    except (ArgumentError, ValueError):
        # SQLAlchemy's message quotes the URL, password and all: say what is wrong, not what it was.
        raise StoreConfigError("DATABASE_URL is not a valid database URL") from None
    if parsed.drivername in _POSTGRES_SCHEMES:
        parsed = parsed.set(drivername="postgresql+psycopg")
    return parsed


def masked_url(url: str | URL) -> str:
    """The URL for display: the password (also one passed as a query parameter) shown as `***`."""
    try:
        parsed = url if isinstance(url, URL) else make_url(url)
    except (ArgumentError, ValueError):
        return "<invalid database URL>"
    query = {
        key: ("***" if key.lower() in _SECRET_QUERY_KEYS else value) for key, value in parsed.query.items()
    }
    # The URL encoder writes the query's `***` as `%2A%2A%2A`: show it as the password is shown.
    return parsed.set(query=query).render_as_string(hide_password=True).replace("%2A%2A%2A", "***")


def make_engine(
    url: str | None,
    *,
    data_dir: Path | None = None,
    busy_timeout: float = DEFAULT_BUSY_TIMEOUT,
    echo: bool = False,
) -> Engine:
    """An engine for `url` (None: the SQLite file in the user's data dir), configured as described above."""
    parsed = parse_url(url if url else default_sqlite_url(data_dir))
    backend = parsed.get_backend_name()
    if backend == "sqlite":
        engine = create_engine(parsed, echo=echo, connect_args={"timeout": busy_timeout})
        _configure_sqlite(engine, busy_timeout)
        return engine
    if backend == "postgresql":
        return create_engine(parsed, echo=echo, pool_pre_ping=True)
    raise StoreConfigError(f"unsupported database {backend!r}: use SQLite or PostgreSQL")


def _configure_sqlite(engine: Engine, busy_timeout: float) -> None:
    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        # Stop pysqlite from emitting its own (deferred) BEGIN; `_on_begin` emits ours.
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        try:
            cursor.execute(f"PRAGMA busy_timeout = {int(busy_timeout * 1000)}")
            cursor.execute("PRAGMA journal_mode = WAL")
            cursor.execute("PRAGMA synchronous = FULL")
            cursor.execute("PRAGMA foreign_keys = ON")
        finally:
            cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(connection: Connection) -> None:
        mode = str(connection.get_execution_options().get(BEGIN_MODE, "IMMEDIATE")).upper()
        if mode not in _BEGIN_MODES:
            raise ValueError(f"unknown SQLite BEGIN mode {mode!r}")
        connection.exec_driver_sql(f"BEGIN {mode}")


def memory_store() -> Engine:
    """A migrated store in memory for this process (one connection its threads share; gone at exit)."""
    engine = create_engine("sqlite://", poolclass=StaticPool, connect_args={"check_same_thread": False})
    _configure_sqlite(engine, DEFAULT_BUSY_TIMEOUT)
    migrate(engine)
    return engine
