"""Benchmarks of the Slack app: ack latency under a burst of signed slash commands, command to answer.

Registered by bench/run.py; runs in its own child process. `billbot serve` (embedded `demo` sandbox)
runs as a subprocess on 127.0.0.1; this process is both the load generator (signed form posts from
threads) and a fake Slack Web API that timestamps every `chat.postEphemeral`. Bounded: a fixed number
of commands, every wait has a timeout, nothing leaves loopback.
"""

from __future__ import annotations

import hashlib
import hmac
import http.client
import json
import os
import statistics
import subprocess
import sys
import threading
import time
import urllib.parse
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

SECRET = "bench-signing-secret"
TOKEN = "xoxb-bench"
COMMANDS = [("/claude-spend", "mtd"), ("/claude-usage", "7d"), ("/claude-balance", ""),
            ("/claude-limits", ""), ("/claude-help", "")]  # fmt: skip
BURST = 50
ROUNDS = 4
SEQUENTIAL = 40


class _FakeSlack:
    """Answers ok:true; records when each user's ephemeral answer arrived."""

    def __init__(self) -> None:
        self.answered: dict[str, float] = {}
        self.lock = threading.Lock()
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args: Any) -> None:
                pass

            def do_POST(self) -> None:
                raw = self.rfile.read(int(self.headers.get("Content-Length") or 0))
                if self.path.endswith("chat.postEphemeral"):
                    body = json.loads(raw) if "json" in self.headers.get("Content-Type", "") else {
                        k: v[0] for k, v in urllib.parse.parse_qs(raw.decode()).items()}  # fmt: skip
                    with fake.lock:
                        fake.answered[body["user"]] = time.perf_counter()
                data = b'{"ok": true, "user_id": "UBOT", "team_id": "T1", "bot_id": "B1"}'
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        self.url = f"http://127.0.0.1:{self.server.server_port}/api/"

    def wait(self, users: list[str], timeout: float) -> dict[str, float]:
        end = time.perf_counter() + timeout
        while time.perf_counter() < end:
            with self.lock:
                if all(u in self.answered for u in users):
                    break
            time.sleep(0.005)
        with self.lock:
            return {u: self.answered[u] for u in users if u in self.answered}


def _signed(command: str, text: str, user: str) -> tuple[bytes, dict[str, str]]:
    """A signed slash-command form, built before the clock starts."""
    body = urllib.parse.urlencode({"team_id": "T1", "channel_id": "C1", "user_id": user, "command": command,
                                   "text": text, "trigger_id": f"{user}.{time.time_ns()}",
                                   "response_url": "http://127.0.0.1:9/none"})  # fmt: skip
    ts = str(int(time.time()))
    signature = "v0=" + hmac.new(SECRET.encode(), f"v0:{ts}:{body}".encode(), hashlib.sha256).hexdigest()
    headers = {"Content-Type": "application/x-www-form-urlencoded", "X-Slack-Request-Timestamp": ts,
               "X-Slack-Signature": signature}  # fmt: skip
    return body.encode(), headers


def _send(url: str, body: bytes, headers: dict[str, str]) -> tuple[int, float, float]:
    """POST on a new connection (as Slack's deliveries arrive): (status, sent at, seconds to the ack)."""
    parts = urllib.parse.urlsplit(url)
    assert parts.hostname is not None, url
    started = time.perf_counter()
    try:
        connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=10)
        connection.request("POST", parts.path, body=body, headers=headers)
        response = connection.getresponse()
        response.read()
        status = response.status
        connection.close()
    except OSError:
        status = 0
    return status, started, time.perf_counter() - started


def _post(url: str, command: str, text: str, user: str) -> tuple[int, float, float]:
    return _send(url, *_signed(command, text, user))


def _pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))] * 1000


def slack_ack_loopback() -> dict[str, float]:
    """50 concurrent signed slash commands × 4 rounds, billbot and the bare-bolt floor side by side.

    billbot: ack p50/p99, command → answer posted p95 alone and in a burst. The floor (bench/floor_app.py,
    a bolt app whose only listener acks, behind the same Starlette adapter) takes the same bursts in
    the same run; `ack_p99_ratio` is billbot's p99 over the floor's.
    """
    fake = _FakeSlack()
    env = {**os.environ, "SLACK_BOT_TOKEN": TOKEN, "SLACK_SIGNING_SECRET": SECRET, "SLACK_API_URL": fake.url,
           "PYTHONUNBUFFERED": "1"}  # fmt: skip
    env.pop("ANTHROPIC_ADMIN_KEY", None)
    server = subprocess.Popen([sys.executable, "-m", "billbot", "serve", "--port", "0"], env=env,
                              stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)  # fmt: skip
    floor_script = str(Path(__file__).with_name("floor_app.py"))
    floor = subprocess.Popen([sys.executable, floor_script], env=env, stdout=subprocess.PIPE,
                             stderr=subprocess.DEVNULL, text=True)  # fmt: skip
    try:
        assert server.stdout is not None and floor.stdout is not None
        url = server.stdout.readline().split()[-1] + "/slack/events"
        floor_url = floor.stdout.readline().split()[-1] + "/slack/events"
        for n, (command, text) in enumerate(COMMANDS):  # warm-up: auth.test, first answers, the workers
            _post(url, command, text, f"UWARM{n}")
        fake.wait([f"UWARM{n}" for n in range(len(COMMANDS))], 60)
        alone: list[float] = []
        errors = 0
        for n in range(SEQUENTIAL):
            command, text = COMMANDS[n % len(COMMANDS)]
            status, sent, _ = _post(url, command, text, f"USEQ{n}")
            got = fake.wait([f"USEQ{n}"], 10)
            errors += status != 200 or not got
            alone += [at - sent for at in got.values()]
        acks, answers, burst_errors = _bursts(url, fake, "UB")
        floor_acks, _, floor_errors = _bursts(floor_url, None, "UF")
    finally:
        for process in (server, floor):
            process.terminate()
            process.wait(timeout=30)
    return {
        "commands": BURST * ROUNDS,
        "errors": errors + burst_errors,
        "ack_p50_ms": statistics.median(acks) * 1000,
        "ack_p99_ms": _pct(acks, 0.99),
        "ack_max_ms": max(acks) * 1000,
        "floor_errors": floor_errors,
        "floor_ack_p50_ms": statistics.median(floor_acks) * 1000,
        "floor_ack_p99_ms": _pct(floor_acks, 0.99),
        "ack_p99_ratio": _pct(acks, 0.99) / _pct(floor_acks, 0.99),
        "answer_alone_p95_ms": _pct(alone, 0.95),
        "answer_in_burst_p50_ms": _pct(answers, 0.5),
        "answer_in_burst_p95_ms": _pct(answers, 0.95),
    }


def _bursts(url: str, fake: _FakeSlack | None, prefix: str) -> tuple[list[float], list[float], int]:
    """`ROUNDS` bursts of `BURST` concurrent commands a second apart: acks, answers (if `fake`), errors."""
    acks: list[float] = []
    sent_at: dict[str, float] = {}
    errors = 0
    for round_ in range(ROUNDS):
        started = time.perf_counter()
        barrier = threading.Barrier(BURST)
        results: list[tuple[str, int, float, float]] = []

        def fire(
            n: int,
            round_: int = round_,
            barrier: threading.Barrier = barrier,
            results: list[tuple[str, int, float, float]] = results,
        ) -> None:
            command, text = COMMANDS[n % len(COMMANDS)]
            user = f"{prefix}{round_}x{n}"
            body, headers = _signed(command, text, user)
            barrier.wait()
            results.append((user, *_send(url, body, headers)))

        threads = [threading.Thread(target=fire, args=(n,)) for n in range(BURST)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(30)
        for user, status, sent, ack in results:
            errors += status != 200
            acks.append(ack)
            sent_at[user] = sent
        time.sleep(max(0.0, 1.0 - (time.perf_counter() - started)))  # the next burst a second later
    if fake is None:
        return acks, [], errors
    got = fake.wait(list(sent_at), 120)
    errors += len(sent_at) - len(got)
    return acks, [got[user] - sent_at[user] for user in got], errors
