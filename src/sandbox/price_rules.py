"""One model's entry in the price list, and the dated rules that say which rates are in force on a day.

Days are counted as whole UTC days since 1970-01-01 (`day_number`), so the engine turns its clock's
nanoseconds into a day with one division. A rule is in force on days `from <= day < until` (no `until`:
still in force; no `from`: since the model's release). `None` for the day means "today's rules": every
rule that has no end date, whatever its start (the view billbot's estimates take).

Rules:
- Rate changes (`rate_changes`) replace the named rates from their date, in date order; a rate not
  named keeps its earlier value. Sonnet 5.5's cache read is $0.20 until 2026-10-06 and $0.10 from
  2026-10-07.
- Long-context rules switch every token of a request to their rates above their threshold, the highest
  threshold in force winning.
- Fast mode multiplies every token rate (after long context, with batch and US inference stacking) while
  a fast-mode rule is in force. After a rule ends, fast requests are refused (`after = "refuse"`) or
  served at standard speed and price (`after = "standard"`), as the reference says per model.
- A model is retired from its `retires` date on: the API answers 404 as for an unknown model.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import Literal

from sandbox import tokens
from sandbox.pricing_errors import UnknownTokenTypeError

EPOCH_DATE = dt.date(1970, 1, 1)
WEB_SEARCH = "web_search"
_DESCRIPTION_SUFFIX = {
    tokens.UNCACHED_INPUT: "Input Tokens",
    tokens.OUTPUT: "Output Tokens",
    tokens.CACHE_READ: "Cache Read Tokens",
    tokens.CACHE_WRITE_5M: "Cache Write (5m) Tokens",
    tokens.CACHE_WRITE_1H: "Cache Write (1h) Tokens",
}
AfterFast = Literal["refuse", "standard"]


def day_number(on: dt.date) -> int:
    """Whole UTC days from 1970-01-01 to `on`."""
    return (on - EPOCH_DATE).days


def day_date(day: int) -> dt.date:
    """The date of a day number."""
    return EPOCH_DATE + dt.timedelta(days=day)


@dataclass(frozen=True, slots=True)
class Rates:
    """Dollars per million tokens, by token type."""

    input: Decimal
    cache_write_5m: Decimal
    cache_write_1h: Decimal
    cache_read: Decimal
    output: Decimal

    def scaled(self, factor: Decimal) -> Rates:
        """The same rates multiplied by `factor`."""
        return Rates(*(rate * factor for rate in self.as_tuple()))

    def as_tuple(self) -> tuple[Decimal, Decimal, Decimal, Decimal, Decimal]:
        """Rates in the order of `tokens.TOKEN_TYPES`."""
        return (self.input, self.cache_write_5m, self.cache_write_1h, self.cache_read, self.output)


@dataclass(frozen=True, slots=True)
class Dated:
    """When a rule is in force: `[valid_from, until)`, as dates; None = open on that side."""

    valid_from: dt.date | None
    until: dt.date | None

    def in_force(self, day: int | None) -> bool:
        """Whether the rule applies on day number `day` (None: today's rules, i.e. no end date)."""
        if day is None:
            return self.until is None
        if self.valid_from is not None and day < day_number(self.valid_from):
            return False
        return self.until is None or day < day_number(self.until)

    def ended(self, day: int | None) -> bool:
        """Whether the rule has an end date on or before `day`."""
        return self.until is not None and day is not None and day >= day_number(self.until)


@dataclass(frozen=True, slots=True)
class LongContextRule:
    """Above `threshold` total input tokens, while in force, every token uses `rates`."""

    threshold: int
    when: Dated
    rates: Rates
    source: str
    as_of: dt.date | None
    note: str

    @property
    def valid_from(self) -> dt.date | None:
        """The first day the rule applies."""
        return self.when.valid_from

    @property
    def until(self) -> dt.date | None:
        """The first day it no longer applies (None: still in force)."""
        return self.when.until

    def in_force(self, on: dt.date | None) -> bool:
        """Whether the rule applies on `on` (None: today's rules, i.e. rules with no end date)."""
        return self.when.in_force(None if on is None else day_number(on))


@dataclass(frozen=True, slots=True)
class RateChange:
    """From `when.valid_from`, the named rates (a partial set) replace the earlier ones."""

    when: Dated
    changes: dict[str, Decimal]
    source: str
    as_of: dt.date
    note: str


@dataclass(frozen=True, slots=True)
class FastMode:
    """Fast mode (`speed: "fast"`) at `multiplier` × every token rate while in force."""

    when: Dated
    multiplier: Decimal
    after: AfterFast
    requires_beta: bool
    source: str
    as_of: dt.date
    note: str


@dataclass(frozen=True, slots=True)
class Lifecycle:
    """Deprecation and retirement dates (Anthropic's own platform; Bedrock and Google Cloud differ)."""

    deprecated: dt.date | None
    retires: dt.date | None
    source: str
    note: str

    def retired(self, day: int | None) -> bool:
        """Whether the model is refused on day number `day` (never for "today's rules")."""
        return self.retires is not None and day is not None and day >= day_number(self.retires)


@dataclass(frozen=True, slots=True)
class ContextLimits:
    """The context window and output ceiling; `extended_window` with the `extended_beta` header."""

    window: int
    max_output: int
    extended_window: int | None
    extended_beta: str | None
    source: str


@dataclass(frozen=True, slots=True)
class ModelPrice:
    """One model's entry in the price list, with every dated rule it has."""

    id: str
    display_name: str
    rate_limit_class: str
    aliases: tuple[str, ...]
    batch_multiplier: Decimal | None
    us_inference: bool
    rates: Rates
    long_context: tuple[LongContextRule, ...]
    source: str
    as_of: dt.date
    note: str
    released: dt.date | None
    rate_changes: tuple[RateChange, ...] = ()
    fast_modes: tuple[FastMode, ...] = ()
    lifecycle: Lifecycle | None = None
    context: ContextLimits | None = None
    batch_source: str = ""
    batch_as_of: dt.date | None = None

    @property
    def batch_available(self) -> bool:
        """Whether the Batch API prices this model."""
        return self.batch_multiplier is not None

    @property
    def inference_geo_supported(self) -> bool:
        """Whether `inference_geo` may be sent (Claude 4.6 and later; the same models US pricing names)."""
        return self.us_inference

    def description(self, token_type: str) -> str:
        """The cost report's `description` for a token type, e.g. "Claude Opus 5 Usage - Input Tokens"."""
        if token_type == WEB_SEARCH:
            return "Web Search Usage"
        suffix = _DESCRIPTION_SUFFIX.get(token_type)
        if suffix is None:
            raise UnknownTokenTypeError(token_type)
        return f"{self.display_name} Usage - {suffix}"

    def rule_for(self, total_input: int, on: dt.date | None) -> int:
        """Index of the long-context rule that prices this prompt size on `on`, or -1 for the base rates."""
        for index, rule in enumerate(self.long_context):
            if total_input > rule.threshold and rule.in_force(on):
                return index
        return -1

    def rates_on(self, day: int | None) -> Rates:
        """The base rates in force on day `day`: the entry's rates with every change up to it applied."""
        rates = self.rates
        for change in self.rate_changes:
            if change.when.in_force(day):
                values = {name: change.changes.get(name, getattr(rates, name)) for name in Rates.__slots__}
                rates = Rates(**values)
        return rates

    def long_context_on(self, day: int | None) -> tuple[LongContextRule, ...]:
        """The long-context rules in force on `day`, highest threshold first."""
        return tuple(rule for rule in self.long_context if rule.when.in_force(day))

    def fast_on(self, day: int | None) -> FastMode | None:
        """The fast-mode rule in force on `day`, if any."""
        for rule in self.fast_modes:
            if rule.when.in_force(day):
                return rule
        return None

    def fast_falls_back(self, day: int | None) -> bool:
        """Whether a fast request on `day` is served at standard speed (its rule ended that way)."""
        return any(rule.when.ended(day) and rule.after == "standard" for rule in self.fast_modes)

    def retired_on(self, day: int | None) -> bool:
        """Whether the API refuses this model on `day`."""
        return self.lifecycle is not None and self.lifecycle.retired(day)

    def window_for(self, extended: bool) -> int | None:
        """The context window in tokens (the extended one when asked and offered); None if unknown."""
        if self.context is None:
            return None
        if extended and self.context.extended_window is not None:
            return self.context.extended_window
        return self.context.window
