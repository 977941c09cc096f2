"""A planted admin key, driven through every error path, appears in no log, message, repr or traceback."""

from __future__ import annotations

import logging
import traceback
from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from pathlib import Path

import httpx
import pytest
from pydantic import SecretStr

from billbot.admin_api import AdminApiError, AdminClient
from billbot.admin_api.source import open_data_source
from sandbox.api.app import create_app
from sandbox.api.state import SandboxState, ServeOptions
from sandbox.api.transport import SandboxTransport
from tests.billbot.admin_api.faults import (
    FakeTime,
    Fault,
    FaultTransport,
    body,
    html,
    refused,
    status,
    timeout,
    truncated,
)

PLANTED = "sk-ant-admin01-PLANTED-SECRET-xyz"
START = datetime(2026, 11, 10, tzinfo=UTC)
ECHO = f"invalid x-api-key: {PLANTED}"  # a server that echoes the key back must not make us leak it


@pytest.fixture
def planted_sandbox(small_scenario: Path) -> Iterator[httpx.BaseTransport]:
    """A sandbox that accepts the planted key."""
    state = SandboxState(ServeOptions(str(small_scenario), seed=1, speed=0, admin_keys=(PLANTED,)))
    transport = SandboxTransport(create_app(state))
    yield transport
    transport.close()


Call = Callable[[AdminClient], object]
CASES: list[tuple[str, list[Fault | None], Call]] = [
    ("400 from the sandbox", [], lambda c: c.list_api_keys(status="deleted")),
    ("404 from the sandbox", [], lambda c: c.rate_limits(model="claude-nope")),
    ("401 echoing the key", [status(401, "authentication_error", message=ECHO)], lambda c: c.me()),
    ("403", [status(403, "permission_error")], lambda c: c.me()),
    (
        "409",
        [status(409, "conflict_error")] * 5,
        lambda c: c.me(),
    ),  # retried like the SDK: until out of retries
    ("429 until out of retries", [status(429, "rate_limit_error", retry_after="1")] * 5, lambda c: c.me()),
    ("500 echoing the key", [status(500, message=ECHO)] * 5, lambda c: c.me()),
    ("529", [status(529, "overloaded_error")] * 5, lambda c: c.me()),
    ("proxy 502 page", [html(502)] * 5, lambda c: c.me()),
    ("timeouts", [timeout()] * 5, lambda c: c.me()),
    ("refused", [refused()] * 5, lambda c: c.me()),
    ("truncated JSON", [truncated()], lambda c: c.me()),
    ("wrong shape", [body({"id": 5})], lambda c: c.me()),
    ("not an object", [body([1, 2])], lambda c: c.get("/sandbox/v1/state")),
    ("deadline", [status(429, "rate_limit_error", retry_after="59")] * 3, lambda c: c.me()),
    ("half-way 500", [None, *[status(500, message=ECHO)] * 5], lambda c: c.list_api_keys(limit=1)),
    ("half-way truncation", [None, truncated()], lambda c: c.cost_report(START, limit=1)),
]


def leaks(text: str) -> bool:
    """Whether text holds the planted key or a recognisable piece of it."""
    return PLANTED in text or "PLANTED-SECRET" in text


def everything_about(error: BaseException) -> str:
    """Every way an error reaches a person or a log: str, repr, traceback (with causes), attributes."""
    parts = [str(error), repr(error), "".join(traceback.format_exception(error)), repr(vars(error))]
    cause = getattr(error, "cause", None)
    if cause is not None:
        parts.append(everything_about(cause))
    return "\n".join(parts)


@pytest.mark.parametrize(("name", "script", "call"), CASES, ids=[case[0] for case in CASES])
def test_no_error_path_leaks_the_key(
    planted_sandbox: httpx.BaseTransport,
    caplog: pytest.LogCaptureFixture,
    capsys: pytest.CaptureFixture[str],
    name: str,
    script: list[Fault | None],
    call: Call,
) -> None:
    caplog.set_level(logging.DEBUG)
    time = FakeTime()
    wire = FaultTransport(planted_sandbox, script)
    client = AdminClient(
        "http://sandbox", SecretStr(PLANTED), transport=wire, sleep=time.sleep, clock=time.clock,
        deadline_seconds=100,
    )  # fmt: skip
    with client, pytest.raises(AdminApiError) as caught:
        call(client)
    assert wire.requests[0].headers["x-api-key"] == PLANTED  # the key was really sent
    assert not leaks(everything_about(caught.value)), name
    assert not leaks(caplog.text) and not any(leaks(repr(r.args)) for r in caplog.records)
    assert not leaks(repr(client)) and not leaks(repr(vars(client)))
    out = capsys.readouterr()
    assert not leaks(out.out + out.err)


def test_a_rejected_key_at_the_source_probe_leaks_nothing(
    sandbox: httpx.BaseTransport, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    wire = FaultTransport(sandbox)
    with pytest.raises(AdminApiError) as caught:
        open_data_source(SecretStr(PLANTED), "http://user:pw@sandbox.local:8765", transport=wire)
    assert caught.value.status == 401
    assert not leaks(everything_about(caught.value)) and not leaks(caplog.text)


def test_the_data_source_and_the_auth_hide_the_key(planted_sandbox: httpx.BaseTransport) -> None:
    with open_data_source(
        SecretStr(PLANTED), "http://sandbox", transport=FaultTransport(planted_sandbox)
    ) as source:
        assert not leaks(repr(source)) and not leaks(str(source))
        assert not leaks(repr(source.client._exchange.http.auth))
        assert not leaks(repr(source.client._exchange.http.headers))


def test_a_key_echoed_by_the_server_is_masked_in_the_message(planted_sandbox: httpx.BaseTransport) -> None:
    wire = FaultTransport(planted_sandbox, [status(401, "authentication_error", message=ECHO)])
    client = AdminClient("http://sandbox", SecretStr(PLANTED), transport=wire)
    with client, pytest.raises(AdminApiError) as caught:
        client.me()
    assert caught.value.message == "invalid x-api-key: sk-ant-[redacted]"


ANSWER_CASES: list[tuple[str, list[Fault | None]]] = [
    ("401 echoing the key at the probe", [status(401, "authentication_error", message=ECHO)]),
    ("403 at the organisation", [None, status(403, "permission_error", message=ECHO)]),
    ("truncated report", [None, None, truncated()]),
    ("400 echoing the key on a report", [None, None, status(400, "invalid_request_error", message=ECHO)]),
    ("answered", []),
]


@pytest.mark.parametrize("script", [case[1] for case in ANSWER_CASES], ids=[c[0] for c in ANSWER_CASES])
def test_answers_syncs_and_the_store_never_hold_the_key(
    planted_sandbox: httpx.BaseTransport,
    caplog: pytest.LogCaptureFixture,
    tmp_path: Path,
    script: list[Fault | None],
) -> None:
    from billbot.admin_api.messages import describe
    from billbot.app.errors import explain
    from billbot.runtime import open_runtime
    from billbot.settings import Settings
    from billbot.slack.errors import slack_text
    from billbot.terminal.ask import ask

    caplog.set_level(logging.DEBUG)
    database = tmp_path / "billbot.db"
    settings = Settings(
        ANTHROPIC_ADMIN_KEY=PLANTED, ANTHROPIC_BASE_URL="http://sandbox", DATABASE_URL=f"sqlite:///{database}"
    )
    said: list[str] = []
    wire = FaultTransport(planted_sandbox, script)
    code = ask("/claude-spend mtd by model", settings, out=said.append, err=said.append, transport=wire)
    assert code == (0 if not script else 1), said
    try:
        with open_runtime(
            settings, say=said.append, transport=FaultTransport(planted_sandbox, script)
        ) as runtime:
            runtime.sync(said.append)
    except AdminApiError as exc:
        said += [describe(exc), slack_text(explain(exc, "ref")), everything_about(exc)]
    assert wire.requests[0].headers["x-api-key"] == PLANTED
    assert not any(leaks(line) for line in said) and not leaks(caplog.text)
    stored = b"".join(path.read_bytes() for path in tmp_path.iterdir() if path.is_file())
    assert b"PLANTED-SECRET" not in stored
