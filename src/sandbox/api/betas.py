"""The `anthropic-beta` header as a set of beta names (comma-separated)."""

from __future__ import annotations

from collections.abc import Mapping


def betas_of(headers: Mapping[str, str]) -> frozenset[str]:
    """Every beta the request names in `anthropic-beta`."""
    raw = headers.get("anthropic-beta", "")
    return frozenset(part.strip() for part in raw.split(",") if part.strip())
