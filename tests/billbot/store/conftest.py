"""Store fixtures: every store test runs on a SQLite file and on a real PostgreSQL server.

PostgreSQL comes from BILLBOT_TEST_POSTGRES_URL (set by `.ci/run`, which installs and starts a
throw-away server). Without it the PostgreSQL variants are skipped locally, but under CI a missing
server fails the run: a green CI must mean both backends were tested. Each PostgreSQL test gets a
fresh schema (through `search_path`), dropped afterwards.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator

import pytest
from sqlalchemy import Engine, create_engine, text
from sqlalchemy.engine import make_url

from billbot.store import make_engine, migrate
from billbot.store.engine import parse_url

POSTGRES_ENV = "BILLBOT_TEST_POSTGRES_URL"
BACKENDS = ["sqlite", "postgresql"]


def under_ci() -> bool:
    """Whether this run is the CI gate (CI=true), where nothing may be skipped for lack of a server."""
    return os.environ.get("CI", "").strip().lower() not in {"", "0", "false", "no"}


@pytest.fixture(scope="session")
def postgres_url() -> str:
    """The test server's URL; skips (locally) or fails (under CI) when there is none."""
    url = os.environ.get(POSTGRES_ENV, "").strip()
    if not url:
        reason = (
            f"{POSTGRES_ENV} is not set: no PostgreSQL server for the store tests (`bash .ci/run` starts one)"
        )
        if under_ci():
            pytest.fail(f"under CI, {reason}", pytrace=False)
        pytest.skip(reason)
    return url


@pytest.fixture(scope="session")
def postgres_admin(postgres_url: str) -> Iterator[Engine]:
    """An engine on the test database's default schema, for creating and dropping test schemas."""
    engine = create_engine(parse_url(postgres_url), isolation_level="AUTOCOMMIT")
    yield engine
    engine.dispose()


@pytest.fixture
def postgres_schema_url(postgres_url: str, postgres_admin: Engine) -> Iterator[str]:
    """The test server's URL with `search_path` set to a fresh schema of this test's own."""
    schema = f"test_{uuid.uuid4().hex[:12]}"
    with postgres_admin.connect() as connection:
        connection.execute(text(f'CREATE SCHEMA "{schema}"'))
    url = parse_url(postgres_url).update_query_dict({"options": f"-csearch_path={schema}"})
    yield url.render_as_string(hide_password=False)
    with postgres_admin.connect() as connection:
        connection.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))


@pytest.fixture(params=BACKENDS)
def store_url(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> str:
    """An empty database of each backend: a new SQLite file, or a new PostgreSQL schema."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path_factory.mktemp('store') / 'billbot.db'}"
    url: str = request.getfixturevalue("postgres_schema_url")
    return url


@pytest.fixture
def bare_engine(store_url: str) -> Iterator[Engine]:
    """An engine on an empty, unmigrated database."""
    engine = make_engine(store_url)
    yield engine
    engine.dispose()


@pytest.fixture
def engine(bare_engine: Engine) -> Engine:
    """An engine on a database migrated to the newest revision."""
    migrate(bare_engine)
    return bare_engine


def backend_of(url: str) -> str:
    """`sqlite` or `postgresql`."""
    return make_url(url).get_backend_name()
