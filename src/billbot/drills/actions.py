"""An action applied to the drill's world at the simulated time it is taken: what it did, in one sentence.

Money and limits go through the same `World` and ledger methods the sandbox's control API calls
(`World.top_up`, `AutoReload.configure`, `SpendLimits.set_organization_limit`, `World.set_tier`);
traffic actions change the `TrafficShaper`. A refused action (a deposit cap, a limit above the tier
cap, an unknown key) changes nothing and says why; it is still recorded as taken.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from billbot.core.money import usd
from billbot.drills.grammar import Action
from billbot.drills.traffic import Move, TrafficShaper
from sandbox.deposits import DepositLimitExceeded
from sandbox.payments import AlwaysSucceeds
from sandbox.pricing import UnknownModelError
from sandbox.reload import InvalidReloadSettings, ReloadSettings
from sandbox.spend import DefaultWorkspaceLimitError, InvalidSpendAmountError, LimitAboveTierCapError
from sandbox.tiers import UnknownTierError
from sandbox.world import World


@dataclass(frozen=True, slots=True)
class Effect:
    """What an action did (`ok` False: refused, nothing changed)."""

    ok: bool
    text: str


def apply_action(action: Action, world: World, shaper: TrafficShaper, number: int) -> Effect:
    """Apply one action now; `number` makes its purchase key unique within the drill."""
    handler = _HANDLERS.get(action.kind)
    if handler is None:  # resolve, stop, dispute: the session records them
        return Effect(True, "noted")
    return handler(action, world, shaper, number)


def _topup(action: Action, world: World, shaper: TrafficShaper, number: int) -> Effect:
    assert action.amount is not None
    try:
        world.top_up(f"drill-topup-{number}", action.amount)
    except DepositLimitExceeded as refusal:
        return Effect(False, f"purchase refused: {refusal}")
    balance = world.ledger.balance(world.clock.now_ns())
    return Effect(True, f"bought {usd(action.amount)}; the payment went through, balance {usd(balance)}")


def _autoreload(action: Action, world: World, shaper: TrafficShaper, number: int) -> Effect:
    if not action.enabled:
        world.reload.configure(None)
        return Effect(True, "auto-reload turned off")
    assert action.amount is not None
    try:
        settings = ReloadSettings(action.amount, action.target, None)
    except InvalidReloadSettings as exc:
        return Effect(False, f"auto-reload not changed: {exc.detail}")
    with world.lock:
        world.reload.configure(settings)
        attempt = world.reload.check(world.clock.now_ns())
    text = f"auto-reload on: below {usd(action.amount)}, reload up to {usd(action.target or Decimal(0))}"
    if attempt is not None:
        text += (
            f"; a reload of {usd(attempt.amount)} {'went through' if attempt.succeeded else 'was declined'}"
        )
    return Effect(True, text)


def _card(action: Action, world: World, shaper: TrafficShaper, number: int) -> Effect:
    with world.lock:
        world.reload.payment = AlwaysSucceeds()
        now = world.clock.now_ns()
        settings = world.reload.settings
        if settings is None or world.ledger.balance(now) >= settings.minimum:
            return Effect(True, "card updated: the next reload will go through")
        # The console retries the declined reload with the new card at once.
        attempt = world.reload.force(now)
    assert attempt is not None
    return Effect(True, f"card updated; the declined reload was retried: {usd(attempt.amount)} went through")


def _limit(action: Action, world: World, shaper: TrafficShaper, number: int) -> Effect:
    try:
        with world.lock:
            world.spend.set_organization_limit(action.amount)
    except (InvalidSpendAmountError, LimitAboveTierCapError, DefaultWorkspaceLimitError) as exc:
        return Effect(False, f"spend limit not changed: {exc}")
    if action.amount is None:
        return Effect(True, "organisation spend limit removed")
    return Effect(True, f"organisation spend limit set to {usd(action.amount)} a month")


def _tier(action: Action, world: World, shaper: TrafficShaper, number: int) -> Effect:
    names = world.tiers.tier_names()
    wanted = action.tier.strip()
    chosen = next((name for name in names if name.lower() == wanted.lower()), None)
    if chosen is None and wanted.isdigit():
        # "tier 3": the historic profile's "Tier 3", or the current profile counted from Start.
        chosen = next((n for n in names if n.lower() == f"tier {wanted}"), None)
        if chosen is None and int(wanted) < len(names):
            chosen = names[int(wanted)]
    try:
        world.set_tier(chosen or wanted)
    except UnknownTierError:
        return Effect(False, f"no tier {wanted!r}; one of {', '.join(names)}")
    cap = world.tiers.tier(world.tier).monthly_cap
    return Effect(True, f"moved to tier {world.tier} (monthly cap {'none' if cap is None else usd(cap)})")


def _move(action: Action, world: World, shaper: TrafficShaper, number: int) -> Effect:
    try:
        model, to = world.prices.resolve(action.model).id, world.prices.resolve(action.to).id
    except UnknownModelError as exc:
        return Effect(False, f"no such model: {exc}")
    shaper.moves = [m for m in shaper.moves if m.model != model] + [Move(model, to, action.share)]
    return Effect(True, f"{action.share}% of {model}'s traffic now goes to {to}")


def _batch(action: Action, world: World, shaper: TrafficShaper, number: int) -> Effect:
    shaper.batch = action.enabled
    if not action.enabled:
        return Effect(True, "batch off: every call goes out as a standard request")
    return Effect(True, "batch on: calls to models with a Batch API price go through the batch queue")


def _pause(action: Action, world: World, shaper: TrafficShaper, number: int) -> Effect:
    keys = list(world.org.api_keys.values())
    index = next((i for i, key in enumerate(keys) if key.name.lower() == action.key.lower()), None)
    if index is None:
        return Effect(False, f"no key named {action.key!r}; keys: {', '.join(k.name for k in keys)}")
    shaper.paused.add(index)
    return Effect(True, f"key {keys[index].name} paused: its calls are not sent")


def _backoff(action: Action, world: World, shaper: TrafficShaper, number: int) -> Effect:
    shaper.backoff = True
    return Effect(True, "clients back off: 429/529 are retried after retry-after (or 2^n s) plus jitter")


def _balance(action: Action, world: World, shaper: TrafficShaper, number: int) -> Effect:
    now = world.clock.now_ns()
    ledger = world.ledger
    held = sum((hold.amount for hold in ledger.open_holds()), Decimal(0))
    settings = world.reload.settings
    reload = "off" if settings is None else f"on (below {usd(settings.minimum)})"
    limit = world.spend.organization_limit
    return Effect(
        True,
        f"balance {usd(ledger.balance(now))}, available {usd(ledger.available(now))}, held {usd(held)}; "
        f"auto-reload {reload}; spend limit {'none' if limit is None else usd(limit)}; tier {world.tier}",
    )


def _retry(action: Action, world: World, shaper: TrafficShaper, number: int) -> Effect:
    sent, served = shaper.retry_lost(world.clock.now_ns())
    return Effect(True, f"retried {sent} failed request(s): {served} served, {sent - served} failed again")


_HANDLERS = {
    "topup": _topup,
    "autoreload": _autoreload,
    "card": _card,
    "limit": _limit,
    "tier": _tier,
    "move": _move,
    "batch": _batch,
    "pause": _pause,
    "backoff": _backoff,
    "balance": _balance,
    "retry": _retry,
}
