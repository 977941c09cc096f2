"""Contract: the sandbox's analytics answers match the reference's documented examples (addendum §1.3).

The usage example's query (`group_by[]=model&group_by[]=api_key_id&time_bucket_width=1d`) and the cost
example's (`group_by[]=workspace_id&group_by[]=cost_type`) are sent to the sandbox; every row must have
exactly the documented keys and JSON types, nulls where the example has them for ungrouped dimensions.
The page may add `data_refreshed_at` (the SDK's cursor has it; whether the API sends it is UNCONFIRMED).
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from decimal import Decimal
from typing import Any

import httpx
import pytest

from sandbox.api.admin.analytics.dimensions import GROUP_DIMENSIONS
from sandbox.api.app import create_app
from sandbox.api.state import SandboxState, ServeOptions
from sandbox.api.transport import SandboxTransport
from tests.contract.analytics_examples import COST_EXAMPLE, USAGE_EXAMPLE
from tests.contract.test_admin_shapes import conforms
from tests.sandbox.api.conftest import ADMIN_KEY, API_KEY, SMALL, Query

ANALYTICS = "/v1/organizations/analytics"
BETA = {"anthropic-beta": "analytics-usage-cost-2026-08-24"}


@pytest.fixture(scope="module")
def admin(tmp_path_factory: pytest.TempPathFactory) -> Iterator[httpx.Client]:
    path = tmp_path_factory.mktemp("analytics") / "small.toml"
    path.write_text(SMALL)
    state = SandboxState(ServeOptions(str(path), 1, 0, (ADMIN_KEY,), (API_KEY,)))
    transport = SandboxTransport(create_app(state))
    headers = {"x-api-key": ADMIN_KEY, **BETA}
    with httpx.Client(transport=transport, base_url="http://sandbox", headers=headers) as client:
        yield client


def page_keys_match(documented: dict[str, Any], page: dict[str, Any]) -> None:
    assert set(documented) <= set(page) and set(page) - set(documented) <= {"data_refreshed_at"}


def test_usage_answers_in_the_documented_shape(admin: httpx.Client) -> None:
    documented = json.loads(USAGE_EXAMPLE)
    params: Query = [
        ("starting_at", "2026-11-10T00:00:00Z"),
        ("ending_at", "2026-11-12T00:00:00Z"),
        ("group_by[]", "model"),
        ("group_by[]", "api_key_id"),
        ("time_bucket_width", "1d"),
        ("limit", "1000"),
    ]
    page = admin.get(f"{ANALYTICS}/usage", params=params).json()
    page_keys_match(documented, page)
    assert page["data"], "the small scenario has two days of usage"
    conforms({"data": documented["data"]}, {"data": page["data"]})
    for row in page["data"]:
        grouped = {name for name, value in row["group"].items() if value is not None}
        assert grouped == {"model", "api_key_id"}
        usage = row["usage"]
        writes = usage["cache_creation"]
        assert usage["total_tokens"] == (
            usage["uncached_input_tokens"]
            + writes["ephemeral_1h_input_tokens"]
            + writes["ephemeral_5m_input_tokens"]
            + usage["cache_read_input_tokens"]
            + usage["output_tokens"]
        )


def test_cost_answers_in_the_documented_shape(admin: httpx.Client) -> None:
    documented = json.loads(COST_EXAMPLE)
    full_group = dict.fromkeys(GROUP_DIMENSIONS) | documented["data"][0]["group"]
    documented_row = {**documented["data"][0], "group": full_group}
    params: Query = [
        ("starting_at", "2026-11-10T00:00:00Z"),
        ("ending_at", "2026-11-12T00:00:00Z"),
        ("group_by[]", "workspace_id"),
        ("group_by[]", "cost_type"),
    ]
    page = admin.get(f"{ANALYTICS}/cost", params=params).json()
    page_keys_match(documented, page)
    conforms({"data": [documented_row]}, {"data": page["data"]})
    for row in page["data"]:
        assert row["group"]["workspace_id"].startswith("wrkspc_")  # a real ID, the Default one too
        assert row["group"]["cost_type"] == "tokens" and row["cost"]["requests"] is None
        assert Decimal(row["cost"]["amount"]) > 0 and row["cost"]["currency"] == "USD"
    assert "wrkspc_default" in {row["group"]["workspace_id"] for row in page["data"]}
