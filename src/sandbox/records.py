"""What the world remembers: usage per minute, cost per day, and every request made.

Usage rows carry every dimension the usage report can group by, per UTC minute, so 1m, 1h and 1d
buckets are all exact sums. Cost lines carry what the cost report describes (workspace, description,
model, cost and token type, service tier, context window, geo) per UTC day, in exact dollars: the amount
actually charged, so a billing bug shows up as a difference between the two.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal
from typing import NamedTuple

from sandbox.clock import NS_PER_DAY, NS_PER_MINUTE
from sandbox.tokens import TokenUsage


class UsageDims(NamedTuple):
    """The usage report's dimensions for one row (None where not applicable)."""

    api_key_id: str | None
    workspace_id: str | None
    model: str
    service_tier: str
    context_window: str
    inference_geo: str
    speed: str
    account_id: str | None
    service_account_id: str | None


class CostDims(NamedTuple):
    """The cost report's dimensions for one line."""

    workspace_id: str | None
    description: str
    cost_type: str
    model: str | None
    token_type: str | None
    service_tier: str | None
    context_window: str | None
    inference_geo: str | None


# Counter slots of a usage row.
UNCACHED, CW_5M, CW_1H, CACHE_READ, OUTPUT, WEB_SEARCH, REQUESTS = range(7)


@dataclass(slots=True)
class RequestRecord:
    """One request as the request log keeps it: enough to find and price it later as evidence."""

    request_id: str
    at_ns: int
    api_key_id: str | None
    workspace_id: str | None
    model: str
    status: int
    outcome: str
    usage: TokenUsage | None
    cost: Decimal
    times_charged: int = 0
    stream: bool = False
    interrupted: bool = False


class Records:
    """Usage rows, cost lines and the request log of one world."""

    def __init__(self) -> None:
        self.usage: dict[tuple[int, UsageDims], list[int]] = {}
        self.costs: dict[tuple[int, CostDims], Decimal] = {}
        self.requests: list[RequestRecord] = []
        self._by_id: dict[str, RequestRecord] = {}

    def add_usage(self, at_ns: int, dims: UsageDims, usage: TokenUsage) -> None:
        """Add one request's tokens to its minute row."""
        key = (at_ns - at_ns % NS_PER_MINUTE, dims)
        row = self.usage.get(key)
        if row is None:
            row = self.usage[key] = [0, 0, 0, 0, 0, 0, 0]
        row[UNCACHED] += usage.uncached_input
        row[CW_5M] += usage.cache_write_5m
        row[CW_1H] += usage.cache_write_1h
        row[CACHE_READ] += usage.cache_read
        row[OUTPUT] += usage.output
        row[WEB_SEARCH] += usage.web_search_requests
        row[REQUESTS] += 1

    def add_cost(self, at_ns: int, dims: CostDims, amount: Decimal) -> None:
        """Add a charged amount to its day's cost line."""
        key = (at_ns - at_ns % NS_PER_DAY, dims)
        self.costs[key] = self.costs.get(key, Decimal(0)) + amount

    def log(self, record: RequestRecord) -> None:
        """Keep a request in the log."""
        self.requests.append(record)
        self._by_id[record.request_id] = record

    def find(self, request_id: str) -> RequestRecord | None:
        """Look a request up by its `request-id`."""
        return self._by_id.get(request_id)

    def usage_rows(self, start_ns: int, end_ns: int) -> Iterator[tuple[int, UsageDims, list[int]]]:
        """Usage rows whose minute starts within `[start_ns, end_ns)`."""
        for (minute, dims), row in self.usage.items():
            if start_ns <= minute < end_ns:
                yield minute, dims, row

    def cost_lines(self, start_ns: int, end_ns: int) -> Iterator[tuple[int, CostDims, Decimal]]:
        """Cost lines whose day starts within `[start_ns, end_ns)`."""
        for (day, dims), amount in self.costs.items():
            if start_ns <= day < end_ns:
                yield day, dims, amount

    def total_cost(self) -> Decimal:
        """Everything charged, in dollars."""
        return sum(self.costs.values(), Decimal(0))
