"""The price file's layout (`data/prices.toml`), validated with pydantic and built into `ModelPrice`s.

Rates are USD per million tokens written as decimal strings; a float, a negative rate or an unknown key
fails the load with `PriceFileError` naming the entry and the field. Every entry and every dated rule
carries its `source` and `as_of` date (a long-context rule without `as_of` takes its model's).
"""

from __future__ import annotations

import datetime as dt
import tomllib
from decimal import Decimal
from typing import Annotated, Literal

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, ValidationError, model_validator

from sandbox.money import usd
from sandbox.price_rules import (
    ContextLimits,
    Dated,
    FastMode,
    Lifecycle,
    LongContextRule,
    ModelPrice,
    RateChange,
    Rates,
)
from sandbox.pricing_errors import PriceFileError


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


class _PartialRatesSchema(_Strict):
    input: Rate | None = None
    cache_write_5m: Rate | None = None
    cache_write_1h: Rate | None = None
    cache_read: Rate | None = None
    output: Rate | None = None

    @model_validator(mode="after")
    def _names_one(self) -> _PartialRatesSchema:
        if not self.model_dump(exclude_none=True):
            raise ValueError("a rate change must name at least one rate")
        return self


class _LongContextSchema(_Strict):
    threshold: int = Field(gt=0)
    from_: dt.date = Field(alias="from")
    until: dt.date | None = None
    rates: _RatesSchema
    source: str = Field(min_length=1)
    as_of: dt.date | None = None
    note: str = ""


class _RateChangeSchema(_Strict):
    from_: dt.date = Field(alias="from")
    until: dt.date | None = None
    rates: _PartialRatesSchema
    source: str = Field(min_length=1)
    as_of: dt.date
    note: str = ""


class _FastSchema(_Strict):
    multiplier: Rate
    from_: dt.date | None = Field(default=None, alias="from")
    until: dt.date | None = None
    after: Literal["refuse", "standard"] = "refuse"
    requires_beta: bool = False
    source: str = Field(min_length=1)
    as_of: dt.date
    note: str = ""


class _LifecycleSchema(_Strict):
    deprecated: dt.date | None = None
    retires: dt.date | None = None
    source: str = Field(min_length=1)
    note: str = ""


class _ContextSchema(_Strict):
    window: int = Field(gt=0)
    max_output: int = Field(gt=0)
    extended_window: int | None = Field(default=None, gt=0)
    extended_beta: str | None = None
    source: str = Field(min_length=1)


class _ModelSchema(_Strict):
    display_name: str = Field(min_length=1)
    rate_limit_class: str = Field(min_length=1)
    released: dt.date | None = None
    aliases: list[str] = []
    batch_multiplier: Rate | None = None
    batch_source: str = ""
    batch_as_of: dt.date | None = None
    us_inference: bool = False
    rates: _RatesSchema
    rate_changes: list[_RateChangeSchema] = []
    long_context: list[_LongContextSchema] = []
    fast_mode: list[_FastSchema] = []
    lifecycle: _LifecycleSchema | None = None
    context: _ContextSchema | None = None
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


class PriceFile:
    """A validated price file: its models, and the web-search and US-inference figures with sources."""

    def __init__(self, schema: _FileSchema, source: str) -> None:
        us = schema.inference_geo.get("us")
        if us is None:
            raise PriceFileError(
                source, "inference_geo.us", "missing: the US-only inference multiplier is required"
            )
        self.models = [_model(model_id, entry) for model_id, entry in schema.models.items()]
        self.web_search_per_1000 = schema.web_search.per_1000_requests
        self.web_search_source = (schema.web_search.source, schema.web_search.as_of)
        self.us_multiplier = us.multiplier
        self.us_source = (us.source, us.as_of)
        _check_names(self.models, source)


def parse_price_file(text: str, source: str) -> PriceFile:
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
    return PriceFile(schema, source)


def _check_names(models: list[ModelPrice], source: str) -> None:
    seen: dict[str, str] = {}
    for model in models:
        for name in (model.id, *model.aliases):
            if name in seen:
                raise PriceFileError(
                    source, f"models.{model.id}.aliases", f"{name!r} already names {seen[name]}"
                )
            seen[name] = model.id


def _rates(schema: _RatesSchema) -> Rates:
    return Rates(schema.input, schema.cache_write_5m, schema.cache_write_1h, schema.cache_read, schema.output)


def _model(model_id: str, entry: _ModelSchema) -> ModelPrice:
    # Highest threshold first, so the largest band a prompt exceeds wins; changes in date order.
    rules = sorted(entry.long_context, key=lambda rule: rule.threshold, reverse=True)
    changes = sorted(entry.rate_changes, key=lambda change: change.from_)
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
                rule.threshold,
                Dated(rule.from_, rule.until),
                _rates(rule.rates),
                rule.source,
                rule.as_of or entry.as_of,
                rule.note,
            )
            for rule in rules
        ),
        source=entry.source,
        as_of=entry.as_of,
        note=entry.note,
        released=entry.released,
        rate_changes=tuple(
            RateChange(
                Dated(change.from_, change.until),
                change.rates.model_dump(exclude_none=True),
                change.source,
                change.as_of,
                change.note,
            )
            for change in changes
        ),
        fast_modes=tuple(
            FastMode(
                Dated(fast.from_, fast.until),
                fast.multiplier,
                fast.after,
                fast.requires_beta,
                fast.source,
                fast.as_of,
                fast.note,
            )
            for fast in entry.fast_mode
        ),
        lifecycle=None
        if entry.lifecycle is None
        else Lifecycle(
            entry.lifecycle.deprecated, entry.lifecycle.retires, entry.lifecycle.source, entry.lifecycle.note
        ),
        context=None
        if entry.context is None
        else ContextLimits(
            entry.context.window,
            entry.context.max_output,
            entry.context.extended_window,
            entry.context.extended_beta,
            entry.context.source,
        ),
        batch_source=entry.batch_source,
        batch_as_of=entry.batch_as_of,
    )
