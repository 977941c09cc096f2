"""Faults over cells: outages and on-hold before everything, overloads after the rate limiter, streams
cut short, and the day the billing bug charges twice.

One-request cells draw overloads and interruptions from the exact engine's own generator
(`random.Random(seed + 2)`), in the same order it draws them, so a replayed scenario meets the same
faults; many-request cells take the probabilities as shares.
"""

from __future__ import annotations

import random

import numpy as np

from sandbox.fast.cells import Cells
from sandbox.fast.plan import FaultPlan, Window


def in_windows(at_ns: np.ndarray, windows: tuple[Window, ...]) -> np.ndarray:
    """Which instants fall inside any of the half-open windows."""
    inside = np.zeros(len(at_ns), dtype=bool)
    for start, end in windows:
        inside |= (at_ns >= start) & (at_ns < end)
    return inside


def charge_multiplier(cells: Cells, faults: FaultPlan) -> np.ndarray:
    """2 for requests served on a duplicate-charge day, else 1."""
    return np.where(in_windows(cells.at_ns, faults.duplicate_windows), 2.0, 1.0)


def overloads(
    cells: Cells, faults: FaultPlan, reaching: np.ndarray, seed: int
) -> tuple[np.ndarray, np.ndarray]:
    """Per cell: the share overloaded (529) of the requests reaching that check, and the cost the cut
    streams do not bill (one-request cells only)."""
    windows = in_windows(cells.at_ns, faults.overload_windows)
    saved = np.zeros(len(cells.at_ns))
    if cells.detail is None:
        share = np.where(windows, 1.0, faults.overload_probability)
        return share, saved
    overloaded = windows.astype(np.float64)
    p, q = faults.overload_probability, faults.interrupt_probability
    if p <= 0 and q <= 0:
        return overloaded, saved
    detail = cells.detail
    rng = random.Random(seed + 2)
    draws = rng.random
    rows = np.flatnonzero(reaching & ~windows).tolist()
    streams = detail.stream.tolist()
    outputs = detail.output_tokens.tolist()
    for row in rows:
        if p > 0 and draws() < p:
            overloaded[row] = 1.0
            continue
        produced = outputs[row]
        if q > 0 and streams[row] and produced > 0 and draws() < q:
            cut = rng.randrange(produced)
            saved[row] = (produced - cut) * float(detail.output_rate[row])
    return overloaded, saved
