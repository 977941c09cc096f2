"""The sandbox's wire: Anthropic's Admin and Messages APIs plus `/sandbox/v1/` control, over HTTP."""
