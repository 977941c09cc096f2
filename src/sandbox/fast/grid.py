"""The fast engine on a minute grid: the Monte Carlo path, where cells are group-minutes.

Same rules and order as `engine.simulate`, arranged for speed: rate limits as capacity per minute per
class over a `[minutes, groups]` array, and the money rules over one cell per minute and spend-limit
partition (the whole organisation, or a workspace with a limit of its own), since money does not care
which model spent it. What does not change from run to run (fault windows, partitions) is worked out
once per Monte Carlo, in a `GridContext`.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from sandbox.clock import NS_PER_MINUTE
from sandbox.fast.aggregate import CompiledPlan
from sandbox.fast.cells import Cells
from sandbox.fast.engine import RunResult
from sandbox.fast.faults import in_windows
from sandbox.fast.money import REASON_NAMES, MoneyRun
from sandbox.fast.plan import AccountPlan
from sandbox.fast.ratelimits import Peak
from sandbox.simulate import REJECTION_REASONS


@dataclass(frozen=True, slots=True)
class GridContext:
    """Per-minute fault masks and the spend-limit partitions of a compiled plan's groups."""

    starts: np.ndarray
    outage: np.ndarray
    on_hold: np.ndarray
    reaching: np.ndarray
    twice: np.ndarray
    overloaded: np.ndarray
    partitions: np.ndarray
    part_of: np.ndarray
    columns: tuple[np.ndarray, ...]  # the groups of each partition

    @classmethod
    def build(cls, compiled: CompiledPlan, account: AccountPlan) -> GridContext:
        """Work out what every run of this plan shares."""
        starts = compiled.start_ns + np.arange(compiled.minutes, dtype=np.int64) * NS_PER_MINUTE
        faults = account.faults
        outage = in_windows(starts, faults.outages)
        on_hold = ~outage if faults.on_hold else np.zeros(len(starts), dtype=bool)
        partitions = np.unique(compiled.group_workspace)
        part_of = np.searchsorted(partitions, compiled.group_workspace)
        return cls(
            starts=starts,
            outage=outage,
            on_hold=on_hold,
            reaching=~outage & ~on_hold,
            twice=np.where(in_windows(starts, faults.duplicate_windows), 2.0, 1.0),
            overloaded=np.where(
                in_windows(starts, faults.overload_windows), 1.0, faults.overload_probability
            ),
            partitions=partitions,
            part_of=part_of,
            columns=tuple(np.flatnonzero(part_of == p) for p in range(len(partitions))),
        )

    def by_partition(self, values: np.ndarray) -> np.ndarray:
        """`[minutes, groups]` summed into `[minutes, partitions]`, flattened in time order."""
        if len(self.columns) == 1:
            return np.asarray(values.sum(axis=1, dtype=np.float64))
        return np.stack(
            [values[:, cols].sum(axis=1, dtype=np.float64) for cols in self.columns], axis=1
        ).ravel()


def simulate_grid(
    compiled: CompiledPlan,
    counts: np.ndarray,
    account: AccountPlan,
    *,
    context: GridContext | None = None,
    day_factors: np.ndarray | None = None,
    seed: int,
    checkpoints: np.ndarray | None = None,
) -> RunResult:
    """One run over `counts` ([minutes, groups] requests) of a compiled plan."""
    ctx = context or GridContext.build(compiled, account)
    minutes = counts.shape[0]
    parts = len(ctx.partitions)
    asked = counts if ctx.reaching.all() else counts * ctx.reaching[:, None]
    admitted, peaks = _rate_limits(compiled, asked, account)
    busiest_day = float(day_factors.max(initial=1.0)) if day_factors is not None else 1.0
    for name, expected in compiled.expected_peaks.items():
        busiest = (expected[0] * busiest_day, expected[1] * busiest_day, expected[2] * busiest_day)
        peaks.append(Peak.of(name, busiest, account.rate_limits(name)))
    per_request = compiled.cost.astype(np.float32)
    cost = counts * per_request if admitted is None else counts * per_request * admitted
    if ctx.overloaded.any() or (ctx.twice > 1).any():
        cost = cost * ((1.0 - ctx.overloaded) * ctx.twice).astype(np.float32)[:, None]
    cells = Cells(
        start_ns=compiled.start_ns,
        end_ns=compiled.start_ns + minutes * NS_PER_MINUTE,
        at_ns=np.repeat(ctx.starts, parts) if parts > 1 else ctx.starts,
        count=ctx.by_partition(counts),
        cost=ctx.by_partition(cost),
        group=np.zeros(minutes * parts, dtype=np.int32),
        workspace=np.tile(ctx.partitions, minutes).astype(np.int32),
        counted_input=np.zeros(0),
        output=np.zeros(0),
        classes=compiled.classes,
        workspaces=compiled.workspaces,
    )
    reaching = np.repeat(ctx.reaching, parts) if parts > 1 else ctx.reaching
    # A crossing cell's cost per request: close enough from all its requests (money's partial share).
    money = MoneyRun(account, cells, cells.cost, cells.count, reaching, seed).run()
    rejected = dict.fromkeys(REJECTION_REASONS, 0.0)
    if ctx.outage.any():
        rejected["outage"] = float(counts[ctx.outage].sum(dtype=np.float64))
    if ctx.on_hold.any():
        rejected["on_hold"] = float(counts[ctx.on_hold].sum(dtype=np.float64))
    if float(money.admitted.min(initial=1.0)) >= 1.0 and ctx.reaching.all():
        through = counts
        charged = cells.cost.reshape(minutes, parts).sum(axis=1) if parts > 1 else cells.cost
    else:
        money_share = (money.admitted.reshape(minutes, parts)[:, ctx.part_of] * ctx.reaching[:, None]).astype(
            np.float32
        )
        reason = money.reason.reshape(minutes, parts)[:, ctx.part_of]
        refused = asked * (1.0 - money_share)
        for code, name in REASON_NAMES.items():
            rejected[name] = float(refused[reason == code].sum(dtype=np.float64))
        through = counts * money_share
        charged = (cost * money_share).sum(axis=1, dtype=np.float64)
    if admitted is not None:
        rejected["rate_limit"] = float((through * (1.0 - admitted)).sum(dtype=np.float64))
        through = through * admitted
    per_minute = through.sum(axis=1, dtype=np.float64)
    overloads = per_minute * ctx.overloaded
    rejected["overload"] = float(overloads.sum())
    served = per_minute - overloads
    curve = np.zeros(0)
    if checkpoints is not None:
        cumulative = np.concatenate(([0.0], np.cumsum(charged)))
        curve = cumulative[np.searchsorted(ctx.starts, checkpoints, side="left")]
    doubled = ctx.twice > 1
    return RunResult(
        start_ns=compiled.start_ns,
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
        charged_twice=float(served[doubled].sum()) if doubled.any() else 0.0,
        overcharged=float(charged[doubled].sum() / 2) if doubled.any() else 0.0,
        peaks=peaks,
        spend_curve=curve,
    )


def _rate_limits(
    compiled: CompiledPlan, counts: np.ndarray, account: AccountPlan
) -> tuple[np.ndarray | None, list[Peak]]:
    """Per group-minute, the share the class's per-minute capacity admits (None: all of it); peaks."""
    admitted: np.ndarray | None = None
    peaks: list[Peak] = []
    for index, name in enumerate(compiled.classes):
        columns = compiled.group_class == index
        if not columns.any():
            continue
        block = counts[:, columns]
        used = (
            block.sum(axis=1),
            (block * compiled.counted_input[columns]).sum(axis=1),
            (block * compiled.output[columns]).sum(axis=1),
        )
        limits = account.rate_limits(name)
        peaks.append(
            Peak.of(name, (float(used[0].max()), float(used[1].max()), float(used[2].max())), limits)
        )
        caps = (None, None, None) if limits is None else (limits.rpm, limits.itpm, limits.otpm)
        share = np.ones(len(counts))
        for demand, cap in zip(used, caps, strict=True):
            if cap is not None and float(demand.max(initial=0.0)) > cap:
                share = np.minimum(share, np.where(demand > cap, cap / np.maximum(demand, 1e-12), 1.0))
        if (share < 1.0).any():
            admitted = np.ones_like(counts) if admitted is None else admitted
            admitted[:, columns] = share[:, None]
    return admitted, peaks
