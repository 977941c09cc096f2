"""The report methods against the sandbox's report routes: every page, the same totals at any page size."""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal

from billbot.admin_api import AdminClient
from tests.billbot.admin_api.conftest import MakeClient

START = datetime(2026, 11, 10, tzinfo=UTC)


def test_usage_report_pages_add_up_to_the_single_page_answer(make_client: MakeClient) -> None:
    client, wire = make_client()
    paged = client.usage_report(START, bucket_width="1h", group_by=["model"], limit=5)
    pages = len(wire.requests)
    whole = client.usage_report(START, bucket_width="1h", group_by=["model"])
    assert pages >= 10 and len(wire.requests) == pages + 1
    assert paged == whole
    assert {r.model for b in whole for r in b.results} == {"claude-sonnet-5", "claude-haiku-4-5-20251001"}
    assert all(b.ending_at > b.starting_at and b.starting_at.tzinfo is UTC for b in whole)


def test_usage_filters_and_group_by_reach_the_sandbox(client: AdminClient) -> None:
    buckets = client.usage_report(START, group_by=("model", "workspace_id"), models=["claude-sonnet-5"])
    rows = [row for bucket in buckets for row in bucket.results]
    assert rows and {row.model for row in rows} == {"claude-sonnet-5"}
    assert all(row.api_key_id is None for row in rows)  # not grouped by key: null


def test_billed_cost_equals_what_the_sandbox_charged(client: AdminClient) -> None:
    buckets = client.cost_report(START, group_by=["description"], limit=1)
    assert len(buckets) >= 2
    total = sum((bucket.dollars for bucket in buckets), Decimal(0))
    charged = client.get("/sandbox/v1/state")["spend_limits"]["organization"]["month_to_date_usd"]
    assert total == Decimal(charged)
    assert buckets == client.cost_report(START, group_by=["description"])


def test_claude_code_rows_page_to_the_end(client: AdminClient) -> None:
    one_by_one = client.claude_code_report(date(2026, 11, 10), limit=1)
    assert len(one_by_one) > 1
    assert one_by_one == client.claude_code_report(date(2026, 11, 10))
    assert all(row.date == START for row in one_by_one)
