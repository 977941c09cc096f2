"""The report methods against recorded documented responses (reference §1.4-1.6), two pages each."""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal

import httpx
import pytest
from pydantic import SecretStr

from billbot.admin_api import AdminClient
from tests.billbot.admin_api.recorded import CURSOR, RecordedReports

START = datetime(2025, 8, 1, tzinfo=UTC)


@pytest.fixture
def recorded() -> RecordedReports:
    """The recorded responses, keeping what was asked."""
    return RecordedReports()


@pytest.fixture
def client(recorded: RecordedReports) -> AdminClient:
    """A client whose only upstream is the recording."""
    transport = httpx.MockTransport(recorded)
    return AdminClient("https://api.anthropic.com", SecretStr("sk-ant-admin01-recorded"), transport=transport)


def test_usage_report_reads_both_pages_with_the_same_query(
    client: AdminClient, recorded: RecordedReports
) -> None:
    buckets = client.usage_report(
        START, datetime(2025, 8, 3, tzinfo=UTC), "1d", ("model", "workspace_id"), models=["claude-opus-4-6"]
    )
    assert [b.starting_at.day for b in buckets] == [1, 2]
    assert sum(b.results[0].output_tokens for b in buckets) == 1000
    first, second = recorded.queries
    assert first == [
        ("starting_at", "2025-08-01T00:00:00Z"),
        ("ending_at", "2025-08-03T00:00:00Z"),
        ("bucket_width", "1d"),
        ("group_by[]", "model"),
        ("group_by[]", "workspace_id"),
        ("limit", "31"),
        ("models[]", "claude-opus-4-6"),
    ]
    assert second == [*first, ("page", CURSOR)]


def test_cost_report_reads_both_pages_in_cents_and_dollars(
    client: AdminClient, recorded: RecordedReports
) -> None:
    buckets = client.cost_report(START, group_by=["description"])
    assert [b.dollars for b in buckets] == [Decimal("1.2378912"), Decimal("1.2378912")]
    assert sum((b.dollars for b in buckets), Decimal(0)) == Decimal("2.4757824")
    assert ("group_by[]", "description") in recorded.queries[0] and (
        "bucket_width",
        "1d",
    ) in recorded.queries[0]


def test_claude_code_report_takes_a_utc_day(client: AdminClient, recorded: RecordedReports) -> None:
    rows = client.claude_code_report(date(2025, 9, 8))
    assert [row.date.day for row in rows] == [8, 9]
    assert sum((row.estimated_dollars for row in rows), Decimal(0)) == Decimal("2.82")
    assert recorded.queries[0][0] == ("starting_at", "2025-09-08")


def test_a_naive_datetime_is_refused_before_anything_is_sent(
    client: AdminClient, recorded: RecordedReports
) -> None:
    with pytest.raises(ValueError, match="naive datetime"):
        client.cost_report(datetime(2025, 8, 1))
    assert recorded.queries == []


def test_an_unknown_usage_filter_is_a_type_error(client: AdminClient, recorded: RecordedReports) -> None:
    with pytest.raises(TypeError, match="colours"):
        client.usage_report(START, colours=["red"])
    with pytest.raises(TypeError, match="sequence of strings"):
        client.usage_report(START, models="claude-opus-5")
    assert recorded.queries == []
