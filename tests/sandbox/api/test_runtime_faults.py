"""Incidents staged at run time through PUT /sandbox/v1/faults: what the state, the request log, the
reports and the official SDK show, and a clear 400 or 409 for what cannot be staged."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

import anthropic
import httpx
import httpx2
import pytest
from anthropic.types import MessageParam, TextBlockParam

from sandbox.api.app import create_app
from sandbox.api.state import SandboxState, ServeOptions
from sandbox.api.transport import SandboxTransport
from sandbox.clock import to_ns
from sandbox.messages import Outcome
from tests.sandbox.api.conftest import ADMIN_KEY, API_KEY

FAULTS = "/sandbox/v1/faults"
CLOCK = "/sandbox/v1/clock"
NOW = "2026-11-12T00:00:00Z"  # where the small scenario's history ends, on a frozen clock
HI: list[MessageParam] = [{"role": "user", "content": "How much did we spend?"}]


@pytest.fixture
def sdk(state: SandboxState) -> Iterator[anthropic.Anthropic]:
    """The official SDK with the API key, reaching the app in-process (SDK 2.x speaks httpx2)."""
    with httpx.Client(transport=SandboxTransport(create_app(state)), base_url="http://sandbox") as plain:

        def forward(request: httpx2.Request) -> httpx2.Response:
            answer = plain.request(
                request.method,
                str(request.url),
                headers=list(request.headers.items()),
                content=request.read(),
            )
            return httpx2.Response(
                answer.status_code, headers=list(answer.headers.items()), content=answer.content
            )

        http = httpx2.Client(transport=httpx2.MockTransport(forward))
        client = anthropic.Anthropic(
            api_key=API_KEY, base_url="http://sandbox", http_client=http, max_retries=0
        )
        yield client
        client.close()


def stage(admin: httpx.Client, **incidents: Any) -> dict[str, Any]:
    response = admin.put(FAULTS, json=incidents)
    assert response.status_code == 200, response.text
    faults: dict[str, Any] = response.json()["faults"]
    return faults


def advance(admin: httpx.Client, seconds: float) -> None:
    assert admin.post(CLOCK, json={"advance_seconds": seconds}).status_code == 200


def instant(at: str) -> int:
    return to_ns(datetime.fromisoformat(at))


def logged_since(state: SandboxState, at: str) -> list[Outcome]:
    return [outcome for outcome in state.world.records.requests if outcome.at_ns >= instant(at)]


def test_each_incident_starts_now_and_shows_in_the_state_until_it_ends(admin: httpx.Client) -> None:
    admin.put("/sandbox/v1/auto_reload", json={"minimum": "10", "target": "60"})
    faults = stage(
        admin,
        duplicate_charges={"share": 0.25, "minutes": 30},
        cache_storm={"minutes": 60},
        model_switch={"from": "claude-sonnet-5", "to": "claude-opus-5", "minutes": 90},
        runaway_reload={"every_minutes": 6, "minutes": 120},
        spike={"key": "Apps key 1", "factor": 15, "minutes": 45},
    )
    window = {"start": NOW, "active": True}
    assert faults["duplicate_charge_bursts"] == [{**window, "end": "2026-11-12T00:30:00Z", "share": 0.25}]
    assert faults["cache_storms"] == [{**window, "end": "2026-11-12T01:00:00Z"}]
    assert faults["model_switches"] == [
        {**window, "end": "2026-11-12T01:30:00Z", "from": "claude-sonnet-5", "to": "claude-opus-5"}
    ]
    assert faults["runaway_reloads"] == [{**window, "end": "2026-11-12T02:00:00Z", "every_minutes": 6.0}]
    (spike,) = faults["spikes"]
    assert spike["api_key"]["name"] == "Apps key 1" and spike["factor"] == 15.0
    assert spike["end"] == "2026-11-12T00:45:00Z" and spike["active"]
    advance(admin, 3600)
    later = admin.get("/sandbox/v1/state").json()["faults"]
    assert [later[name][0]["active"] for name in ("duplicate_charge_bursts", "cache_storms", "spikes")] == [
        False,
        False,
        False,
    ]
    assert later["model_switches"][0]["active"] and later["runaway_reloads"][0]["active"]


def test_bad_incidents_are_400s_that_name_the_field_and_stage_nothing(admin: httpx.Client) -> None:
    before = admin.get("/sandbox/v1/state").json()["faults"]
    good_spike = {"key": "Apps key 1", "factor": 5, "minutes": 10}
    cases: list[tuple[dict[str, Any], str]] = [
        (
            {"model_switch": {"from": "claude-nope", "to": "claude-opus-5", "minutes": 5}},
            "model_switch.from: unknown model 'claude-nope'",
        ),
        (
            {"model_switch": {"from": "claude-sonnet-5", "to": "gpt-9", "minutes": 5}},
            "model_switch.to: unknown model 'gpt-9'",
        ),
        (
            {"model_switch": {"from": "claude-sonnet-5", "to": "claude-sonnet-5", "minutes": 5}},
            "model_switch.to: 'claude-sonnet-5' is the model it switches from",
        ),
        ({"model_switch": {"to": "claude-opus-5", "minutes": 5}}, "model_switch.from: Field required"),
        (
            {"spike": {**good_spike, "key": "Nope key 9"}},
            "spike.key: no API key named or with id 'Nope key 9'",
        ),
        ({"spike": {**good_spike, "factor": 1}}, "spike.factor: Input should be greater than 1"),
        (
            {"spike": {**good_spike, "factor": 5000}},
            "spike.factor: Input should be less than or equal to 1000",
        ),
        ({"spike": {**good_spike, "minutes": 0}}, "spike.minutes: Input should be greater than 0"),
        (
            {"duplicate_charges": {"share": 1.5, "minutes": 5}},
            "duplicate_charges.share: Input should be less than or equal to 1",
        ),
        (
            {"duplicate_charges": {"share": "lots", "minutes": 5}},
            "duplicate_charges.share: Input should be a valid number, unable to parse string as a number",
        ),
        (
            {"runaway_reload": {"every_minutes": -1, "minutes": 5}},
            "runaway_reload.every_minutes: Input should be greater than 0",
        ),
        (
            {"cache_storm": {"minutes": 10, "hit_rate": 0}},
            "cache_storm.hit_rate: Extra inputs are not permitted",
        ),
        # One bad part refuses the whole body: the good spike beside it is not staged either.
        (
            {"spike": good_spike, "model_switch": {"from": "x", "to": "claude-opus-5", "minutes": 5}},
            "model_switch.from: unknown model 'x'",
        ),
    ]
    for body, message in cases:
        response = admin.put(FAULTS, json=body)
        assert response.status_code == 400, body
        error = response.json()
        assert (error["type"], error["error"]["type"]) == ("error", "invalid_request_error")
        assert error["error"]["message"] == message
    assert admin.get("/sandbox/v1/state").json()["faults"] == before


def test_what_the_sandbox_cannot_stage_now_is_a_409_saying_what_to_do(admin: httpx.Client) -> None:
    admin.put("/sandbox/v1/auto_reload", json={"enabled": False})
    loop = admin.put(FAULTS, json={"runaway_reload": {"every_minutes": 5, "minutes": 30}})
    assert loop.status_code == 409
    assert loop.json()["error"]["message"].startswith("runaway_reload: auto-reload is off")
    cli_key = admin.put(FAULTS, json={"spike": {"key": "sandbox serve --api-key", "factor": 3, "minutes": 5}})
    assert cli_key.status_code == 400 and "sends no simulated traffic" in cli_key.json()["error"]["message"]
    admin.post(CLOCK, json={"speed": 60})  # a running clock: the served sandbox sends no traffic of its own
    spike = admin.put(FAULTS, json={"spike": {"factor": 3, "minutes": 5}})
    assert spike.status_code == 409
    assert 'freeze it with POST /sandbox/v1/clock {"speed": 0}' in spike.json()["error"]["message"]
    assert admin.get("/sandbox/v1/state").json()["faults"]["spikes"] == []


def test_a_spike_sends_one_keys_extra_traffic_as_the_frozen_clock_advances(
    admin: httpx.Client, state: SandboxState
) -> None:
    key = state.world.org.api_keys
    apps_key = next(k for k in key.values() if k.name == "Apps key 1")
    stage(admin, spike={"key": apps_key.id, "factor": 40, "minutes": 120})
    assert logged_since(state, NOW) == []  # nothing is sent before the clock moves
    advance(admin, 3 * 3600)
    sent = logged_since(state, NOW)
    assert len(sent) > 20 and {outcome.api_key_id for outcome in sent} == {apps_key.id}
    assert max(outcome.at_ns for outcome in sent) < instant("2026-11-12T02:00:00Z")
    usage = admin.get(
        "/v1/organizations/usage_report/messages",
        params=[("starting_at", NOW), ("bucket_width", "1h"), ("limit", "3"), ("group_by[]", "api_key_id")],
    ).json()["data"]
    per_hour = [{r["api_key_id"] for r in bucket["results"]} for bucket in usage]
    assert per_hour == [{apps_key.id}, {apps_key.id}, set()]


def test_a_spike_on_every_key_is_the_same_for_the_same_seed(small_scenario: Path) -> None:
    def run() -> list[tuple[int, str, str, Decimal]]:
        state = SandboxState(ServeOptions(str(small_scenario), seed=4, speed=0, admin_keys=(ADMIN_KEY,)))
        transport = SandboxTransport(create_app(state))
        with httpx.Client(
            transport=transport, base_url="http://sandbox", headers={"x-api-key": ADMIN_KEY}
        ) as admin:
            stage(admin, spike={"factor": 10, "minutes": 60})
            advance(admin, 3600)
        return [(o.at_ns, o.api_key_id or "", o.model, o.cost) for o in logged_since(state, NOW)]

    first, second = run(), run()
    assert first == second and len({key for _, key, _, _ in first}) > 1


def test_a_duplicate_charge_burst_bills_served_requests_twice_while_it_lasts(
    admin: httpx.Client, sdk: anthropic.Anthropic
) -> None:
    stage(admin, duplicate_charges={"share": 1, "minutes": 10})
    during = sdk.messages.with_raw_response.create(model="claude-haiku-4-5", max_tokens=100, messages=HI)
    advance(admin, 600)
    after = sdk.messages.with_raw_response.create(model="claude-haiku-4-5", max_tokens=100, messages=HI)
    charged = [
        admin.get(f"/sandbox/v1/requests/{r.headers['request-id']}").json()["times_charged"]
        for r in (during, after)
    ]
    assert charged == [2, 1]


def test_a_model_switch_bills_the_sdks_requests_at_the_pricier_model(
    admin: httpx.Client, sdk: anthropic.Anthropic, state: SandboxState
) -> None:
    plain = sdk.messages.create(model="claude-sonnet-5", max_tokens=300, messages=HI)
    stage(admin, model_switch={"from": "claude-sonnet-5", "to": "claude-opus-5", "minutes": 60})
    switched = sdk.messages.create(model="claude-sonnet-5", max_tokens=300, messages=HI)
    assert plain.usage == switched.usage  # the same tokens, silently served by another model
    cost = admin.get(
        "/v1/organizations/cost_report",
        params=[("starting_at", NOW), ("limit", "1"), ("group_by[]", "description")],
    ).json()["data"][0]["results"]
    by_model: dict[str, Decimal] = {}
    for line in cost:
        by_model[line["model"]] = by_model.get(line["model"], Decimal(0)) + Decimal(line["amount"])
    assert set(by_model) == {"claude-sonnet-5", "claude-opus-5"}
    assert by_model["claude-opus-5"] > by_model["claude-sonnet-5"]
    requests = state.world.records.requests[-2:]
    assert [r.model for r in requests] == ["claude-sonnet-5", "claude-opus-5"]


def test_a_cache_storm_turns_the_sdks_cache_reads_into_writes_in_the_usage_report(
    admin: httpx.Client, sdk: anthropic.Anthropic
) -> None:
    system: list[TextBlockParam] = [
        {"type": "text", "text": "Our billing handbook. " * 400, "cache_control": {"type": "ephemeral"}}
    ]

    def ask() -> anthropic.types.Usage:
        usage = sdk.messages.create(model="claude-sonnet-5", max_tokens=50, system=system, messages=HI).usage
        advance(admin, 60)
        return usage

    written, read = ask(), ask()
    assert (
        written.cache_creation_input_tokens
        and read.cache_read_input_tokens == written.cache_creation_input_tokens
    )
    stage(admin, cache_storm={"minutes": 30})
    stormed = ask()
    assert stormed.cache_read_input_tokens == 0
    assert stormed.cache_creation_input_tokens == written.cache_creation_input_tokens
    buckets = admin.get(
        "/v1/organizations/usage_report/messages",
        params=[("starting_at", NOW), ("bucket_width", "1m"), ("limit", "3")],
    ).json()["data"]
    rows = [bucket["results"][0] for bucket in buckets]
    writes = [row["cache_creation"]["ephemeral_5m_input_tokens"] for row in rows]
    reads = [row["cache_read_input_tokens"] for row in rows]
    assert reads == [0, written.cache_creation_input_tokens, 0]
    assert writes == [written.cache_creation_input_tokens, 0, written.cache_creation_input_tokens]


def test_a_runaway_reload_loop_buys_every_few_minutes_while_the_sdk_sends(
    admin: httpx.Client, sdk: anthropic.Anthropic
) -> None:
    balance = Decimal(admin.get("/sandbox/v1/state").json()["balance"]["balance_usd"])
    minimum, target = (balance - 100).quantize(Decimal(1)), (balance + 50).quantize(Decimal(1))
    admin.put("/sandbox/v1/auto_reload", json={"minimum": str(minimum), "target": str(target)})
    stage(admin, runaway_reload={"every_minutes": 6, "minutes": 30})
    for _ in range(40):  # one request a minute, for 40 minutes
        sdk.messages.create(model="claude-haiku-4-5", max_tokens=20, messages=HI)
        advance(admin, 60)
    attempts = admin.get("/sandbox/v1/state").json()["auto_reload"]["attempts"]
    times = [attempt["at"][11:16] for attempt in attempts]
    assert times == ["00:00", "00:06", "00:12", "00:18", "00:24"]
    assert {Decimal(attempt["amount_usd"]) for attempt in attempts} == {target - minimum}


def test_a_reset_drops_a_staged_spike_with_the_world_it_was_staged_in(
    admin: httpx.Client, state: SandboxState, small_scenario: Path
) -> None:
    (spike,) = stage(admin, spike={"factor": 10, "minutes": 60})["spikes"]
    assert spike["api_key"] is None  # every key
    reset = admin.post("/sandbox/v1/reset", json={"scenario": str(small_scenario), "seed": 1}).json()
    assert reset["faults"]["spikes"] == []
    advance(admin, 3600)
    assert logged_since(state, NOW) == []
