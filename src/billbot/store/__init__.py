"""billbot's store: engine and sessions, column types, tables, migrations, repositories (DESIGN.md 3)."""

from billbot.store.engine import StoreConfigError, make_engine, masked_url
from billbot.store.migrate import migrate
from billbot.store.session import session_scope

__all__ = ["StoreConfigError", "make_engine", "masked_url", "migrate", "session_scope"]
