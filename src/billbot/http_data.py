"""`BillingData` over the Admin API wire: Anthropic, a sandbox at a URL, or the embedded sandbox.

It reads the cost and usage reports (following `next_page` to the end: a partial result is never
returned as complete), API keys and workspaces (id cursors), the Rate Limits API, and — for a sandbox
only — `/sandbox/v1/state` for the simulated balance and limits. Money arrives as cents strings and
leaves as Decimal dollars. Transport errors are the caller's to map (see `billbot.terminal.ask`).
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

import httpx

from billbot.core.balance import Purchase
from billbot.core.entries import CostEntry, UsageEntry
from billbot.core.limits import RateLimitGroup
from billbot.data import BucketWidth, MonthlyLimits, SimulatedBalance

MAX_PAGES = 1000
REPORT_LIMITS = {"1m": 1440, "1h": 168, "1d": 31}


class IncompleteReport(RuntimeError):
    """A report whose pages did not all arrive (more than MAX_PAGES, or a page without a cursor)."""


class HttpBillingData:
    """Reads billing data from an Admin API (real or simulated) through an httpx client."""

    def __init__(self, client: httpx.Client, label: str, *, sandbox: bool) -> None:
        self.client = client
        self.label = label
        self.sandbox = sandbox

    def costs(self, start: datetime, end: datetime, group_by: Sequence[str]) -> list[CostEntry]:
        """Daily cost entries within `[start, end)`."""
        params = self._window(start, end, "1d", group_by)
        entries = []
        for bucket in self._report("/v1/organizations/cost_report", params):
            day = _time(bucket["starting_at"])
            for row in bucket["results"]:
                entries.append(
                    CostEntry(
                        day,
                        Decimal(row["amount"]) / 100,
                        row.get("workspace_id"),
                        row.get("description"),
                        row.get("model"),
                        row.get("token_type"),
                        row.get("cost_type"),
                    )
                )
        return entries

    def usage(
        self, start: datetime, end: datetime, width: BucketWidth, group_by: Sequence[str]
    ) -> list[UsageEntry]:
        """Usage entries of `width` buckets within `[start, end)`."""
        if end <= start:
            return []
        entries = []
        for bucket in self._report(
            "/v1/organizations/usage_report/messages", self._window(start, end, width, group_by)
        ):
            begin, finish = _time(bucket["starting_at"]), _time(bucket["ending_at"])
            for row in bucket["results"]:
                cache = row.get("cache_creation") or {}
                entries.append(
                    UsageEntry(
                        begin,
                        finish,
                        row["uncached_input_tokens"],
                        cache.get("ephemeral_5m_input_tokens", 0),
                        cache.get("ephemeral_1h_input_tokens", 0),
                        row["cache_read_input_tokens"],
                        row["output_tokens"],
                        (row.get("server_tool_use") or {}).get("web_search_requests", 0),
                        row.get("api_key_id"),
                        row.get("workspace_id"),
                        row.get("model"),
                        row.get("service_tier"),
                        row.get("context_window"),
                        row.get("inference_geo"),
                    )
                )
        return entries

    def workspace_names(self) -> dict[str, str]:
        """Workspace id → name."""
        return {w["id"]: w["name"] for w in self._listing("/v1/organizations/workspaces")}

    def key_names(self) -> dict[str, str]:
        """API key id → name."""
        return {k["id"]: k["name"] for k in self._listing("/v1/organizations/api_keys")}

    def rate_limit_groups(self) -> list[RateLimitGroup]:
        """Model groups with their per-minute limits."""
        body = self._get("/v1/organizations/rate_limits", [])
        groups = []
        for entry in body["data"]:
            if entry.get("group_type", (entry.get("group") or {}).get("type")) != "model_group":
                continue
            limits = {limit["type"]: limit["value"] for limit in entry["limits"]}
            name = (entry.get("group") or {}).get("display_name") or ", ".join(entry.get("models") or [])
            groups.append(
                RateLimitGroup(
                    name,
                    tuple(entry.get("models") or ()),
                    limits.get("requests_per_minute"),
                    limits.get("input_tokens_per_minute"),
                    limits.get("output_tokens_per_minute"),
                )
            )
        return groups

    def monthly_limits(self) -> MonthlyLimits | None:
        """A sandbox reports its tier and limits; for Anthropic the store's record is used instead."""
        if not self.sandbox:
            return None
        state = self._get("/sandbox/v1/state", [])
        workspaces = {
            wid: Decimal(item["limit_usd"])
            for wid, item in state["spend_limits"]["workspaces"].items()
            if item["limit_usd"] is not None
        }
        org = state["spend_limits"]["organization"]["limit_usd"]
        cap = state["tier"]["monthly_cap"]
        return MonthlyLimits(
            state["tier"]["name"],
            None if cap is None else Decimal(cap),
            None if org is None else Decimal(org),
            workspaces,
        )

    def simulated_balance(self) -> SimulatedBalance | None:
        """A sandbox's exact balance and lots; None for Anthropic."""
        if not self.sandbox:
            return None
        state = self._get("/sandbox/v1/state", [])
        balance = state["balance"]
        lots = tuple(
            Purchase(Decimal(lot["original_usd"]), _time(lot["granted_at"]))
            for lot in balance["lots"]
            if lot["kind"] == "purchased"
        )
        reload = state["auto_reload"]
        threshold = Decimal(reload["minimum_usd"]) if reload["enabled"] else None
        return SimulatedBalance(Decimal(balance["balance_usd"]), lots, threshold)

    def _window(
        self, start: datetime, end: datetime, width: str, group_by: Sequence[str]
    ) -> list[tuple[str, str]]:
        params = [("starting_at", _rfc3339(start)), ("ending_at", _rfc3339(end)), ("bucket_width", width)]
        params.append(("limit", str(REPORT_LIMITS[width])))
        return params + [("group_by[]", name) for name in group_by]

    def _report(self, path: str, params: list[tuple[str, str]]) -> Iterator[dict[str, Any]]:
        page: str | None = None
        for _ in range(MAX_PAGES):
            body = self._get(path, params + ([("page", page)] if page else []))
            yield from body["data"]
            if not body.get("has_more"):
                return
            page = body.get("next_page")
            if not page:
                raise IncompleteReport(f"{path}: has_more without a next_page")
        raise IncompleteReport(f"{path}: more than {MAX_PAGES} pages")

    def _listing(self, path: str) -> Iterator[dict[str, Any]]:
        after: str | None = None
        for _ in range(MAX_PAGES):
            body = self._get(path, [("limit", "1000")] + ([("after_id", after)] if after else []))
            yield from body["data"]
            if not body.get("has_more"):
                return
            after = body["last_id"]
        raise IncompleteReport(f"{path}: more than {MAX_PAGES} pages")

    def _get(self, path: str, params: list[tuple[str, str]]) -> dict[str, Any]:
        response = self.client.get(path, params=tuple(params))
        response.raise_for_status()
        body: dict[str, Any] = response.json()
        return body


def _time(text: str) -> datetime:
    return datetime.fromisoformat(text.replace("Z", "+00:00"))


def _rfc3339(moment: datetime) -> str:
    # Full precision: a window of a few microseconds (just after midnight) must not collapse to nothing.
    return moment.astimezone(UTC).isoformat().replace("+00:00", "Z")
