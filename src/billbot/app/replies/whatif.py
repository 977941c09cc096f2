"""A what-if result as a reply: a headline, both sides' numbers side by side, the chart, the source."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal

from billbot.app.replies.model import Response, Table
from billbot.whatif.chart import spend_chart
from billbot.whatif.result import Side, WhatIfResult


def _usd(amount: Decimal) -> str:
    return f"${amount:,.2f}"


def _date(moment: datetime | None) -> str:
    return "beyond the horizon" if moment is None else moment.strftime("%Y-%m-%d %H:%M UTC")


def headline(result: WhatIfResult) -> str:
    """One line: what changes in P50 spend and in the chance of failing."""
    base, scen = result.baseline.spend.p50, result.scenario.spend.p50
    change = "" if base == 0 else f" ({(scen - base) / base:+.0%})"
    risk = result.scenario.failure_probability
    end = result.horizon.end.strftime("%Y-%m-%d")
    return (
        f"What if {' · '.join(result.levers) or 'nothing changes'}: spend to {end} "
        f"{_usd(scen)} P50{change} vs {_usd(base)}; "
        f"chance a request fails for money or limits {risk:.0%} (simulated)"
    )


def _rows(side: Side) -> list[str]:
    rejected = sum(
        side.rejected[r] for r in ("credit", "spend_limit", "workspace_spend_limit", "tier_cap", "rate_limit")
    )
    hits = (
        "; ".join(f"{h.what} {h.when:%m-%d %H:%M} ({h.probability:.0%})" for h in side.limit_hits) or "none"
    )
    busiest = max(side.peaks, key=lambda p: p.utilisation, default=None)
    peak = "—" if busiest is None else f"{busiest.model_class} {busiest.utilisation:.0%} of limit"
    return [
        f"{_usd(side.spend.p10)} / {_usd(side.spend.p50)} / {_usd(side.spend.p90)}",
        _date(side.runway_date),
        f"{side.reloads} ({_usd(side.reload_usd)}), {side.reloads_declined} declined",
        f"{rejected:,}",
        hits,
        peak,
        f"{side.failure_probability:.0%}",
    ]


LABELS = (
    "spend P10/P50/P90",
    "credit runs out",
    "reloads",
    "requests refused",
    "limits hit",
    "busiest minute",
    "P(any failure)",
)


def whatif_response(result: WhatIfResult) -> Response:
    """Headline as the title, a baseline/scenario table, the spend chart, and what it was run on."""
    base, scen = _rows(result.baseline), _rows(result.scenario)
    table = Table(("", "baseline", "scenario"), tuple(zip(LABELS, base, scen, strict=True)))
    source = f"{result.source} · simulated"
    notes = (
        f"{result.runs:,} runs · seed {result.seed} · fitted on {result.fitted_on}. "
        "Simulated on the sandbox's fast engine: estimates, not a bill.",
    )
    return Response(headline(result), source, (), (table,), notes, chart=spend_chart(result))
