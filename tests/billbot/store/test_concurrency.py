"""Concurrent writers never fail with "database is locked" and lose nothing: threads, and a second process.

Every writer does what the bot does: read, then write, in one transaction (count this writer's rows,
then append one). On SQLite that is the busy-snapshot trap when transactions begin deferred; the
store begins them IMMEDIATE, so writers queue on the lock instead (engine.py).
"""

from __future__ import annotations

import os
import subprocess
import sys
import threading
import time
from datetime import UTC, datetime
from decimal import Decimal
from pathlib import Path

from sqlalchemy import Engine, func, select
from sqlmodel import col

from billbot.store import make_engine, migrate, session_scope
from billbot.store.engine import BEGIN_MODE
from billbot.store.ledger import record_topup
from billbot.store.tables import BalanceEntry

THREADS = 8
WRITES_PER_THREAD = 50
PROCESS_WRITES = 100
AT = datetime(2026, 11, 1, tzinfo=UTC)

WRITER = """
import os, sys
from datetime import UTC, datetime
from decimal import Decimal
from sqlalchemy import func, select
from billbot.store import make_engine, session_scope
from billbot.store.ledger import record_topup
from billbot.store.tables import BalanceEntry

engine = make_engine(os.environ["STORE_URL"])
with session_scope(engine, read_only=True) as session:
    session.exec(select(BalanceEntry)).all()
print("ready", flush=True)
sys.stdin.readline()
errors = 0
for n in range(int(os.environ["WRITES"])):
    try:
        with session_scope(engine) as session:
            mine = select(func.count()).select_from(BalanceEntry).where(BalanceEntry.recorded_by == "process")
            session.exec(mine).one()
            at = datetime(2026, 11, 1, tzinfo=UTC)
            record_topup(session, org_id="org", amount=Decimal(n + 1), effective_at=at, recorded_at=at,
                         recorded_by="process", note=f"p-{n}")
    except Exception as error:
        errors += 1
        print(f"error: {error}", file=sys.stderr, flush=True)
print(f"errors {errors}", flush=True)
"""


def write_from_threads(engine: Engine, start: threading.Barrier, errors: list[str]) -> list[threading.Thread]:
    """Start THREADS writers of WRITES_PER_THREAD read-then-write transactions each."""

    def writer(index: int) -> None:
        start.wait()
        for n in range(WRITES_PER_THREAD):
            try:
                with session_scope(engine) as session:
                    mine = (
                        select(func.count())
                        .select_from(BalanceEntry)
                        .where(col(BalanceEntry.recorded_by) == f"t{index}")
                    )
                    assert session.execute(mine).scalar_one() == n
                    record_topup(
                        session,
                        org_id="org",
                        amount=Decimal(n + 1),
                        effective_at=AT,
                        recorded_at=AT,
                        recorded_by=f"t{index}",
                        note=f"{index}-{n}",
                    )
            except Exception as error:  # every failure is counted, not just the first
                errors.append(f"{type(error).__name__}: {error}")

    threads = [threading.Thread(target=writer, args=(index,)) for index in range(THREADS)]
    for thread in threads:
        thread.start()
    return threads


def test_threads_and_another_process_write_concurrently_without_locking_errors(
    engine: Engine, store_url: str
) -> None:
    process = subprocess.Popen(
        [sys.executable, "-c", WRITER],
        env={**os.environ, "STORE_URL": store_url, "WRITES": str(PROCESS_WRITES)},
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    assert process.stdin is not None and process.stdout is not None
    assert process.stdout.readline().strip() == "ready"
    errors: list[str] = []
    start = threading.Barrier(THREADS + 1)
    threads = write_from_threads(engine, start, errors)
    began = time.perf_counter()
    process.stdin.write("go\n")
    process.stdin.flush()
    start.wait()
    for thread in threads:
        thread.join(timeout=120)
    out, err = process.communicate(timeout=120)
    elapsed = time.perf_counter() - began

    assert errors == []
    assert process.returncode == 0, err
    assert out.strip() == "errors 0", err
    with session_scope(engine, read_only=True) as session:
        notes = set(session.execute(select(col(BalanceEntry.note))).scalars())
    expected = {f"{i}-{n}" for i in range(THREADS) for n in range(WRITES_PER_THREAD)}
    expected |= {f"p-{n}" for n in range(PROCESS_WRITES)}
    assert notes == expected
    total = THREADS * WRITES_PER_THREAD + PROCESS_WRITES
    print(
        f"{engine.dialect.name}: {total} read-then-write transactions from {THREADS} threads + 1 process "
        f"in {elapsed:.2f} s, 0 errors"
    )


def test_control_the_same_workload_with_deferred_begins_does_hit_the_lock(tmp_path: Path) -> None:
    """Without BEGIN IMMEDIATE the same threads fail, so the zero-error result above means something."""
    engine = make_engine(f"sqlite:///{tmp_path / 'deferred.db'}")
    migrate(engine)
    errors: list[str] = []
    start = threading.Barrier(THREADS + 1)
    threads = write_from_threads(engine.execution_options(**{BEGIN_MODE: "DEFERRED"}), start, errors)
    start.wait()
    for thread in threads:
        thread.join(timeout=120)
    engine.dispose()
    assert any("database is locked" in error for error in errors)
