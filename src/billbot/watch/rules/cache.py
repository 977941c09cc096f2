"""Cache-miss storms: prompt-cache reads collapse while cache writes soar (a prompt change, an eviction).

Rules: over the hour in progress (from 20 minutes in), else with the last complete hour too, the
share of cached prompt tokens that were read (reads / (reads + writes)) against the same share over
the week before. When it falls below 30% of its usual value (from a usual share of at least 20%),
with at least 200,000 cached tokens in the window (and half an average hour's, so a quiet night's
few requests do not count) and cache writes per hour at least twice last week's average, the
organisation is paying cache-write prices for what used to be cache reads (12.5× the read price on
most models). The cost anomaly rule sees the same incident later, once the extra dollars add up;
this rule sees it in the tokens within minutes. One alert per episode. One huge request that writes
its prefix can still look like a storm for 20 minutes (about one alert a quarter, measured).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import Decimal

from billbot.core.money import percent, tokens
from billbot.watch.findings import Finding
from billbot.watch.periods import HOUR, floor_hour
from billbot.watch.rules.episodes import episode_key
from billbot.watch.scope import ORGANIZATION
from billbot.watch.series import HourlySeries

RULE = "cache_miss"


@dataclass(frozen=True, slots=True)
class CacheConfig:
    """Knobs of the cache-miss rule."""

    min_usual_share: Decimal = Decimal("0.2")
    collapse: Decimal = Decimal("0.3")
    min_tokens: int = 200_000
    min_minutes: int = 20  # the hour in progress alone is judged from 20 minutes in
    write_rise: Decimal = Decimal(2)  # and writes per hour at least twice last week's average
    min_volume: Decimal = Decimal("0.5")  # of last week's average cached tokens per hour (quiet nights: no)


def cache_finding(
    reads: HourlySeries,
    writes: HourlySeries,
    now: datetime,
    active: Mapping[tuple[str, str], str],
    config: CacheConfig = CacheConfig(),
) -> Finding | None:
    """A finding when the read share of cached tokens collapsed (see the module rules)."""
    current = reads.index(floor_hour(now))
    read_before = reads.total(current - 1 - 168, current - 1)
    written_before = writes.total(current - 1 - 168, current - 1)
    if read_before + written_before <= 0:
        return None
    usual = read_before / (read_before + written_before)
    if usual < config.min_usual_share:
        return None
    hour = floor_hour(now)
    alone = (now - hour) >= timedelta(minutes=config.min_minutes)
    for first in (current, current - 1) if alone else (current - 1,):  # the hour so far, or with the last
        read_now = reads.total(first, current + 1)
        written_now = writes.total(first, current + 1)
        hours = Decimal(int((now - reads.start - HOUR * first).total_seconds())) / 3600
        volume = max(
            Decimal(config.min_tokens), (read_before + written_before) / 168 * hours * config.min_volume
        )
        if read_now + written_now < volume:
            continue
        share = read_now / (read_now + written_now)
        soaring = written_now / hours >= written_before / 168 * config.write_rise
        if share <= usual * config.collapse and soaring:
            break
    else:
        return None
    onset = reads.start + HOUR * first
    return Finding(
        rule=RULE,
        scope=ORGANIZATION,
        severity="warning",
        period_key=episode_key(active, RULE, ORGANIZATION, onset),
        amount_usd=None,
        message=(
            f"Prompt-cache reads collapsed: {percent(share)} of cached tokens were read since "
            f"{onset:%H}:00 UTC, usually {percent(usual)}; {tokens(int(written_now))} tokens were written "
            "to the cache at write prices instead"
        ),
        figures=(
            ("Cache reads, share now", percent(share)),
            ("Usual (last week)", percent(usual)),
            ("Cache writes since", tokens(int(written_now))),
        ),
        evidence=("A prompt change or a cache eviction makes every request write its prefix again",),
        basis="estimate",
        data={"share": f"{share:.4f}", "usual": f"{usual:.4f}", "writes": str(int(written_now))},
    )
