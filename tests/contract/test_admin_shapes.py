"""Contract: the sandbox's Admin API answers match the documented examples of reference/anthropic-api.md.

§1.7 rate limits (the guide's example, verbatim, and SDK 2.12's entry shape), §1.10 API keys (verbatim),
workspaces and users (the documented field lists), §1.2 the organisation, §2.3 (f) a rate-limit 429.
Every element of every list is checked, not only the first: same keys (or a superset where the sandbox
emits the union of two documented shapes), same JSON types, and null only where the example shows null
or the reference says a field is null (`workspace_id` for the Default workspace, §1.4 and §1.10; the
sandbox applies that to `scope.workspace_id` too, a choice the reference leaves open).
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import httpx
import pytest

from sandbox.api.app import create_app
from sandbox.api.state import SandboxState, ServeOptions
from sandbox.api.transport import SandboxTransport
from sandbox.ratelimit import RateLimits
from tests.contract.billbot_admin_examples import (
    API_KEYS_EXAMPLE,
    RATE_LIMITS_GUIDE_EXAMPLE,
    RATE_LIMITS_SDK_EXAMPLE,
    WORKSPACE_RATE_LIMITS_EXAMPLE,
)
from tests.sandbox.api.conftest import ADMIN_KEY, API_KEY, SMALL

ORG = "/v1/organizations"
NULL_FOR_DEFAULT = {"workspace_id"}
# §1.10 field lists (no JSON example is documented for these two)
WORKSPACE_FIELDS = {
    "id": "wrkspc_x",
    "type": "workspace",
    "name": "Apps",
    "display_color": "#6C5BB9",
    "created_at": "2024-10-30T23:58:27Z",
    "archived_at": None,
    "data_residency": {
        "workspace_geo": "us",
        "allowed_inference_geos": None,
        "default_inference_geo": "global",
    },
}
USER_FIELDS = {"id": "user_x", "type": "user", "email": "a@b.c", "name": "A", "role": "user", "added_at": "x"}
# §2.3 (f), verbatim but for the message, which test_ratelimit checks word for word
RATE_LIMITED = json.loads(
    '{"type":"error","error":{"type":"rate_limit_error","message":"This request would exceed the rate '
    'limit for your organization (1815e560-bf0c-433e-b03a-793524e11fda) of 50,000 input tokens per minute."}}'
)


def conforms(doc: Any, actual: Any, *, superset: bool = False, where: str = "$") -> None:
    """Fail naming the path where `actual` departs from the documented `doc` (see the module rules)."""
    if doc is None or (actual is None and where.rsplit(".", 1)[-1] in NULL_FOR_DEFAULT):
        return  # null shown or documented: null or a value are both allowed
    if isinstance(doc, dict):
        assert isinstance(actual, dict), f"{where}: expected an object, got {actual!r}"
        missing, extra = set(doc) - set(actual), set(actual) - set(doc)
        assert not missing, f"{where}: missing {sorted(missing)}"
        assert superset or not extra, f"{where}: undocumented {sorted(extra)}"
        for key, value in doc.items():
            conforms(value, actual[key], superset=superset, where=f"{where}.{key}")
    elif isinstance(doc, list):
        assert isinstance(actual, list), f"{where}: expected a list, got {actual!r}"
        for index, item in enumerate(actual):
            conforms(doc[0], item, superset=superset, where=f"{where}[{index}]")
    else:
        assert type(actual) is type(doc), f"{where}: expected {type(doc).__name__}, got {actual!r}"


@pytest.fixture(scope="module")
def admin(tmp_path_factory: pytest.TempPathFactory) -> Iterator[httpx.Client]:
    path = tmp_path_factory.mktemp("contract") / "small.toml"
    path.write_text(SMALL + '\n[rate_limits]\n"haiku-4-5" = { rpm = 3 }\n')
    state = SandboxState(ServeOptions(str(path), 1, 0, (ADMIN_KEY,), (API_KEY,)))
    apps = next(w for w in state.world.org.workspaces.values() if w.name == "Apps")
    state.world.limiter.configure(("ws", apps.id, "sonnet-5"), RateLimits(100, 200_000, None))
    transport = SandboxTransport(create_app(state))
    headers = {"x-api-key": ADMIN_KEY}
    with httpx.Client(transport=transport, base_url="http://sandbox", headers=headers) as client:
        yield client


def test_rate_limits_carry_both_documented_entry_shapes(admin: httpx.Client) -> None:
    body = admin.get(f"{ORG}/rate_limits").json()
    groups = {entry["group_type"] for entry in body["data"]}
    assert groups == {"model_group", "batch"}
    for example in (RATE_LIMITS_GUIDE_EXAMPLE, RATE_LIMITS_SDK_EXAMPLE):
        documented = json.loads(example)
        for entry in body["data"]:
            # compare each entry with the documented entry of its own group type
            same_kind = [d for d in documented["data"] if _kind(d) == entry["group_type"]]
            conforms({**documented, "data": same_kind}, {**body, "data": [entry]}, superset=True)
    batch = admin.get(f"{ORG}/rate_limits", params={"group_type": "batch"}).json()["data"]
    assert batch == [e for e in body["data"] if e["group_type"] == "batch"]
    assert batch[0]["models"] is None and batch[0]["limits"] == [
        {"type": "enqueued_batch_requests", "value": 300_000}
    ]


def _kind(entry: dict[str, Any]) -> str:
    return str(entry.get("group_type") or entry["group"]["type"])


def test_workspace_overrides_match_the_documented_shape(admin: httpx.Client) -> None:
    apps = next(w for w in admin.get(f"{ORG}/workspaces").json()["data"] if w["name"] == "Apps")
    body = admin.get(f"{ORG}/workspaces/{apps['id']}/rate_limits").json()
    assert [entry["type"] for entry in body["data"]] == ["workspace_rate_limit"]
    conforms(json.loads(WORKSPACE_RATE_LIMITS_EXAMPLE), body, superset=True)


def test_api_keys_match_the_documented_example(admin: httpx.Client) -> None:
    body = admin.get(f"{ORG}/api_keys", params={"limit": 1000}).json()
    conforms(json.loads(API_KEYS_EXAMPLE), body)
    in_a_workspace = [key for key in body["data"] if key["workspace_id"] is not None]
    assert in_a_workspace and all(k["scope"]["workspace_id"] == k["workspace_id"] for k in in_a_workspace)


def test_workspaces_users_and_me_have_the_documented_fields(admin: httpx.Client) -> None:
    workspaces = admin.get(f"{ORG}/workspaces", params={"include_default": "true"}).json()
    paging = {"has_more": False, "first_id": "x", "last_id": "x"}
    conforms({"data": [WORKSPACE_FIELDS], **paging}, workspaces)
    assert "Default" in {w["name"] for w in workspaces["data"]}
    conforms({"data": [USER_FIELDS], **paging}, admin.get(f"{ORG}/users").json())
    conforms({"id": "x", "type": "organization", "name": "x"}, admin.get(f"{ORG}/me").json())


def test_a_rate_limited_request_has_the_documented_body(admin: httpx.Client) -> None:
    request = {"model": "claude-haiku-4-5", "max_tokens": 8, "messages": [{"role": "user", "content": "hi"}]}
    answers = [admin.post("/v1/messages", json=request, headers={"x-api-key": API_KEY}) for _ in range(4)]
    limited = answers[-1]
    assert [a.status_code for a in answers] == [200, 200, 200, 429]
    conforms(RATE_LIMITED, limited.json(), superset=True)  # the sandbox adds the documented request_id
    assert limited.json()["request_id"] == limited.headers["request-id"]
    assert int(limited.headers["retry-after"]) > 0


def test_the_checker_notices_a_departure() -> None:
    with pytest.raises(AssertionError, match=r"\$\.data\[1\]\.id: expected str"):
        conforms({"data": [{"id": "x"}]}, {"data": [{"id": "a"}, {"id": 3}]})
    with pytest.raises(AssertionError, match="undocumented"):
        conforms({"id": "x"}, {"id": "x", "secret": "y"})
