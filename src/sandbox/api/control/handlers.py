"""The `/sandbox/v1/` control API: simulator-only state that the real API has no endpoint for.

Balance and lots, top-ups, auto-reload, spend limits, tier, clock, faults, reset and the request log.
It lives outside `/v1/organizations/` on purpose: a client must not come to rely on a
balance endpoint Anthropic does not have. Money is a decimal string in and out.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sandbox.api.control.bodies import (
    AutoReloadBody,
    BalanceBody,
    ClockBody,
    FaultsBody,
    ResetBody,
    SpendLimitsBody,
    TierBody,
    TopUp,
    parse_body,
)
from sandbox.api.control.incidents import plan_incidents, stage_incidents
from sandbox.api.control.view import request_view, state_view
from sandbox.api.errors import invalid_request, not_found
from sandbox.api.params import Params, integer, reject_unknown, single
from sandbox.api.state import SandboxState
from sandbox.clock import NS_PER_MINUTE, NS_PER_SECOND, RealtimeClock, VirtualClock, to_datetime, to_ns
from sandbox.deposits import DepositLimitExceeded
from sandbox.faults import Window
from sandbox.reload import InvalidReloadSettings, ReloadSettings
from sandbox.scenario import ScenarioError
from sandbox.spend import DefaultWorkspaceLimitError, InvalidSpendAmountError, LimitAboveTierCapError
from sandbox.tiers import UnknownTierError


def get_state(state: SandboxState) -> dict[str, Any]:
    """Everything simulated about the organisation's money, limits, clock and faults."""
    return state_view(state)


def top_up(state: SandboxState, body: bytes) -> dict[str, Any]:
    """Buy credits by hand; with an idempotency key, a replay buys nothing more."""
    order = parse_body(TopUp, body)
    world = state.world
    key = order.idempotency_key or f"control-topup-{world.new_request_id()}"
    try:
        world.top_up(key, order.amount)
    except DepositLimitExceeded as exc:
        raise invalid_request(str(exc)) from None
    return state_view(state)


def set_balance(state: SandboxState, body: bytes) -> dict[str, Any]:
    """Make the balance exactly `amount`: buy the difference, or take it away as an adjustment.

    A raise is a purchase (a lot that expires by the provider's rule, counted by a deposit cap); a cut
    is a ledger charge with the reference `balance adjustment`, which is not usage: no report shows it.
    """
    wanted = parse_body(BalanceBody, body).amount
    world = state.world
    with world.lock:
        now = world.clock.now_ns()
        difference = wanted - world.ledger.balance(now)
        key = f"control-balance-{world.new_request_id()}"
        if difference > 0:
            try:
                world.top_up(key, difference)
            except DepositLimitExceeded as exc:
                raise invalid_request(str(exc)) from None
        elif difference < 0:
            world.ledger.charge(key, -difference, now, "balance adjustment")
    return state_view(state)


def set_auto_reload(state: SandboxState, body: bytes) -> dict[str, Any]:
    """Turn auto-reload off, or set its minimum and target (or fixed amount)."""
    settings = parse_body(AutoReloadBody, body)
    world = state.world
    if not settings.enabled:
        world.reload.configure(None)
        return state_view(state)
    if settings.minimum is None:
        raise invalid_request("minimum: required when auto-reload is enabled")
    try:
        reload = ReloadSettings(settings.minimum, settings.target, settings.fixed_amount)
    except InvalidReloadSettings as exc:
        raise invalid_request(exc.detail) from None
    with world.lock:
        world.reload.configure(reload)
        world.reload.check(world.clock.now_ns())
    return state_view(state)


def set_spend_limits(state: SandboxState, body: bytes) -> dict[str, Any]:
    """Set or clear the organisation's and workspaces' monthly spend limits."""
    limits = parse_body(SpendLimitsBody, body)
    world = state.world
    for workspace_id in limits.workspaces:
        if workspace_id not in world.org.workspaces:
            raise invalid_request(f"workspaces.{workspace_id}: no such workspace")
    try:
        with world.lock:
            if "organization" in limits.model_fields_set:
                world.spend.set_organization_limit(limits.organization)
            for workspace_id, amount in limits.workspaces.items():
                world.spend.set_workspace_limit(workspace_id, amount)
    except (InvalidSpendAmountError, LimitAboveTierCapError, DefaultWorkspaceLimitError) as exc:
        raise invalid_request(str(exc)) from None
    return state_view(state)


def set_tier(state: SandboxState, body: bytes) -> dict[str, Any]:
    """Move the organisation to another tier of its profile."""
    choice = parse_body(TierBody, body)
    try:
        state.world.set_tier(choice.tier)
    except UnknownTierError:
        names = ", ".join(state.world.tiers.tier_names())
        raise invalid_request(f"tier: must be one of {names}, got {choice.tier!r}") from None
    return state_view(state)


def move_clock(state: SandboxState, body: bytes) -> dict[str, Any]:
    """Advance the clock, jump it (a fault, possibly backwards) and/or change its speed (0 = frozen)."""
    change = parse_body(ClockBody, body)
    world = state.world
    with world.lock:
        if change.set_to is not None:
            _jump(world.clock, _instant(change.set_to))
        if change.advance_seconds is not None:
            _advance(world.clock, int(change.advance_seconds * NS_PER_SECOND))
        if change.speed is not None:
            world.clock = _with_speed(world.clock, change.speed)
    return state_view(state)


def set_faults(state: SandboxState, body: bytes) -> dict[str, Any]:
    """Change fault probabilities, put the organisation on hold, or open a window or an incident from now."""
    change = parse_body(FaultsBody, body)
    world = state.world
    faults = world.faults
    with world.lock:
        now = world.clock.now_ns()
        plan = plan_incidents(state, change, now)  # every check first: a refusal changes nothing
        for name in ("overload_probability", "interrupt_probability", "duplicate_charge_probability"):
            value = getattr(change, name)
            if value is not None:
                setattr(faults, name, value)
        if change.on_hold is not None:
            faults.on_hold = change.on_hold
        if change.disabled is not None:
            faults.disabled = change.disabled
        if change.overload_minutes is not None:
            faults.overload_windows.append(Window(now, now + int(change.overload_minutes * NS_PER_MINUTE)))
        if change.outage_minutes is not None:
            faults.outage_windows.append(Window(now, now + int(change.outage_minutes * NS_PER_MINUTE)))
        stage_incidents(state, plan)
    return state_view(state)


def reset(state: SandboxState, body: bytes) -> dict[str, Any]:
    """Rebuild the world from a scenario and seed (this replays the scenario's history)."""
    choice = parse_body(ResetBody, body)
    try:
        state.reset(choice.scenario, choice.seed)
    except ScenarioError as exc:
        raise invalid_request(f"scenario: {exc}") from None
    return state_view(state)


def get_request(state: SandboxState, request_id: str) -> dict[str, Any]:
    """One request from the request log, by its `request-id`."""
    outcome = state.world.records.find(request_id)
    if outcome is None:
        raise not_found(f"no request with id {request_id!r} in the sandbox's request log")
    return request_view(outcome)


def recent_requests(state: SandboxState, params: Params) -> dict[str, Any]:
    """The newest requests of the log, newest first; `outcome` filters (e.g. `served`, `overload`)."""
    reject_unknown(params, {"limit", "outcome"})
    limit = integer(params, "limit", default=20, low=1, high=1000)
    wanted = single(params, "outcome")
    log = state.world.records.requests
    chosen = []
    for outcome in reversed(log):
        if wanted is None or outcome.reason == wanted:
            chosen.append(request_view(outcome))
            if len(chosen) == limit:
                break
    return {"data": chosen}


def _instant(text: str) -> int:
    try:
        moment = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        raise invalid_request(f"set_to: {text!r} is not an RFC 3339 time") from None
    if moment.tzinfo is None:
        raise invalid_request("set_to: the time needs a UTC offset, e.g. 2026-12-01T00:00:00Z")
    return to_ns(moment)


def _jump(clock: object, at_ns: int) -> None:
    if isinstance(clock, VirtualClock | RealtimeClock):
        clock.jump_to(at_ns)


def _advance(clock: object, delta_ns: int) -> None:
    if isinstance(clock, VirtualClock):
        clock.advance(delta_ns)  # runs what falls due, e.g. a scheduled top-up
    elif isinstance(clock, RealtimeClock):
        clock.jump_to(clock.now_ns() + delta_ns)


def _with_speed(clock: Any, speed: float) -> Any:
    now = clock.now_ns()
    if speed == 0:
        return clock if isinstance(clock, VirtualClock) else VirtualClock(now)
    if isinstance(clock, RealtimeClock):
        clock.set_speed(speed)
        return clock
    return RealtimeClock(start=to_datetime(now), speed=speed)
