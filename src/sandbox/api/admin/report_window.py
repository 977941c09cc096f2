"""The time window and paging of an Admin API report: buckets, snapping, limits and bound cursors.

Rules (Anthropic's Usage and Cost API, https://platform.claude.com/docs/en/manage-claude/usage-cost-api):
- `starting_at` (required, RFC 3339) is snapped down to its bucket in UTC; `ending_at` (optional) is
  exclusive and snapped up; without it the report runs to the bucket holding "now".
- `limit` is the number of buckets per page: 1d default 7 (max 31), 1h 24 (168), 1m 60 (1440).
- `next_page` is an opaque `page_…` cursor holding the next bucket's start and a digest of the query
  (every parameter but `page`): reusing it with other parameters is a 400, as the real API does.
"""

from __future__ import annotations

import base64
import hashlib
import json
from dataclasses import dataclass
from datetime import datetime

from sandbox.api.errors import invalid_request
from sandbox.api.params import Params, integer, single
from sandbox.clock import NS_PER_DAY, NS_PER_HOUR, NS_PER_MINUTE, rfc3339, to_ns

WIDTHS = {"1m": NS_PER_MINUTE, "1h": NS_PER_HOUR, "1d": NS_PER_DAY}
LIMITS = {"1m": (60, 1440), "1h": (24, 168), "1d": (7, 31)}
CURSOR_MISMATCH = "cursor does not match current query parameters"


@dataclass(frozen=True, slots=True)
class Window:
    """One page of buckets: `[page_start, page_end)` in steps of `width_ns`, and what follows."""

    width_ns: int
    page_start: int
    page_end: int
    end: int
    digest: str

    def buckets(self) -> list[int]:
        """Start instants of this page's buckets, oldest first."""
        return list(range(self.page_start, self.page_end, self.width_ns))

    def paging(self) -> dict[str, object]:
        """`has_more` and `next_page` for the response."""
        if self.page_end >= self.end:
            return {"has_more": False, "next_page": None}
        return {"has_more": True, "next_page": _encode(self.page_end, self.digest)}


def window(params: Params, now_ns: int, *, widths: tuple[str, ...] = ("1m", "1h", "1d")) -> Window:
    """The page a report request asks for."""
    width_name = single(params, "bucket_width") or "1d"
    if width_name not in widths:
        raise invalid_request(f"bucket_width: must be one of {', '.join(widths)}, got {width_name!r}")
    width = WIDTHS[width_name]
    default, maximum = LIMITS[width_name]
    limit = integer(params, "limit", default=default, low=1, high=maximum)
    start = _snap_down(_instant(params, "starting_at", required=True), width)
    ending = single(params, "ending_at")
    end = -(-_instant(params, "ending_at") // width) * width if ending else _snap_down(now_ns, width) + width
    if end <= start:
        raise invalid_request("ending_at: must be after starting_at")
    digest = _digest(params)
    page = single(params, "page")
    page_start = start if page is None else _decode(page, digest, start, end)
    return Window(width, page_start, min(end, page_start + limit * width), end, digest)


def bucket_times(start_ns: int, width_ns: int) -> dict[str, str]:
    """A bucket's `starting_at` and `ending_at`."""
    return {"starting_at": rfc3339(start_ns), "ending_at": rfc3339(start_ns + width_ns)}


def page_cursor(position: int, params: Params) -> str:
    """A cursor for `position` (a bucket start or an offset), bound to this query."""
    return _encode(position, _digest(params))


def page_position(cursor: str, params: Params, low: int, high: int) -> int:
    """The position a cursor holds, checked against this query and `[low, high)`."""
    return _decode(cursor, _digest(params), low, high)


def _instant(params: Params, name: str, *, required: bool = False) -> int:
    text = single(params, name)
    if text is None:
        if required:
            raise invalid_request(f"{name}: Field required")
        return 0
    try:
        moment = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        raise invalid_request(f"{name}: {text!r} is not an RFC 3339 date-time") from None
    if moment.tzinfo is None:
        raise invalid_request(f"{name}: {text!r} needs a time zone, e.g. 2026-11-01T00:00:00Z")
    return to_ns(moment)


def _snap_down(ns: int, width: int) -> int:
    return ns - ns % width


def _digest(params: Params) -> str:
    query = sorted((key, value) for key, value in params if key != "page")
    return hashlib.sha256(json.dumps(query).encode()).hexdigest()[:16]


def _encode(next_start: int, digest: str) -> str:
    payload = json.dumps({"s": next_start, "q": digest}, separators=(",", ":")).encode()
    return "page_" + base64.urlsafe_b64encode(payload).decode().rstrip("=")


def _decode(cursor: str, digest: str, start: int, end: int) -> int:
    try:
        raw = cursor.removeprefix("page_")
        payload = json.loads(base64.urlsafe_b64decode(raw + "=" * (-len(raw) % 4)))
        position, bound = int(payload["s"]), str(payload["q"])
    except (ValueError, KeyError, TypeError):
        raise invalid_request("page: not a cursor this API issued") from None
    if bound != digest or not start <= position < end:
        raise invalid_request(CURSOR_MISMATCH)
    return position
