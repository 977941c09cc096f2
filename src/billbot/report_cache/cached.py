"""`BillingData` that reads complete buckets from the report cache and only what is newer from the API.

A request is split at the feed's `synced_through`: the buckets before it come from the store (summed
into the asked grouping and width), the rest from the live source, as the API would have answered the
whole request. Whatever the cache cannot serve (one-minute usage, a grouping finer than the feed's, a
span older than the cache, a store never synced) goes to the live source unchanged. Workspace and key
names are kept a few minutes: every answer asks for them, and they change rarely. Reads of complete
buckets are kept in memory until the next sync (they cannot change before it), so a bot or console
answering the same period again only fetches the live tail.

The label says how fresh the numbers are: cost through the last whole UTC day, usage through now
(the live tail), e.g. "Anthropic Admin API · cost through 2026-11-21 · usage through 12:05 UTC".
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import datetime, timedelta
from typing import TypeVar

from sqlalchemy import Engine

from billbot.admin_api.billing import ANALYTICS_BASIS, LEGACY_BASIS, AdminBillingData
from billbot.app.data import BucketWidth, MonthlyLimits, SimulatedBalance
from billbot.core.entries import CostEntry, UsageEntry
from billbot.core.limits import RateLimitGroup
from billbot.report_cache import rows
from billbot.report_cache.feeds import COST, DAY, USAGE, WIDTHS, Feed, ceil, covered, floor
from billbot.store.buckets import cost_amounts, sync_state, usage_sums
from billbot.store.session import session_scope

NAMES_TTL = timedelta(minutes=5)
MAX_READS = 64  # reads of complete buckets kept in memory: a long-running bot asks the same spans
T = TypeVar("T")


def freshness(now: datetime) -> str:
    """ "cost through 2026-11-21 · usage through 12:05 UTC" at `now`."""
    return f"cost through {floor(now, DAY) - DAY:%Y-%m-%d} · usage through {now:%H:%M} UTC"


class CachedBillingData:
    """The live source behind the store's report cache for `source` (e.g. `anthropic:org_…`)."""

    def __init__(
        self, live: AdminBillingData, engine: Engine, source: str, now: Callable[[], datetime]
    ) -> None:
        self.live = live
        self.engine = engine
        self.source = source
        self.now = now
        self._kept: dict[str, tuple[datetime, object]] = {}
        self._reads: dict[tuple[object, ...], list[object]] = {}
        self._costs_cached = False  # whether the last cost entries came (partly) from the cache

    @property
    def label(self) -> str:
        """The live source's label with the freshness of the numbers."""
        return f"{self.live.label} · {freshness(self.now())}"

    @property
    def cost_basis(self) -> str | None:
        """Which amounts the last cost entries were: the cache holds the legacy cost report's."""
        # Racy across threads, like any "last answer" note; it only chooses a sentence.
        if not self._costs_cached:
            return self.live.cost_basis
        if self.live.cost_basis in (None, LEGACY_BASIS):
            return LEGACY_BASIS
        return f"{LEGACY_BASIS} Days not yet cached: {ANALYTICS_BASIS[0].lower()}{ANALYTICS_BASIS[1:]}"

    def costs(self, start: datetime, end: datetime, group_by: Sequence[str]) -> list[CostEntry]:
        """Daily cost entries within `[start, end)`: cached whole days, then live ones."""
        first, last = floor(start, DAY), ceil(end, DAY)
        cached = self._through(COST, first) if set(group_by) <= set(COST.group_by) else None
        self._costs_cached = not (end <= start or cached is None)
        if end <= start or cached is None:
            return self.live.costs(start, end, group_by)
        through, synced = cached
        entries = self._remember(
            ("costs", first, min(last, through), tuple(group_by), synced),
            lambda: self._costs(first, min(last, through), group_by),
        )
        return entries + (self.live.costs(through, end, group_by) if last > through else [])

    def usage(
        self, start: datetime, end: datetime, width: BucketWidth, group_by: Sequence[str]
    ) -> list[UsageEntry]:
        """Usage entries of `width` buckets within `[start, end)`: cached hours, then live ones."""
        step = WIDTHS[width]
        first, last = floor(start, step), ceil(end, step)
        servable = width != "1m" and set(group_by) <= set(USAGE.group_by)
        cached = self._through(USAGE, first) if servable else None
        if end <= start or cached is None:
            return self.live.usage(start, end, width, group_by)
        through, synced = cached
        dimensions = [name for name in USAGE.group_by if name in group_by]
        hours = list(
            self._remember(
                ("usage", first, min(last, through), tuple(dimensions), synced),
                lambda: self._hours(first, min(last, through), dimensions),
            )
        )
        if last > through:
            hours += self.live.usage(through, last, USAGE.width, group_by)
        return rows.regroup_usage(hours, group_by, step)

    def workspace_names(self) -> dict[str, str]:
        """Workspace id → name (kept a few minutes)."""
        return self._keep("workspaces", self.live.workspace_names)

    def key_names(self) -> dict[str, str]:
        """API key id → name (kept a few minutes)."""
        return self._keep("keys", self.live.key_names)

    def rate_limit_groups(self) -> list[RateLimitGroup]:
        """The organisation's rate-limit groups (kept a few minutes)."""
        return self._keep("rate_limits", self.live.rate_limit_groups)

    def monthly_limits(self) -> MonthlyLimits | None:
        """Tier cap and spend limits, live."""
        return self.live.monthly_limits()

    def simulated_balance(self) -> SimulatedBalance | None:
        """A sandbox's exact balance, live."""
        return self.live.simulated_balance()

    def _costs(self, start: datetime, end: datetime, group_by: Sequence[str]) -> list[CostEntry]:
        with session_scope(self.engine, read_only=True) as session:
            cached = cost_amounts(session, source=self.source, group_by=COST.signature, start=start, end=end)
        return rows.cost_entries(cached, group_by)

    def _hours(self, start: datetime, end: datetime, dimensions: list[str]) -> list[UsageEntry]:
        with session_scope(self.engine, read_only=True) as session:
            cached = usage_sums(
                session, source=self.source, bucket_width=USAGE.width, group_by=USAGE.signature,
                start=start, end=end, dimensions=dimensions,
            )  # fmt: skip
        return rows.usage_entries(cached, dimensions)

    def _remember(self, key: tuple[object, ...], read: Callable[[], list[T]]) -> list[T]:
        """A read of complete buckets, kept until a sync changes them (the key holds the sync stamp)."""
        if key not in self._reads:
            if len(self._reads) >= MAX_READS:
                self._reads.clear()
            self._reads[key] = read()  # type: ignore[assignment]
        return self._reads[key]  # type: ignore[return-value]

    def _through(self, feed: Feed, first: datetime) -> tuple[datetime, object] | None:
        """Where the cache of `feed` stops and its sync stamp, if it can serve a request from `first`.

        The stamp (when and how far it was synced) goes into the key of a remembered read, so a sync
        makes earlier reads unused; it is returned rather than kept on `self`, as threads share it.
        """
        with session_scope(self.engine, read_only=True) as session:
            state = sync_state(
                session, source=self.source, report=feed.report, bucket_width=feed.width,
                group_by=feed.signature,
            )  # fmt: skip
        span = covered(state, self.now())
        if state is None or span is None or not span[0] <= first < span[1]:
            return None
        return span[1], (state.last_synced_at, state.synced_through)

    def _keep(self, name: str, fetch: Callable[[], T]) -> T:
        now = self.now()
        kept = self._kept.get(name)
        if kept is None or not kept[0] <= now < kept[0] + NAMES_TTL:
            kept = (now, fetch())
            self._kept[name] = kept
        return kept[1]  # type: ignore[return-value]
