"""Documented Admin API JSON (reference/anthropic-api.md), kept verbatim where the reference shows JSON.

Where the reference gives a field list instead of JSON (workspaces, users, the SDK's rate-limit shape,
a workspace override), the example is built from exactly that list and says so.
"""

from __future__ import annotations

# §1.4 (verbatim)
USAGE_EXAMPLE = """{"data": [{"starting_at": "2025-08-01T00:00:00Z", "ending_at": "2025-08-02T00:00:00Z",
   "results": [{"uncached_input_tokens": 1500,
     "cache_creation": {"ephemeral_1h_input_tokens": 1000, "ephemeral_5m_input_tokens": 500},
     "cache_read_input_tokens": 200, "output_tokens": 500, "server_tool_use": {"web_search_requests": 10},
     "api_key_id": "apikey_01Rj2N8SVvo6BePZj99NhmiT", "workspace_id": "wrkspc_01JwQvzr7rXLA5AGx3HKfFUJ",
     "model": "claude-opus-4-6", "service_tier": "standard", "context_window": "0-200k", "inference_geo": "global",
     "account_id": "user_01WCz1FkmYMm4gnmykNKUu3Q", "service_account_id": "svac_01Hk3R9TWxq7CfQak00OiVw4"}]}],
 "has_more": true, "next_page": "page_MjAyNS0wNS0xNFQwMDowMDowMFo="}"""

# §1.5 (verbatim)
COST_EXAMPLE = """{"data": [{"starting_at": "2025-08-01T00:00:00Z", "ending_at": "2025-08-02T00:00:00Z",
   "results": [{"amount": "123.78912", "currency": "USD", "cost_type": "tokens",
     "description": "Claude Opus 5 Usage - Input Tokens", "model": "claude-opus-5",
     "token_type": "uncached_input_tokens", "service_tier": "standard", "context_window": "0-200k",
     "inference_geo": "global", "workspace_id": "wrkspc_01JwQvzr7rXLA5AGx3HKfFUJ"}]}],
 "has_more": true, "next_page": "page_MjAyNS0wNS0xNFQwMDowMDowMFo="}"""

# §1.6 (verbatim)
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

# §1.7 guide example (verbatim)
RATE_LIMITS_GUIDE_EXAMPLE = """{"data": [
  {"type": "rate_limit", "group_type": "model_group", "models": ["claude-opus-5"],
   "limits": [{"type": "requests_per_minute", "value": 4000}, {"type": "input_tokens_per_minute", "value": 10000000},
              {"type": "output_tokens_per_minute", "value": 800000}]},
  {"type": "rate_limit", "group_type": "batch", "models": null,
   "limits": [{"type": "enqueued_batch_requests", "value": 500000}]}], "next_page": null}"""

# §1.7 SDK 2.12.0 model, built from its field list: {id, type, group: {id, type, display_name}, limits, models}
RATE_LIMITS_SDK_EXAMPLE = """{"data": [
  {"id": "rl_01AbCdEf", "type": "rate_limit",
   "group": {"id": "rlg_sonnet", "type": "model_group", "display_name": "Claude Sonnet 4.x"},
   "limits": [{"type": "requests_per_minute", "value": 4000}, {"type": "input_tokens_per_minute_cache_aware", "value": 2000000}],
   "models": ["claude-sonnet-4-5", "claude-sonnet-4"]},
  {"id": "rl_01GhIjKl", "type": "rate_limit", "group": {"id": "rlg_batch", "type": "batch", "display_name": null},
   "limits": [{"type": "enqueued_batch_requests", "value": 500000}], "models": null}], "next_page": null}"""

# §1.7 workspace overrides, built from the description: type workspace_rate_limit, limiters with org_limit
WORKSPACE_RATE_LIMITS_EXAMPLE = """{"data": [
  {"type": "workspace_rate_limit", "group_type": "model_group", "models": ["claude-opus-5"],
   "limits": [{"type": "input_tokens_per_minute", "value": 2000000, "org_limit": 10000000}]}], "next_page": null}"""

# §1.10 API keys (verbatim)
API_KEYS_EXAMPLE = """{"data": [{"id": "apikey_01Rj2N8SVvo6BePZj99NhmiT", "type": "api_key", "name": "Developer Key",
   "created_at": "2024-10-30T23:58:27.427722Z", "created_by": {"id": "user_01WCz1FkmYMm4gnmykNKUu3Q", "type": "user"},
   "expires_at": null, "partial_key_hint": "sk-ant-api03-R2D...igAA", "status": "active",
   "principal": {"type": "user_actor", "user_id": "user_01WCz1FkmYMm4gnmykNKUu3Q"},
   "scope": {"type": "workspace", "workspace_id": "wrkspc_01JwQvzr7rXLA5AGx3HKfFUJ"},
   "workspace_id": "wrkspc_01JwQvzr7rXLA5AGx3HKfFUJ"}],
 "has_more": true, "first_id": "apikey_01Rj2N8SVvo6BePZj99NhmiT", "last_id": "apikey_01Rj2N8SVvo6BePZj99NhmiT"}"""

# §1.10: "Older keys lack principal, scope and expires_at" (built from the verbatim key minus those)
OLD_API_KEY_EXAMPLE = """{"id": "apikey_01Rj2N8SVvo6BePZj99NhmiT", "type": "api_key", "name": "Developer Key",
   "created_at": "2024-10-30T23:58:27.427722Z", "created_by": {"id": "user_01WCz1FkmYMm4gnmykNKUu3Q", "type": "user"},
   "partial_key_hint": "sk-ant-api03-R2D...igAA", "status": "active", "workspace_id": null}"""

# §1.10 workspaces, built from the field list (2.12 adds compartment_id and external_key_id)
WORKSPACES_EXAMPLE = """{"data": [
  {"id": "wrkspc_01JwQvzr7rXLA5AGx3HKfFUJ", "type": "workspace", "name": "Apps", "display_color": "#6C5BB9",
   "created_at": "2024-10-30T23:58:27.427722Z", "archived_at": null,
   "data_residency": {"workspace_geo": "us", "allowed_inference_geos": ["us", "global"], "default_inference_geo": "global"},
   "compartment_id": null, "external_key_id": null},
  {"id": "wrkspc_01Default", "type": "workspace", "name": "Default", "display_color": "#000000",
   "created_at": "2024-10-01T00:00:00Z", "archived_at": null,
   "data_residency": {"workspace_geo": "us", "allowed_inference_geos": "unrestricted", "default_inference_geo": "global"}}],
 "has_more": false, "first_id": "wrkspc_01JwQvzr7rXLA5AGx3HKfFUJ", "last_id": "wrkspc_01Default"}"""

# §1.10 users, built from the field list
USERS_EXAMPLE = """{"data": [{"id": "user_01WCz1FkmYMm4gnmykNKUu3Q", "type": "user", "email": "developer@company.com",
   "name": "Dev Eloper", "role": "developer", "added_at": "2024-10-30T23:58:27.427722Z"}],
 "has_more": false, "first_id": "user_01WCz1FkmYMm4gnmykNKUu3Q", "last_id": "user_01WCz1FkmYMm4gnmykNKUu3Q"}"""

# §1.2 organization (fields {id, name, type:"organization"})
ME_EXAMPLE = """{"id": "dc9f6c26-b22c-4831-8d01-0446bada88f1", "type": "organization", "name": "Acme"}"""

# §2.1 error body (verbatim)
ERROR_EXAMPLE = """{"type": "error",
 "error": {"type": "not_found_error", "message": "The requested resource could not be found."},
 "request_id": "req_011CSHoEeqs5C35K2UUqR7Fy"}"""
