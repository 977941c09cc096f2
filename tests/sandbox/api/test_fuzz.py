"""Fuzzing the sandbox's HTTP surface: whatever a client sends, the answer is never a 500."""

from __future__ import annotations

import httpx
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.sandbox.api.conftest import API_KEY, Query

GET_PATHS = [
    "/v1/organizations/me",
    "/v1/organizations/api_keys",
    "/v1/organizations/workspaces",
    "/v1/organizations/users",
    "/v1/organizations/rate_limits",
    "/v1/organizations/usage_report/messages",
    "/v1/organizations/cost_report",
    "/v1/organizations/usage_report/claude_code",
    "/sandbox/v1/requests",
]
NAMES = [
    "starting_at", "ending_at", "bucket_width", "limit", "page", "group_by[]", "models[]", "api_key_ids[]",
    "after_id", "before_id", "status", "include_default", "roles[]", "model", "group_type", "outcome", "x",
]  # fmt: skip
VALUES = st.one_of(
    st.sampled_from(
        ["2026-11-10T00:00:00Z", "2026-11-10", "1m", "1h", "1d", "0", "31", "-1", "true", "model", "page_e30"]
    ),
    st.text(max_size=30),
)
FUZZ = settings(max_examples=150, suppress_health_check=[HealthCheck.function_scoped_fixture], deadline=None)


@FUZZ
@given(
    path=st.sampled_from(GET_PATHS), params=st.lists(st.tuples(st.sampled_from(NAMES), VALUES), max_size=6)
)
def test_any_query_is_answered_without_a_500(admin: httpx.Client, path: str, params: Query) -> None:
    response = admin.get(path, params=params)
    assert response.status_code in (200, 400, 404), response.text
    if response.status_code != 200:
        body = response.json()
        assert body["type"] == "error" and body["request_id"] == response.headers["request-id"]
        if response.status_code == 400:
            assert body["error"]["type"] == "invalid_request_error"


JSON = st.recursive(
    st.none()
    | st.booleans()
    | st.integers()
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(max_size=20),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=12), inner, max_size=4),
    max_leaves=12,
)
MESSAGE_FIELDS = st.fixed_dictionaries(
    {},
    optional={
        "model": st.sampled_from(["claude-sonnet-5", "claude-nope"]) | st.text(max_size=10),
        "max_tokens": st.integers(-5, 200_000) | JSON,
        "messages": st.just([{"role": "user", "content": "hi"}]) | JSON,
        "stream": st.booleans() | JSON,
        "system": JSON,
        "tools": JSON,
    },
)


@FUZZ
@given(body=MESSAGE_FIELDS | JSON, raw=st.binary(max_size=40), use_raw=st.booleans())
def test_any_messages_body_is_answered_without_a_500(
    admin: httpx.Client, body: object, raw: bytes, use_raw: bool
) -> None:
    headers = {"x-api-key": API_KEY, "content-type": "application/json"}
    if use_raw:
        response = admin.post("/v1/messages", content=raw, headers=headers)
    else:
        response = admin.post("/v1/messages", json=body, headers=headers)
    assert response.status_code < 500 or response.status_code == 529, response.text


@FUZZ
@given(path=st.text(alphabet="abcdefghijklmnopqrstuvwxyz/_-.0123456789", max_size=40))
def test_unknown_paths_are_404_not_found(admin: httpx.Client, path: str) -> None:
    response = admin.get("/v1/x/" + path)
    assert response.status_code == 404 and response.json()["error"]["type"] == "not_found_error"


CONTROL = [
    ("POST", "/sandbox/v1/topups"),
    ("PUT", "/sandbox/v1/auto_reload"),
    ("PUT", "/sandbox/v1/spend_limits"),
    ("PUT", "/sandbox/v1/tier"),
    ("POST", "/sandbox/v1/clock"),
    ("PUT", "/sandbox/v1/faults"),
    ("POST", "/v1/messages/count_tokens"),
]
CONTROL_FIELDS = st.dictionaries(
    st.sampled_from(["amount", "enabled", "minimum", "target", "organization_usd", "tier", "advance_seconds"])
    | st.text(max_size=8),
    JSON,
    max_size=4,
)


@FUZZ
@given(
    route=st.sampled_from(CONTROL),
    body=CONTROL_FIELDS | JSON,
    raw=st.binary(max_size=30),
    use_raw=st.booleans(),
)
def test_any_control_or_count_tokens_body_is_a_client_error_at_worst(
    admin: httpx.Client, route: tuple[str, str], body: object, raw: bytes, use_raw: bool
) -> None:
    method, path = route
    headers = {"content-type": "application/json"} | (
        {"x-api-key": API_KEY} if "count_tokens" in path else {}
    )
    if use_raw:
        response = admin.request(method, path, content=raw, headers=headers)
    else:
        response = admin.request(method, path, json=body, headers=headers)
    assert response.status_code in (200, 400, 404, 413), response.text
    if response.status_code == 400:
        error = response.json()["error"]
        assert error["type"] == "invalid_request_error" and error["message"], response.text
