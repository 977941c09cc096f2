"""An analytics request's parameters, checked as the SDK 2.17 reference describes them (addendum §1.2).

Rules:
- `starting_at` is required, RFC 3339 with a time zone, inclusive, within the last 365 days and not
  before 2026-01-01T00:00:00Z. `ending_at` is exclusive and required with `time_bucket_width`; without
  it the range ends at the earlier of now and `starting_at` + 31 days. The range spans at most 31 days
  (24 hours with `1m`).
- With `time_bucket_width` (`1m`, `1h`, `1d`) a row is one bucket and one combination of the grouped
  values; the bounds are snapped to the bucket (start down, end up: the sandbox's choice). Without it a
  row covers the whole range, both bounds rounded down to the hour (an empty range has no rows).
- `group_by[]` takes at most 5 of the dimensions (`cost_type` and `token_type`, cost only, do not
  count). `limit` is rows per page, 1–1000, default 20. `order` is `asc` or `desc` (default);
  `order_by` is a metric of the endpoint (default `total_tokens` / `amount`) or `time`, which orders by
  bucket only with buckets and otherwise means the default metric.
- Filters take bracketed lists; enumerated ones refuse unknown values. `inference_geos[]=not_available`
  and an empty `api_key_ids[]=` match null. `models[]` accepts aliases. `exclude_deleted_users` needs
  `group_by[]=actor` (the status is UNCONFIRMED; the sandbox answers 400).
- Every mistake is a 400 `invalid_request_error` naming the parameter; an unknown parameter too.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Final, Literal

from sandbox.api.admin.analytics.dimensions import COST_ONLY, FILTERS, GROUP_DIMENSIONS, MAX_GROUPS
from sandbox.api.errors import invalid_request
from sandbox.api.params import Params, boolean, integer, many, reject_unknown, single
from sandbox.clock import NS_PER_DAY, NS_PER_HOUR, NS_PER_MINUTE, to_ns

Kind = Literal["usage", "cost"]
FLOOR_NS: Final = to_ns(dt.datetime(2026, 1, 1, tzinfo=dt.UTC))
WIDTHS: Final = {"1m": NS_PER_MINUTE, "1h": NS_PER_HOUR, "1d": NS_PER_DAY}
MAX_SPAN_NS: Final = 31 * NS_PER_DAY
MAX_MINUTE_SPAN_NS: Final = NS_PER_DAY
LOOKBACK_NS: Final = 365 * NS_PER_DAY
METRICS: Final = {
    "usage": ("total_tokens", "uncached_input_tokens", "output_tokens", "requests"),
    "cost": ("amount", "list_amount"),
}


@dataclass(frozen=True, slots=True)
class AnalyticsQuery:
    """A checked analytics request."""

    kind: Kind
    start_ns: int
    end_ns: int
    width_ns: int | None
    group_by: tuple[str, ...]  # the dimensions, in the order asked
    cost_split: tuple[str, ...]  # "cost_type" / "token_type" (cost only)
    filters: dict[str, frozenset[str | None]]
    limit: int
    descending: bool
    order_by: str  # a metric, or "time" (only when bucketed)
    page: str | None
    exclude_deleted_users: bool

    def buckets(self) -> list[int]:
        """Start instants of the buckets (one row-span for the whole range without a width)."""
        if self.width_ns is None:
            return [self.start_ns] if self.end_ns > self.start_ns else []
        return list(range(self.start_ns, self.end_ns, self.width_ns))

    def bucket_of(self, at_ns: int) -> int:
        """The bucket start holding `at_ns` (which lies in the range)."""
        if self.width_ns is None:
            return self.start_ns
        return at_ns - (at_ns - self.start_ns) % self.width_ns

    def bucket_end(self, start_ns: int) -> int:
        """Where the bucket starting at `start_ns` ends."""
        return self.end_ns if self.width_ns is None else start_ns + self.width_ns


def parse_query(params: Params, now_ns: int, kind: Kind, canonical: dict[str, str]) -> AnalyticsQuery:
    """The request's parameters, checked; `canonical` maps model aliases to the IDs they bill as."""
    known = {"starting_at", "ending_at", "time_bucket_width", "group_by[]", "limit", "page", "order"}
    known |= {"order_by", "exclude_deleted_users"} | {f"{name}[]" for name in FILTERS}
    reject_unknown(params, known)
    width_name = single(params, "time_bucket_width")
    if width_name is not None and width_name not in WIDTHS:
        raise invalid_request(f"time_bucket_width: must be one of 1m, 1h, 1d, got {width_name!r}")
    width = None if width_name is None else WIDTHS[width_name]
    start, end = _range(params, now_ns, width_name)
    if width is None:
        start, end = start - start % NS_PER_HOUR, end - end % NS_PER_HOUR
    else:
        start, end = start - start % width, -(-end // width) * width
    group_by, split = _group_by(params, kind)
    order = single(params, "order") or "desc"
    if order not in ("asc", "desc"):
        raise invalid_request(f"order: must be asc or desc, got {order!r}")
    order_by = single(params, "order_by") or METRICS[kind][0]
    if order_by not in (*METRICS[kind], "time"):
        raise invalid_request(
            f"order_by: must be one of {', '.join((*METRICS[kind], 'time'))}, got {order_by!r}"
        )
    if order_by == "time" and width is None:
        order_by = METRICS[kind][0]  # documented: without a bucket width, `time` is the default metric
    exclude = boolean(params, "exclude_deleted_users", default=False)
    if exclude and "actor" not in group_by:
        raise invalid_request("exclude_deleted_users: requires group_by[]=actor")
    return AnalyticsQuery(
        kind,
        start,
        end,
        width,
        group_by,
        split,
        _filters(params, canonical),
        integer(params, "limit", default=20, low=1, high=1000),
        order == "desc",
        order_by,
        single(params, "page"),
        exclude,
    )


def _range(params: Params, now_ns: int, width_name: str | None) -> tuple[int, int]:
    start = _instant(params, "starting_at")
    if start < FLOOR_NS:
        raise invalid_request("starting_at: must be no earlier than 2026-01-01T00:00:00Z")
    if start < now_ns - LOOKBACK_NS:
        raise invalid_request("starting_at: must be within the last 365 days")
    if single(params, "ending_at") is None:
        if width_name is not None:
            raise invalid_request("ending_at: required when time_bucket_width is set")
        if start >= now_ns:
            raise invalid_request("starting_at: must be in the past when ending_at is not given")
        end = min(now_ns, start + MAX_SPAN_NS)
    else:
        end = _instant(params, "ending_at")
    if end <= start:
        raise invalid_request("ending_at: must be after starting_at")
    if end - start > MAX_SPAN_NS:
        raise invalid_request("ending_at: the range may span at most 31 days")
    if width_name == "1m" and end - start > MAX_MINUTE_SPAN_NS:
        raise invalid_request('ending_at: with time_bucket_width "1m" the range may span at most 24 hours')
    return start, end


def _instant(params: Params, name: str) -> int:
    text = single(params, name)
    if text is None:
        raise invalid_request(f"{name}: Field required")
    try:
        moment = dt.datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        raise invalid_request(f"{name}: {text!r} is not an RFC 3339 date-time") from None
    if moment.tzinfo is None:
        raise invalid_request(f"{name}: {text!r} needs a time zone, e.g. 2026-11-01T00:00:00Z")
    return to_ns(moment)


def _group_by(params: Params, kind: Kind) -> tuple[tuple[str, ...], tuple[str, ...]]:
    allowed = GROUP_DIMENSIONS + (COST_ONLY if kind == "cost" else ())
    chosen: list[str] = []
    for name in many(params, "group_by"):
        if name not in allowed:
            raise invalid_request(f"group_by: must be among {', '.join(allowed)}, got {name!r}")
        if name not in chosen:
            chosen.append(name)
    dimensions = tuple(name for name in chosen if name not in COST_ONLY)
    if len(dimensions) > MAX_GROUPS:
        raise invalid_request(f"group_by: at most {MAX_GROUPS} dimensions, got {len(dimensions)}")
    return dimensions, tuple(name for name in COST_ONLY if name in chosen)


def _filters(params: Params, canonical: dict[str, str]) -> dict[str, frozenset[str | None]]:
    filters: dict[str, frozenset[str | None]] = {}
    for name, (dimension, allowed) in FILTERS.items():
        values = many(params, name)
        if not values:
            continue
        if allowed is not None:
            for value in values:
                if value not in allowed:
                    raise invalid_request(f"{name}: must be among {', '.join(allowed)}, got {value!r}")
        kept: set[str | None] = set()
        for value in values:
            if (value == "not_available" and dimension == "inference_geo") or value == "":
                kept.add(None)
            else:
                kept.add(canonical.get(value, value) if dimension == "model" else value)
        filters[dimension] = frozenset(kept)
    return filters
