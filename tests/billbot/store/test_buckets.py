"""The report cache: re-syncing a bucket updates it, never duplicates it; one sync-state row per report."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from decimal import Decimal

import pytest
from sqlalchemy import Engine, func, select

from billbot.store import session_scope
from billbot.store.buckets import (
    cost_buckets,
    delete_buckets,
    group_by_signature,
    mark_synced,
    save_cost_buckets,
    save_usage_buckets,
    sync_state,
    usage_buckets,
    usage_sums,
)
from billbot.store.tables import CostBucket, SyncState, UsageBucket

SOURCE = "sandbox:demo"
HOUR = datetime(2026, 11, 21, 10, tzinfo=UTC)
FETCHED = datetime(2026, 11, 21, 12, 5, tzinfo=UTC)
BY_MODEL_WORKSPACE = group_by_signature(["workspace_id", "model"])


def usage(start: datetime, *, output: int, model: str = "claude-opus-5", workspace: str = "") -> UsageBucket:
    """An hourly usage bucket grouped by model and workspace ("" is the Default workspace)."""
    return UsageBucket(
        source=SOURCE,
        bucket_width="1h",
        starting_at=start,
        ending_at=start + timedelta(hours=1),
        group_by=BY_MODEL_WORKSPACE,
        model=model,
        workspace_id=workspace,
        uncached_input_tokens=3_000_000_000,
        cache_creation_5m_tokens=1,
        cache_creation_1h_tokens=2,
        cache_read_input_tokens=2**40,
        output_tokens=output,
        web_search_requests=3,
        fetched_at=FETCHED,
    )


def count(engine: Engine, model: type[UsageBucket] | type[CostBucket] | type[SyncState]) -> int:
    """Rows in a table."""
    with session_scope(engine, read_only=True) as session:
        return session.scalars(select(func.count()).select_from(model)).one()


def test_group_by_signature_is_canonical() -> None:
    assert group_by_signature(["workspace_id", "model", "model"]) == "model,workspace_id"
    assert group_by_signature([]) == ""


def test_resyncing_usage_updates_rows_and_never_duplicates_them(engine: Engine) -> None:
    first = [usage(HOUR + timedelta(hours=h), output=h) for h in range(3)]
    first.append(usage(HOUR, output=7, workspace="wrkspc_1"))
    with session_scope(engine) as session:
        assert save_usage_buckets(session, first) == 4
    # The same interval again, the last hour refreshed (a partial bucket filled in), one hour added.
    again = [usage(HOUR + timedelta(hours=h), output=h * 100) for h in range(4)]
    with session_scope(engine) as session:
        save_usage_buckets(session, again)
        save_usage_buckets(session, again)
    assert count(engine, UsageBucket) == 5
    with session_scope(engine, read_only=True) as session:
        rows = usage_buckets(
            session,
            source=SOURCE,
            bucket_width="1h",
            group_by=BY_MODEL_WORKSPACE,
            start=HOUR,
            end=HOUR + timedelta(hours=2),
        )
    assert sorted((row.starting_at, row.workspace_id, row.output_tokens) for row in rows) == [
        (HOUR, "", 0),
        (HOUR, "wrkspc_1", 7),
        (HOUR + timedelta(hours=1), "", 100),
    ]
    assert rows[0].cache_read_input_tokens == 2**40 and rows[0].uncached_input_tokens == 3_000_000_000
    assert rows[0].starting_at.tzinfo is UTC


def test_other_groupings_of_the_same_hour_are_kept_apart(engine: Engine) -> None:
    ungrouped = usage(HOUR, output=1, model="")
    ungrouped.group_by = ""
    with session_scope(engine) as session:
        save_usage_buckets(session, [usage(HOUR, output=5), ungrouped])
    assert count(engine, UsageBucket) == 2


@pytest.mark.parametrize(
    ("group_by", "model", "message"),
    [
        ("workspace_id,model", "claude-opus-5", "sorted subset"),
        ("account_id", "", "sorted subset"),
        ("workspace_id", "claude-opus-5", "not in the group-by"),
    ],
)
def test_rows_that_would_break_the_key_are_refused(
    engine: Engine, group_by: str, model: str, message: str
) -> None:
    bucket = usage(HOUR, output=1, model=model)
    bucket.group_by = group_by
    with session_scope(engine) as session, pytest.raises(ValueError, match=message):
        save_usage_buckets(session, [bucket])


def test_resyncing_costs_keeps_the_exact_amount(engine: Engine) -> None:
    def cost(amount: str) -> CostBucket:
        return CostBucket(
            source=SOURCE,
            bucket_width="1d",
            starting_at=HOUR.replace(hour=0),
            ending_at=HOUR.replace(hour=0) + timedelta(days=1),
            group_by="description,workspace_id",
            workspace_id="wrkspc_1",
            description="Claude Opus 5 Usage - Input Tokens",
            cost_type="tokens",
            model="claude-opus-5",
            token_type="uncached_input_tokens",
            amount=Decimal(amount),
            fetched_at=FETCHED,
        )

    with session_scope(engine) as session:
        save_cost_buckets(session, [cost("1.2378912")])
    with session_scope(engine) as session:
        save_cost_buckets(session, [cost("412.80000000")])
    assert count(engine, CostBucket) == 1
    with session_scope(engine, read_only=True) as session:
        (row,) = cost_buckets(
            session,
            source=SOURCE,
            group_by="description,workspace_id",
            start=HOUR.replace(hour=0),
            end=FETCHED,
        )
    assert row.amount == Decimal("412.8") and row.currency == "USD"


def test_sync_state_is_one_row_per_report_moved_forward(engine: Engine) -> None:
    key = {"source": SOURCE, "report": "usage_messages", "bucket_width": "1h", "group_by": BY_MODEL_WORKSPACE}
    with session_scope(engine, read_only=True) as session:
        assert sync_state(session, **key) is None
    with session_scope(engine) as session:
        mark_synced(session, synced_through=HOUR, synced_at=FETCHED - timedelta(hours=1), **key)
    with session_scope(engine) as session:
        mark_synced(session, synced_through=HOUR + timedelta(hours=2), synced_at=FETCHED, **key)
        mark_synced(session, synced_through=HOUR, synced_at=FETCHED, **{**key, "bucket_width": "1d"})
    with session_scope(engine, read_only=True) as session:
        state = sync_state(session, **key)
    assert state is not None
    assert (state.synced_through, state.last_synced_at) == (HOUR + timedelta(hours=2), FETCHED)
    assert state.last_synced_at.tzinfo is UTC
    assert count(engine, SyncState) == 2


def test_a_refetched_span_replaces_what_was_cached_and_sums_are_exact(engine: Engine) -> None:
    rows = [
        usage(HOUR + timedelta(hours=h), output=h, workspace=w) for h in range(3) for w in ("", "wrkspc_1")
    ]
    span = {"source": SOURCE, "bucket_width": "1h", "group_by": BY_MODEL_WORKSPACE}
    with session_scope(engine) as session:
        save_usage_buckets(session, rows)
    with session_scope(engine) as session:  # the second hour fetched again: one workspace only now
        delete_buckets(
            session, UsageBucket, start=HOUR + timedelta(hours=1), end=HOUR + timedelta(hours=2), **span
        )
        save_usage_buckets(session, [usage(HOUR + timedelta(hours=1), output=50)])
    with session_scope(engine, read_only=True) as session:
        sums = usage_sums(session, start=HOUR, end=HOUR + timedelta(hours=3), dimensions=["model"], **span)
    assert [(row[0], row[1], row[6]) for row in sums] == [
        (HOUR, "claude-opus-5", 0),
        (HOUR + timedelta(hours=1), "claude-opus-5", 50),
        (HOUR + timedelta(hours=2), "claude-opus-5", 4),
    ]
    assert sums[0][5] == 2 * 2**40  # two rows of 2**40 cache reads, summed exactly
