"""`GET /v1/organizations/analytics/usage` and `/cost`: access checks, then the report page.

Checks, in order (after the Admin key, which the app checks first): the organisation has the API
(else 404 as for an unknown path, or 403 `permission_error`, per `AnalyticsOptions.availability`); the
beta header `anthropic-beta: analytics-usage-cost-2026-08-24` (SDK 2.17 always sends it; without it the
sandbox answers 400 naming it: the real status is UNCONFIRMED); HIPAA readiness (400, as the SDK says);
the optional rate limit (429 with `retry-after`); then the query (`query.py`) and the page (`report.py`).
"""

from __future__ import annotations

import threading
from collections.abc import Mapping
from typing import Any, Final

from sandbox.api.admin.analytics.options import AnalyticsOptions
from sandbox.api.admin.analytics.query import Kind, parse_query
from sandbox.api.admin.analytics.report import cost_page, usage_page
from sandbox.api.admin.analytics.rows import cost_rows, usage_rows
from sandbox.api.betas import betas_of
from sandbox.api.errors import WireError, invalid_request, not_found, permission_denied
from sandbox.api.params import Params
from sandbox.clock import NS_PER_SECOND
from sandbox.ratelimit import RateLimiter, RateLimits
from sandbox.world import World

ANALYTICS_BETA: Final = "analytics-usage-cost-2026-08-24"
_LIMITER_KEY: Final = "analytics_limiter"


def analytics_report(
    world: World,
    kind: Kind,
    params: Params,
    headers: Mapping[str, str],
    options: AnalyticsOptions,
    extras: dict[str, Any],
) -> dict[str, Any]:
    """One page of the usage or cost analytics report, or the error the checks give."""
    _check_access(kind, headers, options)
    now = world.clock.now_ns()
    _rate_limit(options, extras, now)
    canonical = {
        name: model.id for model in world.prices.models.values() for name in (model.id, *model.aliases)
    }
    query = parse_query(params, now, kind, canonical)
    refreshed = now - options.lag_seconds * NS_PER_SECOND
    limits = (options.max_page_rows, options.max_groups_per_day)
    if kind == "usage":
        return usage_page(query, usage_rows(world, query, refreshed), params, refreshed, limits)
    return cost_page(query, cost_rows(world, query, refreshed), params, refreshed, limits)


def _check_access(kind: Kind, headers: Mapping[str, str], options: AnalyticsOptions) -> None:
    if options.availability == "absent":
        raise not_found()
    if options.availability == "forbidden":
        raise permission_denied(
            f"This organization does not have access to GET /v1/organizations/analytics/{kind}; "
            "use the usage and cost reports instead."
        )
    if ANALYTICS_BETA not in betas_of(headers):
        raise invalid_request(
            f"anthropic-beta: this endpoint is in beta; send anthropic-beta: {ANALYTICS_BETA}"
        )
    if options.hipaa:
        raise invalid_request(
            "The Usage and Cost Analytics API is not available to organizations with HIPAA readiness enabled."
        )


def _rate_limit(options: AnalyticsOptions, extras: dict[str, Any], now_ns: int) -> None:
    rpm = options.requests_per_minute
    if rpm is None:
        return
    lock, limiter = extras.setdefault(_LIMITER_KEY, (threading.Lock(), _limiter(rpm)))
    with lock:
        request_id = f"analytics-{now_ns}-{id(extras)}-{len(limiter.pending())}"
        admission = limiter.admit(request_id, (("analytics",),), 0, 0, now_ns)
        limiter.settle(request_id, 0, now_ns)
    if not admission.allowed:
        wait = admission.retry_after_seconds
        raise WireError(
            429,
            "rate_limit_error",
            f"This request would exceed the rate limit of {rpm} requests per minute for the analytics API.",
            headers={} if wait is None else {"retry-after": str(wait)},
        )


def _limiter(rpm: int) -> RateLimiter:
    limiter = RateLimiter()
    limiter.configure(("analytics",), RateLimits(rpm, None, None))
    return limiter
