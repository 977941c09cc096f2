"""What the cache holds and when a bucket counts as complete: one feed per report.

Two feeds serve every answer:
- the cost report, daily, grouped by workspace and description (the finest grouping, which also fills
  model, token type and cost type): any coarser cost question is a sum over it;
- the usage report, hourly, grouped by API key, model, service tier and workspace: every usage
  question of the answers (hourly or daily, any of those dimensions) is a sum over it.
One-minute usage (the 24-hour peaks of `/claude-limits`) is one page and always read live.

The invariant that makes the cache trustworthy without storing where it starts: every sync covers
`[horizon(now), synced_through)` with `horizon(now)` = `HISTORY` whole days before now, so a reader
may use `[horizon(last_synced_at), synced_through)`. Buckets ending less than `settle` ago are not
complete (late data still lands); each sync fetches the last `reopen` again for the same reason.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Literal

from billbot.store.buckets import group_by_signature
from billbot.store.tables.sync import SyncState

HISTORY = timedelta(days=200)  # 90d and the 90 days before it, last-month and the month before that
DAY, HOUR = timedelta(days=1), timedelta(hours=1)
EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
CacheWidth = Literal["1d", "1h"]
WIDTHS: dict[str, timedelta] = {"1d": DAY, "1h": HOUR, "1m": timedelta(minutes=1)}


@dataclass(frozen=True, slots=True)
class Feed:
    """One cached report: its width and grouping, how much one request covers, when buckets settle."""

    report: str
    width: CacheWidth
    group_by: tuple[str, ...]
    chunk: timedelta  # one page of the report: the unit of progress and of a resumable sync
    settle: timedelta
    reopen: timedelta

    @property
    def signature(self) -> str:
        """The group-by signature of the feed's rows."""
        return group_by_signature(self.group_by)

    @property
    def step(self) -> timedelta:
        """The bucket width as a duration."""
        return WIDTHS[self.width]

    def complete_through(self, now: datetime) -> datetime:
        """The end of the last complete bucket at `now`."""
        return floor(now - self.settle, self.step)


COST = Feed("cost_report", "1d", ("description", "workspace_id"), 31 * DAY, timedelta(0), 2 * DAY)
USAGE = Feed(
    "usage_messages",
    "1h",
    ("api_key_id", "model", "service_tier", "workspace_id"),
    7 * DAY,
    timedelta(minutes=10),
    2 * HOUR,
)
FEEDS = (COST, USAGE)


def horizon(now: datetime) -> datetime:
    """Where a sync made at `now` starts: HISTORY whole UTC days back."""
    return floor(now, DAY) - HISTORY


def covered(state: SyncState | None, now: datetime) -> tuple[datetime, datetime] | None:
    """The interval the cache answers for (None: nothing, or a store from another timeline)."""
    if state is None or state.synced_through > now:
        # A sandbox restarted from its scenario runs behind what was synced: those buckets are not its.
        return None
    start = horizon(state.last_synced_at)
    return (start, state.synced_through) if start < state.synced_through else None


def floor(moment: datetime, step: timedelta) -> datetime:
    """`moment` snapped down to a multiple of `step` since the epoch (UTC)."""
    return moment - (moment - EPOCH) % step


def ceil(moment: datetime, step: timedelta) -> datetime:
    """`moment` snapped up to a multiple of `step`."""
    down = floor(moment, step)
    return down if down == moment else down + step
