"""billbot retries as the official SDK (2.17) does: 408, 409, 429 and 5xx, and `x-should-retry` first."""

from __future__ import annotations

import httpx
import pytest

from billbot.admin_api import AdminApiError, InvalidRequest, ServerError
from tests.billbot.admin_api.conftest import MakeClient
from tests.billbot.admin_api.faults import FakeTime, Fault


def answer(code: int, error_type: str, **headers: str) -> Fault:
    """An Anthropic-shaped error with the given headers (`x_should_retry` → `x-should-retry`)."""

    def fault(request: httpx.Request, inner: httpx.BaseTransport) -> httpx.Response:
        body = {"type": "error", "error": {"type": error_type, "message": "m"}, "request_id": "req_r"}
        sent = {name.replace("_", "-"): value for name, value in headers.items()}
        return httpx.Response(code, json=body, headers={"request-id": "req_r", **sent})

    return fault


@pytest.mark.parametrize(("code", "error_type"), [(408, "timeout_error"), (409, "conflict_error")])
def test_408_and_409_are_retried(
    make_client: MakeClient, fake_time: FakeTime, code: int, error_type: str
) -> None:
    client, wire = make_client([answer(code, error_type)])
    assert client.me().name == "small"
    assert len(wire.requests) == 2 and len(fake_time.sleeps) == 1


def test_x_should_retry_true_retries_even_a_400(make_client: MakeClient) -> None:
    client, wire = make_client([answer(400, "invalid_request_error", x_should_retry="true")])
    assert client.me().name == "small" and len(wire.requests) == 2


@pytest.mark.parametrize(
    ("code", "error_type"), [(503, "api_error"), (429, "rate_limit_error"), (409, "conflict_error")]
)
def test_x_should_retry_false_stops_even_a_retryable_status(
    make_client: MakeClient, fake_time: FakeTime, code: int, error_type: str
) -> None:
    client, wire = make_client([answer(code, error_type, x_should_retry="false")])
    with pytest.raises(AdminApiError) as caught:
        client.me()
    assert caught.value.status == code and len(wire.requests) == 1 and fake_time.sleeps == []


def test_a_final_400_stays_a_400(make_client: MakeClient) -> None:
    client, wire = make_client([answer(400, "invalid_request_error", x_should_retry="maybe")])
    with pytest.raises(InvalidRequest):
        client.me()
    assert len(wire.requests) == 1


def test_every_5xx_is_retried_and_retry_after_ms_is_honoured(
    make_client: MakeClient, fake_time: FakeTime
) -> None:
    client, wire = make_client([answer(501, "api_error", retry_after_ms="250"), answer(599, "api_error")])
    assert client.me().name == "small"
    assert len(wire.requests) == 3 and fake_time.sleeps[0] == 0.25


def test_retries_run_out_on_a_persistent_409(make_client: MakeClient) -> None:
    client, wire = make_client([answer(409, "conflict_error")] * 10, max_retries=2)
    with pytest.raises(AdminApiError) as caught:
        client.me()
    assert caught.value.status == 409 and len(wire.requests) == 3
    assert not isinstance(caught.value, ServerError)
