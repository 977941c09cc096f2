"""The store's fixtures (a SQLite file, and a PostgreSQL schema where the run has a server)."""

from tests.billbot.store.conftest import (  # noqa: F401 - fixtures, found by name
    bare_engine,
    engine,
    postgres_admin,
    postgres_schema_url,
    postgres_url,
    store_url,
)
