"""The money rules over cells: credit (400), self-set limits (400), the tier cap (429), auto-reload.

Between events (a top-up, a lot expiring, a payment clawed back, a month starting) the balance only
falls, so the engine finds the next cell where a threshold is crossed with one binary search over the
cumulative cost instead of stepping cell by cell:
- credit: the request that takes the balance to zero or below is served (charge-after); later ones are
  refused until a purchase brings it back above zero;
- auto-reload: when a charge takes the balance below the minimum, one attempt per crossing;
- organisation limit, workspace limits, tier cap: the request that reaches the limit is served, later
  ones are refused until the month ends (00:00 UTC on the 1st).
A many-request cell that crosses a threshold is served in part: up to the threshold, plus the crossing
request. Order of refusal reasons, as in `World.handle`: credit, organisation limit, workspace limit,
tier cap.
"""

from __future__ import annotations

import heapq
from dataclasses import dataclass, field
from decimal import ROUND_CEILING, Decimal
from itertools import count

import numpy as np

from sandbox.deposits import DepositCap
from sandbox.fast.cells import Cells
from sandbox.fast.lots import FastLot, LotShelf
from sandbox.fast.plan import AccountPlan, ReloadPlan
from sandbox.money import CENT
from sandbox.payments import AlwaysSucceeds, DeclinesWithProbability, PaymentModel, Scripted
from sandbox.reload import DEPOSIT_LIMIT
from sandbox.spend import month_bounds

CREDIT, ORG_LIMIT, WORKSPACE_LIMIT, TIER_CAP = 1, 2, 3, 4
REASON_NAMES = {
    CREDIT: "credit",
    ORG_LIMIT: "spend_limit",
    WORKSPACE_LIMIT: "workspace_spend_limit",
    TIER_CAP: "tier_cap",
}
_EPS = 1e-9
_WS_BASE = 100  # crossing codes 100 + w: workspace w reaching its limit


@dataclass(frozen=True, slots=True)
class ReloadEvent:
    """One auto-reload attempt."""

    at_ns: int
    amount: float
    status: str  # succeeded | declined | late_failure
    reason: str = ""


@dataclass(frozen=True, slots=True)
class LimitHit:
    """A money limit starting to refuse requests: what and when."""

    what: str  # credit | spend_limit | workspace_spend_limit:NAME | tier_cap
    at_ns: int


@dataclass(slots=True)
class MoneyOutcome:
    """Per cell: the share of its requests the money rules admit, and why the rest were refused."""

    admitted: np.ndarray
    reason: np.ndarray
    reloads: list[ReloadEvent] = field(default_factory=list)
    clawed_back: int = 0
    hits: list[LimitHit] = field(default_factory=list)
    first_exhaustion_ns: int | None = None
    balance_end: float = 0.0
    lots_expired: int = 0
    refused_topups: int = 0


def payment_model(plan: ReloadPlan, seed: int) -> PaymentModel:
    """The same payment model, and the same seeded draws, as the exact engine builds."""
    if plan.payment == "always":
        return AlwaysSucceeds()
    if plan.payment == "probability":
        return DeclinesWithProbability(plan.decline_probability, seed=seed + 1)
    return Scripted.from_names(plan.script, late_failure_after_ns=plan.late_failure_ns)


class MoneyRun:
    """Applies the money rules to one run's cells, given what each cell costs if admitted."""

    def __init__(
        self,
        account: AccountPlan,
        cells: Cells,
        cost: np.ndarray,
        serves: np.ndarray,
        reaching: np.ndarray,
        seed: int,
    ) -> None:
        self.account, self.cells, self.reaching = account, cells, reaching
        self.at = cells.at_ns
        self.base_cost = np.where(reaching, cost, 0.0)
        self.serves = serves  # requests of each cell that would be served if money admits them
        n = len(self.at)
        self.out = MoneyOutcome(admitted=np.ones(n), reason=np.zeros(n, dtype=np.int8))
        self.shelf = LotShelf(account.expiry, account.expiry_days)
        self.reload = account.reload
        self.payment = payment_model(account.reload, seed) if account.reload is not None else None
        self.armed = True
        self.deposits = DepositCap(account.tier_cap) if account.deposits_capped else None
        self.tier_cap = None if account.tier_cap is None else float(account.tier_cap)
        self.org_limit = None if account.organization_limit is None else float(account.organization_limit)
        self.ws_limit = {
            cells.workspaces.index(name): float(limit)
            for name, limit in account.workspace_limits.items()
            if name in cells.workspaces
        }
        self.month_spend = float(account.month_to_date)
        self.ws_spend = {
            ws: float(account.workspace_month_to_date.get(cells.workspaces[ws], 0)) for ws in self.ws_limit
        }
        self.ws_blocked: dict[int, int] = {}  # workspace → blocked until (ns)
        self.month_end = month_bounds(cells.start_ns)[1]
        self.events: list[tuple[int, int, str, object]] = []
        self.seq = count()
        self.open_block = 0  # the refusal reason in force, to record each limit hit once
        self._rebuild(0)

    # -- cumulative costs --------------------------------------------------------------------------

    def _rebuild(self, start: int) -> None:
        cost = self.base_cost.copy()
        for ws, until in self.ws_blocked.items():
            cost[(self.cells.workspace == ws) & (self.at < until)] = 0.0
        self.cost = cost
        self.cum = np.concatenate(([0.0], np.cumsum(cost)))
        self.ws_cum = {
            ws: np.concatenate(([0.0], np.cumsum(np.where(self.cells.workspace == ws, cost, 0.0))))
            for ws in self.ws_limit
        }

    # -- the run -------------------------------------------------------------------------------------

    def run(self) -> MoneyOutcome:
        """Go through every cell and event up to the end of the horizon."""
        for lot in self.account.lots:
            self.shelf.grant(
                float(lot.amount), lot.granted_ns, purchased=lot.kind == "purchased", topup=False
            )
        for at_ns, amount in self.account.topups:
            self._schedule(at_ns, "topup", amount)
        end = self.cells.end_ns
        self.shelf.expire(self.cells.start_ns)
        i = 0
        while True:
            when = min(
                self.events[0][0] if self.events else end,
                self.shelf.next_expiry(self._now(i)),
                self.month_end,
                end,
            )
            j = max(i, int(np.searchsorted(self.at, when, side="left")))
            i = self._advance(i, j, when)
            if i < j:  # a reload scheduled something (a manual top-up, a claw-back) before `when`
                continue
            if when >= end:
                break
            self._event_at(when, i)
        self.shelf.expire(end)
        self.out.balance_end = self.shelf.balance
        self.out.lots_expired = self.shelf.expired_count
        return self.out

    def _now(self, i: int) -> int:
        return int(self.at[i - 1]) if i > 0 else self.cells.start_ns - 1

    def _schedule(self, at_ns: int, kind: str, payload: object) -> None:
        heapq.heappush(self.events, (at_ns, next(self.seq), kind, payload))

    def _event_at(self, when: int, i: int) -> None:
        self.shelf.expire(when)
        if when >= self.month_end:
            self.month_spend = 0.0
            self.ws_spend = dict.fromkeys(self.ws_limit, 0.0)
            self.month_end = month_bounds(when)[1]
            if self.ws_blocked:
                self.ws_blocked = {}
                self._rebuild(i)
        while self.events and self.events[0][0] <= when:
            at_ns, _, kind, payload = heapq.heappop(self.events)
            if kind == "topup":
                assert isinstance(payload, Decimal)
                self._top_up(payload, at_ns)
            elif kind == "clawback":
                assert isinstance(payload, FastLot)
                self.shelf.claw_back(payload)
                self.out.clawed_back += 1

    def _top_up(self, amount: Decimal, at_ns: int) -> None:
        if self.deposits is not None:
            if not self.deposits.fits(amount, at_ns):
                self.out.refused_topups += 1
                return
            self.deposits.record(amount, at_ns)
        self.shelf.grant(float(amount), at_ns, purchased=True, topup=True)
        self._check_reload(at_ns)

    # -- stretches of traffic ------------------------------------------------------------------------

    def _blocked(self) -> int:
        if self.shelf.balance <= _EPS:
            return CREDIT
        if self.org_limit is not None and self.month_spend >= self.org_limit - _EPS:
            return ORG_LIMIT
        if self.tier_cap is not None and self.month_spend >= self.tier_cap - _EPS:
            return TIER_CAP
        return 0

    def _advance(self, i: int, j: int, until_ns: int) -> int:
        """Cells [i, j) up to the next known event; returns where it stopped (early for a new event)."""
        while i < j:
            blocked = self._blocked()
            if blocked:
                self._refuse(i, j, blocked)
                return j
            if self.reload is not None and self.shelf.balance >= float(self.reload.minimum):
                self.armed = True  # the next charge's check sees the balance at or above the minimum
            k, reason = self._crossing(i, j)
            if k >= j:
                self._admit(i, j)
                return j
            self._admit(i, k)
            self._cross(k, reason)
            i = k + 1
            if self.events and self.events[0][0] < until_ns:
                return i
        return j

    def _crossing(self, i: int, j: int) -> tuple[int, int]:
        """The first cell in [i, j) whose charge crosses a threshold, and which (0: a reload)."""
        cum, base = self.cum, self.cum[i]
        balance = self.shelf.balance
        found: list[tuple[int, int]] = [(j, -1)]

        def first_reaching(amount: float, reason: int, array: np.ndarray = cum, start: float = base) -> None:
            k = int(np.searchsorted(array, start + amount - _EPS, side="left")) - 1
            found.append((max(k, i), reason))

        first_reaching(balance, CREDIT)
        if self.reload is not None and self.armed:
            k = int(np.searchsorted(cum, base + balance - float(self.reload.minimum), side="right")) - 1
            found.append((max(k, i), 0))
        if self.org_limit is not None:
            first_reaching(self.org_limit - self.month_spend, ORG_LIMIT)
        if self.tier_cap is not None:
            first_reaching(self.tier_cap - self.month_spend, TIER_CAP)
        for ws, limit in self.ws_limit.items():
            if ws not in self.ws_blocked:
                wcum = self.ws_cum[ws]
                first_reaching(limit - self.ws_spend[ws], _WS_BASE + ws, wcum, float(wcum[i]))
        k, reason = min(found)
        while k < j and self.cost[k] <= 0.0:  # a crossing needs a charge; free cells cannot cross
            k += 1
        return k, reason

    def _spend(self, amount: float, i: int, j: int) -> None:
        self.shelf.spend(amount)
        self.month_spend += amount
        for ws in self.ws_limit:
            self.ws_spend[ws] += float(self.ws_cum[ws][j] - self.ws_cum[ws][i])

    def _admit(self, i: int, j: int) -> None:
        if j > i:
            self.open_block = 0
            self._spend(float(self.cum[j] - self.cum[i]), i, j)
            if self.reload is not None and self.shelf.balance >= float(self.reload.minimum):
                self.armed = True

    def _cross(self, k: int, reason: int) -> None:
        self.open_block = 0
        at_ns = int(self.at[k])
        cost = float(self.cost[k])
        share = 1.0
        if reason:
            headroom = self._headroom(reason, k)
            per_request = cost / max(float(self.serves[k]), 1.0)
            share = min(1.0, max(headroom, 0.0) / cost + per_request / cost) if cost > 0 else 1.0
        before = {ws: self.ws_spend[ws] for ws in self.ws_limit}
        self.shelf.spend(cost * share)
        self.month_spend += cost * share
        ws = int(self.cells.workspace[k])
        if ws in self.ws_spend:
            self.ws_spend[ws] = before[ws] + cost * share
        if share < 1.0:
            self.out.admitted[k] = share
            self.out.reason[k] = reason if reason < _WS_BASE else WORKSPACE_LIMIT
        self._check_reload(at_ns)
        if reason >= _WS_BASE and self.ws_spend[reason - _WS_BASE] >= self.ws_limit[reason - _WS_BASE] - _EPS:
            self._block_workspace(reason - _WS_BASE, k + 1, at_ns)

    def _headroom(self, reason: int, k: int) -> float:
        if reason == CREDIT:
            return self.shelf.balance
        if reason == ORG_LIMIT:
            assert self.org_limit is not None
            return self.org_limit - self.month_spend
        if reason == TIER_CAP:
            assert self.tier_cap is not None
            return self.tier_cap - self.month_spend
        ws = reason - _WS_BASE
        return self.ws_limit[ws] - self.ws_spend[ws]

    def _block_workspace(self, ws: int, start: int, at_ns: int) -> None:
        self.ws_blocked[ws] = self.month_end
        name = self.cells.workspaces[ws]
        self.out.hits.append(LimitHit(f"workspace_spend_limit:{name}", at_ns))
        mask = (self.cells.workspace == ws) & (self.at < self.month_end) & self.reaching
        mask[:start] = False
        self.out.admitted[mask] = 0.0
        self.out.reason[mask] = WORKSPACE_LIMIT
        self._rebuild(start)

    def _refuse(self, i: int, j: int, reason: int) -> None:
        span = slice(i, j)
        reaching = self.reaching[span]
        if not reaching.any():
            return
        first = i + int(np.argmax(reaching))
        if reason != self.open_block:  # a block lifted (a purchase, a new month) and back is a new hit
            self.out.hits.append(LimitHit(REASON_NAMES[reason], int(self.at[first])))
            self.open_block = reason
        if reason == CREDIT and self.out.first_exhaustion_ns is None:
            self.out.first_exhaustion_ns = int(self.at[first])
        reasons = self.out.reason[span]
        # A workspace already stopped by its own limit stays so: the tier cap is checked after it.
        keep = (reasons == WORKSPACE_LIMIT) if reason == TIER_CAP else np.zeros(j - i, dtype=bool)
        change = reaching & ~keep
        self.out.admitted[span][change] = 0.0
        reasons[change] = reason

    # -- auto-reload -------------------------------------------------------------------------------

    def _check_reload(self, at_ns: int) -> None:
        plan, payment = self.reload, self.payment
        if plan is None or payment is None:
            return
        balance = self.shelf.balance
        if balance >= float(plan.minimum):
            self.armed = True
            return
        if not self.armed:
            return
        self.armed = False
        amount = self._reload_amount(plan, balance)
        if self.deposits is not None and not self.deposits.fits(amount, at_ns):
            self.out.reloads.append(ReloadEvent(at_ns, float(amount), "declined", DEPOSIT_LIMIT))
            return
        outcome = payment.attempt(amount, at_ns)
        self.out.reloads.append(ReloadEvent(at_ns, float(amount), outcome.status, outcome.reason))
        if outcome.status == "declined":
            if plan.after_decline is not None:
                delay, manual = plan.after_decline
                self._schedule(at_ns + delay, "topup", manual)
            return
        lot = self.shelf.grant(float(amount), at_ns, purchased=True, topup=True)
        if self.deposits is not None:
            self.deposits.record(amount, at_ns)
        if outcome.fails_after_ns is not None:
            self._schedule(at_ns + outcome.fails_after_ns, "clawback", lot)

    @staticmethod
    def _reload_amount(plan: ReloadPlan, balance: float) -> Decimal:
        if plan.target is not None:
            return (plan.target - Decimal(repr(balance))).quantize(CENT, rounding=ROUND_CEILING)
        assert plan.fixed_amount is not None
        return plan.fixed_amount
