"""Benchmarks of the sandbox's wire: reports in-process, and /v1/messages over loopback HTTP.

Registered by bench/run.py; each runs in its own child process. The load generator is bounded (a fixed
number of requests) and targets only 127.0.0.1.
"""

from __future__ import annotations

import subprocess
import sys
import time
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from sandbox.api.state import SandboxState

REPEATS = 3
ADMIN_KEY = "sk-ant-admin01-bench"
API_KEY = "sk-ant-api03-bench"


def _demo_state() -> SandboxState:
    from sandbox.api.state import SandboxState, ServeOptions

    # Built as `billbot sandbox serve` builds it: the collector paused while building, the world frozen.
    return SandboxState(ServeOptions(scenario="demo", speed=0, admin_keys=(ADMIN_KEY,), tune_gc=True))


def cost_report_31d() -> dict[str, float]:
    """In-process: a 31-day cost report grouped by workspace and description on the demo world."""
    from sandbox.api.admin.cost import cost_report

    state = _demo_state()
    params = [
        ("starting_at", "2026-10-22T00:00:00Z"),
        ("limit", "31"),
        ("group_by[]", "workspace_id"),
        ("group_by[]", "description"),
    ]
    now = state.clock.now_ns()
    best = min(_timed(lambda: cost_report(state.world, params, now)) for _ in range(REPEATS))
    return {"milliseconds": best * 1000}


def usage_report_1m() -> dict[str, float]:
    """In-process: 1,440 one-minute buckets of the demo's last day, grouped by model."""
    from sandbox.api.admin.usage import usage_report

    state = _demo_state()
    params = [
        ("starting_at", "2026-11-21T00:00:00Z"),
        ("bucket_width", "1m"),
        ("limit", "1440"),
        ("group_by[]", "model"),
    ]
    now = state.clock.now_ns()
    body = usage_report(state.world, params, now)
    assert len(body["data"]) == 1440
    best = min(_timed(lambda: usage_report(state.world, params, now)) for _ in range(REPEATS))
    return {"milliseconds": best * 1000}


WRK_SCRIPT = """wrk.method = "POST"
wrk.body = '{"model": "claude-haiku-4-5", "max_tokens": 64, "messages": [{"role": "user", "content": "hi"}]}'
wrk.headers["Content-Type"] = "application/json"
wrk.headers["x-api-key"] = "%s"
"""


def messages_loopback() -> dict[str, float]:
    """POST /v1/messages on one server worker over loopback: wrk when installed, else a Python client."""
    import shutil

    return _with_wrk() if shutil.which("wrk") else _with_python()


def _serve_demo() -> tuple[subprocess.Popen[str], str]:
    command = [sys.executable, "-m", "billbot", "sandbox", "serve", "--port", "0", "--speed", "0",
               "--scenario", "demo", "--admin-key", ADMIN_KEY, "--api-key", API_KEY]  # fmt: skip
    server = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    assert server.stdout is not None
    return server, server.stdout.readline().split()[3]


def _with_wrk(seconds: int = 5, connections: int = 32) -> dict[str, float]:
    import re
    import tempfile

    server, url = _serve_demo()
    try:
        with tempfile.NamedTemporaryFile("w", suffix=".lua") as script:
            script.write(WRK_SCRIPT % API_KEY)
            script.flush()
            out = subprocess.run(
                ["wrk", "-t2", f"-c{connections}", f"-d{seconds}s", "-s", script.name, f"{url}/v1/messages"],
                capture_output=True, text=True, timeout=seconds + 60, check=True,
            ).stdout  # fmt: skip
    finally:
        server.terminate()
        server.wait(timeout=30)
    rate = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))  # type: ignore[union-attr]
    total = int(re.search(r"(\d+) requests in", out).group(1))  # type: ignore[union-attr]
    non_2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    return {"generator_wrk": 1.0, "requests": total, "non_2xx": int(non_2xx.group(1)) if non_2xx else 0,
            "requests_per_second": rate}  # fmt: skip


def _with_python(requests: int = 4000, concurrency: int = 32) -> dict[str, float]:
    """A bounded asyncio load generator (slower than the server: it shares the machine's cores)."""
    import asyncio

    import httpx

    body = {"model": "claude-haiku-4-5", "max_tokens": 64, "messages": [{"role": "user", "content": "hi"}]}
    statuses: dict[int, int] = {}

    async def load(url: str) -> float:
        limits = httpx.Limits(max_connections=concurrency)
        async with httpx.AsyncClient(
            base_url=url, headers={"x-api-key": API_KEY}, limits=limits, timeout=30
        ) as client:

            async def worker(count: int) -> None:
                for _ in range(count):
                    status = (await client.post("/v1/messages", json=body)).status_code
                    statuses[status] = statuses.get(status, 0) + 1

            started = time.perf_counter()
            await asyncio.gather(*(worker(requests // concurrency) for _ in range(concurrency)))
            return time.perf_counter() - started

    server, url = _serve_demo()
    try:
        elapsed = asyncio.run(load(url))
    finally:
        server.terminate()
        server.wait(timeout=30)
    done = sum(statuses.values())
    errors = done - statuses.get(200, 0) - statuses.get(429, 0)  # a 429 is the limiter doing its job
    return {
        "requests": done,
        "rate_limited": statuses.get(429, 0),
        "errors": errors,
        "requests_per_second": done / elapsed,
    }


def _timed(action) -> float:  # type: ignore[no-untyped-def]
    started = time.perf_counter()
    action()
    return time.perf_counter() - started
