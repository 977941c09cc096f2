"""The PostgreSQL fixtures of the store tests (found by name), for the several-processes test."""

from tests.billbot.store.conftest import (  # noqa: F401 (fixtures, found by name)
    postgres_admin,
    postgres_schema_url,
    postgres_url,
)
