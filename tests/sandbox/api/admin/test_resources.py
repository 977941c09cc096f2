"""Admin API resources over the in-process transport: shapes, id cursors, filters, auth, errors."""

from __future__ import annotations

import httpx

from sandbox.api.state import SandboxState
from tests.sandbox.api.conftest import API_KEY

ORG = "/v1/organizations"


def test_me_names_the_simulated_organisation(admin: httpx.Client, state: SandboxState) -> None:
    response = admin.get(f"{ORG}/me")
    assert response.status_code == 200
    assert response.json() == {"id": state.world.org.id, "type": "organization", "name": "small"}
    assert response.headers["request-id"].startswith("req_")


def test_api_keys_page_by_id_cursor_to_the_end_without_repeats(admin: httpx.Client) -> None:
    seen: list[str] = []
    page = admin.get(f"{ORG}/api_keys", params={"limit": 2}).json()
    while True:
        seen += [key["id"] for key in page["data"]]
        assert page["first_id"] == page["data"][0]["id"] and page["last_id"] == page["data"][-1]["id"]
        if not page["has_more"]:
            break
        page = admin.get(f"{ORG}/api_keys", params={"limit": 2, "after_id": page["last_id"]}).json()
    assert len(seen) == len(set(seen)) == 5  # 1 Default + 2 Apps + 1 Batch + the --api-key
    back = admin.get(f"{ORG}/api_keys", params={"limit": 2, "before_id": seen[4]}).json()
    assert [key["id"] for key in back["data"]] == seen[2:4] and back["has_more"]


def test_api_key_shape_hides_the_secret_and_marks_the_default_workspace(admin: httpx.Client) -> None:
    keys = admin.get(f"{ORG}/api_keys", params={"limit": 100}).json()["data"]
    cli_key = next(key for key in keys if key["name"] == "sandbox serve --api-key")
    assert cli_key["workspace_id"] is None
    assert cli_key["scope"] == {"type": "workspace", "workspace_id": None}
    assert API_KEY not in str(keys)
    assert cli_key["partial_key_hint"].endswith(API_KEY[-4:])
    one = admin.get(f"{ORG}/api_keys/{cli_key['id']}").json()
    assert one == cli_key


def test_key_filters_by_workspace_and_reject_bad_values(admin: httpx.Client, state: SandboxState) -> None:
    apps = state.world.org.workspace_by_name("Apps").id
    keys = admin.get(f"{ORG}/api_keys", params={"workspace_id": apps}).json()["data"]
    assert {key["workspace_id"] for key in keys} == {apps} and len(keys) == 2
    bad = admin.get(f"{ORG}/api_keys", params={"status": "deleted"})
    assert bad.status_code == 400
    assert bad.json()["error"] == {
        "type": "invalid_request_error",
        "message": "status: must be one of active, inactive, archived, expired, got 'deleted'",
    }


def test_workspaces_include_default_only_when_asked(admin: httpx.Client) -> None:
    names = [w["name"] for w in admin.get(f"{ORG}/workspaces").json()["data"]]
    assert names == ["Apps", "Batch"]
    with_default = admin.get(f"{ORG}/workspaces", params={"include_default": "true"}).json()["data"]
    assert [w["name"] for w in with_default] == ["Default", "Apps", "Batch"]


def test_users_filter_by_role(admin: httpx.Client) -> None:
    users = admin.get(f"{ORG}/users", params=[("roles[]", "admin")]).json()["data"]
    assert [user["role"] for user in users] == ["admin"]
    assert set(users[0]) == {"id", "type", "email", "name", "role", "added_at"}


def test_paging_mistakes_are_400s_that_name_the_parameter(admin: httpx.Client) -> None:
    cases = {
        "limit=0": "limit: must be between 1 and 1000, got 0",
        "limit=x": "limit: expected an integer, got 'x'",
        "after_id=apikey_nope": "after_id: no item with id 'apikey_nope'",
        "after_id=a&before_id=b": "before_id and after_id cannot both be given",
        "colour=red": "colour: unknown query parameter",
    }
    for query, message in cases.items():
        response = admin.get(f"{ORG}/api_keys?{query}")
        assert (response.status_code, response.json()["error"]["message"]) == (400, message)
        assert response.json()["request_id"] == response.headers["request-id"]


def test_admin_paths_need_an_admin_key(admin: httpx.Client) -> None:
    missing = admin.get(f"{ORG}/me", headers={"x-api-key": ""})
    assert (missing.status_code, missing.json()["error"]["type"]) == (401, "authentication_error")
    unknown = admin.get(f"{ORG}/me", headers={"x-api-key": "sk-ant-admin01-nope"})
    assert unknown.json()["error"] == {"type": "authentication_error", "message": "invalid x-api-key"}
    api_key = admin.get(f"{ORG}/me", headers={"x-api-key": API_KEY})
    assert (api_key.status_code, api_key.json()["error"]["type"]) == (403, "permission_error")
    bearer = admin.get(
        f"{ORG}/me", headers={"x-api-key": "", "authorization": "Bearer " + admin.headers["x-api-key"]}
    )
    assert bearer.status_code == 200


def test_unknown_paths_and_methods_get_the_api_error_shape(admin: httpx.Client) -> None:
    missing = admin.get("/v1/organizations/balance")  # the real API has no balance endpoint either
    assert missing.status_code == 404
    assert missing.json()["error"]["type"] == "not_found_error"
    wrong_method = admin.delete(f"{ORG}/me")
    assert wrong_method.status_code == 405
    assert wrong_method.json()["request_id"] == wrong_method.headers["request-id"]


def test_rate_limits_follow_the_tier_and_filter_by_model(admin: httpx.Client) -> None:
    groups = admin.get(f"{ORG}/rate_limits").json()
    assert groups["next_page"] is None
    sonnet = admin.get(f"{ORG}/rate_limits", params={"model": "claude-sonnet-5"}).json()["data"]
    assert len(sonnet) == 1 and "claude-sonnet-5" in sonnet[0]["models"]
    before = {limit["type"]: limit["value"] for limit in sonnet[0]["limits"]}
    assert admin.put("/sandbox/v1/tier", json={"tier": "Scale"}).status_code == 200
    after_entry = admin.get(f"{ORG}/rate_limits", params={"model": "claude-sonnet-5"}).json()["data"][0]
    after = {limit["type"]: limit["value"] for limit in after_entry["limits"]}
    assert after["requests_per_minute"] > before["requests_per_minute"]
    unknown = admin.get(f"{ORG}/rate_limits", params={"model": "claude-nope"})
    assert unknown.status_code == 404


def test_the_async_transport_serves_the_same_app(state: SandboxState) -> None:
    import asyncio

    from sandbox.api.app import create_app
    from sandbox.api.transport import async_transport
    from tests.sandbox.api.conftest import ADMIN_KEY

    async def fetch() -> httpx.Response:
        transport = async_transport(create_app(state))
        async with httpx.AsyncClient(transport=transport, base_url="http://sandbox") as client:
            return await client.get(f"{ORG}/me", headers={"x-api-key": ADMIN_KEY})

    response = asyncio.run(fetch())
    assert response.status_code == 200 and response.json()["name"] == "small"
