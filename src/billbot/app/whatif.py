"""What-ifs over the organisation's own data: fit the baseline from the data source, run both sides.

The same data source as every answer (the Admin API, a sandbox at a URL, or the embedded default) is
read through `Services`; the fast engine does the rest. One function serves `/claude-whatif` in every
interface and `billbot whatif --json`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from billbot.app.command import Actor, Reply
from billbot.app.grammar.amounts import InputError
from billbot.app.replies.whatif import whatif_response
from billbot.app.services import Services
from billbot.whatif.baseline import fit_baseline
from billbot.whatif.levers import EXAMPLE, USAGE, LeverError, Levers, parse_levers
from billbot.whatif.result import WhatIfResult, run_whatif

WHATIF_USAGE = USAGE.removeprefix("usage: ")
WHATIF_EXAMPLE = EXAMPLE.removeprefix("example: ")
Progress = Callable[[int, int], None]


@dataclass(frozen=True, slots=True)
class WhatIfQuery:
    """`/claude-whatif LEVER…`: the levers, and the words they were given in."""

    levers: Levers
    words: str


def parse_whatif(args: list[str], now: datetime) -> WhatIfQuery:
    """`/claude-whatif` words → the levers; `InputError` with an example for anything unreadable."""
    text = " ".join(args)
    if not text.strip():
        raise InputError(f"say what changes, e.g. {WHATIF_EXAMPLE}")
    try:
        return WhatIfQuery(parse_levers(text), text)
    except LeverError as exc:
        raise InputError(f"{exc.problem}; e.g. {WHATIF_EXAMPLE}") from None


def simulate(
    services: Services, levers: Levers, now: datetime, *, progress: Progress | None = None
) -> WhatIfResult:
    """Baseline and scenario over the horizon, fitted on the data source's recent weeks."""
    answers = services.answers
    baseline = fit_baseline(answers.data, now, balance_record=answers.balance_record())
    return run_whatif(baseline, levers, now=now, on_progress=progress)


def whatif(services: Services, query: WhatIfQuery, actor: Actor, now: datetime) -> Reply:
    """`/claude-whatif`: both sides' bands, limits and risks, with the spend chart."""
    return whatif_response(simulate(services, query.levers, now))
