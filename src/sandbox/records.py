"""What the world remembers: usage per minute, cost per day, and every request made.

Usage rows carry every dimension the usage report can group by, per UTC minute, so 1m, 1h and 1d
buckets are all exact sums. Cost lines carry what the cost report describes (workspace, description,
model, cost and token type, service tier, context window, geo) per UTC day, in exact dollars: the amount
actually charged, so a billing bug shows up as a difference between the two.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from decimal import Decimal
from typing import NamedTuple

from sandbox.clock import NS_PER_DAY, NS_PER_MINUTE
from sandbox.messages import Outcome
from sandbox.tokens import TOKEN_TYPES, TokenUsage


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
    speed: str | None = None


class ChargeDims(NamedTuple):
    """What a charge is kept by per day; it expands into one cost line per token type."""

    workspace_id: str | None
    model: str
    service_tier: str
    context_window: str
    inference_geo: str
    speed: str = "standard"


# The cost report's description of a model's token type, e.g. "Claude Opus 5 Usage - Input Tokens".
Describe = Callable[[str, str], str]
# Slots of a charge row: the token types in `TOKEN_TYPES` order, then web search.
CHARGE_SLOTS = len(TOKEN_TYPES) + 1
_WEB_SEARCH_SLOT = len(TOKEN_TYPES)

# Counter slots of a usage row.
UNCACHED, CW_5M, CW_1H, CACHE_READ, OUTPUT, WEB_SEARCH, REQUESTS = range(7)


class Records:
    """Usage rows, cost lines and the request log of one world."""

    def __init__(self, describe: Describe) -> None:
        self.usage: dict[tuple[int, UsageDims], list[int]] = {}
        self.costs: dict[tuple[int, CostDims], Decimal] = {}
        # Charges stay compact on the hot path (one row per request shape and day) and are
        # expanded into the cost report's lines only when someone reads them.
        self.charges: dict[tuple[int, ChargeDims], list[Decimal]] = {}
        self._describe = describe
        self.requests: list[Outcome] = []
        self._by_id: dict[str, Outcome] = {}

    def add_usage(self, at_ns: int, dims: UsageDims, usage: TokenUsage) -> None:
        """Add one request's tokens to its minute row."""
        key = (at_ns - at_ns % NS_PER_MINUTE, dims)
        row = self.usage.get(key)
        if row is None:
            row = self.usage[key] = [0, 0, 0, 0, 0, 0, 0]
        uncached, write_5m, write_1h, read, output, search = usage  # a named tuple: unpacked at once
        row[UNCACHED] += uncached
        row[CW_5M] += write_5m
        row[CW_1H] += write_1h
        row[CACHE_READ] += read
        row[OUTPUT] += output
        row[WEB_SEARCH] += search
        row[REQUESTS] += 1

    def add_cost(self, at_ns: int, dims: CostDims, amount: Decimal) -> None:
        """Add a charged amount to its day's cost line."""
        key = (at_ns - at_ns % NS_PER_DAY, dims)
        self.costs[key] = self.costs.get(key, Decimal(0)) + amount

    def add_charge(self, at_ns: int, dims: ChargeDims, amounts: tuple[Decimal, ...]) -> None:
        """Add one request's charged amounts (token types in order, then web search) to its day."""
        key = (at_ns - at_ns % NS_PER_DAY, dims)
        row = self.charges.get(key)
        if row is None:
            self.charges[key] = list(amounts)
            return
        # Unrolled (six slots, in `CHARGE_SLOTS` order): this runs once per served request.
        uncached, write_5m, write_1h, read, output, search = amounts
        if uncached:
            row[0] += uncached
        if write_5m:
            row[1] += write_5m
        if write_1h:
            row[2] += write_1h
        if read:
            row[3] += read
        if output:
            row[4] += output
        if search:
            row[5] += search

    def log(self, record: Outcome) -> None:
        """Keep a request's outcome in the log."""
        self.requests.append(record)
        self._by_id[record.request_id] = record

    def find(self, request_id: str) -> Outcome | None:
        """Look a request up by its `request-id`."""
        return self._by_id.get(request_id)

    def usage_rows(self, start_ns: int, end_ns: int) -> Iterator[tuple[int, UsageDims, list[int]]]:
        """Usage rows whose minute starts within `[start_ns, end_ns)`."""
        for (minute, dims), row in self.usage.items():
            if start_ns <= minute < end_ns:
                yield minute, dims, row

    def cost_lines(self, start_ns: int, end_ns: int) -> Iterator[tuple[int, CostDims, Decimal]]:
        """Non-zero cost lines whose day starts within `[start_ns, end_ns)`."""
        lines = {key: amount for key, amount in self.costs.items() if start_ns <= key[0] < end_ns}
        for (day, dims), row in self.charges.items():
            if start_ns <= day < end_ns:
                for line, amount in self._expand(dims, row):
                    lines[day, line] = lines.get((day, line), Decimal(0)) + amount
        for (day, line), amount in lines.items():
            if amount:
                yield day, line, amount

    def total_cost(self) -> Decimal:
        """Everything charged, in dollars."""
        charged = sum((sum(row, Decimal(0)) for row in self.charges.values()), Decimal(0))
        return sum(self.costs.values(), charged)

    def _expand(self, dims: ChargeDims, row: list[Decimal]) -> Iterator[tuple[CostDims, Decimal]]:
        workspace, model, tier, window, geo, speed = dims
        for token_type, amount in zip(TOKEN_TYPES, row, strict=False):
            if amount:
                description = self._describe(model, token_type)
                line = CostDims(workspace, description, "tokens", model, token_type, tier, window, geo, speed)
                yield line, amount
        if row[_WEB_SEARCH_SLOT]:
            web = CostDims(workspace, "Web Search Usage", "web_search", None, None, None, None, None)
            yield web, row[_WEB_SEARCH_SLOT]
