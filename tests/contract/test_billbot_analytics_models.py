"""Contract, billbot's side: its analytics wire models read the reference's documented examples (§1.3)."""

from __future__ import annotations

from decimal import Decimal

from billbot.admin_api.analytics_models import AnalyticsCostRow, AnalyticsUsageRow
from billbot.admin_api.wire import ReportPage
from tests.contract.analytics_examples import COST_EXAMPLE, USAGE_EXAMPLE


def test_the_documented_usage_page_reads_into_billbots_model() -> None:
    page = ReportPage[AnalyticsUsageRow].model_validate_json(USAGE_EXAMPLE)
    (row,) = page.data
    assert not page.has_more and page.next_page is None
    assert (row.group.model, row.group.api_key_id, row.group.workspace_id) == (
        "claude-sonnet-5-5",
        "apikey_01Rj2N8SVvo6BePZj99NhmiT",
        None,
    )
    usage = row.usage
    assert (usage.total_tokens, usage.requests, usage.web_search_requests) == (1_095_000, 412, 3)
    assert usage.cache_creation.ephemeral_5m_input_tokens == 40_000


def test_the_documented_cost_page_reads_into_billbots_model_in_exact_dollars() -> None:
    page = ReportPage[AnalyticsCostRow].model_validate_json(COST_EXAMPLE)
    (row,) = page.data
    assert page.has_more and page.next_page == "<opaque>"
    assert row.group.cost_type == "tokens" and row.group.token_type is None
    assert row.cost.dollars == Decimal("412.80125")  # "41280.125" cents, after discounts, before credits
    assert row.cost.list_amount == Decimal("45866.8") and row.cost.requests is None
