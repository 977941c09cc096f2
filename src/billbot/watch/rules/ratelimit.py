"""Rate-limit saturation: a model group's peak minute of the last day at 80% of its limit or more.

Rules: the peak per-minute input and output tokens over the last 24 hours (1-minute usage buckets,
`billbot.core.limits.rate_use`) against the group's ITPM and OTPM; 80% is a warning, 95% critical
(requests are being or will be refused with 429). The scope is the group (`model:group:<name>`), the
period the UTC day.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from decimal import Decimal

from billbot.core.limits import RateUse
from billbot.core.money import percent, tokens
from billbot.watch.findings import Finding
from billbot.watch.periods import day_window
from billbot.watch.scope import Scope

RULE = "rate_limit"
WARN = Decimal("0.8")
CRITICAL = Decimal("0.95")


def rate_findings(uses: Sequence[RateUse], now: datetime) -> list[Finding]:
    """A finding per group whose peak minute reached 80% of a limit in the last 24 hours."""
    day = day_window(now)
    found = []
    for use in uses:
        shares = [
            (name, share, peak, limit)
            for name, share, peak, limit in (
                ("input", use.input_share, use.peak_input, use.group.itpm),
                ("output", use.output_share, use.peak_output, use.group.otpm),
            )
            if share is not None and share >= WARN
        ]
        if not shares:
            continue
        name, share, peak, limit = max(shares, key=lambda item: item[1])
        level, rank = ("95%", 2) if share >= CRITICAL else ("80%", 1)
        group = use.group
        found.append(
            Finding(
                rule=RULE,
                scope=Scope("model", f"group:{group.name}", group.name),
                severity="critical" if rank == 2 else "warning",
                period_key=day.key,
                amount_usd=None,
                message=(
                    f"{group.name}: the busiest minute of the last day used {percent(share)} of the "
                    f"{name} token limit ({tokens(peak)} of {tokens(limit or 0)} per minute)"
                ),
                figures=tuple(
                    (f"Peak {n} / minute", f"{tokens(p)} of {tokens(lim or 0)}") for n, _, p, lim in shares
                ),
                evidence=(
                    f"Models: {', '.join(group.models)}",
                    "Peak of 1-minute usage buckets, last 24 hours",
                ),
                level=level,
                rank=rank,
                period_end=day.end,
                data={"group": group.name, "share": str(share), "limit": str(limit)},
            )
        )
    return found
