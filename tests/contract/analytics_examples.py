"""The Usage and Cost Analytics API examples of reference/anthropic-2026-12.md §1.3, verbatim.

Both were built there from the SDK 2.17 schema with illustrative values. In the cost example "the nulls
are left out": the group has every dimension key, null unless grouped.
"""

USAGE_EXAMPLE = """
{"data":[{"starting_at":"2026-11-01T00:00:00Z","ending_at":"2026-11-02T00:00:00Z",
  "group":{"actor":null,"actor_type":null,"agent_id":null,"api_key_id":"apikey_01Rj2N8SVvo6BePZj99NhmiT",
   "claude_tag_category":null,"claude_tag_user_id":null,"context_window":null,"deployment_id":null,
   "environment_id":null,"inference_geo":null,"model":"claude-sonnet-5-5","organization_id":null,"product":null,
   "rbac_group_id":null,"service_tier":null,"session_id":null,"slack_channel_id":null,"speed":null,
   "user_profile_id":null,"workspace_id":null},
  "usage":{"uncached_input_tokens":120000,"cache_creation":{"ephemeral_1h_input_tokens":0,
   "ephemeral_5m_input_tokens":40000},"cache_read_input_tokens":900000,"output_tokens":35000,
   "server_tool_use":{"web_search_requests":3},"total_tokens":1095000,"requests":412}}],
 "has_more":false,"next_page":null}
"""

COST_EXAMPLE = """
{"data":[{"starting_at":"2026-11-01T00:00:00Z","ending_at":"2026-11-08T00:00:00Z",
  "group":{"workspace_id":"wrkspc_01JwQvzr7rXLA5AGx3HKfFUJ","cost_type":"tokens","token_type":null},
  "cost":{"amount":"41280.125","list_amount":"45866.8","currency":"USD","requests":null}}],
 "has_more":true,"next_page":"<opaque>"}
"""
