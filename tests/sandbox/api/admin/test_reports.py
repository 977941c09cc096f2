"""Usage and cost reports over the in-process transport: totals, groups, nulls, paging, cents, errors."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import httpx

from sandbox.api.admin.cost import cents
from sandbox.api.state import SandboxState
from sandbox.records import CACHE_READ, OUTPUT, UNCACHED
from tests.sandbox.api.conftest import Query

USAGE = "/v1/organizations/usage_report/messages"
COST = "/v1/organizations/cost_report"
START = "2026-11-10T00:00:00Z"


def walk(admin: httpx.Client, path: str, params: Query) -> list[dict[str, Any]]:
    """Every bucket, following next_page to the end (bounded)."""
    buckets: list[dict[str, Any]] = []
    page: str | None = None
    for _ in range(100):
        query: Query = params + ([("page", page)] if page else [])
        body = admin.get(path, params=query).json()
        buckets += body["data"]
        if not body["has_more"]:
            assert body["next_page"] is None
            return buckets
        page = body["next_page"]
    raise AssertionError("paging did not end")


def test_usage_totals_match_what_the_world_recorded(admin: httpx.Client, state: SandboxState) -> None:
    rows = list(state.world.records.usage_rows(0, 2**62))
    buckets = walk(admin, USAGE, [("starting_at", START), ("bucket_width", "1h"), ("limit", "7")])
    # Two days of history plus the hour now in progress; no bucket skipped or repeated.
    assert len(buckets) == 49 and len({b["starting_at"] for b in buckets}) == 49
    results = [r for b in buckets for r in b["results"]]
    assert sum(r["uncached_input_tokens"] for r in results) == sum(row[UNCACHED] for _, _, row in rows)
    assert sum(r["cache_read_input_tokens"] for r in results) == sum(row[CACHE_READ] for _, _, row in rows)
    assert sum(r["output_tokens"] for r in results) == sum(row[OUTPUT] for _, _, row in rows)
    assert all(r["model"] is None and r["workspace_id"] is None for r in results)  # not grouped: null


def test_grouping_fills_only_the_grouped_dimensions(admin: httpx.Client, state: SandboxState) -> None:
    params: Query = [("starting_at", START), ("group_by[]", "model"), ("group_by[]", "workspace_id")]
    results = [r for b in admin.get(USAGE, params=params).json()["data"] for r in b["results"]]
    assert {r["model"] for r in results} == {"claude-sonnet-5", "claude-haiku-4-5-20251001"}
    assert None in {r["workspace_id"] for r in results}  # the Default workspace
    assert all(r["api_key_id"] is None and "speed" not in r for r in results)


def test_filters_narrow_the_rows(admin: httpx.Client) -> None:
    params: Query = [("starting_at", START), ("models[]", "claude-haiku-4-5"), ("group_by[]", "model")]
    results = [r for b in admin.get(USAGE, params=params).json()["data"] for r in b["results"]]
    assert results and {r["model"] for r in results} == {"claude-haiku-4-5-20251001"}  # by its alias


def test_empty_buckets_hold_a_zero_row_or_nothing_when_grouped(admin: httpx.Client) -> None:
    early: Query = [("starting_at", "2026-11-01T00:00:00Z"), ("ending_at", "2026-11-02T00:00:00Z")]
    (plain,) = admin.get(USAGE, params=early).json()["data"]
    assert plain["results"][0]["output_tokens"] == 0
    (grouped,) = admin.get(USAGE, params=[*early, ("group_by[]", "model")]).json()["data"]
    assert grouped["results"] == []


def test_cost_report_charges_in_cents_per_day_with_empty_days(
    admin: httpx.Client, state: SandboxState
) -> None:
    buckets = walk(admin, COST, [("starting_at", "2026-11-08T00:00:00Z"), ("limit", "2")])
    assert [b["starting_at"][:10] for b in buckets][:2] == ["2026-11-08", "2026-11-09"]
    assert buckets[0]["results"] == []
    total = sum(Decimal(r["amount"]) for b in buckets for r in b["results"])
    assert total == state.world.records.total_cost() * 100
    by_description = admin.get(COST, params=[("starting_at", START), ("group_by[]", "description")]).json()
    lines = [r for b in by_description["data"] for r in b["results"]]
    assert all(r["currency"] == "USD" and r["description"].startswith("Claude ") for r in lines)
    assert {r["token_type"] for r in lines} >= {"uncached_input_tokens", "output_tokens"}


def test_cents_are_exact_plain_strings() -> None:
    assert (cents(Decimal("1.2345")), cents(Decimal("412.8")), cents(Decimal(0))) == ("123.45", "41280", "0")


def test_report_mistakes_are_400s(admin: httpx.Client) -> None:
    cases = {
        USAGE + "?bucket_width=1d": "starting_at: Field required",
        USAGE + f"?starting_at={START}&limit=32": "limit: must be between 1 and 31, got 32",
        USAGE
        + f"?starting_at={START}&bucket_width=1h&limit=169": "limit: must be between 1 and 168, got 169",
        USAGE + f"?starting_at={START}&bucket_width=5m": "bucket_width: must be one of 1m, 1h, 1d, got '5m'",
        USAGE + f"?starting_at={START}&group_by[]=colour": "group_by: must be among",
        USAGE
        + f"?starting_at={START}&group_by[]=speed": "group_by: speed requires the anthropic-beta header",
        USAGE + "?starting_at=yesterday": "starting_at: 'yesterday' is not an RFC 3339 date-time",
        USAGE + f"?starting_at={START}&page=garbage!": "page: not a cursor this API issued",
        COST + f"?starting_at={START}&bucket_width=1h": "bucket_width: must be one of 1d, got '1h'",
        COST + f"?starting_at={START}&group_by[]=model": "group_by: must be among workspace_id, description",
    }
    for url, message in cases.items():
        response = admin.get(url)
        assert response.status_code == 400, url
        assert response.json()["error"]["message"].startswith(message), response.text


def test_a_cursor_is_bound_to_its_query(admin: httpx.Client) -> None:
    first = admin.get(USAGE, params=[("starting_at", START), ("limit", "1")]).json()
    other = admin.get(
        USAGE,
        params=[
            ("starting_at", START),
            ("limit", "1"),
            ("group_by[]", "model"),
            ("page", first["next_page"]),
        ],
    )
    assert other.status_code == 400
    assert other.json()["error"]["message"] == "cursor does not match current query parameters"


CLAUDE_CODE = "/v1/organizations/usage_report/claude_code"


def test_claude_code_report_pages_a_weekday_of_developers(admin: httpx.Client) -> None:
    first = admin.get(CLAUDE_CODE, params={"starting_at": "2026-11-10", "limit": 1}).json()
    records = list(first["data"])
    page = first["next_page"]
    while page:
        body = admin.get(CLAUDE_CODE, params={"starting_at": "2026-11-10", "limit": 1, "page": page}).json()
        records += body["data"]
        page = body["next_page"]
    assert records and len({r["actor"]["email_address"] for r in records}) == len(records)
    usage = records[0]["model_breakdown"][0]
    assert isinstance(usage["estimated_cost"]["amount"], int) and usage["estimated_cost"]["currency"] == "USD"
    again = admin.get(CLAUDE_CODE, params={"starting_at": "2026-11-10", "limit": 1}).json()
    assert again == first  # deterministic


def test_claude_code_report_has_nothing_for_a_day_not_yet_an_hour_old(admin: httpx.Client) -> None:
    body = admin.get(CLAUDE_CODE, params={"starting_at": "2026-11-11"}).json()  # ended at "now" exactly
    assert body == {"data": [], "has_more": False, "next_page": None}
    bad = admin.get(CLAUDE_CODE, params={"starting_at": "2026-11-10T00:00:00Z"})
    assert bad.json()["error"]["message"] == "starting_at: '2026-11-10T00:00:00Z' is not a day (YYYY-MM-DD)"


def test_each_width_has_its_documented_default_page_size(admin: httpx.Client) -> None:
    for width, default in (("1d", 7), ("1h", 24), ("1m", 60)):
        params: Query = [("starting_at", "2026-11-01T00:00:00Z"), ("bucket_width", width)]
        body = admin.get(USAGE, params=params).json()
        assert len(body["data"]) == default and body["has_more"], width
    assert len(admin.get(COST, params=[("starting_at", "2026-10-01T00:00:00Z")]).json()["data"]) == 7


def test_starting_at_snaps_down_in_utc_whatever_the_offset(admin: httpx.Client) -> None:
    cases = {
        ("2026-11-10T05:30:00Z", "1d"): "2026-11-10T00:00:00Z",
        ("2026-11-10T01:30:00+02:00", "1d"): "2026-11-09T00:00:00Z",  # 23:30 UTC the day before
        ("2026-11-10T05:59:59Z", "1h"): "2026-11-10T05:00:00Z",
        ("2026-11-10T05:07:42.5Z", "1m"): "2026-11-10T05:07:00Z",
    }
    for (start, width), snapped in cases.items():
        params = {"starting_at": start, "bucket_width": width, "limit": "1"}
        assert admin.get(USAGE, params=params).json()["data"][0]["starting_at"] == snapped, start
    day = admin.get(COST, params={"starting_at": "2026-11-10T01:30:00+02:00", "limit": "1"}).json()
    assert day["data"][0]["starting_at"] == "2026-11-09T00:00:00Z"


def test_every_group_by_fills_its_own_dimension_only(admin: httpx.Client) -> None:
    dimensions = ["api_key_id", "workspace_id", "model", "service_tier", "context_window", "inference_geo"]
    dimensions += ["account_id", "service_account_id"]
    for name in dimensions:
        params: Query = [("starting_at", START), ("ending_at", "2026-11-11T00:00:00Z"), ("group_by[]", name)]
        results = admin.get(USAGE, params=params).json()["data"][0]["results"]
        assert results, name
        for row in results:
            assert all(row[other] is None for other in dimensions if other != name), (name, row)
        if name not in ("workspace_id", "api_key_id", "account_id", "service_account_id"):
            assert all(row[name] is not None for row in results), name  # these are never null


def test_every_filter_keeps_only_matching_rows(admin: httpx.Client) -> None:
    day: Query = [("starting_at", START), ("ending_at", "2026-11-11T00:00:00Z")]
    grouped = admin.get(USAGE, params=[*day, ("group_by[]", "api_key_id"), ("group_by[]", "model")]).json()
    key = next(r["api_key_id"] for r in grouped["data"][0]["results"] if r["api_key_id"])
    filters = {
        "api_key_ids[]": ("api_key_id", key),
        "models[]": ("model", "claude-sonnet-5"),
        "service_tiers[]": ("service_tier", "standard"),
        "context_window[]": ("context_window", "0-200k"),
        "inference_geos[]": ("inference_geo", "global"),
    }
    total = sum(r["output_tokens"] for r in admin.get(USAGE, params=day).json()["data"][0]["results"])
    for name, (dimension, value) in filters.items():
        params = [*day, (name, value), ("group_by[]", dimension)]
        results = admin.get(USAGE, params=params).json()["data"][0]["results"]
        assert results and {r[dimension] for r in results} == {value}, name
        assert sum(r["output_tokens"] for r in results) <= total
    none = admin.get(USAGE, params=[*day, ("models[]", "claude-opus-5")]).json()["data"][0]["results"]
    assert none[0]["output_tokens"] == 0  # nothing matched: the zero row of an empty bucket
    workspaces = admin.get(USAGE, params=[*day, ("workspace_ids[]", "wrkspc_nope")]).json()
    assert workspaces["data"][0]["results"][0]["output_tokens"] == 0


def test_a_cursor_reused_with_any_other_query_is_a_400(admin: httpx.Client) -> None:
    def cursor(path: str, params: Query) -> str:
        page = admin.get(path, params=params).json()["next_page"]
        assert page is not None
        return str(page)

    usage: Query = [("starting_at", START), ("bucket_width", "1h"), ("limit", "2")]
    cost: Query = [("starting_at", "2026-11-01T00:00:00Z"), ("limit", "2")]
    code: Query = [("starting_at", "2026-11-10"), ("limit", "1")]
    cases: list[tuple[str, Query, Query]] = [
        (USAGE, usage, [*usage, ("models[]", "claude-sonnet-5")]),
        (USAGE, usage, [("starting_at", "2026-11-10T01:00:00Z"), *usage[1:]]),
        (USAGE, usage, [*usage, ("ending_at", "2026-11-11T00:00:00Z")]),
        (COST, cost, [*cost, ("group_by[]", "description")]),
        (CLAUDE_CODE, code, [("starting_at", "2026-11-09"), ("limit", "1")]),
    ]
    for path, first, other in cases:
        page = cursor(path, first)
        assert admin.get(path, params=[*first, ("page", page)]).status_code == 200
        reused = admin.get(path, params=[*other, ("page", page)])
        assert reused.status_code == 400, (path, other)
        assert reused.json()["error"]["message"] == "cursor does not match current query parameters"
