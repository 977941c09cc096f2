"""A what-if result as text: a headline, both sides' numbers side by side, and the terminal chart."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal

from billbot.whatif.chart import spend_chart, terminal_chart
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


def render_text(result: WhatIfResult) -> str:
    """The terminal answer: headline, a two-column table, the chart, the source line."""
    lines = [headline(result), ""]
    base, scen = _rows(result.baseline), _rows(result.scenario)
    width = max(len(v) for v in base) + 2
    lines.append(f"{'':<20}{'baseline':<{width}}scenario")
    lines += [f"{label:<20}{b:<{width}}{s}" for label, b, s in zip(LABELS, base, scen, strict=True)]
    lines += ["", terminal_chart(spend_chart(result)), ""]
    lines.append(
        f"{result.runs:,} runs · seed {result.seed} · fitted on {result.fitted_on} · "
        f"{result.source} · simulated"
    )
    return "\n".join(lines)
