"""Benchmarks of the watch: one run over 90 days of `demo` data, beside its floor (reading the inputs).

The API is `billbot sandbox serve` (the `demo` organisation, clock at noon of its last day) on
127.0.0.1, opened as `billbot watch` opens it (a SQLite store file), so every read pays real HTTP.
Figures: the first run on an empty store and cache; the report cache's sync; then, best of three,
a run (`WatchService.run_once`: inputs, every rule, the lifecycle in one transaction), the inputs
alone (`WatchService.inputs`: all the I/O and pricing), the floor under them — the 50 days of hourly
usage read raw (`BillingData.usage`, no pricing), which is most of a run — and the rules alone
(`evaluate`, pure); and a whole `billbot watch --once` process on the synced store. Registered by
bench/run.py; bounded.
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import timedelta

from cache_benchmarks import ADMIN_KEY, _Counting, _serve_demo, _set_clock

REPEATS = 3
NOON = "2026-11-22T12:00:00Z"


def watch_run_demo() -> dict[str, float]:
    """One watch run over the 90-day demo through loopback HTTP: cold, after a sync, and its floor."""
    from billbot.runtime import open_runtime
    from billbot.settings import Settings
    from billbot.watch.engine import evaluate
    from billbot.watch.gather import USAGE_GROUPS, GatherOptions

    server, url = _serve_demo()
    try:
        _set_clock(url, NOON)
        with tempfile.TemporaryDirectory() as scratch:
            store = f"sqlite:///{scratch}/b.db"
            settings = Settings(ANTHROPIC_ADMIN_KEY=ADMIN_KEY, ANTHROPIC_BASE_URL=url, DATABASE_URL=store)
            wire = _Counting()
            with open_runtime(settings, say=lambda _: None, transport=wire) as runtime:
                now = runtime.now()
                watch = runtime.watch  # opens and migrates the store: not the run's cost
                first = _seconds(lambda: watch.run_once(now))
                sync = _seconds(runtime.sync)
                before = wire.requests
                run = min(_seconds(lambda: watch.run_once(now)) for _ in range(REPEATS))
                requests = (wire.requests - before) / REPEATS
                inputs = watch.inputs(now)
                gather = min(_seconds(lambda: watch.inputs(now)) for _ in range(REPEATS))
                start = now.replace(hour=0, minute=0, second=0, microsecond=0) - timedelta(
                    days=GatherOptions().history_days
                )
                hourly = min(
                    _seconds(lambda: runtime.data.usage(start, now, "1h", list(USAGE_GROUPS)))
                    for _ in range(REPEATS)
                )
                rows = len(runtime.data.usage(start, now, "1h", list(USAGE_GROUPS)))
                rules = min(_seconds(lambda: evaluate(inputs, watch.config)) for _ in range(REPEATS))
                findings = len(evaluate(inputs, watch.config))
            once = min(_once_process(url, store) for _ in range(REPEATS))
    finally:
        server.terminate()
        server.wait(timeout=30)
    return {
        "first_run_s": first, "sync_s": sync, "run_s": run, "run_requests": requests,
        "inputs_s": gather, "hourly_read_s": hourly, "hourly_rows": rows, "rules_ms": rules * 1000,
        "store_and_lifecycle_s": max(0.0, run - gather - rules), "once_process_s": once,
        "findings": findings,
    }  # fmt: skip


def _seconds(work: Callable[[], object]) -> float:
    started = time.perf_counter()
    work()
    return time.perf_counter() - started


def _once_process(url: str, store: str) -> float:
    env = {**os.environ, "ANTHROPIC_ADMIN_KEY": ADMIN_KEY, "ANTHROPIC_BASE_URL": url, "DATABASE_URL": store}
    started = time.perf_counter()
    subprocess.run(
        [sys.executable, "-m", "billbot", "watch", "--once"],
        capture_output=True, check=True, env=env, timeout=300,
    )  # fmt: skip
    return time.perf_counter() - started
