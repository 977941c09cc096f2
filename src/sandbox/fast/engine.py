"""One run of the fast engine over cells: faults, rate limits and money, in the admission order of
`World.handle` (outage → on hold → credit → self-set limits → tier cap → rate limits → overload).

Money comes before the rate limiter, but what money admits depends on what the limiter lets through
and charges: the run first assumes money admits everything, and only if it then refuses something
goes round again with the limiter and the fault draws seeing only what money admitted, until what
money admits no longer changes (or a few rounds have passed).
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from sandbox.fast.cells import Cells
from sandbox.fast.faults import charge_multiplier, in_windows, overloads
from sandbox.fast.money import REASON_NAMES, LimitHit, MoneyOutcome, MoneyRun, ReloadEvent
from sandbox.fast.plan import AccountPlan
from sandbox.fast.ratelimits import Peak, RateOutcome, apply_rate_limits
from sandbox.simulate import REJECTION_REASONS  # one list of causes for both engines' summaries

_ROUNDS = 6  # rounds until what money admits stops changing (a causal chain: it settles in a few)
MONEY_AND_LIMITS = (
    "credit",
    "spend_limit",
    "workspace_spend_limit",
    "tier_cap",
    "rate_limit",
    "rate_limit_permanent",
)


@dataclass(slots=True)
class RunResult:
    """What one run produced: cost, requests by outcome, reloads, limit hits, the spend curve."""

    start_ns: int
    end_ns: int
    total_cost: float
    served: float
    rejected: dict[str, float]
    reloads: list[ReloadEvent]
    clawed_back: int
    hits: list[LimitHit]
    first_exhaustion_ns: int | None
    balance_end: float
    lots_expired: int
    charged_twice: float
    overcharged: float
    peaks: list[Peak]
    spend_curve: np.ndarray = field(default_factory=lambda: np.zeros(0))

    @property
    def failed_for_money_or_limits(self) -> bool:
        """Whether any request was refused for credit, a spend limit, the tier cap or a rate limit."""
        return any(self.rejected[reason] >= 0.5 for reason in MONEY_AND_LIMITS)


def simulate(
    cells: Cells, account: AccountPlan, *, seed: int, checkpoints: np.ndarray | None = None
) -> RunResult:
    """Apply every rule to `cells` and tally the outcome."""
    faults = account.faults
    outage = in_windows(cells.at_ns, faults.outages)
    on_hold = ~outage if faults.on_hold else np.zeros(len(outage), dtype=bool)
    reaching = ~outage & ~on_hold
    twice = charge_multiplier(cells, faults)
    money_share = np.ones(len(outage))
    for _ in range(_ROUNDS):
        limiter_sees = reaching & (money_share > 0)
        rates = apply_rate_limits(cells, account, limiter_sees)
        through = rates.admitted * (1.0 - rates.permanent)
        overloaded, saved = overloads(cells, faults, limiter_sees & (through > 0), seed)
        served_share = through * (1.0 - overloaded)
        cost = np.maximum(cells.cost - saved, 0.0) * served_share * twice
        money = MoneyRun(account, cells, cost, cells.count * served_share, reaching, seed).run()
        if bool((money.admitted[reaching] == money_share[reaching]).all()):
            break
        money_share = money.admitted
    return _tally(cells, reaching, outage, on_hold, money, rates, overloaded, cost, twice, checkpoints)


def _tally(
    cells: Cells,
    reaching: np.ndarray,
    outage: np.ndarray,
    on_hold: np.ndarray,
    money: MoneyOutcome,
    rates: RateOutcome,
    overloaded: np.ndarray,
    cost: np.ndarray,
    twice: np.ndarray,
    checkpoints: np.ndarray | None,
) -> RunResult:
    count = cells.count
    admitted = np.where(reaching, money.admitted, 0.0)
    rejected = dict.fromkeys(REJECTION_REASONS, 0.0)
    rejected["outage"] = float(count[outage].sum())
    rejected["on_hold"] = float(count[on_hold].sum())
    refused = np.where(reaching, count * (1.0 - money.admitted), 0.0)
    for code, name in REASON_NAMES.items():
        rejected[name] = float(refused[money.reason == code].sum())
    asked = count * admitted
    rejected["rate_limit_permanent"] = float((asked * rates.permanent).sum())
    rejected["rate_limit"] = float((asked * (1 - rates.permanent) * (1 - rates.admitted)).sum())
    through = asked * (1 - rates.permanent) * rates.admitted
    rejected["overload"] = float((through * overloaded).sum())
    served = through * (1 - overloaded)
    charged = cost * admitted
    doubled = twice > 1
    curve = np.zeros(0)
    if checkpoints is not None:
        cumulative = np.concatenate(([0.0], np.cumsum(charged)))
        curve = cumulative[np.searchsorted(cells.at_ns, checkpoints, side="left")]
    return RunResult(
        start_ns=cells.start_ns,
        end_ns=cells.end_ns,
        total_cost=float(charged.sum()),
        served=float(served.sum()),
        rejected=rejected,
        reloads=money.reloads,
        clawed_back=money.clawed_back,
        hits=money.hits,
        first_exhaustion_ns=money.first_exhaustion_ns,
        balance_end=money.balance_end,
        lots_expired=money.lots_expired,
        charged_twice=float(served[doubled].sum()),
        overcharged=float(charged[doubled].sum() / 2),
        peaks=rates.peaks,
        spend_curve=curve,
    )
