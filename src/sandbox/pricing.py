"""The Claude API price list, loaded from `data/prices.toml`, and the exact cost of one request.

A `PriceList` resolves a model ID (or alias) to its `ModelPrice` and prices a `TokenUsage` into a `Cost`:
Decimal dollars per token type, web search and the total. `dated(model, day)` is the model as priced on one
UTC day (a `DatedPrice`, kept per model and day), which caches per-token rates per (service tier,
inference geo, long-context band, speed): the engine's hot path costs one lookup more than an undated one.

Rules:
- Rates in the file are USD per million tokens, written as decimal strings; a float, a negative rate or an
  unknown key fails the load with `PriceFileError` naming the entry and the field.
- Unknown model IDs raise `UnknownModelError`; nothing is ever priced at $0 by default. A trailing `[1m]` on
  any known ID or alias resolves to the same entry (it selects a context window, not a price).
- Long-context rules compare total input (uncached + both cache writes + cache reads) with `threshold`
  strictly: `total_input > threshold` switches ALL tokens of the request to the rule's rates, so exactly
  100,000 (Haiku 5.5) or 200,000 (historic premium) prompt tokens stay at the base rates.
- Rules are dated (`sandbox.price_rules`): rate changes, long-context rules and fast mode are in force on
  dates `from <= on < until` (`until` absent = still in force). A request is priced by the rules in force
  on its UTC day; with `on=None` only rules without `until` apply ("current rules").
- Fast mode (`speed="fast"`) multiplies every token rate by the rule's multiplier while a rule is in
  force; otherwise, or on the Batch API, it raises `FastModeUnavailableError`.
- `context_window` is "200k-1M" when total input > 200,000, else "0-200k", for every model.
- Batch multiplies every token rate (input, output and both cache writes and reads) by the entry's
  `batch_multiplier`; a model without one raises `BatchUnavailableError`. US-only inference multiplies every
  token rate by 1.1 on models marked `us_inference` (Claude 4.6 and later); other models accept
  `inference_geo="us"` at 1x. Batch, US and long-context rates stack multiplicatively.
- When several long-context rules apply, the one with the highest threshold wins.
- Web search costs `per_1000_requests / 1000` per request, with no batch, US or long-context multiplier.
"""

from __future__ import annotations

import datetime as dt
import functools
from dataclasses import dataclass
from decimal import Decimal
from importlib import resources
from pathlib import Path

from sandbox import tokens
from sandbox.money import MILLION, ZERO
from sandbox.price_file import PriceFile, parse_price_file
from sandbox.price_rules import (
    WEB_SEARCH,
    FastMode,
    LongContextRule,
    ModelPrice,
    RateChange,
    Rates,
    day_number,
)
from sandbox.pricing_errors import (
    INFERENCE_GEOS,
    SERVICE_TIERS,
    SPEEDS,
    BatchUnavailableError,
    FastModeUnavailableError,
    PriceFileError,
    PricingError,
    UnknownInferenceGeoError,
    UnknownModelError,
    UnknownServiceTierError,
    UnknownSpeedError,
    UnknownTokenTypeError,
)
from sandbox.tokens import TokenUsage

__all__ = [
    "CONTEXT_THRESHOLD",
    "INFERENCE_GEOS",
    "ONE_M_SUFFIX",
    "SERVICE_TIERS",
    "SPEEDS",
    "WEB_SEARCH",
    "BatchUnavailableError",
    "Cost",
    "DatedPrice",
    "FastMode",
    "FastModeUnavailableError",
    "LongContextRule",
    "ModelPrice",
    "PriceFileError",
    "PriceList",
    "PricedAmounts",
    "PricingError",
    "RateChange",
    "Rates",
    "UnknownInferenceGeoError",
    "UnknownModelError",
    "UnknownServiceTierError",
    "UnknownSpeedError",
    "UnknownTokenTypeError",
]

ONE_M_SUFFIX = "[1m]"
CONTEXT_THRESHOLD = 200_000


@dataclass(frozen=True, slots=True)
class Cost:
    """The exact dollar cost of one request, by token type."""

    uncached_input: Decimal
    cache_write_5m: Decimal
    cache_write_1h: Decimal
    cache_read: Decimal
    output: Decimal
    web_search: Decimal
    total: Decimal
    context_window: str

    def by_token_type(self) -> dict[str, Decimal]:
        """Non-zero token costs keyed by the cost report's `token_type` names (web search excluded)."""
        amounts = (
            self.uncached_input,
            self.cache_write_5m,
            self.cache_write_1h,
            self.cache_read,
            self.output,
        )
        return {name: amount for name, amount in zip(tokens.TOKEN_TYPES, amounts, strict=True) if amount}


_PerToken = tuple[Decimal, Decimal, Decimal, Decimal, Decimal]
# `PriceList.amounts`: per-type amounts (token types in `TOKEN_TYPES` order, then web search), the total
# and the context window.
PricedAmounts = tuple[tuple[Decimal, Decimal, Decimal, Decimal, Decimal, Decimal], Decimal, str]


class DatedPrice:
    """One model as priced on one UTC day (None: today's rules), with its per-token rates cached."""

    __slots__ = (
        "_per_token",
        "_us",
        "_web_search",
        "day",
        "extended_window",
        "fast",
        "fast_falls_back",
        "long_context",
        "max_output",
        "model",
        "rates",
        "retired",
        "window",
    )

    def __init__(
        self,
        model: ModelPrice,
        day: int | None,
        us_multiplier: Decimal,
        web_search: Decimal,
        *,
        extended: bool = False,
    ) -> None:
        self.model = model
        self.day = day
        # The context window (None: not recorded), the extended one a beta header selects, max output.
        self.window = model.window_for(extended)
        self.extended_window = model.window_for(True)
        self.max_output = model.context.max_output if model.context is not None else None
        self.rates = model.rates_on(day)
        # (threshold, rates) in force, highest threshold first.
        self.long_context = tuple((rule.threshold, rule.rates) for rule in model.long_context_on(day))
        self.fast: FastMode | None = model.fast_on(day)
        self.fast_falls_back = model.fast_falls_back(day)
        self.retired = model.retired_on(day)
        self._us = us_multiplier
        self._web_search = web_search
        self._per_token: dict[tuple[str, str, int, str], _PerToken] = {}

    def band(self, total_input: int) -> int:
        """Index of the long-context rule pricing a prompt of `total_input` tokens, -1 for the base rates."""
        for index, (threshold, _) in enumerate(self.long_context):
            if total_input > threshold:
                return index
        return -1

    def amounts(
        self,
        usage: TokenUsage,
        service_tier: str = "standard",
        inference_geo: str = "global",
        speed: str = "standard",
    ) -> PricedAmounts:
        """Per-type amounts (token types, then web search), the total and the context window."""
        # Unpacked once: a usage is a named tuple, and unpacking is cheaper than six attribute reads.
        n_input, n_5m, n_1h, n_read, n_output, n_search = usage
        total_input = n_input + n_5m + n_1h + n_read
        band = self.band(total_input) if self.long_context else -1
        key = (service_tier, inference_geo, band, speed)
        per_token = self._per_token.get(key)
        if per_token is None:
            per_token = self._per_token[key] = self._rates_for(service_tier, inference_geo, band, speed)
        # Zero counts stay exactly ZERO so reports show no spurious `0E-12` amounts.
        p_in, p_5m, p_1h, p_read, p_out = per_token
        uncached = p_in * n_input if n_input else ZERO
        write_5m = p_5m * n_5m if n_5m else ZERO
        write_1h = p_1h * n_1h if n_1h else ZERO
        read = p_read * n_read if n_read else ZERO
        output = p_out * n_output if n_output else ZERO
        search = self._web_search * n_search if n_search else ZERO
        return (
            (uncached, write_5m, write_1h, read, output, search),
            uncached + write_5m + write_1h + read + output + search,
            "200k-1M" if total_input > CONTEXT_THRESHOLD else "0-200k",
        )

    def _rates_for(self, service_tier: str, inference_geo: str, band: int, speed: str) -> _PerToken:
        model = self.model
        rates = self.rates if band < 0 else self.long_context[band][1]
        factor = Decimal(1) / MILLION
        if service_tier == "batch":
            if model.batch_multiplier is None:
                raise BatchUnavailableError(model.id)
            factor *= model.batch_multiplier
        elif service_tier != "standard":
            raise UnknownServiceTierError(service_tier)
        if inference_geo not in INFERENCE_GEOS:
            raise UnknownInferenceGeoError(inference_geo)
        if inference_geo == "us" and model.us_inference:
            factor *= self._us
        if speed == "fast":
            if service_tier == "batch":
                raise FastModeUnavailableError(model.id, "fast mode is not available on the Batch API")
            if self.fast is None:
                raise FastModeUnavailableError(model.id, "no fast-mode price in force on this date")
            factor *= self.fast.multiplier
        elif speed != "standard":
            raise UnknownSpeedError(speed)
        return rates.scaled(factor).as_tuple()


class PriceList:
    """Every model's prices, by canonical ID and alias, with each model's dated view cached per day."""

    def __init__(
        self,
        models: list[ModelPrice],
        web_search_per_1000: Decimal,
        us_multiplier: Decimal,
        *,
        sources: dict[str, tuple[str, dt.date]] | None = None,
    ) -> None:
        self.models: dict[str, ModelPrice] = {model.id: model for model in models}
        self.web_search_per_1000 = web_search_per_1000
        self.web_search_per_request = web_search_per_1000 / 1000
        self.us_multiplier = us_multiplier
        # Where the web-search and US-inference figures come from: name -> (source, as of).
        self.sources = sources or {}
        self._lookup: dict[str, ModelPrice] = {}
        for model in models:
            for name in (model.id, *model.aliases):
                self._lookup[name] = self._lookup[name + ONE_M_SUFFIX] = model
        self._dated: dict[tuple[str, int | None], DatedPrice] = {}

    @classmethod
    def default(cls) -> PriceList:
        """The packaged price list (`sandbox/data/prices.toml`), loaded once."""
        return _default_price_list()

    @classmethod
    def from_path(cls, path: str | Path) -> PriceList:
        """Load a custom price file with the same layout as the packaged one."""
        return cls.from_toml(Path(path).read_text(encoding="utf-8"), source=str(path))

    @classmethod
    def from_toml(cls, text: str, *, source: str = "<toml>") -> PriceList:
        """Parse and validate price-file text; any problem raises `PriceFileError`."""
        return cls.from_file(parse_price_file(text, source))

    @classmethod
    def from_file(cls, parsed: PriceFile) -> PriceList:
        """A price list from a validated price file."""
        sources = {"web_search": parsed.web_search_source, "inference_geo.us": parsed.us_source}
        return cls(parsed.models, parsed.web_search_per_1000, parsed.us_multiplier, sources=sources)

    def resolve(self, model_id: str) -> ModelPrice:
        """The entry for a model ID or alias, with or without a `[1m]` suffix."""
        model = self._lookup.get(model_id)
        if model is None:
            raise UnknownModelError(model_id)
        return model

    def dated(self, model_id: str, day: int | None) -> DatedPrice:
        """The model (ID or alias) as priced on UTC day number `day` (None: today's rules)."""
        key = (model_id, day)
        found = self._dated.get(key)
        if found is None:
            model = self.resolve(model_id)
            found = self._dated[key] = DatedPrice(
                model,
                day,
                self.us_multiplier,
                self.web_search_per_request,
                extended=model_id.endswith(ONE_M_SUFFIX),
            )
        return found

    def on(self, model_id: str, on: dt.date | None) -> DatedPrice:
        """`dated` for a calendar date."""
        return self.dated(model_id, None if on is None else day_number(on))

    def price(
        self,
        model_id: str,
        usage: TokenUsage,
        *,
        service_tier: str = "standard",
        inference_geo: str = "global",
        on: dt.date | None = None,
        speed: str = "standard",
    ) -> Cost:
        """The exact cost of one request's usage on `on` (see the module Rules)."""
        amounts, total, window = self.amounts(model_id, usage, service_tier, inference_geo, on, speed)
        return Cost(*amounts, total, window)

    def amounts(
        self,
        model_id: str,
        usage: TokenUsage,
        service_tier: str = "standard",
        inference_geo: str = "global",
        on: dt.date | None = None,
        speed: str = "standard",
    ) -> PricedAmounts:
        """`price` as plain values: (token types in order, then web search), total, context window."""
        return self.on(model_id, on).amounts(usage, service_tier, inference_geo, speed)


@functools.cache
def _default_price_list() -> PriceList:
    text = resources.files("sandbox.data").joinpath("prices.toml").read_text(encoding="utf-8")
    return PriceList.from_toml(text, source="sandbox/data/prices.toml")
