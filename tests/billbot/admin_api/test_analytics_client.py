"""billbot and the Usage and Cost Analytics API: the client's two methods, and the answers' choice of
generation (analytics where the organisation has it, the legacy reports on a 404 or 403)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from pydantic import SecretStr

from billbot.admin_api import AdminClient, InvalidRequest
from billbot.admin_api.billing import ANALYTICS_BASIS, LEGACY_BASIS, AdminBillingData
from billbot.admin_api.client import ANALYTICS_BETA
from billbot.admin_api.source import DataSource, open_data_source
from billbot.app.answers import Answers
from billbot.core.estimate import UsagePricer
from sandbox.api.admin.analytics.options import AnalyticsOptions
from sandbox.api.app import create_app
from sandbox.api.state import SandboxState, ServeOptions
from sandbox.api.transport import SandboxTransport
from sandbox.pricing import PriceList
from tests.billbot.admin_api.conftest import ADMIN_KEY, MakeClient
from tests.billbot.admin_api.faults import FaultTransport
from tests.billbot.app.support import answer

START = datetime(2026, 11, 10, tzinfo=UTC)
END = datetime(2026, 11, 12, tzinfo=UTC)


def test_the_client_sends_the_beta_header_and_follows_every_page(make_client: MakeClient) -> None:
    client, wire = make_client()
    rows = client.analytics_usage(START, END, "1h", ["model"], limit=5)
    assert len(wire.requests) > 5 and all(
        r.headers["anthropic-beta"] == ANALYTICS_BETA for r in wire.requests
    )
    assert rows == client.analytics_usage(START, END, "1h", ["model"])
    assert {row.group.model for row in rows} == {"claude-sonnet-5", "claude-haiku-4-5-20251001"}
    costs = client.analytics_cost(START, END, "1d", ["workspace_id", "token_type"], limit=1)
    assert costs and all(row.group.cost_type == "tokens" and row.cost.currency == "USD" for row in costs)


def test_analytics_totals_equal_the_legacy_reports(client: AdminClient) -> None:
    analytics = sum((row.cost.dollars for row in client.analytics_cost(START, END, "1d")), Decimal(0))
    legacy = sum((bucket.dollars for bucket in client.cost_report(START, END)), Decimal(0))
    assert analytics == legacy > 0
    tokens = sum(row.usage.output_tokens for row in client.analytics_usage(START, END))
    assert tokens == sum(r.output_tokens for b in client.usage_report(START, END) for r in b.results)


def source_for(small_scenario: Path, **options: Any) -> tuple[DataSource, FaultTransport]:
    analytics = AnalyticsOptions(**options)
    state = SandboxState(ServeOptions(str(small_scenario), 1, 0, (ADMIN_KEY,), analytics=analytics))
    wire = FaultTransport(SandboxTransport(create_app(state)))
    return open_data_source(SecretStr(ADMIN_KEY), "http://sandbox", transport=wire), wire


@pytest.fixture
def with_analytics(small_scenario: Path) -> Iterator[tuple[DataSource, FaultTransport]]:
    source, wire = source_for(small_scenario)
    with source:
        yield source, wire


def test_the_adapter_reads_analytics_and_its_entries_equal_the_legacy_ones(
    with_analytics: tuple[DataSource, FaultTransport],
) -> None:
    source, wire = with_analytics
    data, legacy = AdminBillingData(source), AdminBillingData(source, analytics=False)
    group_by = ["workspace_id", "description"]
    assert sorted(map(repr, data.costs(START, END, group_by))) == sorted(
        map(repr, legacy.costs(START, END, group_by))
    )
    assert data.generation == "analytics" and data.cost_basis == ANALYTICS_BASIS
    assert legacy.cost_basis == LEGACY_BASIS
    assert any("/analytics/cost" in path for path in wire.paths)
    usage = data.usage(START, END, "1d", ["model", "workspace_id"])
    assert None in {entry.workspace_id for entry in usage}  # the Default workspace's real ID maps back


@pytest.mark.parametrize("availability", ["absent", "forbidden"])
def test_without_the_api_the_adapter_falls_back_to_the_legacy_reports_for_good(
    small_scenario: Path, availability: str
) -> None:
    source, wire = source_for(small_scenario, availability=availability)
    with source:
        data = AdminBillingData(source)
        first = data.costs(START, END, ["workspace_id"])
        asked = sum("/analytics/" in path for path in wire.paths)
        second = data.usage(START, END, "1h", ["model"])
    assert first and second and data.generation == "legacy" and data.cost_basis == LEGACY_BASIS
    assert asked == 1 and sum("/analytics/" in path for path in wire.paths) == 1  # not asked again


def test_a_span_the_analytics_api_does_not_hold_is_read_from_the_legacy_report(
    with_analytics: tuple[DataSource, FaultTransport],
) -> None:
    source, wire = with_analytics
    data = AdminBillingData(source)
    data.costs(datetime(2025, 12, 1, tzinfo=UTC), END, [])
    assert any("cost_report" in path for path in wire.paths)
    assert not any("/analytics/" in path for path in wire.paths) and data.generation is None


def test_usage_grouped_by_more_than_the_analytics_api_takes_comes_from_the_legacy_report(
    with_analytics: tuple[DataSource, FaultTransport],
) -> None:
    source, wire = with_analytics
    data = AdminBillingData(source)
    six = ["api_key_id", "workspace_id", "model", "service_tier", "context_window", "inference_geo"]
    wide = data.usage(START, END, "1d", six)
    assert wide and all(entry.api_key_id and entry.model and entry.inference_geo for entry in wide)
    assert any("usage_report" in path for path in wire.paths)
    assert not any("/analytics/" in path for path in wire.paths)
    narrow = data.usage(START, END, "1d", six[:5])
    assert sum(e.output for e in narrow) == sum(e.output for e in wide) > 0
    assert data.generation == "analytics"  # the organisation still has the API for what fits


def test_other_errors_are_not_a_reason_to_fall_back(small_scenario: Path) -> None:
    source, _ = source_for(small_scenario, hipaa=True)
    with source, pytest.raises(InvalidRequest, match="HIPAA"):
        AdminBillingData(source).costs(START, END, [])


@pytest.mark.parametrize(("availability", "basis"), [("on", ANALYTICS_BASIS), ("absent", LEGACY_BASIS)])
def test_the_spend_answer_says_which_amount_it_shows(
    small_scenario: Path, availability: str, basis: str
) -> None:
    source, _ = source_for(small_scenario, availability=availability)
    with source:
        answers = Answers(AdminBillingData(source), UsagePricer(PriceList.default()))
        reply = answer(answers, "/claude-spend mtd by model", source.now())
    assert basis in reply.notes
