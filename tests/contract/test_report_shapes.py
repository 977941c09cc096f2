"""Contract: the documented report examples (reference/anthropic-api.md §1.4-1.6) and the sandbox's
answers have the same shape: the same keys at every level and the same JSON types (null allowed where
the reference says a dimension is null unless grouped)."""

from __future__ import annotations

import json
from typing import Any

import pytest

from sandbox.api.admin.claude_code import claude_code_report
from sandbox.api.admin.cost import cost_report
from sandbox.api.admin.usage import usage_report
from sandbox.build import build_simulation
from sandbox.clock import NS_PER_DAY
from sandbox.scenario import load_scenario

USAGE_EXAMPLE = """{"data": [{"starting_at": "2025-08-01T00:00:00Z", "ending_at": "2025-08-02T00:00:00Z",
   "results": [{"uncached_input_tokens": 1500,
     "cache_creation": {"ephemeral_1h_input_tokens": 1000, "ephemeral_5m_input_tokens": 500},
     "cache_read_input_tokens": 200, "output_tokens": 500, "server_tool_use": {"web_search_requests": 10},
     "api_key_id": "apikey_01Rj2N8SVvo6BePZj99NhmiT", "workspace_id": "wrkspc_01JwQvzr7rXLA5AGx3HKfFUJ",
     "model": "claude-opus-4-6", "service_tier": "standard", "context_window": "0-200k", "inference_geo": "global",
     "account_id": "user_01WCz1FkmYMm4gnmykNKUu3Q", "service_account_id": "svac_01Hk3R9TWxq7CfQak00OiVw4"}]}],
 "has_more": true, "next_page": "page_MjAyNS0wNS0xNFQwMDowMDowMFo="}"""
COST_EXAMPLE = """{"data": [{"starting_at": "2025-08-01T00:00:00Z", "ending_at": "2025-08-02T00:00:00Z",
   "results": [{"amount": "123.78912", "currency": "USD", "cost_type": "tokens",
     "description": "Claude Opus 5 Usage - Input Tokens", "model": "claude-opus-5",
     "token_type": "uncached_input_tokens", "service_tier": "standard", "context_window": "0-200k",
     "inference_geo": "global", "workspace_id": "wrkspc_01JwQvzr7rXLA5AGx3HKfFUJ"}]}],
 "has_more": true, "next_page": "page_MjAyNS0wNS0xNFQwMDowMDowMFo="}"""
CLAUDE_CODE_EXAMPLE = """{"data": [{"date": "2025-09-08T00:00:00Z",
   "actor": {"type": "user_actor", "email_address": "developer@company.com"},
   "organization_id": "dc9f6c26-b22c-4831-8d01-0446bada88f1", "customer_type": "api", "terminal_type": "vscode",
   "core_metrics": {"num_sessions": 5, "lines_of_code": {"added": 1543, "removed": 892},
                    "commits_by_claude_code": 12, "pull_requests_by_claude_code": 2},
   "tool_actions": {"edit_tool": {"accepted": 45, "rejected": 5}, "multi_edit_tool": {"accepted": 12, "rejected": 2},
                    "write_tool": {"accepted": 8, "rejected": 1}, "notebook_edit_tool": {"accepted": 3, "rejected": 0}},
   "model_breakdown": [{"model": "claude-opus-5",
     "tokens": {"input": 100000, "output": 35000, "cache_read": 10000, "cache_creation": 5000},
     "estimated_cost": {"currency": "USD", "amount": 141}}]}],
 "has_more": false, "next_page": null}"""
NULLABLE = {"next_page", "api_key_id", "workspace_id", "service_account_id", "account_id"}


def shape(value: Any, key: str = "") -> Any:
    """Keys and JSON types, recursively; first element of lists; null-able dimensions as 'str|null'."""
    if isinstance(value, dict):
        return {k: shape(v, k) for k, v in value.items()}
    if isinstance(value, list):
        return [shape(value[0], key)] if value else []
    if key in NULLABLE and (value is None or isinstance(value, str)):
        return "str|null"
    return type(value).__name__


@pytest.fixture(scope="module")
def demo():  # type: ignore[no-untyped-def]
    scenario = load_scenario("demo")
    simulation = build_simulation(scenario, seed=0)
    simulation.run(scenario.days)
    return simulation


def first_page(body: dict[str, Any]) -> dict[str, Any]:
    """The documented examples show one bucket with one result: compare that much."""
    bucket = next(b for b in body["data"] if b.get("results", [None]))
    trimmed = {**bucket, "results": bucket["results"][:1]} if "results" in bucket else bucket
    return {**body, "data": [trimmed]}


def test_usage_report_matches_the_documented_example(demo) -> None:  # type: ignore[no-untyped-def]
    groups = [
        "api_key_id",
        "workspace_id",
        "model",
        "service_tier",
        "context_window",
        "inference_geo",
        "account_id",
        "service_account_id",
    ]
    params = [("starting_at", "2026-11-01T00:00:00Z"), ("limit", "2"), *(("group_by[]", g) for g in groups)]
    body = usage_report(demo.world, params, demo.clock.now_ns())
    assert shape(first_page(body)) == shape(json.loads(USAGE_EXAMPLE))


def test_cost_report_matches_the_documented_example(demo) -> None:  # type: ignore[no-untyped-def]
    params = [
        ("starting_at", "2026-11-01T00:00:00Z"),
        ("limit", "2"),
        ("group_by[]", "workspace_id"),
        ("group_by[]", "description"),
    ]
    body = cost_report(demo.world, params, demo.clock.now_ns())
    assert shape(first_page(body)) == shape(json.loads(COST_EXAMPLE))


def test_claude_code_report_matches_the_documented_example(demo) -> None:  # type: ignore[no-untyped-def]
    body = claude_code_report(
        demo.world, [("starting_at", "2026-11-16"), ("limit", "1000")], demo.clock.now_ns() + NS_PER_DAY
    )
    assert body["data"]
    example = json.loads(CLAUDE_CODE_EXAMPLE)
    assert shape({**body, "data": body["data"][:1], "model_breakdown": None}) == shape(
        {**example, "model_breakdown": None}
    )
    assert shape(body["data"][0]["model_breakdown"][:1]) == shape(example["data"][0]["model_breakdown"])
