"""Contract: the Rate Limits API in its GA shape (reference addendum §3, SDK 2.17), on both sides.

Examples built from the addendum's field lists (no JSON is documented): under `anthropic-version:
2026-10-21` an entry is exactly `{id, type, group, limits, models}` (the deprecated `group_type` copy is
gone), a workspace entry `{type, workspace_id, rate_limit_id, group, models, limits}` with each limiter's
`org_limit` and `source`; a set `limit` pages. billbot's client reads both generations.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import httpx
import pytest
from pydantic import SecretStr

from billbot.admin_api.client import AdminClient
from sandbox.api.app import create_app
from sandbox.api.state import SandboxState, ServeOptions
from sandbox.api.transport import SandboxTransport
from tests.contract.test_admin_shapes import conforms
from tests.sandbox.api.conftest import ADMIN_KEY, API_KEY, SMALL

ORG = "/v1/organizations"
GA = {"anthropic-version": "2026-10-21"}
ORG_ENTRY_EXAMPLE = json.loads(
    """{"data": [{"id": "rl_01AbCdEf", "type": "rate_limit",
      "group": {"id": "rlg_01XyZ", "type": "model_group", "display_name": "Claude Sonnet 4.x"},
      "limits": [{"type": "requests_per_minute", "value": 4000}], "models": ["claude-sonnet-4-6"]}],
     "next_page": null}"""
)
WORKSPACE_EXAMPLE = json.loads(
    """{"data": [{"type": "workspace_rate_limit", "workspace_id": "wrkspc_01JwQvzr7rXLA5AGx3HKfFUJ",
      "rate_limit_id": "rl_01AbCdEf",
      "group": {"id": "rlg_01XyZ", "type": "model_group", "display_name": "Claude Sonnet 4.x"},
      "models": ["claude-sonnet-4-6"],
      "limits": [{"type": "requests_per_minute", "value": 100, "org_limit": 4000,
                  "source": {"type": "workspace"}}]}],
     "next_page": null}"""
)


@pytest.fixture
def state(tmp_path_factory: pytest.TempPathFactory) -> SandboxState:
    path = tmp_path_factory.mktemp("ga") / "small.toml"
    path.write_text(SMALL)
    return SandboxState(ServeOptions(str(path), 1, 0, (ADMIN_KEY,), (API_KEY,)))


@pytest.fixture
def admin(state: SandboxState) -> Iterator[httpx.Client]:
    transport = SandboxTransport(create_app(state))
    with httpx.Client(
        transport=transport, base_url="http://sandbox", headers={"x-api-key": ADMIN_KEY}
    ) as client:
        yield client


def test_ga_entries_have_exactly_the_documented_fields(admin: httpx.Client) -> None:
    body = admin.get(f"{ORG}/rate_limits", params={"group_type": "model_group"}, headers=GA).json()
    conforms(ORG_ENTRY_EXAMPLE, body)  # not a superset: group_type is gone under 2026-10-21
    legacy = admin.get(f"{ORG}/rate_limits", params={"group_type": "model_group"}).json()
    assert all(entry["group_type"] == entry["group"]["type"] for entry in legacy["data"])


def test_a_set_limit_pages_and_the_pages_add_up_to_the_single_page(admin: httpx.Client) -> None:
    everything = admin.get(f"{ORG}/rate_limits", headers=GA).json()
    assert everything["next_page"] is None and len(everything["data"]) > 3
    seen: list[dict[str, Any]] = []
    page: str | None = None
    while True:
        params: dict[str, str | int] = {"limit": 2} | ({"page": page} if page else {})
        body = admin.get(f"{ORG}/rate_limits", params=params, headers=GA).json()
        assert len(body["data"]) <= 2
        seen += body["data"]
        page = body["next_page"]
        if page is None:
            break
    assert seen == everything["data"]
    reused = admin.get(f"{ORG}/rate_limits", params={"limit": 3, "page": page or "page_x"}, headers=GA)
    assert reused.status_code == 400


def test_workspace_overrides_set_by_post_match_the_documented_shape(admin: httpx.Client) -> None:
    apps = next(w for w in admin.get(f"{ORG}/workspaces").json()["data"] if w["name"] == "Apps")
    group = admin.get(f"{ORG}/rate_limits", params={"model": "claude-sonnet-5"}, headers=GA).json()["data"][0]
    changed = admin.post(
        f"{ORG}/workspaces/{apps['id']}/rate_limits/{group['id']}",
        json={"limits": [{"type": "requests_per_minute", "value": 100}]},
        headers=GA,
    )
    assert changed.status_code == 200, changed.text
    overrides = admin.get(f"{ORG}/workspaces/{apps['id']}/rate_limits", headers=GA).json()
    conforms(WORKSPACE_EXAMPLE, overrides)
    limiter = overrides["data"][0]["limits"][0]
    assert limiter == {
        "type": "requests_per_minute",
        "value": 100,
        "org_limit": next(x["value"] for x in group["limits"] if x["type"] == "requests_per_minute"),
        "source": {"type": "workspace"},
    }


def test_billbot_reads_the_ga_shape_and_the_paged_listing(state: SandboxState) -> None:
    transport = SandboxTransport(create_app(state))
    with AdminClient("http://sandbox", SecretStr(ADMIN_KEY), transport=transport) as client:
        paged = client.rate_limits(limit=2)
        single = client.rate_limits()
    assert [entry.kind for entry in paged] == [entry.kind for entry in single]
    assert {entry.kind for entry in single} == {"model_group", "batch"}
    sonnet = next(entry for entry in single if entry.models and "claude-sonnet-5" in entry.models)
    assert sonnet.display_name == "Claude Sonnet 5" and sonnet.limit("requests_per_minute")
