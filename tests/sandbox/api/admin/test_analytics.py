"""The Usage and Cost Analytics API in the sandbox: range rules, grouping, filters, order, pages, errors."""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path
from typing import Any

import httpx
import pytest

from sandbox.api.admin.analytics.options import AnalyticsOptions
from sandbox.api.app import create_app
from sandbox.api.state import SandboxState, ServeOptions
from sandbox.api.transport import SandboxTransport
from sandbox.messages import MessageRequest
from tests.sandbox.api.conftest import ADMIN_KEY, API_KEY, Query

USAGE = "/v1/organizations/analytics/usage"
COST = "/v1/organizations/analytics/cost"
LEGACY_COST = "/v1/organizations/cost_report"
BETA = {"anthropic-beta": "analytics-usage-cost-2026-08-24"}
DAYS: Query = [("starting_at", "2026-11-10T00:00:00Z"), ("ending_at", "2026-11-12T00:00:00Z")]
DAILY: Query = [*DAYS, ("time_bucket_width", "1d")]


def client_for(small_scenario: Path, **options: Any) -> httpx.Client:
    analytics = AnalyticsOptions(**options)
    state = SandboxState(
        ServeOptions(str(small_scenario), 1, 0, (ADMIN_KEY,), (API_KEY,), analytics=analytics)
    )
    transport = SandboxTransport(create_app(state))
    return httpx.Client(
        transport=transport, base_url="http://sandbox", headers={"x-api-key": ADMIN_KEY, **BETA}
    )


@pytest.fixture
def api(small_scenario: Path) -> Iterator[httpx.Client]:
    with client_for(small_scenario) as client:
        yield client


def get(client: httpx.Client, path: str, params: Query) -> dict[str, Any]:
    response = client.get(path, params=params)
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()
    return body


def every_row(client: httpx.Client, path: str, params: Query) -> list[dict[str, Any]]:
    rows: list[dict[str, Any]] = []
    page: str | None = None
    for _ in range(200):
        body = get(client, path, params + ([("page", page)] if page else []))
        rows += body["data"]
        if not body["has_more"]:
            assert body["next_page"] is None
            return rows
        page = body["next_page"]
    raise AssertionError("paging did not end")


def error(
    client: httpx.Client, path: str, params: Query, headers: dict[str, str] | None = None
) -> tuple[int, dict[str, Any]]:
    response = client.get(path, params=params, headers=headers)
    return response.status_code, response.json()["error"]


@pytest.mark.parametrize(
    ("params", "names"),
    [
        ([], "starting_at"),
        ([("starting_at", "2025-12-31T23:00:00Z")], "starting_at"),
        ([("starting_at", "2026-11-10T00:00:00")], "starting_at"),
        ([("starting_at", "2026-11-10T00:00:00Z"), ("time_bucket_width", "1h")], "ending_at"),
        ([("starting_at", "2026-10-01T00:00:00Z"), ("ending_at", "2026-11-02T00:00:00Z")], "ending_at"),
        (
            [
                ("starting_at", "2026-11-10T00:00:00Z"),
                ("ending_at", "2026-11-11T01:00:00Z"),
                ("time_bucket_width", "1m"),
            ],
            "ending_at",
        ),
        ([("starting_at", "2026-11-11T00:00:00Z"), ("ending_at", "2026-11-10T00:00:00Z")], "ending_at"),
        ([*DAYS, ("time_bucket_width", "1w")], "time_bucket_width"),
        ([*DAYS, ("limit", "1001")], "limit"),
        ([*DAYS, ("order", "up")], "order"),
        ([*DAYS, ("order_by", "amount")], "order_by"),
        ([*DAYS, ("group_by[]", "description")], "group_by"),
        ([*DAYS, ("group_by[]", "cost_type")], "group_by"),  # cost only
        ([*DAYS, ("speeds[]", "turbo")], "speeds"),
        ([*DAYS, ("inference_geos[]", "eu")], "inference_geos"),
        ([*DAYS, ("exclude_deleted_users", "true")], "exclude_deleted_users"),
        ([*DAYS, ("bucket_width", "1d")], "bucket_width"),  # the legacy name is not a parameter here
    ],
)
def test_range_and_parameter_mistakes_are_400s_naming_the_parameter(
    api: httpx.Client, params: Query, names: str
) -> None:
    status, body = error(api, USAGE, params)
    assert status == 400 and body["type"] == "invalid_request_error" and body["message"].startswith(names)


def test_more_than_five_groups_is_a_400_but_cost_components_do_not_count(api: httpx.Client) -> None:
    five: Query = [
        ("group_by[]", name) for name in ("model", "api_key_id", "workspace_id", "speed", "product")
    ]
    assert error(api, USAGE, [*DAYS, *five, ("group_by[]", "service_tier")])[0] == 400
    extra: Query = [("group_by[]", "cost_type"), ("group_by[]", "token_type")]
    assert api.get(COST, params=[*DAYS, *five, *extra]).status_code == 200


def test_without_a_width_one_row_covers_the_range_rounded_down_to_the_hour(api: httpx.Client) -> None:
    body = get(api, USAGE, [("starting_at", "2026-11-10T05:47:00Z"), ("ending_at", "2026-11-11T09:12:00Z")])
    assert [(r["starting_at"], r["ending_at"]) for r in body["data"]] == [
        ("2026-11-10T05:00:00Z", "2026-11-11T09:00:00Z")
    ]
    assert body["data"][0]["usage"]["requests"] > 0


def test_ending_at_defaults_to_now_and_buckets_are_rows(api: httpx.Client) -> None:
    whole = get(api, USAGE, [("starting_at", "2026-11-10T00:00:00Z")])["data"]
    assert whole[0]["ending_at"] == "2026-11-12T00:00:00Z"  # the clock, frozen at the end of history
    hourly = every_row(api, USAGE, [*DAYS, ("time_bucket_width", "1h"), ("limit", "7")])
    # Only buckets with usage are rows: one per hour of the two days that had requests.
    assert len(hourly) == len({r["starting_at"] for r in hourly}) <= 48
    assert sum(r["usage"]["total_tokens"] for r in hourly) == whole[0]["usage"]["total_tokens"]


def test_rows_rank_by_total_tokens_highest_first_or_by_time(api: httpx.Client) -> None:
    ranked = every_row(api, USAGE, [*DAILY, ("group_by[]", "api_key_id")])
    totals = [r["usage"]["total_tokens"] for r in ranked]
    assert totals == sorted(totals, reverse=True)
    ascending = every_row(api, USAGE, [*DAILY, ("group_by[]", "api_key_id"), ("order", "asc")])
    assert [r["usage"]["total_tokens"] for r in ascending] == sorted(totals)
    by_time = every_row(api, USAGE, [*DAILY, ("group_by[]", "api_key_id"), ("order_by", "time")])
    starts = [r["starting_at"] for r in by_time]
    assert starts == sorted(starts, reverse=True)  # newest bucket first
    first_day = [r["usage"]["total_tokens"] for r in by_time if r["starting_at"] == starts[0]]
    assert first_day == sorted(first_day, reverse=True)  # within a bucket, highest first


def test_limit_counts_rows_and_the_cursor_is_bound_to_its_query(api: httpx.Client) -> None:
    params: Query = [*DAILY, ("group_by[]", "api_key_id"), ("limit", "2")]
    first = get(api, USAGE, params)
    assert len(first["data"]) == 2 and first["has_more"] and first["next_page"]
    everything = every_row(api, USAGE, params)
    assert everything == every_row(api, USAGE, [*DAILY, ("group_by[]", "api_key_id"), ("limit", "1000")])
    reused = api.get(
        USAGE, params=[*DAILY, ("group_by[]", "model"), ("limit", "2"), ("page", first["next_page"])]
    )
    assert reused.status_code == 400


def test_filters_keep_matching_rows_and_not_available_matches_older_models(api: httpx.Client) -> None:
    by_geo = every_row(api, USAGE, [*DAYS, ("group_by[]", "model"), ("group_by[]", "inference_geo")])
    haiku = {
        r["group"]["inference_geo"] for r in by_geo if r["group"]["model"] == "claude-haiku-4-5-20251001"
    }
    assert haiku == {None}  # Haiku 4.5 takes no inference_geo
    unset = every_row(api, USAGE, [*DAYS, ("group_by[]", "model"), ("inference_geos[]", "not_available")])
    assert {r["group"]["model"] for r in unset} == {"claude-haiku-4-5-20251001"}
    alias = every_row(api, USAGE, [*DAYS, ("group_by[]", "model"), ("models[]", "claude-haiku-4-5")])
    assert [r["group"]["model"] for r in alias] == ["claude-haiku-4-5-20251001"]
    products = every_row(api, USAGE, [*DAYS, ("group_by[]", "product"), ("products[]", "messages_api")])
    assert [r["group"]["product"] for r in products] == ["messages_api"]


def test_actor_groups_are_api_actors_and_the_default_workspace_has_a_real_id(api: httpx.Client) -> None:
    rows = every_row(api, USAGE, [*DAYS, ("group_by[]", "actor"), ("group_by[]", "workspace_id")])
    assert all(r["group"]["actor"]["type"] == "api_actor" and r["group"]["actor"]["api_key_id"] for r in rows)
    assert "wrkspc_default" in {r["group"]["workspace_id"] for r in rows}
    kept = every_row(api, USAGE, [*DAYS, ("group_by[]", "actor"), ("exclude_deleted_users", "true")])
    assert len(kept) == len(every_row(api, USAGE, [*DAYS, ("group_by[]", "actor")]))


def test_daily_cost_equals_the_legacy_cost_report(api: httpx.Client) -> None:
    analytics = every_row(api, COST, DAILY)
    legacy = api.get(LEGACY_COST, params=DAYS).json()["data"]
    for day in legacy:
        billed = sum((Decimal(r["amount"]) for r in day["results"]), Decimal(0))
        same = [Decimal(r["cost"]["amount"]) for r in analytics if r["starting_at"] == day["starting_at"]]
        assert same == [billed]


def test_token_type_fans_out_and_does_not_count_toward_the_limit(api: httpx.Client) -> None:
    params: Query = [*DAYS, ("group_by[]", "model"), ("group_by[]", "token_type"), ("limit", "1")]
    page = get(api, COST, params)
    assert len(page["data"]) > 1 and len({r["group"]["model"] for r in page["data"]}) == 1
    assert {r["group"]["cost_type"] for r in page["data"]} == {"tokens"}
    assert all(r["cost"]["requests"] is None and r["group"]["token_type"] for r in page["data"])
    total = get(api, COST, [*DAYS, ("group_by[]", "model"), ("limit", "1")])["data"][0]
    assert sum(Decimal(r["cost"]["amount"]) for r in page["data"]) == Decimal(total["cost"]["amount"])
    assert total["cost"]["requests"] > 0


def test_batch_usage_is_after_discount_in_amount_and_at_list_price_in_list_amount(
    small_scenario: Path,
) -> None:
    analytics = AnalyticsOptions()
    state = SandboxState(
        ServeOptions(str(small_scenario), 1, 0, (ADMIN_KEY,), (API_KEY,), analytics=analytics)
    )
    for tier in ("batch", "standard"):
        request = MessageRequest(API_KEY, "claude-sonnet-5", 1_000_000, 1_000, 1_000, service_tier=tier)
        assert state.world.handle(request).status == 200
    transport = SandboxTransport(create_app(state))
    headers = {"x-api-key": ADMIN_KEY, **BETA}
    with httpx.Client(transport=transport, base_url="http://sandbox", headers=headers) as api:
        now: Query = [("starting_at", "2026-11-12T00:00:00Z"), ("ending_at", "2026-11-12T01:00:00Z")]
        rows = get(api, COST, [*now, ("group_by[]", "service_tier")])["data"]
    by_tier = {row["group"]["service_tier"]: row["cost"] for row in rows}
    # $2 / $10 per MTok: 1M input + 1K output is $2.01 standard, half of it on the Batch API.
    assert by_tier["standard"] == {"amount": "201", "list_amount": "201", "currency": "USD", "requests": 1}
    assert by_tier["batch"] == {"amount": "100.5", "list_amount": "201", "currency": "USD", "requests": 1}


def test_page_and_group_limits_give_their_documented_error_codes(small_scenario: Path) -> None:
    with client_for(small_scenario, max_page_rows=3) as api:
        status, body = error(
            api, COST, [*DAYS, ("group_by[]", "model"), ("group_by[]", "token_type"), ("limit", "5")]
        )
        assert status == 400 and body["details"] == {"error_code": "report_page_too_large"}
    with client_for(small_scenario, max_groups_per_day=2) as api:
        status, body = error(api, USAGE, [*DAYS, ("group_by[]", "api_key_id")])
        assert status == 400 and body["details"] == {"error_code": "too_many_report_groups"}
        assert "/v1/organizations/usage_report/messages" in body["message"]


@pytest.mark.parametrize(
    ("options", "status", "kind"),
    [
        ({"availability": "absent"}, 404, "not_found_error"),
        ({"availability": "forbidden"}, 403, "permission_error"),
        ({"hipaa": True}, 400, "invalid_request_error"),
    ],
)
def test_an_organisation_without_the_api_is_a_404_or_403_and_hipaa_a_400(
    small_scenario: Path, options: dict[str, Any], status: int, kind: str
) -> None:
    with client_for(small_scenario, **options) as api:
        for path in (USAGE, COST):
            assert error(api, path, DAYS)[0] == status and error(api, path, DAYS)[1]["type"] == kind


def test_the_beta_header_is_required(api: httpx.Client) -> None:
    status, body = error(api, USAGE, DAYS, headers={"anthropic-beta": ""})
    assert status == 400 and "analytics-usage-cost-2026-08-24" in body["message"]


def test_an_api_key_cannot_read_analytics(api: httpx.Client) -> None:
    assert api.get(USAGE, params=DAYS, headers={"x-api-key": API_KEY}).status_code == 403


def test_the_optional_rate_limit_answers_429_with_retry_after(small_scenario: Path) -> None:
    with client_for(small_scenario, requests_per_minute=2) as api:
        answers = [api.get(USAGE, params=DAYS) for _ in range(3)]
    assert [a.status_code for a in answers] == [200, 200, 429]
    assert int(answers[-1].headers["retry-after"]) > 0


def test_a_lag_holds_back_the_newest_data_and_says_how_fresh_it_is(small_scenario: Path) -> None:
    with client_for(small_scenario, lag_seconds=3630) as api:
        body = get(
            api,
            USAGE,
            [
                ("starting_at", "2026-11-11T00:00:00Z"),
                ("ending_at", "2026-11-12T00:00:00Z"),
                ("time_bucket_width", "1h"),
                ("limit", "100"),
            ],
        )
    assert body["data_refreshed_at"] == "2026-11-11T22:59:30Z"
    assert "2026-11-11T23:00:00Z" not in {row["starting_at"] for row in body["data"]}
