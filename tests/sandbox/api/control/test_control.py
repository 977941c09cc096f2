"""The /sandbox/v1 control API: every simulator-only setting, in and out as JSON, with clear 400s."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import httpx

from sandbox.api.app import create_app
from sandbox.api.state import SandboxState, ServeOptions
from sandbox.api.transport import SandboxTransport
from tests.sandbox.api.conftest import ADMIN_KEY, API_KEY
from tests.sandbox.conftest import HISTORIC


def balance(admin: httpx.Client) -> Decimal:
    return Decimal(admin.get("/sandbox/v1/state").json()["balance"]["balance_usd"])


def test_state_is_labelled_simulated_and_shows_money_as_strings(admin: httpx.Client) -> None:
    state = admin.get("/sandbox/v1/state").json()
    assert state["simulated"] is True and state["scenario"].endswith("small.toml")
    assert isinstance(state["balance"]["balance_usd"], str)
    assert state["tier"] == {"name": "Build", "monthly_cap": "1000"}
    assert state["clock"] == {"now": "2026-11-12T00:00:00Z", "speed": 0.0}


def test_top_up_adds_a_lot_that_expires_a_year_later_and_replays_idempotently(admin: httpx.Client) -> None:
    before = balance(admin)
    for _ in range(2):
        response = admin.post("/sandbox/v1/topups", json={"amount": "250.50", "idempotency_key": "order-1"})
        assert response.status_code == 200
    assert balance(admin) == before + Decimal("250.50")
    lot = response.json()["balance"]["lots"][-1]
    assert (lot["original_usd"], lot["expires_at"]) == ("250.50", "2027-11-12T00:00:00Z")


def test_money_must_be_a_decimal_string(admin: httpx.Client) -> None:
    cases = [
        (
            {"amount": 0.1},
            'amount: must be a decimal string such as "12.50", not a JSON number with a fraction',
        ),
        ({"amount": "ten"}, "amount: 'ten' is not a decimal amount"),
        ({"amount": "-5"}, "amount: Input should be greater than 0"),
        ({"amount": "5", "currency": "EUR"}, "currency: Extra inputs are not permitted"),
    ]
    for body, message in cases:
        response = admin.post("/sandbox/v1/topups", json=body)
        assert (response.status_code, response.json()["error"]["message"]) == (400, message)
    not_json = admin.post("/sandbox/v1/topups", content=b"{oops")
    assert not_json.status_code == 400 and not_json.json()["error"]["type"] == "invalid_request_error"


def test_auto_reload_reloads_at_once_when_set_above_the_balance(admin: httpx.Client) -> None:
    now = balance(admin)
    minimum, target = now + 100, now + 400
    response = admin.put("/sandbox/v1/auto_reload", json={"minimum": str(minimum), "target": str(target)})
    reload = response.json()["auto_reload"]
    assert reload["enabled"] and len(reload["attempts"]) == 1 and reload["attempts"][0]["succeeded"]
    assert balance(admin) >= target
    off = admin.put("/sandbox/v1/auto_reload", json={"enabled": False}).json()["auto_reload"]
    assert off["enabled"] is False
    bad = admin.put("/sandbox/v1/auto_reload", json={"minimum": "100", "target": "50"})
    assert bad.json()["error"]["message"] == "target 50 must be above minimum 100"


def test_spend_limit_set_here_refuses_the_next_request(admin: httpx.Client, state: SandboxState) -> None:
    apps = state.world.org.workspace_by_name("Apps").id
    response = admin.put("/sandbox/v1/spend_limits", json={"organization": "0.01", "workspaces": {apps: "0"}})
    limits = response.json()["spend_limits"]
    assert limits["organization"]["limit_usd"] == "0.01"
    assert limits["workspaces"][apps]["limit_usd"] == "0"
    unknown = admin.put("/sandbox/v1/spend_limits", json={"workspaces": {"wrkspc_nope": "1"}})
    assert unknown.json()["error"]["message"] == "workspaces.wrkspc_nope: no such workspace"
    cleared = admin.put("/sandbox/v1/spend_limits", json={"organization": None}).json()
    assert cleared["spend_limits"]["organization"]["limit_usd"] is None


def test_unknown_tier_lists_the_valid_ones(admin: httpx.Client) -> None:
    response = admin.put("/sandbox/v1/tier", json={"tier": "Gold"})
    assert response.json()["error"]["message"] == (
        "tier: must be one of Evaluation, Start, Build, Scale, Custom, got 'Gold'"
    )


def test_clock_advances_jumps_and_changes_speed(admin: httpx.Client) -> None:
    moved = admin.post("/sandbox/v1/clock", json={"advance_seconds": 90}).json()["clock"]
    assert moved == {"now": "2026-11-12T00:01:30Z", "speed": 0.0}
    jumped = admin.post("/sandbox/v1/clock", json={"set_to": "2026-11-01T00:00:00Z"}).json()["clock"]
    assert jumped["now"] == "2026-11-01T00:00:00Z"  # backwards: a clock fault, allowed on purpose
    naive = admin.post("/sandbox/v1/clock", json={"set_to": "2026-11-01T00:00:00"})
    assert naive.status_code == 400
    fast = admin.post("/sandbox/v1/clock", json={"speed": 60}).json()["clock"]
    assert fast["speed"] == 60.0


def test_faults_open_windows_from_now_and_hold_the_org(admin: httpx.Client) -> None:
    faults = admin.put("/sandbox/v1/faults", json={"outage_minutes": 5, "on_hold": True}).json()["faults"]
    assert faults["on_hold"] is True
    assert faults["outage_windows"][-1] == {"start": "2026-11-12T00:00:00Z", "end": "2026-11-12T00:05:00Z"}
    bad = admin.put("/sandbox/v1/faults", json={"overload_probability": 2})
    assert bad.json()["error"]["message"] == "overload_probability: Input should be less than or equal to 1"


def test_request_log_finds_a_request_by_id(admin: httpx.Client, state: SandboxState) -> None:
    logged = state.world.records.requests[0]
    entry = admin.get(f"/sandbox/v1/requests/{logged.request_id}").json()
    assert entry["request_id"] == logged.request_id and entry["status"] == logged.status
    assert Decimal(entry["cost_usd"]) == logged.cost
    assert admin.get("/sandbox/v1/requests/req_nope").status_code == 404


def test_reset_rebuilds_from_a_scenario_and_rejects_an_unknown_one(admin: httpx.Client) -> None:
    admin.post("/sandbox/v1/topups", json={"amount": "1000"})
    reset = admin.post("/sandbox/v1/reset", json={"scenario": "credit-exhaustion", "seed": 0}).json()
    assert reset["scenario"] == "credit-exhaustion" and Decimal(reset["balance"]["balance_usd"]) < 0
    unknown = admin.post("/sandbox/v1/reset", json={"scenario": "nope"})
    assert unknown.status_code == 400 and unknown.json()["error"]["message"].startswith("scenario: ")


def test_control_needs_the_admin_key(admin: httpx.Client) -> None:
    response = admin.get("/sandbox/v1/state", headers={"x-api-key": API_KEY})
    assert response.status_code == 403


def test_every_client_request_is_in_the_log_with_key_model_tokens_cost_and_outcome(
    admin: httpx.Client, state: SandboxState
) -> None:
    key = next(k for k in state.api_keys() if k.secret == API_KEY)
    message = {"model": "claude-haiku-4-5", "max_tokens": 20, "messages": [{"role": "user", "content": "Hi"}]}
    served = admin.post("/v1/messages", json=message, headers={"x-api-key": API_KEY})
    entry = admin.get(f"/sandbox/v1/requests/{served.headers['request-id']}").json()
    usage = served.json()["usage"]
    assert (entry["api_key_id"], entry["model"], entry["outcome"], entry["status"]) == (
        key.id,
        "claude-haiku-4-5-20251001",
        "served",
        200,
    )
    assert entry["usage"]["uncached_input_tokens"] == usage["input_tokens"]
    assert entry["usage"]["output_tokens"] == usage["output_tokens"]
    assert Decimal(entry["cost_usd"]) > 0
    nope = message | {"model": "claude-nope"}
    unknown = admin.post("/v1/messages", json=nope, headers={"x-api-key": API_KEY})
    refused = admin.get(f"/sandbox/v1/requests/{unknown.headers['request-id']}").json()
    assert (refused["status"], refused["outcome"], refused["cost_usd"]) == (404, "not_found", "0")
    assert refused["error"] == unknown.json()["error"]


def test_a_top_up_above_the_historic_deposit_cap_is_a_400_naming_the_allowance(tmp_path: Path) -> None:
    scenario = tmp_path / "historic.toml"
    scenario.write_text(HISTORIC)
    state = SandboxState(ServeOptions(str(scenario), seed=0, speed=0, admin_keys=(ADMIN_KEY,)))
    headers = {"x-api-key": ADMIN_KEY}
    with httpx.Client(
        transport=SandboxTransport(create_app(state)), base_url="http://s", headers=headers
    ) as admin:
        first = admin.post("/sandbox/v1/topups", json={"amount": "70"})
        assert first.json()["balance"]["deposit_allowance_usd"] == "30"
        refused = admin.post("/sandbox/v1/topups", json={"amount": "31"})
        assert refused.status_code == 400
        message = refused.json()["error"]["message"]
        assert "you cannot deposit more than your monthly spend limit of $100" in message
        assert "at most $30 more until 2026-02-01 00:00 UTC" in message
        assert balance(admin) == Decimal("70")


def test_current_tiers_show_no_deposit_allowance(admin: httpx.Client) -> None:
    assert admin.get("/sandbox/v1/state").json()["balance"]["deposit_allowance_usd"] is None
