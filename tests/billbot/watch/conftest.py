"""The watch's store tests run on a SQLite file and on PostgreSQL, with the store tests' fixtures."""

from tests.billbot.store.conftest import (  # noqa: F401 (fixtures, found by name)
    bare_engine,
    engine,
    postgres_admin,
    postgres_schema_url,
    postgres_url,
    store_url,
)
