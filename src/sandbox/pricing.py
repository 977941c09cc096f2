"""The Claude API price list, loaded from `data/prices.toml`, and the exact cost of one request.

A `PriceList` resolves a model ID (or alias) to its `ModelPrice` and prices a `TokenUsage` into a `Cost`:
Decimal dollars per token type, web search and the total, computed from per-token rates precomputed once per
(model, service tier, inference geo, long-context band).

Rules:
- Rates in the file are USD per million tokens, written as decimal strings; a float, a negative rate or an
  unknown key fails the load with `PriceFileError` naming the entry and the field.
- Unknown model IDs raise `UnknownModelError`; nothing is ever priced at $0 by default. A trailing `[1m]` on
  any known ID or alias resolves to the same entry (it selects a context window, not a price).
- Long-context rules compare total input (uncached + both cache writes + cache reads) with `threshold`
  strictly: `total_input > threshold` switches ALL tokens of the request to the rule's rates, so exactly
  100,000 (Haiku 5.5) or 200,000 (historic premium) prompt tokens stay at the base rates.
- A rule is in force on dates `from <= on < until` (`until` absent = still in force). With `on=None` only
  rules without `until` apply ("current rules").
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
import tomllib
from dataclasses import dataclass
from decimal import Decimal
from importlib import resources
from pathlib import Path
from typing import Annotated

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, ValidationError

from sandbox import tokens
from sandbox.money import MILLION, ZERO, usd
from sandbox.tokens import TokenUsage

ONE_M_SUFFIX = "[1m]"
CONTEXT_THRESHOLD = 200_000
SERVICE_TIERS = ("standard", "batch")
INFERENCE_GEOS = ("global", "us")
WEB_SEARCH = "web_search"
_DESCRIPTION_SUFFIX = {
    tokens.UNCACHED_INPUT: "Input Tokens",
    tokens.OUTPUT: "Output Tokens",
    tokens.CACHE_READ: "Cache Read Tokens",
    tokens.CACHE_WRITE_5M: "Cache Write (5m) Tokens",
    tokens.CACHE_WRITE_1H: "Cache Write (1h) Tokens",
}


class PricingError(Exception):
    """Base class of every pricing failure."""


class UnknownModelError(PricingError):
    """The model ID is neither an entry nor an alias in the price list."""

    def __init__(self, model_id: str) -> None:
        super().__init__(f"unknown model: {model_id!r}")
        self.model_id = model_id


class BatchUnavailableError(PricingError):
    """The model has no Batch API price."""

    def __init__(self, model_id: str) -> None:
        super().__init__(f"model {model_id!r} is not available on the Batch API")
        self.model_id = model_id


class UnknownServiceTierError(PricingError):
    """The service tier is not one the price list knows."""

    def __init__(self, service_tier: str) -> None:
        super().__init__(f"unknown service_tier {service_tier!r}; expected one of {', '.join(SERVICE_TIERS)}")
        self.service_tier = service_tier


class UnknownInferenceGeoError(PricingError):
    """The inference geography is not one the price list knows."""

    def __init__(self, inference_geo: str) -> None:
        super().__init__(
            f"unknown inference_geo {inference_geo!r}; expected one of {', '.join(INFERENCE_GEOS)}"
        )
        self.inference_geo = inference_geo


class UnknownTokenTypeError(PricingError):
    """A cost-report token type that has no description."""

    def __init__(self, token_type: str) -> None:
        super().__init__(f"unknown token_type {token_type!r}")
        self.token_type = token_type


class PriceFileError(PricingError):
    """The price file is unreadable or invalid; `location` names the entry and field."""

    def __init__(self, source: str, location: str, problem: str) -> None:
        super().__init__(f"{source}: {location}: {problem}")
        self.source, self.location, self.problem = source, location, problem


def _decimal_string(value: object) -> Decimal:
    # TOML floats are binary: only strings keep a rate exact.
    if not isinstance(value, str):
        raise ValueError(f"rate must be a decimal string, got {value!r}")
    amount = usd(value)
    if amount < 0:
        raise ValueError(f"rate must be >= 0, got {value!r}")
    return amount


Rate = Annotated[Decimal, BeforeValidator(_decimal_string)]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class _RatesSchema(_Strict):
    input: Rate
    cache_write_5m: Rate
    cache_write_1h: Rate
    cache_read: Rate
    output: Rate


class _LongContextSchema(_Strict):
    threshold: int = Field(gt=0)
    from_: dt.date = Field(alias="from")
    until: dt.date | None = None
    rates: _RatesSchema
    source: str = Field(min_length=1)
    note: str = ""


class _ModelSchema(_Strict):
    display_name: str = Field(min_length=1)
    rate_limit_class: str = Field(min_length=1)
    released: dt.date | None = None
    aliases: list[str] = []
    batch_multiplier: Rate | None = None
    us_inference: bool = False
    rates: _RatesSchema
    long_context: list[_LongContextSchema] = []
    source: str = Field(min_length=1)
    as_of: dt.date
    note: str = ""


class _WebSearchSchema(_Strict):
    per_1000_requests: Rate
    source: str = Field(min_length=1)
    as_of: dt.date


class _GeoSchema(_Strict):
    multiplier: Rate
    source: str = Field(min_length=1)
    as_of: dt.date


class _FileSchema(_Strict):
    schema_: int = Field(alias="schema")
    web_search: _WebSearchSchema
    inference_geo: dict[str, _GeoSchema]
    models: dict[str, _ModelSchema] = Field(min_length=1)


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
class LongContextRule:
    """Above `threshold` total input tokens, on dates in [valid_from, until), every token uses `rates`."""

    threshold: int
    valid_from: dt.date
    until: dt.date | None
    rates: Rates
    source: str
    note: str

    def in_force(self, on: dt.date | None) -> bool:
        """Whether the rule applies on `on` (None: today's rules, i.e. rules with no end date)."""
        if on is None:
            return self.until is None
        return self.valid_from <= on and (self.until is None or on < self.until)


@dataclass(frozen=True, slots=True)
class ModelPrice:
    """One model's entry in the price list."""

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

    @property
    def batch_available(self) -> bool:
        """Whether the Batch API prices this model."""
        return self.batch_multiplier is not None

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


class PriceList:
    """Every model's prices, by canonical ID and alias, with a cache of per-token rates."""

    def __init__(
        self, models: list[ModelPrice], web_search_per_1000: Decimal, us_multiplier: Decimal
    ) -> None:
        self.models: dict[str, ModelPrice] = {model.id: model for model in models}
        self.web_search_per_request = web_search_per_1000 / 1000
        self.us_multiplier = us_multiplier
        self._lookup: dict[str, ModelPrice] = {}
        for model in models:
            for name in (model.id, *model.aliases):
                self._lookup[name] = self._lookup[name + ONE_M_SUFFIX] = model
        self._per_token: dict[tuple[str, str, str, int], _PerToken] = {}

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
        try:
            raw = tomllib.loads(text)
        except tomllib.TOMLDecodeError as exc:
            raise PriceFileError(source, "(file)", f"not valid TOML: {exc}") from exc
        try:
            schema = _FileSchema.model_validate(raw)
        except ValidationError as exc:
            first = exc.errors()[0]
            location = ".".join(str(part) for part in first["loc"])
            raise PriceFileError(source, location, f"{first['msg']} (got {first.get('input')!r})") from exc
        return _build(schema, source)

    def resolve(self, model_id: str) -> ModelPrice:
        """The entry for a model ID or alias, with or without a `[1m]` suffix."""
        model = self._lookup.get(model_id)
        if model is None:
            raise UnknownModelError(model_id)
        return model

    def price(
        self,
        model_id: str,
        usage: TokenUsage,
        *,
        service_tier: str = "standard",
        inference_geo: str = "global",
        on: dt.date | None = None,
    ) -> Cost:
        """The exact cost of one request's usage (see the module Rules)."""
        amounts, total, window = self.amounts(model_id, usage, service_tier, inference_geo, on)
        return Cost(*amounts, total, window)

    def amounts(
        self,
        model_id: str,
        usage: TokenUsage,
        service_tier: str = "standard",
        inference_geo: str = "global",
        on: dt.date | None = None,
    ) -> PricedAmounts:
        """`price` as plain values: (token types in order, then web search), total, context window.

        The world's hot path uses this form: it needs the amounts as a row anyway, and building a
        frozen `Cost` per request costs more than the arithmetic.
        """
        model = self._lookup.get(model_id)
        if model is None:
            raise UnknownModelError(model_id)
        # Unpacked once: a usage is a named tuple, and unpacking is cheaper than six attribute reads.
        n_input, n_5m, n_1h, n_read, n_output, n_search = usage
        total_input = n_input + n_5m + n_1h + n_read
        band = model.rule_for(total_input, on) if model.long_context else -1
        key = (model.id, service_tier, inference_geo, band)
        per_token = self._per_token.get(key)
        if per_token is None:
            per_token = self._per_token[key] = self._per_token_rates(model, service_tier, inference_geo, band)
        # Zero counts stay exactly ZERO so reports show no spurious `0E-12` amounts.
        p_in, p_5m, p_1h, p_read, p_out = per_token
        uncached = p_in * n_input if n_input else ZERO
        write_5m = p_5m * n_5m if n_5m else ZERO
        write_1h = p_1h * n_1h if n_1h else ZERO
        read = p_read * n_read if n_read else ZERO
        output = p_out * n_output if n_output else ZERO
        search = self.web_search_per_request * n_search if n_search else ZERO
        return (
            (uncached, write_5m, write_1h, read, output, search),
            uncached + write_5m + write_1h + read + output + search,
            "200k-1M" if total_input > CONTEXT_THRESHOLD else "0-200k",
        )

    def _per_token_rates(
        self, model: ModelPrice, service_tier: str, inference_geo: str, band: int
    ) -> _PerToken:
        rates = model.rates if band < 0 else model.long_context[band].rates
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
            factor *= self.us_multiplier
        return rates.scaled(factor).as_tuple()


@functools.cache
def _default_price_list() -> PriceList:
    text = resources.files("sandbox.data").joinpath("prices.toml").read_text(encoding="utf-8")
    return PriceList.from_toml(text, source="sandbox/data/prices.toml")


def _rates(schema: _RatesSchema) -> Rates:
    return Rates(schema.input, schema.cache_write_5m, schema.cache_write_1h, schema.cache_read, schema.output)


def _build(schema: _FileSchema, source: str) -> PriceList:
    us = schema.inference_geo.get("us")
    if us is None:
        raise PriceFileError(
            source, "inference_geo.us", "missing: the US-only inference multiplier is required"
        )
    models = [_model(model_id, entry) for model_id, entry in schema.models.items()]
    seen: dict[str, str] = {}
    for model in models:
        for name in (model.id, *model.aliases):
            if name in seen:
                raise PriceFileError(
                    source, f"models.{model.id}.aliases", f"{name!r} already names {seen[name]}"
                )
            seen[name] = model.id
    return PriceList(models, schema.web_search.per_1000_requests, us.multiplier)


def _model(model_id: str, entry: _ModelSchema) -> ModelPrice:
    # Highest threshold first, so the largest band a prompt exceeds wins.
    rules = sorted(entry.long_context, key=lambda rule: rule.threshold, reverse=True)
    return ModelPrice(
        id=model_id,
        display_name=entry.display_name,
        rate_limit_class=entry.rate_limit_class,
        aliases=tuple(entry.aliases),
        batch_multiplier=entry.batch_multiplier,
        us_inference=entry.us_inference,
        rates=_rates(entry.rates),
        long_context=tuple(
            LongContextRule(
                rule.threshold, rule.from_, rule.until, _rates(rule.rates), rule.source, rule.note
            )
            for rule in rules
        ),
        source=entry.source,
        as_of=entry.as_of,
        note=entry.note,
        released=entry.released,
    )
