"""billbot's Admin API client: the organisation, its keys, workspaces, users, limits and reports.

The same client talks to Anthropic, a sandbox at a URL, or the embedded sandbox: only the httpx
transport or base URL differs. Every listing is followed to its last page; every call has one
deadline over all its attempts and pages; every failure is a typed `AdminApiError`.
"""

from __future__ import annotations

import json
import random
import time
from collections.abc import Callable, Mapping, Sequence
from datetime import UTC, date, datetime
from types import TracebackType
from typing import Any, Literal, TypeVar
from urllib.parse import quote

import httpx
from pydantic import BaseModel, SecretStr, ValidationError

from billbot.admin_api import pagination
from billbot.admin_api.analytics_models import AnalyticsCostRow, AnalyticsUsageRow
from billbot.admin_api.claude_code_models import ClaudeCodeRow
from billbot.admin_api.errors import MalformedResponse
from billbot.admin_api.exchange import ANTHROPIC_VERSION, AdminKeyAuth, Answer, Exchange
from billbot.admin_api.limit_models import RateLimitEntry
from billbot.admin_api.models import ApiKey, Organization, User, Workspace
from billbot.admin_api.params import USAGE_FILTERS, Param, ParamValue, check_filters, encode
from billbot.admin_api.report_models import CostBucket, UsageBucket
from billbot.admin_api.retry import Deadline, RetryPolicy
from billbot.admin_api.wire import CursorPage, IdPage, ReportPage

ORG = "/v1/organizations"
ANALYTICS_BETA = "analytics-usage-cost-2026-08-24"
BucketWidth = Literal["1m", "1h", "1d"]
# The most buckets a page may hold (reference §1.4-1.6): fewer pages, fewer requests.
MAX_BUCKETS: dict[str, int] = {"1m": 1440, "1h": 168, "1d": 31}
MAX_LIST = 1000
M = TypeVar("M", bound=BaseModel)
_BETA = {"anthropic-beta": ANALYTICS_BETA}


class AdminClient:
    """A synchronous Admin API client with retries, a per-call deadline and typed errors."""

    def __init__(
        self,
        base_url: str,
        api_key: SecretStr,
        *,
        transport: httpx.BaseTransport | None = None,
        timeout: float = 30.0,
        deadline_seconds: float = 120.0,
        max_retries: int = 4,
        sleep: Callable[[float], None] = time.sleep,
        rng: random.Random | None = None,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        if deadline_seconds <= 0 or timeout <= 0:
            raise ValueError("timeout and deadline_seconds must be positive")
        self.base_url = base_url
        self.deadline_seconds = deadline_seconds
        self.policy = RetryPolicy(max_retries=max_retries)
        self._clock = clock
        http = httpx.Client(
            base_url=base_url,
            transport=transport,
            auth=AdminKeyAuth(api_key),
            headers={"anthropic-version": ANTHROPIC_VERSION, "user-agent": "billbot"},
        )
        self._exchange = Exchange(http, self.policy, timeout=timeout, sleep=sleep, rng=rng or random.Random())

    def me(self) -> Organization:
        """The organisation the key belongs to."""
        return self._fetch(f"{ORG}/me", [], Organization, self._deadline())

    def list_api_keys(
        self,
        *,
        status: str | None = None,
        workspace_id: str | None = None,
        created_by_user_id: str | None = None,
        limit: int = MAX_LIST,
    ) -> list[ApiKey]:
        """Every API key matching the filters."""
        params = {"status": status, "workspace_id": workspace_id, "created_by_user_id": created_by_user_id}
        return self._by_ids(f"{ORG}/api_keys", {**params, "limit": limit}, IdPage[ApiKey])

    def list_workspaces(
        self,
        *,
        include_archived: bool | None = None,
        include_default: bool | None = None,
        ids: Sequence[str] = (),
        limit: int = MAX_LIST,
    ) -> list[Workspace]:
        """Every workspace (the Default one only with `include_default=True`)."""
        params: dict[str, ParamValue] = {"include_archived": include_archived}
        params |= {"include_default": include_default, "ids": list(ids) or None, "limit": limit}
        return self._by_ids(f"{ORG}/workspaces", params, IdPage[Workspace])

    def list_users(
        self, *, email: str | None = None, roles: Sequence[str] = (), limit: int = MAX_LIST
    ) -> list[User]:
        """Every member of the organisation matching the filters."""
        params: dict[str, ParamValue] = {"email": email, "roles": list(roles) or None, "limit": limit}
        return self._by_ids(f"{ORG}/users", params, IdPage[User])

    def rate_limits(
        self, model: str | None = None, group_type: str | None = None, *, limit: int | None = None
    ) -> list[RateLimitEntry]:
        """The organisation's rate limits (404 `NotFound` if `model` matches no group)."""
        params = {"model": model, "group_type": group_type, "limit": limit}
        return self._by_pages(f"{ORG}/rate_limits", params)

    def workspace_rate_limits(self, workspace_id: str, *, limit: int | None = None) -> list[RateLimitEntry]:
        """A workspace's overrides (a missing group or limiter inherits the organisation's)."""
        path = f"{ORG}/workspaces/{quote(workspace_id, safe='')}/rate_limits"
        return self._by_pages(path, {"limit": limit})

    def usage_report(
        self,
        starting_at: datetime,
        ending_at: datetime | None = None,
        bucket_width: BucketWidth = "1d",
        group_by: Sequence[str] = (),
        *,
        limit: int | None = None,
        **filters: Sequence[str],
    ) -> list[UsageBucket]:
        """Token usage buckets in `[starting_at, ending_at)`; filters as in reference §1.4."""
        check_filters(filters, USAGE_FILTERS, "usage_report")
        params: dict[str, ParamValue] = {"starting_at": starting_at, "ending_at": ending_at}
        params |= {"bucket_width": bucket_width, "group_by": list(group_by) or None}
        params |= {"limit": limit or MAX_BUCKETS[bucket_width], **{k: list(v) for k, v in filters.items()}}
        return self._by_report(f"{ORG}/usage_report/messages", params, ReportPage[UsageBucket])

    def cost_report(
        self,
        starting_at: datetime,
        ending_at: datetime | None = None,
        group_by: Sequence[str] = (),
        *,
        limit: int | None = None,
    ) -> list[CostBucket]:
        """Daily cost buckets (in cents) within `[starting_at, ending_at)`, grouped as asked."""
        params: dict[str, ParamValue] = {"starting_at": starting_at, "ending_at": ending_at}
        params |= {
            "bucket_width": "1d",
            "group_by": list(group_by) or None,
            "limit": limit or MAX_BUCKETS["1d"],
        }
        return self._by_report(f"{ORG}/cost_report", params, ReportPage[CostBucket])

    def analytics_usage(
        self,
        starting_at: datetime,
        ending_at: datetime,
        time_bucket_width: BucketWidth | None = None,
        group_by: Sequence[str] = (),
        *,
        limit: int = MAX_LIST,
        **filters: Sequence[str],
    ) -> list[AnalyticsUsageRow]:
        """Every usage row of the Usage and Cost Analytics API in `[starting_at, ending_at)` (≤ 31 days)."""
        params = self._analytics_params(starting_at, ending_at, time_bucket_width, group_by, limit, filters)
        return self._by_report(f"{ORG}/analytics/usage", params, ReportPage[AnalyticsUsageRow], _BETA)

    def analytics_cost(
        self,
        starting_at: datetime,
        ending_at: datetime,
        time_bucket_width: BucketWidth | None = None,
        group_by: Sequence[str] = (),
        *,
        limit: int = MAX_LIST,
        **filters: Sequence[str],
    ) -> list[AnalyticsCostRow]:
        """Every cost row (cents, after discounts and before credits) in `[starting_at, ending_at)`."""
        params = self._analytics_params(starting_at, ending_at, time_bucket_width, group_by, limit, filters)
        return self._by_report(f"{ORG}/analytics/cost", params, ReportPage[AnalyticsCostRow], _BETA)

    def claude_code_report(self, day: date, *, limit: int | None = None) -> list[ClaudeCodeRow]:
        """Claude Code activity per actor on one UTC day."""
        if isinstance(day, datetime):
            day = day.astimezone(UTC).date()
        params: dict[str, ParamValue] = {"starting_at": day, "limit": limit or MAX_LIST}
        return self._by_report(f"{ORG}/usage_report/claude_code", params, ReportPage[ClaudeCodeRow])

    def get(self, path: str, params: Mapping[str, ParamValue] | None = None) -> dict[str, Any]:
        """Any GET answered with a JSON object (e.g. a sandbox's `/sandbox/v1/state`), with retries."""
        answer = self._exchange.get(path, encode(params or {}), self._deadline())
        try:
            body = _json_object(answer.body)
        except ValueError as exc:
            raise _malformed(answer, str(exc)) from None
        return body

    def close(self) -> None:
        """Close the connection pool (and the transport, e.g. an in-process sandbox)."""
        self._exchange.http.close()

    def __enter__(self) -> AdminClient:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc_value: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.close()

    def __repr__(self) -> str:
        return f"AdminClient(base_url={self.base_url!r})"

    def _deadline(self) -> Deadline:
        return Deadline(self._clock, self.deadline_seconds)

    @staticmethod
    def _analytics_params(
        starting_at: datetime,
        ending_at: datetime,
        width: BucketWidth | None,
        group_by: Sequence[str],
        limit: int,
        filters: Mapping[str, Sequence[str]],
    ) -> dict[str, ParamValue]:
        params: dict[str, ParamValue] = {"starting_at": starting_at, "ending_at": ending_at}
        params |= {"time_bucket_width": width, "group_by": list(group_by) or None, "limit": limit}
        return params | {name: list(values) for name, values in filters.items()}

    def _by_report(
        self,
        path: str,
        params: Mapping[str, ParamValue],
        page_model: type[ReportPage[M]],
        headers: Mapping[str, str] | None = None,
    ) -> list[M]:
        base, deadline = encode(params), self._deadline()

        def fetch(cursor: str | None) -> ReportPage[M]:
            return self._fetch(path, base + _cursor("page", cursor), page_model, deadline, headers)

        return pagination.follow_report(f"GET {path}", fetch)

    def _by_ids(self, path: str, params: Mapping[str, ParamValue], page_model: type[IdPage[M]]) -> list[M]:
        base, deadline = encode(params), self._deadline()

        def fetch(after: str | None) -> IdPage[M]:
            return self._fetch(path, base + _cursor("after_id", after), page_model, deadline)

        return pagination.follow_ids(f"GET {path}", fetch)

    def _by_pages(self, path: str, params: Mapping[str, ParamValue]) -> list[RateLimitEntry]:
        base, deadline = encode(params), self._deadline()

        def fetch(cursor: str | None) -> CursorPage[RateLimitEntry]:
            return self._fetch(path, base + _cursor("page", cursor), CursorPage[RateLimitEntry], deadline)

        return pagination.follow_pages(f"GET {path}", fetch)

    def _fetch(
        self,
        path: str,
        params: list[Param],
        model: type[M],
        deadline: Deadline,
        headers: Mapping[str, str] | None = None,
    ) -> M:
        answer = self._exchange.get(path, params, deadline, headers)
        try:
            return model.model_validate_json(answer.body)
        except ValidationError as exc:
            raise _malformed(answer, _validation_reason(exc)) from None


def _cursor(name: str, value: str | None) -> list[Param]:
    return [] if value is None else [(name, value)]


def _json_object(body: bytes) -> dict[str, Any]:
    try:
        value = json.loads(body)
    except ValueError:
        raise ValueError("the body is not valid JSON (truncated?)") from None
    if not isinstance(value, dict):
        raise ValueError(f"expected a JSON object, got {type(value).__name__}")
    return value


def _validation_reason(exc: ValidationError) -> str:
    # Locations and messages only: the offending input values are not repeated.
    first = exc.errors(include_input=False, include_url=False)[0]
    if first["type"] == "json_invalid":
        return f"the body is not valid JSON (truncated?): {first['msg']}"
    location = ".".join(str(part) for part in first["loc"]) or "body"
    more = f" (and {exc.error_count() - 1} more)" if exc.error_count() > 1 else ""
    return f"{location}: {first['msg']}{more}"


def _malformed(answer: Answer, reason: str) -> MalformedResponse:
    return MalformedResponse(answer.what, status=answer.status, message=reason, request_id=answer.request_id)
