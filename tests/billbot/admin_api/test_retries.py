"""Retries under faults: which failures are tried again, how long the client waits, and when it stops.

Time is virtual: the client sleeps through `FakeTime`, so every wait is recorded and none is real.
"""

from __future__ import annotations

import random

import pytest

from billbot.admin_api import (
    AdminApiError,
    AuthenticationFailed,
    ConnectionFailed,
    DeadlineExceeded,
    InvalidRequest,
    MalformedResponse,
    NotFound,
    PermissionDenied,
    RateLimited,
    ServerError,
)
from tests.billbot.admin_api.conftest import MakeClient
from tests.billbot.admin_api.faults import FakeTime, html, refused, status, timeout, truncated


def test_429_waits_exactly_the_retry_after_then_succeeds(
    make_client: MakeClient, fake_time: FakeTime
) -> None:
    client, wire = make_client([status(429, "rate_limit_error", retry_after="7")])
    assert client.me().name == "small"
    assert fake_time.sleeps == [7.0] and len(wire.requests) == 2


def test_retry_after_is_capped_at_60_seconds(make_client: MakeClient, fake_time: FakeTime) -> None:
    client, _ = make_client(
        [
            status(429, "rate_limit_error", retry_after="600"),
            status(529, "overloaded_error", retry_after="61"),
        ],
        deadline_seconds=300,
    )
    client.me()
    assert fake_time.sleeps == [60.0, 60.0]


def test_server_errors_back_off_exponentially_with_full_jitter(
    make_client: MakeClient, fake_time: FakeTime
) -> None:
    faults = [status(500), status(502), status(503), status(504)]
    client, wire = make_client(faults, rng=random.Random(11))
    assert client.me().name == "small"
    assert len(wire.requests) == 5
    draw = random.Random(11)  # full jitter: uniform in [0, min(8, 0.5 · 2ⁿ)]
    assert fake_time.sleeps == [
        draw.uniform(0, 0.5),
        draw.uniform(0, 1.0),
        draw.uniform(0, 2.0),
        draw.uniform(0, 4.0),
    ]


def test_backoff_never_exceeds_the_8_second_cap(make_client: MakeClient, fake_time: FakeTime) -> None:
    client, _ = make_client([status(503)] * 12, max_retries=12, deadline_seconds=1000)
    client.me()
    assert len(fake_time.sleeps) == 12 and max(fake_time.sleeps) <= 8.0
    assert max(fake_time.sleeps[6:]) > 4.0  # the later waits do reach past the earlier ceilings


def test_when_retries_run_out_the_last_failure_is_raised(
    make_client: MakeClient, fake_time: FakeTime
) -> None:
    client, wire = make_client([status(529, "overloaded_error", message="Overloaded")] * 10)
    with pytest.raises(ServerError) as caught:
        client.me()
    assert len(wire.requests) == 5 and len(fake_time.sleeps) == 4  # max_retries=4
    error = caught.value
    assert (error.status, error.error_type, error.message, error.request_id) == (
        529,
        "overloaded_error",
        "Overloaded",
        "req_fault_529",
    )
    assert str(error) == (
        "The Admin API failed on its side for GET /v1/organizations/me "
        "(529 overloaded_error: Overloaded; request-id req_fault_529)."
    )


def test_rate_limited_keeps_the_servers_hint(make_client: MakeClient) -> None:
    client, _ = make_client([status(429, "rate_limit_error", retry_after="3")] * 2, max_retries=1)
    with pytest.raises(RateLimited) as caught:
        client.me()
    assert (caught.value.status, caught.value.retry_after) == (429, 3.0)


@pytest.mark.parametrize(
    ("code", "error_type", "exception"),
    [
        (400, "invalid_request_error", InvalidRequest),
        (401, "authentication_error", AuthenticationFailed),
        (402, "billing_error", AdminApiError),
        (403, "permission_error", PermissionDenied),
        (404, "not_found_error", NotFound),
        (
            413,
            "request_too_large",
            AdminApiError,
        ),  # 409 is retried since the SDK rules (test_sdk_retry_rules)
    ],
)
def test_other_4xx_are_never_retried(
    make_client: MakeClient, fake_time: FakeTime, code: int, error_type: str, exception: type[AdminApiError]
) -> None:
    client, wire = make_client([status(code, error_type)])
    with pytest.raises(exception) as caught:
        client.me()
    assert type(caught.value) is exception
    assert len(wire.requests) == 1 and fake_time.sleeps == []
    assert (caught.value.status, caught.value.error_type, caught.value.request_id) == (
        code,
        error_type,
        f"req_fault_{code}",
    )


def test_timeouts_and_refused_connections_are_retried(make_client: MakeClient, fake_time: FakeTime) -> None:
    client, wire = make_client([timeout(), refused(), timeout()])
    assert client.me().name == "small"
    assert len(wire.requests) == 4 and len(fake_time.sleeps) == 3


def test_a_connection_that_never_answers_is_connection_failed(make_client: MakeClient) -> None:
    client, wire = make_client([timeout()] * 5)
    with pytest.raises(ConnectionFailed) as caught:
        client.me()
    assert len(wire.requests) == 5
    assert caught.value.status is None
    assert str(caught.value) == (
        "Could not reach the Admin API for GET /v1/organizations/me "
        "(timed out (ReadTimeout); request-id none)."
    )


def test_a_proxy_error_page_is_a_server_error_and_retried(make_client: MakeClient) -> None:
    client, wire = make_client([html(502)])
    assert client.me().name == "small" and len(wire.requests) == 2


def test_truncated_json_is_malformed_and_not_retried(make_client: MakeClient, fake_time: FakeTime) -> None:
    client, wire = make_client([truncated()])
    with pytest.raises(MalformedResponse) as caught:
        client.me()
    assert len(wire.requests) == 1 and fake_time.sleeps == []
    assert (
        caught.value.status == 200 and caught.value.request_id and caught.value.request_id.startswith("req_")
    )
    assert "not valid JSON (truncated?)" in str(caught.value)


def test_the_deadline_stops_a_wait_that_would_overrun_it(
    make_client: MakeClient, fake_time: FakeTime
) -> None:
    client, wire = make_client([status(429, "rate_limit_error", retry_after="30")], deadline_seconds=20)
    with pytest.raises(DeadlineExceeded) as caught:
        client.me()
    assert fake_time.sleeps == [] and len(wire.requests) == 1  # gives up now rather than sleep past it
    assert caught.value.status == 429 and caught.value.request_id == "req_fault_429"
    assert isinstance(caught.value.last_failure, RateLimited)
    assert str(caught.value) == (
        "Gave up waiting on the Admin API for GET /v1/organizations/me (429 rate_limit_error: the 20 s "
        "deadline would pass during a 30.0 s wait after 1 attempt(s); request-id req_fault_429)."
    )


def test_the_deadline_spans_every_attempt(make_client: MakeClient, fake_time: FakeTime) -> None:
    stalls = [timeout(after=6.0, time=fake_time)] * 10
    client, wire = make_client(stalls, deadline_seconds=20, max_retries=10)
    started = fake_time.now
    with pytest.raises(DeadlineExceeded):
        client.me()
    assert fake_time.now - started <= 20 + 6.0  # at most one stalled attempt past the line
    assert 2 <= len(wire.requests) <= 4


def test_a_per_call_deadline_restarts_for_the_next_call(make_client: MakeClient, fake_time: FakeTime) -> None:
    limited = status(429, "rate_limit_error", retry_after="15")
    client, _ = make_client([limited, None, limited], deadline_seconds=20)
    client.me()
    client.me()
    assert fake_time.sleeps == [15.0, 15.0]
