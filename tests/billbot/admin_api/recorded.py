"""Recorded Admin API report responses, served as pages: the documented examples (reference §1.4-1.6).

Each report is two pages: the documented example (`has_more: true`, its `next_page`), then a second
page built from it (the next day, `has_more: false`). Like the real API, a cursor is honoured only
with the query that issued it: a changed query or an unknown cursor gets the documented 400.
"""

from __future__ import annotations

import json
from typing import Any

import httpx

from tests.contract.billbot_admin_examples import CLAUDE_CODE_EXAMPLE, COST_EXAMPLE, USAGE_EXAMPLE

CURSOR = "page_MjAyNS0wNS0xNFQwMDowMDowMFo="


def _next_day(page: dict[str, Any]) -> dict[str, Any]:
    second: dict[str, Any] = json.loads(json.dumps(page))  # a deep copy
    for bucket in second["data"]:
        for field in ("starting_at", "ending_at", "date"):
            if field in bucket:
                day = int(bucket[field][8:10]) + 1
                bucket[field] = f"{bucket[field][:8]}{day:02d}{bucket[field][10:]}"
    second["has_more"], second["next_page"] = False, None
    return second


def _pages(example: str) -> tuple[dict[str, Any], dict[str, Any]]:
    first = json.loads(example)
    first["has_more"], first["next_page"] = True, CURSOR  # the Claude Code example is a last page
    return first, _next_day(first)


PAGES = {
    "/v1/organizations/usage_report/messages": _pages(USAGE_EXAMPLE),
    "/v1/organizations/cost_report": _pages(COST_EXAMPLE),
    "/v1/organizations/usage_report/claude_code": _pages(CLAUDE_CODE_EXAMPLE),
}


class RecordedReports:
    """An httpx handler serving the recorded pages; it keeps the queries it was sent."""

    def __init__(self) -> None:
        self.queries: list[list[tuple[str, str]]] = []
        self._first_query: dict[str, list[tuple[str, str]]] = {}

    def __call__(self, request: httpx.Request) -> httpx.Response:
        params = list(request.url.params.multi_items())
        self.queries.append(params)
        pages = PAGES.get(request.url.path)
        if pages is None:
            return _error(404, "not_found_error", "The requested resource could not be found.")
        query = [(k, v) for k, v in params if k != "page"]
        page = request.url.params.get("page")
        if page is None:
            self._first_query[request.url.path] = query
            return httpx.Response(200, json=pages[0], headers={"request-id": "req_recorded_1"})
        if page != CURSOR or query != self._first_query.get(request.url.path):
            return _error(400, "invalid_request_error", "cursor does not match current query parameters")
        return httpx.Response(200, json=pages[1], headers={"request-id": "req_recorded_2"})


def _error(status: int, error_type: str, message: str) -> httpx.Response:
    body = {
        "type": "error",
        "error": {"type": error_type, "message": message},
        "request_id": "req_recorded_err",
    }
    return httpx.Response(status, json=body, headers={"request-id": "req_recorded_err"})
