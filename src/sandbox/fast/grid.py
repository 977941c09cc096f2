"""The fast engine on a minute grid: the Monte Carlo path, where cells are group-minutes.

Same rules and order as `engine.simulate`, arranged for speed: rate limits as capacity per minute per
class over a `[minutes, groups]` array, and the money rules over one cell per minute and spend-limit
partition (the whole organisation, or a workspace with a limit of its own), since money does not care
which model spent it.
"""

from __future__ import annotations

import numpy as np

from sandbox.clock import NS_PER_MINUTE
from sandbox.fast.aggregate import CompiledPlan
from sandbox.fast.cells import Cells
from sandbox.fast.engine import REJECTION_REASONS, RunResult
from sandbox.fast.faults import in_windows
from sandbox.fast.money import REASON_NAMES, MoneyRun
from sandbox.fast.plan import AccountPlan
from sandbox.fast.ratelimits import Peak


def simulate_grid(
    compiled: CompiledPlan,
    counts: np.ndarray,
    account: AccountPlan,
    *,
    day_factors: np.ndarray | None = None,
    seed: int,
    checkpoints: np.ndarray | None = None,
) -> RunResult:
    """One run over `counts` ([minutes, groups] requests) of a compiled plan."""
    minutes = counts.shape[0]
    starts = compiled.start_ns + np.arange(minutes, dtype=np.int64) * NS_PER_MINUTE
    faults = account.faults
    outage = in_windows(starts, faults.outages)
    on_hold = ~outage if faults.on_hold else np.zeros(minutes, dtype=bool)
    reaching = ~outage & ~on_hold
    twice = np.where(in_windows(starts, faults.duplicate_windows), 2.0, 1.0)
    overloaded = np.where(in_windows(starts, faults.overload_windows), 1.0, faults.overload_probability)
    admitted, peaks = _rate_limits(compiled, counts * reaching[:, None], account)
    busiest_day = float(day_factors.max(initial=1.0)) if day_factors is not None else 1.0
    for name, expected in compiled.expected_peaks.items():
        busiest = (expected[0] * busiest_day, expected[1] * busiest_day, expected[2] * busiest_day)
        peaks.append(Peak.of(name, busiest, account.rate_limits(name)))
    served_share = admitted * (1.0 - overloaded)[:, None]
    cost = counts * compiled.cost * served_share * twice[:, None]
    partitions = np.unique(compiled.group_workspace)
    part_of = np.searchsorted(partitions, compiled.group_workspace)

    def by_partition(values: np.ndarray) -> np.ndarray:
        # Column sums per partition, as plain reductions (a BLAS product is slower on some hosts).
        return np.stack([values[:, part_of == p].sum(axis=1) for p in range(len(partitions))], axis=1)

    cells = Cells(
        start_ns=compiled.start_ns,
        end_ns=compiled.start_ns + minutes * NS_PER_MINUTE,
        at_ns=np.repeat(starts, len(partitions)),
        count=by_partition(counts).ravel(),
        cost=by_partition(cost).ravel(),
        group=np.zeros(minutes * len(partitions), dtype=np.int32),
        workspace=np.tile(partitions, minutes).astype(np.int32),
        counted_input=np.zeros(0),
        output=np.zeros(0),
        classes=compiled.classes,
        workspaces=compiled.workspaces,
    )
    money = MoneyRun(
        account,
        cells,
        cells.cost,
        by_partition(counts * served_share).ravel(),
        np.repeat(reaching, len(partitions)),
        seed,
    ).run()
    money_share = np.where(reaching[:, None], money.admitted.reshape(minutes, -1)[:, part_of], 0.0)
    reason = money.reason.reshape(minutes, -1)[:, part_of]
    rejected = dict.fromkeys(REJECTION_REASONS, 0.0)
    rejected["outage"] = float(counts[outage].sum())
    rejected["on_hold"] = float(counts[on_hold].sum())
    refused = np.where(reaching[:, None], counts * (1.0 - money_share), 0.0)
    for code, name in REASON_NAMES.items():
        rejected[name] = float(refused[reason == code].sum())
    asked = counts * money_share
    rejected["rate_limit"] = float((asked * (1.0 - admitted)).sum())
    through = asked * admitted
    rejected["overload"] = float((through * overloaded[:, None]).sum())
    served = through * (1.0 - overloaded[:, None])
    charged = (cost * money_share).sum(axis=1)
    curve = np.zeros(0)
    if checkpoints is not None:
        cumulative = np.concatenate(([0.0], np.cumsum(charged)))
        curve = cumulative[np.searchsorted(starts, checkpoints, side="left")]
    doubled = twice > 1
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
        charged_twice=float(served[doubled].sum()),
        overcharged=float(charged[doubled].sum() / 2),
        peaks=peaks,
        spend_curve=curve,
    )


def _rate_limits(
    compiled: CompiledPlan, counts: np.ndarray, account: AccountPlan
) -> tuple[np.ndarray, list[Peak]]:
    """Per group-minute, the share the class's per-minute capacity admits; and each class's peak."""
    admitted = np.ones_like(counts)
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
        caps = (None, None, None) if limits is None else (limits.rpm, limits.itpm, limits.otpm)
        peaks.append(
            Peak.of(name, (float(used[0].max()), float(used[1].max()), float(used[2].max())), limits)
        )
        share = np.ones(len(counts))
        for demand, cap in zip(used, caps, strict=True):
            if cap is not None and float(demand.max(initial=0.0)) > cap:
                share = np.minimum(share, np.where(demand > cap, cap / np.maximum(demand, 1e-12), 1.0))
        admitted[:, columns] = share[:, None]
    return admitted, peaks
