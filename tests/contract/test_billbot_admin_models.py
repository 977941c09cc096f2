"""Contract: billbot's own Admin API models read every documented example (reference §1.4-1.7, 1.10, 2.1).

billbot shares no parsing with the sandbox; these examples pin its models to the documented JSON.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime
from decimal import Decimal

import httpx
import pytest
from pydantic import ValidationError

from billbot.admin_api.claude_code_models import ClaudeCodeRow
from billbot.admin_api.errors import NotFound
from billbot.admin_api.exchange import error_for
from billbot.admin_api.limit_models import RateLimitEntry
from billbot.admin_api.models import ApiKey, Organization, User, Workspace
from billbot.admin_api.report_models import CostBucket, CostResult, UsageBucket
from billbot.admin_api.wire import CursorPage, IdPage, ReportPage
from tests.contract.billbot_admin_examples import (
    API_KEYS_EXAMPLE,
    CLAUDE_CODE_EXAMPLE,
    COST_EXAMPLE,
    ERROR_EXAMPLE,
    ME_EXAMPLE,
    OLD_API_KEY_EXAMPLE,
    RATE_LIMITS_GUIDE_EXAMPLE,
    RATE_LIMITS_SDK_EXAMPLE,
    USAGE_EXAMPLE,
    USERS_EXAMPLE,
    WORKSPACE_RATE_LIMITS_EXAMPLE,
    WORKSPACES_EXAMPLE,
)


def test_usage_report_example_reads_every_token_type_and_dimension() -> None:
    page = ReportPage[UsageBucket].model_validate_json(USAGE_EXAMPLE)
    assert (page.has_more, page.next_page) == (True, "page_MjAyNS0wNS0xNFQwMDowMDowMFo=")
    bucket = page.data[0]
    assert bucket.starting_at == datetime(2025, 8, 1, tzinfo=UTC) and bucket.starting_at.tzinfo is UTC
    row = bucket.results[0]
    assert (row.uncached_input_tokens, row.cache_read_input_tokens, row.output_tokens) == (1500, 200, 500)
    assert (row.cache_creation.ephemeral_5m_input_tokens, row.cache_creation.ephemeral_1h_input_tokens) == (
        500,
        1000,
    )
    assert (row.cache_write_tokens, row.input_tokens, row.web_search_requests) == (1500, 3200, 10)
    assert (row.model, row.workspace_id, row.api_key_id) == (
        "claude-opus-4-6",
        "wrkspc_01JwQvzr7rXLA5AGx3HKfFUJ",
        "apikey_01Rj2N8SVvo6BePZj99NhmiT",
    )
    assert (row.service_tier, row.context_window, row.inference_geo) == ("standard", "0-200k", "global")
    assert (row.account_id, row.service_account_id, row.speed) == (
        "user_01WCz1FkmYMm4gnmykNKUu3Q",
        "svac_01Hk3R9TWxq7CfQak00OiVw4",
        None,
    )


def test_usage_dimensions_are_null_unless_grouped() -> None:
    ungrouped = json.loads(USAGE_EXAMPLE)
    row = ungrouped["data"][0]["results"][0]
    for name in (
        "api_key_id",
        "workspace_id",
        "model",
        "service_tier",
        "context_window",
        "inference_geo",
        "account_id",
        "service_account_id",
    ):
        row[name] = None
    del row["server_tool_use"]
    result = ReportPage[UsageBucket].model_validate_json(json.dumps(ungrouped)).data[0].results[0]
    assert result.model is None and result.workspace_id is None and result.web_search_requests == 0


def test_cost_report_example_keeps_cents_exact_and_gives_dollars() -> None:
    page = ReportPage[CostBucket].model_validate_json(COST_EXAMPLE)
    result = page.data[0].results[0]
    assert result.amount == Decimal("123.78912") and isinstance(result.amount, Decimal)
    assert result.dollars == Decimal("1.2378912")
    assert page.data[0].dollars == Decimal("1.2378912")
    assert (result.currency, result.cost_type, result.token_type) == (
        "USD",
        "tokens",
        "uncached_input_tokens",
    )
    assert (result.description, result.model) == ("Claude Opus 5 Usage - Input Tokens", "claude-opus-5")
    assert (result.workspace_id, result.speed) == ("wrkspc_01JwQvzr7rXLA5AGx3HKfFUJ", None)


@pytest.mark.parametrize("amount", ["41280.000000", "0", "123.45"])
def test_cost_amounts_in_the_documented_formats(amount: str) -> None:
    result = CostResult.model_validate_json(json.dumps({"amount": amount, "currency": "USD"}))
    assert result.dollars == Decimal(amount) / 100


@pytest.mark.parametrize("amount", [123.45, 12345, "NaN", "Infinity", "twelve", None])
def test_a_cost_amount_that_is_not_a_finite_decimal_string_is_refused(amount: object) -> None:
    # A JSON number would have been read through float on the way: money never takes that path.
    with pytest.raises(ValidationError):
        CostResult.model_validate_json(json.dumps({"amount": amount, "currency": "USD"}))


def test_an_empty_cost_day_has_no_results_and_zero_dollars() -> None:
    bucket = CostBucket.model_validate_json(
        '{"starting_at": "2025-08-02T00:00:00Z", "ending_at": "2025-08-03T00:00:00Z", "results": []}'
    )
    assert bucket.dollars == Decimal(0)


def test_claude_code_example_reads_actor_metrics_tools_and_integer_cents() -> None:
    page = ReportPage[ClaudeCodeRow].model_validate_json(CLAUDE_CODE_EXAMPLE)
    assert (page.has_more, page.next_page) == (False, None)
    row = page.data[0]
    assert row.date == datetime(2025, 9, 8, tzinfo=UTC)
    assert (row.actor.type, row.actor.name) == ("user_actor", "developer@company.com")
    assert (row.customer_type, row.terminal_type, row.subscription_type) == ("api", "vscode", None)
    assert row.core_metrics.lines_of_code.added == 1543 and row.core_metrics.commits_by_claude_code == 12
    assert row.tool_actions["edit_tool"].accepted == 45 and set(row.tool_actions) == {
        "edit_tool",
        "multi_edit_tool",
        "write_tool",
        "notebook_edit_tool",
    }
    model = row.model_breakdown[0]
    assert (model.model, model.tokens.input, model.tokens.cache_creation) == ("claude-opus-5", 100000, 5000)
    assert model.estimated_cost.amount == 141 and row.estimated_dollars == Decimal("1.41")


def test_claude_code_api_actor() -> None:
    data = json.loads(CLAUDE_CODE_EXAMPLE)["data"][0]
    data["actor"] = {"type": "api_actor", "api_key_name": "ci-bot"}
    assert ClaudeCodeRow.model_validate_json(json.dumps(data)).actor.name == "ci-bot"


def test_rate_limits_guide_shape() -> None:
    page = CursorPage[RateLimitEntry].model_validate_json(RATE_LIMITS_GUIDE_EXAMPLE)
    assert page.next_page is None
    opus, batch = page.data
    assert (opus.kind, opus.models, opus.display_name) == ("model_group", ["claude-opus-5"], "claude-opus-5")
    assert opus.limit("input_tokens_per_minute") == 10_000_000 and opus.limit("nope") is None
    assert (batch.kind, batch.models, batch.display_name) == ("batch", None, "batch")
    assert batch.limit("enqueued_batch_requests") == 500_000


def test_rate_limits_sdk_shape() -> None:
    sonnet, batch = CursorPage[RateLimitEntry].model_validate_json(RATE_LIMITS_SDK_EXAMPLE).data
    assert (sonnet.id, sonnet.kind, sonnet.display_name) == (
        "rl_01AbCdEf",
        "model_group",
        "Claude Sonnet 4.x",
    )
    assert sonnet.group is not None and sonnet.group.id == "rlg_sonnet"
    assert sonnet.limit("input_tokens_per_minute_cache_aware") == 2_000_000
    assert (batch.kind, batch.display_name) == ("batch", "batch")


def test_workspace_rate_limit_overrides_carry_the_org_limit() -> None:
    (entry,) = CursorPage[RateLimitEntry].model_validate_json(WORKSPACE_RATE_LIMITS_EXAMPLE).data
    assert entry.type == "workspace_rate_limit"
    assert (entry.limits[0].value, entry.limits[0].org_limit) == (2_000_000, 10_000_000)


def test_a_rate_limit_entry_without_any_group_is_refused() -> None:
    with pytest.raises(ValidationError):
        RateLimitEntry.model_validate_json('{"type": "rate_limit", "limits": []}')


def test_api_keys_example() -> None:
    page = IdPage[ApiKey].model_validate_json(API_KEYS_EXAMPLE)
    assert (page.has_more, page.first_id, page.last_id) == (
        True,
        "apikey_01Rj2N8SVvo6BePZj99NhmiT",
        "apikey_01Rj2N8SVvo6BePZj99NhmiT",
    )
    key = page.data[0]
    assert (key.name, key.status, key.workspace) == (
        "Developer Key",
        "active",
        "wrkspc_01JwQvzr7rXLA5AGx3HKfFUJ",
    )
    assert key.created_at == datetime(2024, 10, 30, 23, 58, 27, 427722, tzinfo=UTC)
    assert key.principal is not None and key.principal.user_id == "user_01WCz1FkmYMm4gnmykNKUu3Q"
    assert key.expires_at is None


def test_an_older_api_key_without_principal_scope_or_expiry() -> None:
    key = ApiKey.model_validate_json(OLD_API_KEY_EXAMPLE)
    assert (key.principal, key.scope, key.expires_at, key.workspace) == (None, None, None, None)


def test_workspaces_example_including_the_default_and_unrestricted_geos() -> None:
    apps, default = IdPage[Workspace].model_validate_json(WORKSPACES_EXAMPLE).data
    assert apps.data_residency is not None and apps.data_residency.allowed_inference_geos == ["us", "global"]
    assert default.name == "Default"
    assert (
        default.data_residency is not None and default.data_residency.allowed_inference_geos == "unrestricted"
    )


def test_users_and_me_examples() -> None:
    (user,) = IdPage[User].model_validate_json(USERS_EXAMPLE).data
    assert (user.email, user.role) == ("developer@company.com", "developer")
    assert Organization.model_validate_json(ME_EXAMPLE).name == "Acme"


def test_types_are_strict_where_the_api_may_add_fields() -> None:
    with_extra = json.loads(USERS_EXAMPLE)
    with_extra["data"][0]["favourite_colour"] = "teal"
    assert IdPage[User].model_validate_json(json.dumps(with_extra)).data[0].name == "Dev Eloper"
    with pytest.raises(ValidationError):
        UsageBucket.model_validate_json(
            '{"starting_at": "2025-08-01T00:00:00Z", "ending_at": "2025-08-02T00:00:00Z", "results": [{"uncached_input_tokens": "1500", "cache_read_input_tokens": 0, "output_tokens": 0}]}'
        )
    with pytest.raises(ValidationError):  # a time without a zone is not an instant
        UsageBucket.model_validate_json(
            '{"starting_at": "2025-08-01T00:00:00", "ending_at": "2025-08-02T00:00:00Z", "results": []}'
        )


def test_the_documented_error_body_becomes_a_typed_error() -> None:
    response = httpx.Response(
        404,
        content=ERROR_EXAMPLE.encode(),
        request=httpx.Request("GET", "https://api.anthropic.com/v1/organizations/x"),
    )
    error = error_for("GET /v1/organizations/x", response)
    assert isinstance(error, NotFound)
    assert (error.status, error.error_type, error.request_id) == (
        404,
        "not_found_error",
        "req_011CSHoEeqs5C35K2UUqR7Fy",
    )
    assert error.message == "The requested resource could not be found."
