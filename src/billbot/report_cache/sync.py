"""`billbot sync`: bring the report cache up to date, incrementally, one page-sized chunk at a time.

Each feed (see `billbot.report_cache.feeds`) resumes where it stopped: from its `synced_through`, less the
last `reopen` (late data lands in recent buckets), never before the horizon. A chunk's buckets replace
what the cache held for that span and move `synced_through` forward in the same transaction, so an
interrupted sync keeps what it finished and the next one carries on from there. Rows older than the
horizon are dropped: the cache does not grow without bound.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Engine
from sqlmodel import Session

from billbot.admin_api.client import AdminClient
from billbot.report_cache import rows
from billbot.report_cache.feeds import COST, EPOCH, FEEDS, Feed, horizon
from billbot.store.buckets import (
    delete_buckets,
    mark_synced,
    save_cost_buckets,
    save_usage_buckets,
    sync_state,
)
from billbot.store.session import session_scope
from billbot.store.tables import CostBucket, UsageBucket

Progress = Callable[[str], None]


@dataclass(frozen=True, slots=True)
class FeedSync:
    """What one sync did to one feed: the span fetched, and the rows saved."""

    feed: Feed
    start: datetime
    through: datetime
    rows: int
    chunks: int


def sync_reports(
    client: AdminClient, engine: Engine, source: str, now: datetime, progress: Progress = lambda _: None
) -> list[FeedSync]:
    """Sync every feed of `source` up to its last complete bucket at `now`."""
    return [sync_feed(client, engine, source, feed, now, progress) for feed in FEEDS]


def sync_feed(
    client: AdminClient, engine: Engine, source: str, feed: Feed, now: datetime, progress: Progress
) -> FeedSync:
    """Sync one feed; progress is told after each chunk."""
    start, end = span_to_fetch(engine, source, feed, now)
    table = _table(feed)
    saved = chunks = 0
    chunk_start = start
    while chunk_start < end:
        chunk_end = min(chunk_start + feed.chunk, end)
        fetched = _fetch(client, source, feed, chunk_start, chunk_end, now)
        with session_scope(engine) as session:
            span = {"source": source, "bucket_width": feed.width, "group_by": feed.signature}
            delete_buckets(session, table, start=chunk_start, end=chunk_end, **span)
            if chunks == 0:  # older than the horizon: no answer reads it any more
                delete_buckets(session, table, start=EPOCH, end=horizon(now), **span)
            _save(session, fetched)
            mark_synced(session, report=feed.report, synced_through=chunk_end, synced_at=now, **span)
        saved, chunks = saved + len(fetched), chunks + 1
        progress(f"{feed.report} {feed.width}: {_at(chunk_start)} → {_at(chunk_end)}, {len(fetched):,} rows")
        chunk_start = chunk_end
    return FeedSync(feed, start, max(start, end), saved, chunks)


def span_to_fetch(engine: Engine, source: str, feed: Feed, now: datetime) -> tuple[datetime, datetime]:
    """`[start, end)` this sync fetches for `feed` (empty when the cache is up to date)."""
    with session_scope(engine, read_only=True) as session:
        state = sync_state(
            session, source=source, report=feed.report, bucket_width=feed.width, group_by=feed.signature
        )
    first = horizon(now)
    end = feed.complete_through(now)
    if state is None or state.synced_through > end:  # never synced, or synced on another timeline
        return first, end
    return max(first, state.synced_through - feed.reopen), end


def _fetch(
    client: AdminClient, source: str, feed: Feed, start: datetime, end: datetime, now: datetime
) -> list[CostBucket] | list[UsageBucket]:
    if feed is COST:
        return rows.cost_rows(source, client.cost_report(start, end, feed.group_by), now)
    return rows.usage_rows(source, client.usage_report(start, end, feed.width, feed.group_by), now)


def _save(session: Session, fetched: list[CostBucket] | list[UsageBucket]) -> None:
    costs = [row for row in fetched if isinstance(row, CostBucket)]
    save_cost_buckets(session, costs)
    save_usage_buckets(session, [row for row in fetched if isinstance(row, UsageBucket)])


def _table(feed: Feed) -> type[CostBucket] | type[UsageBucket]:
    return CostBucket if feed is COST else UsageBucket


def _at(moment: datetime) -> str:
    return f"{moment:%Y-%m-%d %H:%M}"
