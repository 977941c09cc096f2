"""JSON views of simulated state for the control API: balance, lots, limits, clock, faults, requests."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from sandbox.api.control.spikes import spike_key
from sandbox.api.state import SandboxState
from sandbox.clock import NS_PER_MINUTE, RealtimeClock, rfc3339
from sandbox.faults import Window
from sandbox.lots import Lot
from sandbox.messages import Outcome
from sandbox.traffic import Surge
from sandbox.world import World


def state_view(state: SandboxState) -> dict[str, Any]:
    """The whole simulated state, as `GET /sandbox/v1/state` returns it."""
    world = state.world
    with world.lock:
        now = world.clock.now_ns()
        return {
            "scenario": state.scenario_name,
            "seed": state.seed,
            "simulated": True,
            "organization": {"id": world.org.id, "name": world.org.name},
            "clock": _clock(world, now),
            "balance": _balance(world, now),
            "auto_reload": _auto_reload(world),
            "tier": {"name": world.tier, "monthly_cap": _money(world.tiers.tier(world.tier).monthly_cap)},
            "spend_limits": _spend_limits(world, now),
            "faults": _faults(state, now),
        }


def request_view(outcome: Outcome) -> dict[str, Any]:
    """One request-log entry: who, what, when, tokens, cost and outcome."""
    usage = outcome.usage
    return {
        "request_id": outcome.request_id,
        "at": rfc3339(outcome.at_ns),
        "api_key_id": outcome.api_key_id,
        "workspace_id": outcome.workspace_id,
        "model": outcome.model,
        "status": outcome.status,
        "outcome": outcome.reason,
        "stream": outcome.stream,
        "interrupted": outcome.interrupted,
        "usage": None
        if usage is None
        else {
            "uncached_input_tokens": usage.uncached_input,
            "cache_creation_5m_input_tokens": usage.cache_write_5m,
            "cache_creation_1h_input_tokens": usage.cache_write_1h,
            "cache_read_input_tokens": usage.cache_read,
            "output_tokens": usage.output,
            "web_search_requests": usage.web_search_requests,
        },
        "cost_usd": str(outcome.cost),
        "times_charged": outcome.times_charged,
        "error": None if outcome.error is None else outcome.error.body(outcome.request_id)["error"],
    }


def _clock(world: World, now: int) -> dict[str, Any]:
    clock = world.clock
    speed = clock.speed if isinstance(clock, RealtimeClock) else 0.0
    return {"now": rfc3339(now), "speed": speed}


def _balance(world: World, now: int) -> dict[str, Any]:
    ledger = world.ledger
    return {
        "balance_usd": str(ledger.balance(now)),
        "available_usd": str(ledger.available(now)),
        "debt_usd": str(ledger.debt(now)),
        # The historic tiers' cap on purchases per month; null where the profile has none.
        "deposit_allowance_usd": _money(None if world.deposits is None else world.deposits.allowance(now)),
        "lots": [_lot(lot) for lot in ledger.lots(now)],
    }


def _lot(lot: Lot) -> dict[str, Any]:
    return {
        "id": lot.id,
        "kind": lot.kind,
        "source": lot.source,
        "original_usd": str(lot.original),
        "remaining_usd": str(lot.remaining),
        "earmarked_usd": str(lot.earmarked),
        "expired_usd": str(lot.expired),
        "granted_at": rfc3339(lot.granted_at_ns),
        "expires_at": None if lot.expires_at_ns is None else rfc3339(lot.expires_at_ns),
        "clawed_back": lot.clawed_back,
    }


def _auto_reload(world: World) -> dict[str, Any]:
    settings = world.reload.settings
    attempts = world.reload.attempts
    return {
        "enabled": settings is not None,
        "minimum_usd": None if settings is None else str(settings.minimum),
        "target_usd": _money(None if settings is None else settings.target),
        "fixed_amount_usd": _money(None if settings is None else settings.fixed_amount),
        "attempts": [
            {
                "at": rfc3339(attempt.at_ns),
                "amount_usd": str(attempt.amount),
                "succeeded": attempt.succeeded,
                "clawed_back": attempt.clawed_back,
            }
            for attempt in attempts
        ],
    }


def _spend_limits(world: World, now: int) -> dict[str, Any]:
    spend = world.spend
    workspaces = {
        workspace_id: {
            "limit_usd": _money(spend.workspace_limit(workspace_id)),
            "month_to_date_usd": str(spend.month_to_date(workspace_id, now)),
        }
        for workspace_id in world.org.workspaces
    }
    return {
        "organization": {
            "limit_usd": _money(spend.organization_limit),
            "month_to_date_usd": str(spend.month_to_date(None, now)),
        },
        "workspaces": workspaces,
    }


def _faults(state: SandboxState, now: int) -> dict[str, Any]:
    faults = state.world.faults
    return {
        "overload_probability": faults.overload_probability,
        "interrupt_probability": faults.interrupt_probability,
        "duplicate_charge_probability": faults.duplicate_charge_probability,
        "on_hold": faults.on_hold,
        "disabled": faults.disabled,
        "overload_windows": [_window(w.start_ns, w.end_ns) for w in faults.overload_windows],
        "outage_windows": [_window(w.start_ns, w.end_ns) for w in faults.outage_windows],
        # Incident faults, the scenario's and those staged at run time, each marked active or not now.
        "duplicate_charge_bursts": [
            {**_incident(b.window, now), "share": b.share} for b in faults.duplicate_bursts
        ],
        "cache_storms": [_incident(window, now) for window in faults.cache_storm_windows],
        "model_switches": [
            {**_incident(m.window, now), "from": m.from_model, "to": m.to_model}
            for m in faults.model_switches
        ],
        "runaway_reloads": [
            {**_incident(r.window, now), "every_minutes": r.every_ns / NS_PER_MINUTE}
            for r in faults.runaway_reloads
        ],
        "spikes": [_spike(state, surge, now) for surge in state.spikes],
    }


def _window(start: int, end: int) -> dict[str, str]:
    return {"start": rfc3339(start), "end": rfc3339(end)}


def _incident(window: Window, now: int) -> dict[str, Any]:
    return {**_window(window.start_ns, window.end_ns), "active": window.contains(now)}


def _spike(state: SandboxState, surge: Surge, now: int) -> dict[str, Any]:
    key = spike_key(state.simulation, surge)
    return {
        **_incident(Window(surge.start_ns, surge.end_ns), now),
        "factor": surge.factor,
        "api_key": None if key is None else {"id": key.id, "name": key.name},
    }


def _money(amount: Decimal | None) -> str | None:
    return None if amount is None else str(amount)
