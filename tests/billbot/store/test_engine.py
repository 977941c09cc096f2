"""The engine: default SQLite path, SQLite settings against "database is locked", URLs, masking, sessions."""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Iterator
from datetime import UTC, datetime
from decimal import Decimal
from pathlib import Path

import pytest
from sqlalchemy import Engine, text
from sqlalchemy.exc import OperationalError

from billbot.store import StoreConfigError, make_engine, masked_url, migrate, session_scope
from billbot.store.engine import parse_url
from billbot.store.ledger import entries_since, record_topup

NOON = datetime(2026, 11, 1, 12, tzinfo=UTC)


def test_default_is_a_sqlite_file_in_the_data_dir_which_is_created(tmp_path: Path) -> None:
    data_dir = tmp_path / "not" / "yet"
    engine = make_engine(None, data_dir=data_dir)
    with engine.connect() as connection:
        connection.execute(text("SELECT 1"))
    assert engine.url.database == str(data_dir / "billbot.db")
    assert (data_dir / "billbot.db").is_file()
    engine.dispose()


def test_sqlite_connections_are_set_up_for_concurrent_writers(tmp_path: Path) -> None:
    engine = make_engine(f"sqlite:///{tmp_path / 'b.db'}")
    with engine.connect() as connection:
        pragmas = {
            name: connection.exec_driver_sql(f"PRAGMA {name}").scalar()
            for name in ("journal_mode", "busy_timeout", "foreign_keys", "synchronous")
        }
    assert pragmas == {"journal_mode": "wal", "busy_timeout": 30_000, "foreign_keys": 1, "synchronous": 2}
    engine.dispose()


def test_a_write_session_takes_the_write_lock_when_it_begins(tmp_path: Path) -> None:
    path = tmp_path / "b.db"
    engine = make_engine(f"sqlite:///{path}")
    with session_scope(engine) as session:
        session.execute(text("SELECT 1"))  # a read only: a deferred BEGIN would hold no lock yet
        other = sqlite3.connect(path, timeout=0.1, isolation_level=None)
        with pytest.raises(sqlite3.OperationalError, match="database is locked"):
            other.execute("BEGIN IMMEDIATE")
        other.close()
    engine.dispose()


def test_a_read_only_session_does_not_block_writers(engine_on_file: Engine) -> None:
    with session_scope(engine_on_file, read_only=True) as reader:
        assert entries_since(reader, org_id="org", since=NOON) == []
        done = threading.Event()

        def write() -> None:
            with session_scope(engine_on_file) as writer:
                record_topup(
                    writer,
                    org_id="org",
                    amount=Decimal(5),
                    effective_at=NOON,
                    recorded_at=NOON,
                    recorded_by="U1",
                )
            done.set()

        thread = threading.Thread(target=write)
        thread.start()
        assert done.wait(timeout=5), "the writer waited for a read-only session"
        thread.join()
        # The reader's snapshot predates the write (WAL isolation), and nothing was locked.
        assert entries_since(reader, org_id="org", since=NOON) == []


@pytest.fixture
def engine_on_file(tmp_path: Path) -> Iterator[Engine]:
    """A migrated SQLite file whose writers give up after 2 s (a blocked test fails fast)."""
    engine = make_engine(f"sqlite:///{tmp_path / 'ledger.db'}", busy_timeout=2)
    migrate(engine)
    yield engine
    engine.dispose()


def test_session_scope_commits_on_success_and_rolls_back_on_error(engine_on_file: Engine) -> None:
    def topup(amount: str) -> None:
        with session_scope(engine_on_file) as session:
            record_topup(
                session,
                org_id="org",
                amount=Decimal(amount),
                effective_at=NOON,
                recorded_at=NOON,
                recorded_by="U1",
            )
            if amount == "2":
                raise RuntimeError("boom")

    topup("1")
    with pytest.raises(RuntimeError, match="boom"):
        topup("2")
    with session_scope(engine_on_file, read_only=True) as session:
        assert [entry.amount for entry in entries_since(session, org_id="org", since=NOON)] == [Decimal(1)]


def test_a_read_only_scope_discards_what_it_wrote(engine_on_file: Engine) -> None:
    with session_scope(engine_on_file, read_only=True) as session:
        record_topup(
            session, org_id="org", amount=Decimal(1), effective_at=NOON, recorded_at=NOON, recorded_by="U1"
        )
    with session_scope(engine_on_file, read_only=True) as session:
        assert entries_since(session, org_id="org", since=NOON) == []


@pytest.mark.parametrize(
    "url",
    [
        "postgres://u:pw@db.example:5432/billbot",
        "postgresql://u:pw@db.example:5432/billbot",
        "postgresql+psycopg://u:pw@db.example:5432/billbot",
    ],
)
def test_postgres_urls_use_psycopg_3(url: str) -> None:
    parsed = parse_url(url)
    assert parsed.drivername == "postgresql+psycopg"
    assert (parsed.host, parsed.port, parsed.database, parsed.password) == (
        "db.example",
        5432,
        "billbot",
        "pw",
    )


def test_other_urls_are_kept_as_given() -> None:
    assert parse_url("sqlite:////var/lib/billbot.db").render_as_string() == "sqlite:////var/lib/billbot.db"


def test_masked_url_hides_the_password_wherever_it_is() -> None:
    url = "postgresql+psycopg://billbot:Sup3r-Secret@db.example:5432/billbot?sslmode=require"
    assert masked_url(url) == "postgresql+psycopg://billbot:***@db.example:5432/billbot?sslmode=require"
    in_query = masked_url("postgresql://db.example/billbot?user=u&password=Sup3r-Secret")
    assert "Sup3r-Secret" not in in_query
    assert "password=***" in in_query
    assert masked_url("sqlite:///billbot.db") == "sqlite:///billbot.db"


def test_an_engine_never_shows_the_password() -> None:
    engine = make_engine("postgres://billbot:Sup3r-Secret@127.0.0.1:1/billbot")
    assert "Sup3r-Secret" not in repr(engine)
    assert "Sup3r-Secret" not in str(engine.url)
    assert "Sup3r-Secret" not in masked_url(engine.url)


@pytest.mark.parametrize(
    "url",
    [
        "this is not a url Sup3r-Secret",
        "postgresql://billbot:Sup3r-Secret@db.example:notaport/billbot",
        "://billbot:Sup3r-Secret@db.example/billbot",
    ],
)
def test_a_bad_url_is_reported_without_repeating_it(url: str) -> None:
    with pytest.raises(StoreConfigError) as raised:
        make_engine(url)
    assert "Sup3r-Secret" not in str(raised.value)
    assert "Sup3r-Secret" not in repr(raised.value)
    assert raised.value.__cause__ is None and raised.value.__suppress_context__
    assert "Sup3r-Secret" not in masked_url(url)


def test_unsupported_databases_are_refused_by_name() -> None:
    with pytest.raises(StoreConfigError, match="unsupported database 'mysql'"):
        make_engine("mysql://billbot:Sup3r-Secret@db.example/billbot")


def test_a_failed_login_to_postgres_does_not_leak_the_password(postgres_url: str) -> None:
    wrong = parse_url(postgres_url).set(password="Wr0ng-Canary-Pw")
    engine = make_engine(wrong.render_as_string(hide_password=False))
    with pytest.raises(OperationalError) as raised, engine.connect():
        pass
    assert "password authentication failed" in str(raised.value)
    assert "Wr0ng-Canary-Pw" not in str(raised.value)
    assert "Wr0ng-Canary-Pw" not in repr(raised.value)
    real_password = parse_url(postgres_url).password
    assert real_password and real_password not in masked_url(postgres_url)
    engine.dispose()
