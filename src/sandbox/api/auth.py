"""Which key a client presented: `x-api-key`, or `Authorization: Bearer` (SDK 2.x sends the latter)."""

from __future__ import annotations

from collections.abc import Mapping


def presented_key(headers: Mapping[str, str]) -> str | None:
    """The key from `x-api-key`, else from `Authorization: Bearer …`; None when neither is present.

    `headers` must look names up case-insensitively (Starlette's and httpx's `Headers` do).
    """
    key = headers.get("x-api-key")
    if key:
        return key.strip()
    authorization = headers.get("authorization", "")
    scheme, _, token = authorization.partition(" ")
    if scheme.lower() == "bearer" and token.strip():
        return token.strip()
    return None
