"""Usage tiers of the Claude API: monthly spend caps and per-model-class rate limits, as data.

The tables live in `sandbox/data/tiers.toml` (sources named there), are validated with pydantic once at
load and cached; lookups afterwards are plain dict reads. Two profiles ship: "current" (Evaluation /
Start / Build / Scale / Custom, late 2026) and "historic" (Tier 1-4 of late 2025 - early 2026, with
deposit thresholds). Unpublished figures are marked `assumed` in the data.

Rules:
- A tier's `monthly_cap` of None means no cap (Custom); "none" in the data file.
- A rate-limit dimension of None means unlimited; "unlimited" in the data file.
- Model IDs map to a class by the longest data prefix that matches the whole ID or is followed by
  "-" in it: "claude-opus-5-5" is "opus-5", but "claude-opus-50" matches nothing.
- A profile lists only the model classes of its era; asking for another raises
  `UnknownModelClassError` rather than guessing limits.
- Historic tiers are reached by cumulative deposits: a total equal to a threshold reaches that tier
  ("You advance immediately upon reaching the threshold").
- A tier may also carry fast-mode limits (`fast_mode = [ITPM, OTPM]`, one limit for the whole context
  range, checked instead of the model class's for fast requests) and organisation-wide limits
  (`organization = [RPM, ITPM, OTPM]`, over all API usage, checked with every request when set). The
  docs have both tables; their figures are UNCONFIRMED, so the profile's notes say so.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from decimal import Decimal
from functools import cache
from importlib import resources
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from sandbox.money import usd
from sandbox.ratelimit import RateLimits

_DATA_FILE = "tiers.toml"


class TierDataError(ValueError):
    """The tiers data file is malformed; names the location of the first problem."""

    def __init__(self, location: str, problem: str) -> None:
        super().__init__(f"{_DATA_FILE}: {location}: {problem}")
        self.location = location
        self.problem = problem


class _UnknownNameError(KeyError):
    """Base for a lookup of a name that is not one of the valid choices."""

    kind = "name"

    def __init__(self, value: str, choices: tuple[str, ...]) -> None:
        super().__init__(value)
        self.value = value
        self.choices = choices

    def __str__(self) -> str:
        return f"unknown {self.kind} {self.value!r}; one of: {', '.join(self.choices)}"


class UnknownProfileError(_UnknownNameError):
    """No tier profile has this name."""

    kind = "tier profile"


class UnknownTierError(_UnknownNameError):
    """The profile has no tier of this name."""

    kind = "tier"


class UnknownModelClassError(_UnknownNameError):
    """The profile has no rate limits for this model class."""

    kind = "model class"


class UnknownModelIdError(_UnknownNameError):
    """No model-class prefix matches this model API ID."""

    kind = "model ID"


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


_Limit = int | Literal["unlimited"]


class _ModelClassSchema(_Strict):
    cache_reads_count: bool
    assumed: bool = False
    note: str = ""


class _TierSchema(_Strict):
    monthly_cap: str
    deposit_threshold: str | None = None
    batch_queue: int | None = Field(default=None, ge=1)
    assumed: bool = False
    note: str = ""
    limits: dict[str, tuple[_Limit, _Limit, _Limit]]
    fast_mode: tuple[_Limit, _Limit] | None = None
    organization: tuple[_Limit, _Limit, _Limit] | None = None


class _ProfileSchema(_Strict):
    description: str
    source: str
    as_of: str
    tier_order: list[str] = Field(min_length=1)
    deposits_capped: bool = False
    fast_mode_note: str = ""
    organization_note: str = ""
    model_classes: dict[str, _ModelClassSchema]
    tiers: dict[str, _TierSchema]


class _FileSchema(_Strict):
    model_ids: dict[str, str]
    profiles: dict[str, _ProfileSchema]


@dataclass(frozen=True, slots=True)
class Tier:
    """One usage tier: its monthly spend cap (None: no cap) and rate limits per model class."""

    name: str
    monthly_cap: Decimal | None
    deposit_threshold: Decimal | None
    assumed: bool
    note: str
    limits: dict[str, RateLimits]
    batch_queue: int | None = None  # Message Batches requests enqueued at once (None: not published)
    fast_limits: RateLimits | None = None  # fast mode's own ITPM / OTPM (RPM None)
    organization_limits: RateLimits | None = None  # all API usage together (None: not enforced)

    def rate_limits(self, model_class: str) -> RateLimits:
        """RPM / ITPM / OTPM for a model class in this tier."""
        found = self.limits.get(model_class)
        if found is None:
            raise UnknownModelClassError(model_class, tuple(self.limits))
        return found


@dataclass(frozen=True, slots=True)
class TierProfile:
    """A dated set of tiers (e.g. "current", "historic") and the model classes they limit."""

    name: str
    description: str
    source: str
    as_of: str
    tiers: dict[str, Tier]
    cache_reads: dict[str, bool]
    # "You cannot deposit more than your monthly spend limit" (the historic tiers; see `deposits`).
    deposits_capped: bool = False
    fast_mode_note: str = ""
    organization_note: str = ""

    def tier(self, name: str) -> Tier:
        """The tier of this name."""
        found = self.tiers.get(name)
        if found is None:
            raise UnknownTierError(name, self.tier_names())
        return found

    def tier_names(self) -> tuple[str, ...]:
        """Tier names, lowest first."""
        return tuple(self.tiers)

    def model_classes(self) -> tuple[str, ...]:
        """The rate-limit model classes this profile covers."""
        return tuple(self.cache_reads)

    def rate_limits(self, tier_name: str, model_class: str) -> RateLimits:
        """RPM / ITPM / OTPM of a model class in a tier."""
        return self.tier(tier_name).rate_limits(model_class)

    def cache_reads_count(self, model_class: str) -> bool:
        """Whether cache reads count towards ITPM for this model class (the † models)."""
        found = self.cache_reads.get(model_class)
        if found is None:
            raise UnknownModelClassError(model_class, self.model_classes())
        return found

    def tier_for_deposits(self, cumulative: Decimal) -> Tier | None:
        """The highest tier whose deposit threshold `cumulative` has reached (historic profiles)."""
        reached: Tier | None = None
        for tier in self.tiers.values():
            if tier.deposit_threshold is not None and cumulative >= tier.deposit_threshold:
                reached = tier
        return reached


def tier_profile(name: str) -> TierProfile:
    """The packaged tier profile of this name."""
    profiles = _load()[1]
    found = profiles.get(name)
    if found is None:
        raise UnknownProfileError(name, tuple(profiles))
    return found


def profile_names() -> tuple[str, ...]:
    """Names of the packaged tier profiles."""
    return tuple(_load()[1])


def model_class_for(model_id: str) -> str:
    """The rate-limit model class of a model API ID, e.g. "claude-opus-4-6" -> "opus-4"."""
    prefixes = _load()[0]
    for prefix, model_class in prefixes:
        if model_id == prefix or model_id.startswith(prefix + "-"):
            return model_class
    raise UnknownModelIdError(model_id, tuple(prefix + "*" for prefix, _ in prefixes))


@cache
def _load() -> tuple[tuple[tuple[str, str], ...], dict[str, TierProfile]]:
    text = resources.files("sandbox.data").joinpath(_DATA_FILE).read_text(encoding="utf-8")
    try:
        schema = _FileSchema.model_validate(tomllib.loads(text))
    except ValidationError as exc:
        first = exc.errors()[0]
        location = ".".join(str(part) for part in first["loc"])
        raise TierDataError(location, f"{first['msg']} (got {first.get('input')!r})") from exc
    # Longest prefix first, so "claude-haiku-4-5" is tried before any shorter prefix of it.
    prefixes = tuple(sorted(schema.model_ids.items(), key=lambda item: -len(item[0])))
    profiles = {name: _build_profile(name, raw) for name, raw in schema.profiles.items()}
    return prefixes, profiles


def _build_profile(name: str, raw: _ProfileSchema) -> TierProfile:
    if sorted(raw.tier_order) != sorted(raw.tiers):
        raise TierDataError(f"profiles.{name}.tier_order", f"must list exactly the tiers {sorted(raw.tiers)}")
    classes = set(raw.model_classes)
    tiers: dict[str, Tier] = {}
    for tier_name in raw.tier_order:
        entry = raw.tiers[tier_name]
        if set(entry.limits) != classes:
            missing = sorted(classes.symmetric_difference(entry.limits))
            where = f"profiles.{name}.tiers.{tier_name}.limits"
            raise TierDataError(where, f"model classes differ: {missing}")
        tiers[tier_name] = Tier(
            name=tier_name,
            monthly_cap=_amount(entry.monthly_cap, f"profiles.{name}.tiers.{tier_name}.monthly_cap"),
            deposit_threshold=None if entry.deposit_threshold is None else usd(entry.deposit_threshold),
            assumed=entry.assumed,
            note=entry.note,
            limits={cls: RateLimits(*(_limit(value) for value in row)) for cls, row in entry.limits.items()},
            batch_queue=entry.batch_queue,
            fast_limits=None if entry.fast_mode is None else RateLimits(None, *map(_limit, entry.fast_mode)),
            organization_limits=_optional_limits(entry.organization),
        )
    cache_reads = {cls: spec.cache_reads_count for cls, spec in raw.model_classes.items()}
    return TierProfile(
        name,
        raw.description,
        raw.source,
        raw.as_of,
        tiers,
        cache_reads,
        raw.deposits_capped,
        raw.fast_mode_note,
        raw.organization_note,
    )


def _optional_limits(row: tuple[int | str, int | str, int | str] | None) -> RateLimits | None:
    """A limits row, or None when absent or unlimited in every dimension (nothing to enforce)."""
    if row is None:
        return None
    limits = RateLimits(*(_limit(value) for value in row))
    return None if limits == RateLimits(None, None, None) else limits


def _amount(text: str, location: str) -> Decimal | None:
    if text == "none":
        return None
    amount = usd(text)
    if amount <= 0:
        raise TierDataError(location, f"a cap must be > 0 or 'none', got {text!r}")
    return amount


def _limit(value: int | str) -> int | None:
    return None if value == "unlimited" else int(value)
