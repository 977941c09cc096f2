"""The Rate Limits API beyond the documented shapes: fast-mode limiters, retired models, overrides."""

from __future__ import annotations

import httpx

from tests.sandbox.api.conftest import API_KEY

ORG = "/v1/organizations"
GA = {"anthropic-version": "2026-10-21"}


def group_of(admin: httpx.Client, model: str) -> dict[str, object]:
    response = admin.get(f"{ORG}/rate_limits", params={"model": model}, headers=GA)
    assert response.status_code == 200, response.text
    entries = response.json()["data"]
    assert len(entries) == 1
    return dict(entries[0])


def limits(entry: dict[str, object]) -> dict[str, int]:
    return {item["type"]: item["value"] for item in entry["limits"]}  # type: ignore[attr-defined]


def test_groups_with_fast_mode_list_its_limiters(admin: httpx.Client) -> None:
    opus = limits(group_of(admin, "claude-opus-5-5"))
    assert {"fast_itpmca", "fast_otpm"} <= set(opus) and opus["fast_itpmca"] == 1_000_000  # Build, assumed
    assert "fast_itpmca" not in limits(group_of(admin, "claude-sonnet-5"))


def test_opus_5_5_and_sonnet_5_5_are_groups_of_their_own(admin: httpx.Client) -> None:
    assert group_of(admin, "claude-opus-5-5")["models"] == ["claude-opus-5-5"]
    assert group_of(admin, "claude-sonnet-5-5")["group"] == {
        "id": "rlg_sonnet-5-5",
        "type": "model_group",
        "display_name": "Claude Sonnet 5.5",
    }


def test_a_retired_model_matches_no_group_after_its_date(admin: httpx.Client) -> None:
    assert group_of(admin, "claude-sonnet-4-5")["models"]
    moved = admin.post("/sandbox/v1/clock", json={"set_to": "2026-12-01T00:00:00Z"})
    assert moved.status_code == 200
    assert admin.get(f"{ORG}/rate_limits", params={"model": "claude-sonnet-4-5"}).status_code == 404
    assert "claude-sonnet-4-5-20250929" not in group_of(admin, "claude-sonnet-4-6")["models"]  # type: ignore[operator]


def test_include_inherited_shows_every_limiter_and_where_it_comes_from(admin: httpx.Client) -> None:
    apps = next(w for w in admin.get(f"{ORG}/workspaces").json()["data"] if w["name"] == "Apps")
    assert admin.get(f"{ORG}/workspaces/{apps['id']}/rate_limits").json()["data"] == []
    every = admin.get(
        f"{ORG}/workspaces/{apps['id']}/rate_limits", params={"include_inherited": "true"}
    ).json()
    sources = {item["source"]["type"] for entry in every["data"] for item in entry["limits"]}
    assert sources == {"organization"} and len(every["data"]) > 3


def test_an_override_binds_requests_and_null_clears_it(admin: httpx.Client) -> None:
    apps = next(w for w in admin.get(f"{ORG}/workspaces").json()["data"] if w["name"] == "Apps")
    group = group_of(admin, "claude-sonnet-5")
    path = f"{ORG}/workspaces/{apps['id']}/rate_limits/{group['id']}"
    assert admin.post(path, json={"limits": [{"type": "requests_per_minute", "value": 1}]}).status_code == 200
    keys = admin.get(f"{ORG}/api_keys", params={"workspace_id": apps["id"]}).json()["data"]
    assert keys  # the scenario's Apps keys; their secrets are the world's
    cleared = admin.post(path, json={"limits": [{"type": "requests_per_minute", "value": None}]})
    assert cleared.status_code == 200
    assert all(item["source"]["type"] == "organization" for item in cleared.json()["limits"])


def test_override_mistakes_are_400s_and_unknown_ids_404s(admin: httpx.Client) -> None:
    apps = next(w for w in admin.get(f"{ORG}/workspaces").json()["data"] if w["name"] == "Apps")
    group = group_of(admin, "claude-sonnet-5")
    base = f"{ORG}/workspaces/{apps['id']}/rate_limits"
    bad_type = admin.post(f"{base}/{group['id']}", json={"limits": [{"type": "tokens_per_day", "value": 5}]})
    zero = admin.post(f"{base}/{group['id']}", json={"limits": [{"type": "requests_per_minute", "value": 0}]})
    default = admin.post(
        f"{ORG}/workspaces/wrkspc_default/rate_limits/{group['id']}",
        json={"limits": [{"type": "requests_per_minute", "value": 5}]},
    )
    assert [r.status_code for r in (bad_type, zero, default)] == [400, 400, 400]
    assert (
        admin.post(
            f"{base}/rl_nope", json={"limits": [{"type": "requests_per_minute", "value": 5}]}
        ).status_code
        == 404
    )


def test_an_api_key_cannot_set_limits(admin: httpx.Client) -> None:
    apps = next(w for w in admin.get(f"{ORG}/workspaces").json()["data"] if w["name"] == "Apps")
    group = group_of(admin, "claude-sonnet-5")
    response = admin.post(
        f"{ORG}/workspaces/{apps['id']}/rate_limits/{group['id']}",
        json={"limits": [{"type": "requests_per_minute", "value": 5}]},
        headers={"x-api-key": API_KEY},
    )
    assert response.status_code == 403
