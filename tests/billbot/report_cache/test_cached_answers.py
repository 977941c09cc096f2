"""Answers from the report cache say exactly what answers from the API say, with fewer requests."""

from __future__ import annotations

from datetime import timedelta

import httpx
import pytest

from billbot.admin_api import AdminApiError
from billbot.admin_api.billing import AdminBillingData
from billbot.app.answers import Answers
from billbot.core.estimate import UsagePricer
from billbot.report_cache.feeds import COST, USAGE, horizon
from billbot.runtime import Runtime
from billbot.terminal.outcome import run_command
from billbot.terminal.render import render_text
from sandbox.api.state import SandboxState
from sandbox.pricing import PriceList
from tests.billbot.app.support import answer
from tests.billbot.report_cache.conftest import ADMIN_KEY, API_KEY, OpenSource, RequestLog

COMMANDS = [
    "/claude-spend mtd by model",
    "/claude-spend 30d by workspace",
    "/claude-spend yesterday by type",
    "/claude-spend last-month by description",
    "/claude-spend today",
    "/claude-spend 7d by key",
    "/claude-spend mtd workspace Apps",
    "/claude-usage 7d by key",
    "/claude-usage today by model",
    "/claude-usage 30d",
    "/claude-limits",
    "/claude-balance",
]


def live_text(source: Runtime, command: str) -> str:
    """The answer computed straight from the API, past the cache, without its source line."""
    answers = Answers(AdminBillingData(source.source), UsagePricer(PriceList.default()))
    now = source.now()
    return without_source(render_text(answer(answers, command, now)))


def without_source(text: str) -> str:
    return "\n".join(line for line in text.splitlines() if not line.startswith("source: "))


def without_basis(text: str) -> str:
    """The answer without the note saying which amounts it shows: the cache holds the legacy cost
    report, a cold answer reads the analytics API, and each says so (the amounts are the same)."""
    return "\n".join(line for line in text.splitlines() if not line.startswith("note: Amounts "))


def cost_requests(wire: RequestLog) -> int:
    """Cost requests of either generation (the analytics API, or the legacy cost report)."""
    return wire.count("cost_report") + wire.count("analytics/cost")


@pytest.mark.parametrize("hours", [0, 13], ids=["at midnight", "mid-day"])
def test_warm_answers_say_what_cold_answers_say(opened: OpenSource, wire: RequestLog, hours: int) -> None:
    advance(wire, hours=hours)
    with opened() as source:
        cold = {command: run_command(source, command) for command in COMMANDS}
        source.sync()
        warm = {command: run_command(source, command) for command in COMMANDS}
    for command in COMMANDS:
        assert cold[command].code == 0, cold[command].err
        assert without_basis(warm[command].out) == without_basis(cold[command].out), command


def test_a_warm_answer_pages_only_what_is_newer(opened: OpenSource, wire: RequestLog) -> None:
    advance(wire, hours=5)
    with opened() as source:
        before = cost_requests(wire)
        run_command(source, "/claude-spend 90d by model")
        cold = cost_requests(wire) - before
        source.sync()
        before = cost_requests(wire)
        answer = run_command(source, "/claude-spend 90d by model")
        warm = cost_requests(wire) - before
    # 90 days and the 90 before are six 31-day pages of cost each time, cold; warm, only today's.
    assert cold >= 6 and warm == 1, (cold, warm)
    assert "cost through 2026-11-13 · usage through 05:00 UTC" in answer.out


def test_sync_resumes_where_it_stopped_and_refreshes_the_last_buckets(opened: OpenSource) -> None:
    with opened() as source:
        first = source.sync()
        again = source.sync()
    now = source.now()
    assert [(r.start, r.through) for r in first] == [
        (horizon(now), now.replace(hour=0)),
        (horizon(now), USAGE.complete_through(now)),
    ]
    assert [r.start for r in again] == [r.through - r.feed.reopen for r in first]
    assert again[0].chunks == 1 and again[1].rows > 0


def test_new_usage_reaches_the_cache_on_the_next_sync(
    opened: OpenSource, state: SandboxState, wire: RequestLog
) -> None:
    with opened() as source:
        source.sync()
    advance(wire, hours=30)
    for _ in range(5):
        send(wire)
    with opened() as source:  # a new process: the store file keeps the cache
        (cost, usage) = source.sync()
        assert cost.start == source.now().replace(hour=0) - timedelta(days=1) - COST.reopen
        assert usage.rows > 0
        for command in ("/claude-usage today by model", "/claude-spend 7d by model", "/claude-balance"):
            warm = without_basis(without_source(run_command(source, command).out))
            assert warm == without_basis(live_text(source, command))


def test_a_sync_failing_half_way_keeps_its_finished_chunks_and_answers_stay_true(
    opened: OpenSource, wire: RequestLog
) -> None:
    usage_pages = iter(range(100))
    wire.fail = lambda request: "usage_report" in request.url.path and next(usage_pages) == 3
    with opened() as source:
        with pytest.raises(AdminApiError):
            source.sync()
        wire.fail = lambda _: False
        answer = run_command(source, "/claude-usage 30d by model")
        assert without_source(answer.out) == live_text(source, "/claude-usage 30d by model")
        (_, usage) = source.sync()
        assert usage.start == horizon(source.now()) + 3 * USAGE.chunk - USAGE.reopen  # chunk 4 again


def test_a_failing_tail_is_an_error_not_a_partial_answer(opened: OpenSource, wire: RequestLog) -> None:
    advance(wire, hours=3)  # today has begun: its cost is not in the cache
    with opened() as source:
        source.sync()
        wire.fail = lambda request: "cost" in request.url.path  # either generation's cost endpoint
        outcome = run_command(source, "/claude-spend mtd")
    assert outcome.code == 1 and outcome.out == ""
    assert outcome.err.startswith("error: The Admin API refused the request (400, no, request-id req_fault)")


def advance(wire: RequestLog, *, hours: int) -> None:
    """Move the sandbox's frozen clock forward."""
    with httpx.Client(transport=wire, base_url="http://sandbox.test") as client:
        body = {"advance_seconds": hours * 3600}
        response = client.post("/sandbox/v1/clock", json=body, headers={"x-api-key": ADMIN_KEY})
        assert response.status_code == 200, response.text


def send(wire: RequestLog) -> None:
    """One Messages request, so there is new usage and cost."""
    with httpx.Client(transport=wire, base_url="http://sandbox.test") as client:
        body = {"model": "claude-sonnet-5", "max_tokens": 50, "messages": [{"role": "user", "content": "hi"}]}
        headers = {"x-api-key": API_KEY, "anthropic-version": "2023-06-01"}
        assert client.post("/v1/messages", json=body, headers=headers).status_code == 200


@pytest.mark.parametrize(
    ("command", "what"),
    [("/claude-spend mtd by workspace", "Workspace"), ("/claude-usage 7d by key", "API key")],
)
def test_names_that_cannot_be_listed_are_ids_and_a_note(
    opened: OpenSource, wire: RequestLog, command: str, what: str
) -> None:
    with opened() as source:
        wire.fail = lambda request: request.url.path.endswith(("/workspaces", "/api_keys"))
        outcome = run_command(source, command)
    assert outcome.code == 0, outcome.err
    assert f"note: {what} names were unavailable (the admin api refused the request); showing IDs." in (
        outcome.out
    )
    assert ("wrkspc_" if what == "Workspace" else "apikey_") in outcome.out


def test_spend_by_type_uses_the_words_people_use(opened: OpenSource) -> None:
    with opened() as source:
        outcome = run_command(source, "/claude-spend 30d by type")
    assert outcome.code == 0, outcome.err
    assert "Input, uncached" in outcome.out and "Output" in outcome.out
    assert "_tokens" not in outcome.out and "cache_creation" not in outcome.out
