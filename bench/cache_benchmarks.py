"""Benchmarks of the report cache: an answer cold (API only) and warm (after `billbot sync`), and the sync.

The API is `billbot sandbox serve` (the `demo` organisation, clock frozen at noon of its last day) on
127.0.0.1, so every request pays real HTTP, as it would to Anthropic (minus the internet's latency).
Registered by bench/run.py; bounded: a fixed number of answers, one sync.
"""

from __future__ import annotations

import statistics
import subprocess
import sys
import tempfile
import time

import httpx

ADMIN_KEY = "sk-ant-admin01-bench-cache"
COMMAND = "/claude-spend mtd by model"
ANSWERS = 20


class _Counting(httpx.HTTPTransport):
    """Real HTTP, with the number of requests made."""

    requests = 0

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        self.requests += 1
        return super().handle_request(request)


def cache_answers() -> dict[str, float]:
    """`/claude-spend mtd by model` over loopback: cold and warm p50/p95, requests each, a full sync."""
    from billbot.runtime import open_runtime
    from billbot.settings import Settings
    from billbot.terminal.outcome import run_command

    server, url = _serve_demo()
    try:
        _set_clock(url, "2026-11-22T12:00:00Z")
        with tempfile.TemporaryDirectory() as scratch:
            settings = Settings(
                ANTHROPIC_ADMIN_KEY=ADMIN_KEY,
                ANTHROPIC_BASE_URL=url,
                DATABASE_URL=f"sqlite:///{scratch}/b.db",
            )
            wire = _Counting()
            with open_runtime(settings, say=lambda _: None, transport=wire) as runtime:
                cold, cold_requests = _answers(lambda: run_command(runtime, COMMAND), wire)
                started = time.perf_counter()
                results = runtime.sync()
                sync_seconds = time.perf_counter() - started
                warm, warm_requests = _answers(lambda: run_command(runtime, COMMAND), wire)
    finally:
        server.terminate()
        server.wait(timeout=30)
    return {
        "cold_p50_ms": cold[0], "cold_p95_ms": cold[1], "cold_requests": cold_requests,
        "warm_p50_ms": warm[0], "warm_p95_ms": warm[1], "warm_requests": warm_requests,
        "sync_s": sync_seconds, "sync_rows": sum(r.rows for r in results),
        "sync_requests": sum(r.chunks for r in results),
    }  # fmt: skip


def cold_ask_embedded() -> dict[str, float]:
    """Wall time of a whole `billbot ask "/claude-spend mtd by model"` process on the embedded default."""
    timings = []
    for _ in range(3):
        started = time.perf_counter()
        subprocess.run([sys.executable, "-m", "billbot", "ask", COMMAND], capture_output=True, check=True)
        timings.append(time.perf_counter() - started)
    return {"seconds": min(timings)}


def _answers(answer: object, wire: _Counting) -> tuple[tuple[float, float], float]:
    assert callable(answer)
    timings = []
    before = wire.requests
    for _ in range(ANSWERS):
        started = time.perf_counter()
        outcome = answer()
        timings.append((time.perf_counter() - started) * 1000)
        assert outcome.code == 0, outcome.err
    cuts = statistics.quantiles(timings, n=20)
    return (statistics.median(timings), cuts[18]), (wire.requests - before) / ANSWERS


def _serve_demo() -> tuple[subprocess.Popen[str], str]:
    command = [sys.executable, "-m", "billbot", "sandbox", "serve", "--port", "0", "--speed", "0",
               "--admin-key", ADMIN_KEY]  # fmt: skip
    server = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    assert server.stdout is not None
    return server, server.stdout.readline().split()[3]


def _set_clock(url: str, moment: str) -> None:
    body = {"set_to": moment}
    response = httpx.post(f"{url}/sandbox/v1/clock", json=body, headers={"x-api-key": ADMIN_KEY})
    response.raise_for_status()
