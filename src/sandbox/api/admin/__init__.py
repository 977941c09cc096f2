"""Anthropic's Admin API as the sandbox serves it: organisation resources, reports and rate limits."""
