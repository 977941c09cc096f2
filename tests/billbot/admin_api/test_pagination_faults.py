"""A listing that fails part-way is never returned as complete: `IncompleteResult`, with what arrived."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from billbot.admin_api import (
    AuthenticationFailed,
    DeadlineExceeded,
    IncompleteResult,
    MalformedResponse,
    ServerError,
)
from billbot.admin_api.models import ApiKey
from tests.billbot.admin_api.conftest import MakeClient
from tests.billbot.admin_api.faults import FakeTime, body, slow, status, truncated

START = datetime(2026, 11, 10, tzinfo=UTC)
ENTRY: dict[str, object] = {"type": "rate_limit", "group_type": "batch", "models": None, "limits": []}


def test_a_page_failing_for_good_half_way_raises_incomplete_with_the_partial_items(
    make_client: MakeClient,
) -> None:
    client, wire = make_client([None, *[status(500)] * 5])
    with pytest.raises(IncompleteResult) as caught:
        client.list_api_keys(limit=1)
    error = caught.value
    assert error.pages == 1 and len(error.partial) == 1 and isinstance(error.partial[0], ApiKey)
    assert isinstance(error.cause, ServerError)
    assert (error.status, error.request_id) == (500, "req_fault_500")
    assert len(wire.requests) == 6
    assert str(error) == (
        "The Admin API result is incomplete for GET /v1/organizations/api_keys: it stopped after 1 page "
        "(1 item) because page 2 failed: The Admin API failed on its side for GET /v1/organizations/api_keys "
        "(500 api_error: boom; request-id req_fault_500)."
    )


def test_a_page_that_recovers_on_retry_gives_the_whole_listing(
    make_client: MakeClient, fake_time: FakeTime
) -> None:
    clean = make_client()[0].list_api_keys(limit=1)
    client, _ = make_client([None, status(503), None, status(429, "rate_limit_error", retry_after="2")])
    assert client.list_api_keys(limit=1) == clean
    assert len(fake_time.sleeps) == 2 and fake_time.sleeps[1] == 2.0


def test_a_truncated_report_page_half_way_is_incomplete(make_client: MakeClient) -> None:
    client, _ = make_client([None, truncated()])
    with pytest.raises(IncompleteResult) as caught:
        client.cost_report(START, limit=1)
    assert isinstance(caught.value.cause, MalformedResponse)
    assert caught.value.pages == 1 and len(caught.value.partial) == 1


def test_a_401_half_way_is_incomplete_and_keeps_its_cause(make_client: MakeClient) -> None:
    client, _ = make_client([None, None, status(401, "authentication_error")])
    with pytest.raises(IncompleteResult) as caught:
        client.usage_report(START, bucket_width="1h", limit=3)
    assert isinstance(caught.value.cause, AuthenticationFailed) and caught.value.status == 401
    assert caught.value.pages == 2 and len(caught.value.partial) == 6


def test_a_failing_first_page_is_the_plain_error(make_client: MakeClient) -> None:
    client, _ = make_client([status(500)] * 5)
    with pytest.raises(ServerError):
        client.list_users(limit=1)


def test_more_promised_without_a_cursor_is_incomplete(make_client: MakeClient) -> None:
    client, _ = make_client([body({"data": [], "has_more": True, "next_page": None})])
    with pytest.raises(IncompleteResult, match="gave no next_page"):
        client.cost_report(START)
    client, _ = make_client([body({"data": [], "has_more": True, "first_id": None, "last_id": None})])
    with pytest.raises(IncompleteResult, match="gave no last_id"):
        client.list_workspaces()


def test_a_repeated_cursor_is_incomplete_not_an_endless_loop(make_client: MakeClient) -> None:
    page = body({"data": [ENTRY], "next_page": "page_same"})
    client, wire = make_client([page, page, page])
    with pytest.raises(IncompleteResult, match="repeated the next_page") as caught:
        client.rate_limits()
    assert len(wire.requests) == 2 and len(caught.value.partial) == 2


def test_the_deadline_spans_pages(make_client: MakeClient, fake_time: FakeTime) -> None:
    client, wire = make_client([slow(4.0, fake_time)] * 10, deadline_seconds=10)
    with pytest.raises(IncompleteResult) as caught:
        client.list_api_keys(limit=1)
    assert isinstance(caught.value.cause, DeadlineExceeded)
    assert caught.value.pages == 3 and len(wire.requests) == 3
