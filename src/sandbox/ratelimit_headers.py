"""The `anthropic-ratelimit-*` response headers for the scopes a request was checked against.

Rules (boundary decisions; later docs quote them):
- Each of `requests-*`, `input-tokens-*`, `output-tokens-*` reports the most restrictive bucket of
  that dimension across the scopes: the fewest whole units remaining, then the lower limit on ties.
  A dimension unlimited in every scope sends no headers.
- `tokens-*` is "the most restrictive limit in effect": with a workspace scope that has token limits,
  the most restrictive token bucket (input or output, any scope); otherwise the organisation's input
  and output combined (limits and remaining added, reset the later of the two).
- `remaining` never goes below 0 (a bucket debited below zero reports 0). Token `remaining` is
  rounded to the nearest thousand, halves up (1,500 → 2,000); request `remaining` is exact.
- `reset` is RFC 3339 of the instant the bucket is full again (B-7); at a full bucket it is `now`.
- A fast-mode request is checked against fast mode's own limit only, reported as
  `anthropic-fast-input-tokens-*` and `anthropic-fast-output-tokens-*` (fast-mode docs, zh-CN), rounded
  like the other token headers (the rounding is UNCONFIRMED).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from sandbox.clock import rfc3339

if TYPE_CHECKING:
    from sandbox.bucket import TokenBucket
    from sandbox.ratelimit import RateLimiter, Scope

_PREFIX = "anthropic-ratelimit-"
_FAST_PREFIX = "anthropic-fast-"
_TOKEN_DIMENSIONS = ("input-tokens", "output-tokens")


def round_to_thousand(value: int) -> int:
    """Round a token count to the nearest thousand, halves up, as Anthropic's `remaining` headers do."""
    return (value + 500) // 1000 * 1000


def _remaining(bucket: TokenBucket, now_ns: int) -> int:
    return max(0, bucket.peek(now_ns))


def _most_restrictive(buckets: list[TokenBucket], now_ns: int) -> TokenBucket:
    return min(buckets, key=lambda bucket: (_remaining(bucket, now_ns), bucket.limit))


def _render(name: str, limit: int, remaining: int, reset_ns: int, prefix: str = _PREFIX) -> dict[str, str]:
    return {
        f"{prefix}{name}-limit": str(limit),
        f"{prefix}{name}-remaining": str(remaining),
        f"{prefix}{name}-reset": rfc3339(reset_ns),
    }


def _bucket_headers(
    name: str, bucket: TokenBucket, now_ns: int, rounded: bool, prefix: str = _PREFIX
) -> dict[str, str]:
    remaining = _remaining(bucket, now_ns)
    if rounded:
        remaining = round_to_thousand(remaining)
    return _render(name, bucket.limit, remaining, bucket.reset_ns(now_ns), prefix)


def _combined_tokens(org: dict[str, TokenBucket], now_ns: int) -> dict[str, str]:
    token_buckets = [org[name] for name in _TOKEN_DIMENSIONS if name in org]
    if not token_buckets:
        return {}
    limit = sum(bucket.limit for bucket in token_buckets)
    remaining = sum(_remaining(bucket, now_ns) for bucket in token_buckets)
    reset = max(bucket.reset_ns(now_ns) for bucket in token_buckets)
    return _render("tokens", limit, round_to_thousand(remaining), reset)


def rate_limit_headers(limiter: RateLimiter, scopes: tuple[Scope, ...], now_ns: int) -> dict[str, str]:
    """Header name → value for the rate limits of `scopes` at `now_ns` (empty when all are unlimited)."""
    if scopes and scopes[0][0] == "fast":
        fast = limiter.buckets(scopes[0])
        return {
            name: value
            for dimension in _TOKEN_DIMENSIONS
            if dimension in fast
            for name, value in _bucket_headers(
                dimension, fast[dimension], now_ns, rounded=True, prefix=_FAST_PREFIX
            ).items()
        }
    per_scope = [(scope, limiter.buckets(scope)) for scope in scopes]
    headers: dict[str, str] = {}
    for name in ("requests", *_TOKEN_DIMENSIONS):
        buckets = [found[name] for _, found in per_scope if name in found]
        if buckets:
            chosen = _most_restrictive(buckets, now_ns)
            headers.update(_bucket_headers(name, chosen, now_ns, rounded=name != "requests"))
    workspace_tokens = [
        found[name]
        for scope, found in per_scope
        if scope[0] == "ws"
        for name in _TOKEN_DIMENSIONS
        if name in found
    ]
    if workspace_tokens:
        all_tokens = [found[name] for _, found in per_scope for name in _TOKEN_DIMENSIONS if name in found]
        chosen = _most_restrictive(all_tokens, now_ns)
        headers.update(_bucket_headers("tokens", chosen, now_ns, rounded=True))
    else:
        org = next((found for scope, found in per_scope if scope[0] == "org"), {})
        headers.update(_combined_tokens(org, now_ns))
    return headers
