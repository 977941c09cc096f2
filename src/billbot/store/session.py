"""Units of work: a session that commits when its block succeeds and rolls back when it raises."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy import Engine
from sqlmodel import Session

from billbot.store.engine import BEGIN_MODE


@contextmanager
def session_scope(engine: Engine, *, read_only: bool = False) -> Iterator[Session]:
    """A session committed on success and rolled back on error; `read_only` never takes SQLite's write lock.

    Objects stay usable after the block (no expiry on commit). A read-only scope is never committed: closing
    it releases the connection, whose transaction is rolled back, so a write made in it by mistake is lost.
    """
    bind = engine.execution_options(**{BEGIN_MODE: "DEFERRED"}) if read_only else engine
    session = Session(bind, expire_on_commit=False)
    try:
        yield session
        if not read_only:
            session.commit()
    except BaseException:
        session.rollback()
        raise
    finally:
        session.close()
