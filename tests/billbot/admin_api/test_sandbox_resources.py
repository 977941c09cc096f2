"""billbot's client against the in-process sandbox: me, keys, workspaces, users, rate limits, state.

Small page sizes force many pages: every listing must come back whole, in order, without repeats.
"""

from __future__ import annotations

import pytest

from billbot.admin_api import AdminClient, AuthenticationFailed, InvalidRequest, NotFound
from sandbox.api.state import SandboxState
from tests.billbot.admin_api.conftest import ADMIN_KEY, MakeClient

ORG = "/v1/organizations"


def test_me_sends_the_key_and_version_headers(make_client: MakeClient, state: SandboxState) -> None:
    client, wire = make_client()
    org = client.me()
    assert (org.id, org.name, org.type) == (state.world.org.id, "small", "organization")
    sent = wire.requests[0].headers
    assert sent["x-api-key"] == ADMIN_KEY and sent["anthropic-version"] == "2023-06-01"


@pytest.mark.parametrize("limit", [1, 2, 1000])
def test_api_keys_follow_the_id_cursor_to_the_end(
    make_client: MakeClient, state: SandboxState, limit: int
) -> None:
    client, wire = make_client()
    keys = client.list_api_keys(limit=limit)
    expected = {key.id for key in state.world.org.api_keys.values()}
    assert [key.id for key in keys] and {key.id for key in keys} == expected
    assert len(keys) == len(expected) == 4  # no repeats: 1 Default + 2 Apps + 1 Batch
    assert len(wire.requests) == -(-len(expected) // limit)
    assert all(f"after_id={keys[i * limit - 1].id}" in path for i, path in enumerate(wire.paths) if i)


def test_api_key_filters_reach_the_wire(client: AdminClient, state: SandboxState) -> None:
    apps = state.world.org.workspace_by_name("Apps").id
    keys = client.list_api_keys(workspace_id=apps, status="active", limit=1)
    assert len(keys) == 2 and {key.workspace for key in keys} == {apps}
    with pytest.raises(InvalidRequest) as caught:
        client.list_api_keys(status="deleted")
    assert caught.value.status == 400 and "status: must be one of" in str(caught.value)


def test_workspaces_page_one_at_a_time_and_the_default_only_when_asked(client: AdminClient) -> None:
    assert [w.name for w in client.list_workspaces(limit=1)] == ["Apps", "Batch"]
    assert [w.name for w in client.list_workspaces(limit=1, include_default=True)] == [
        "Default",
        "Apps",
        "Batch",
    ]


def test_users_page_and_filter_by_repeated_bracketed_roles(make_client: MakeClient) -> None:
    client, wire = make_client()
    everyone = client.list_users(limit=1)
    assert len(everyone) == len({user.id for user in everyone}) == 3
    admins = client.list_users(roles=["admin", "billing"], limit=2)
    assert {user.role for user in admins} <= {"admin", "billing"} and admins
    assert "roles%5B%5D=admin&roles%5B%5D=billing" in wire.paths[-1]


def test_rate_limits_in_one_page_and_by_model(client: AdminClient) -> None:
    entries = client.rate_limits()
    sonnet = [entry for entry in entries if "claude-sonnet-5" in (entry.models or [])]
    assert len(sonnet) == 1 and sonnet[0].kind == "model_group"
    assert sonnet[0].limit("requests_per_minute") == client.rate_limits(model="claude-sonnet-5")[0].limit(
        "requests_per_minute"
    )
    with pytest.raises(NotFound) as caught:
        client.rate_limits(model="claude-nope")
    assert caught.value.status == 404 and caught.value.request_id


def test_workspace_rate_limits_are_overrides_only(client: AdminClient, state: SandboxState) -> None:
    apps = state.world.org.workspace_by_name("Apps").id
    assert client.workspace_rate_limits(apps) == []
    with pytest.raises(NotFound):
        client.workspace_rate_limits("wrkspc_nope/../me")  # quoted: it stays one path segment


def test_get_reads_the_sandbox_state(client: AdminClient) -> None:
    state = client.get("/sandbox/v1/state")
    assert state["simulated"] is True and state["organization"]["name"] == "small"


def test_a_key_the_sandbox_does_not_know_is_401(make_client: MakeClient) -> None:
    client, wire = make_client(key="sk-ant-admin01-unknown")
    with pytest.raises(AuthenticationFailed) as caught:
        client.me()
    assert (caught.value.status, caught.value.error_type) == (401, "authentication_error")
    assert str(caught.value).startswith("The Admin API rejected the key for GET /v1/organizations/me (401")
    assert len(wire.requests) == 1  # never retried
