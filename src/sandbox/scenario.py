"""Scenarios as data: an organisation, its money, its traffic and its faults, in a TOML file.

Built-in scenarios live in `sandbox/data/scenarios/NAME.toml`; any other path works the same way.
Times inside a scenario are relative to its `start` (days, hours), so a scenario can be replayed at
another date. A malformed file raises `ScenarioError` naming the file, the field and what is wrong.
"""

from __future__ import annotations

import tomllib
from datetime import datetime
from decimal import Decimal
from importlib import resources
from pathlib import Path
from typing import Annotated, Literal

from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    PrivateAttr,
    ValidationError,
    field_validator,
    model_validator,
)


def _exact_money(value: object) -> object:
    # TOML floats are binary approximations; money must be written exactly, as a string or integer.
    if isinstance(value, float):
        raise ValueError(f'write money as a string, e.g. "{value}", not as a float')
    return value


Money = Annotated[Decimal, BeforeValidator(_exact_money), Field(ge=0)]
Share = Annotated[float, Field(ge=0, le=1)]


class ScenarioError(ValueError):
    """A scenario that cannot be loaded: which file, which field, what is wrong."""

    def __init__(self, source: str, field: str, problem: str) -> None:
        super().__init__(f"{source}: {field}: {problem}" if field else f"{source}: {problem}")
        self.source, self.field, self.problem = source, field, problem


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class WorkspaceSpec(_Strict):
    name: str
    keys: int = Field(default=2, ge=0, le=500)
    spend_limit: Money | None = None
    weight: float = Field(default=1.0, gt=0)


class OrgSpec(_Strict):
    name: str
    tier_profile: str = "current"
    tier: str = "Build"
    users: int = Field(default=4, ge=1, le=500)
    default_workspace_keys: int = Field(default=1, ge=0, le=500)
    workspaces: list[WorkspaceSpec] = []
    rate_limit_burst_seconds: int = Field(default=60, ge=1, le=60)
    otpm_mode: Literal["actual", "reserve"] = "actual"


class LotSpec(_Strict):
    amount: Money
    day: float = 0.0
    kind: Literal["purchased", "promotional"] = "purchased"


class TopUpSpec(_Strict):
    amount: Money
    day: float


class CreditsSpec(_Strict):
    expiry: Literal["one_year_after_purchase", "days_after_last_topup", "never"] = "one_year_after_purchase"
    expiry_days: int = Field(default=365, ge=1)
    lots: list[LotSpec] = []
    topups: list[TopUpSpec] = []


class AfterDeclineSpec(_Strict):
    delay_hours: float = Field(gt=0)
    amount: Money


class AutoReloadSpec(_Strict):
    enabled: bool = True
    minimum: Money
    target: Money | None = None
    fixed_amount: Money | None = None
    payment: Literal["always", "probability", "scripted"] = "always"
    decline_probability: Share = 0.0
    script: list[Literal["succeed", "decline", "late_failure"]] = []
    late_failure_hours: float = Field(default=48.0, gt=0)
    after_decline: AfterDeclineSpec | None = None

    @model_validator(mode="after")
    def _one_amount_rule(self) -> AutoReloadSpec:
        if (self.target is None) == (self.fixed_amount is None):
            raise ValueError("set exactly one of target (reload up to a balance) or fixed_amount")
        if self.target is not None and self.target <= self.minimum:
            raise ValueError(f"target {self.target} must be above minimum {self.minimum}")
        return self


class RateLimitSpec(_Strict):
    rpm: int | None = Field(default=None, ge=1)
    itpm: int | None = Field(default=None, ge=1)
    otpm: int | None = Field(default=None, ge=1)


class ModelMix(_Strict):
    model: str
    share: float = Field(gt=0)
    input_median: int = Field(default=3000, ge=1)
    output_median: int = Field(default=400, ge=1)


class CacheSpec(_Strict):
    hit_rate: Share = 0.0
    cached_fraction: Share = 0.8
    write_rate: Share = 0.0
    write_1h_share: Share = 0.0


class SpikeSpec(_Strict):
    day: int = Field(ge=0)
    start_hour: int = Field(default=0, ge=0, le=23)
    hours: int = Field(default=24, ge=1, le=24)
    factor: float = Field(gt=0)


class TrafficSpec(_Strict):
    requests_per_day: float = Field(ge=0)
    growth_per_day: float = Field(default=0.0, ge=-0.5, le=0.5)
    diurnal: bool = True
    weekend_factor: float = Field(default=1.0, ge=0)
    input_sigma: float = Field(default=1.0, ge=0, le=3)
    output_sigma: float = Field(default=0.8, ge=0, le=3)
    max_tokens: int = Field(default=8192, ge=1)
    batch_share: Share = 0.0
    stream_share: Share = 0.0
    web_search_share: Share = 0.0
    us_geo_share: Share = 0.0
    key_skew: float = Field(default=1.0, ge=0, le=3)
    models: list[ModelMix] = Field(min_length=1)
    cache: CacheSpec = CacheSpec()
    spikes: list[SpikeSpec] = []


class WindowSpec(_Strict):
    day: float = Field(ge=0)
    hours: float = Field(gt=0)


class SurgeSpec(_Strict):
    """Extra traffic: one key's (or every key's) request rate multiplied for a while."""

    day: float = Field(ge=0)
    hours: float = Field(gt=0)
    factor: float = Field(ge=1, le=1000)
    key: str | None = None  # an API key's name, e.g. "Production key 2"; none: every key
    ramp: bool = False  # the multiplier rises linearly from 1 to `factor` over the window (slow creep)


class DuplicateBurstSpec(_Strict):
    day: float = Field(ge=0)
    hours: float = Field(gt=0)
    share: Share


class ModelSwitchSpec(_Strict):
    day: float = Field(ge=0)
    hours: float = Field(gt=0)
    model: str
    to: str


class RunawayReloadSpec(_Strict):
    day: float = Field(ge=0)
    hours: float = Field(gt=0)
    every_minutes: float = Field(default=10.0, gt=0)


class FaultSpec(_Strict):
    overload_probability: Share = 0.0
    overload_windows: list[WindowSpec] = []
    outages: list[WindowSpec] = []
    duplicate_charge_days: list[int] = []
    duplicate_charges: list[DuplicateBurstSpec] = []
    interrupt_probability: Share = 0.0
    on_hold: bool = False
    surges: list[SurgeSpec] = []
    cache_storms: list[WindowSpec] = []
    model_switches: list[ModelSwitchSpec] = []
    runaway_reloads: list[RunawayReloadSpec] = []


class Scenario(_Strict):
    """A whole scenario file, validated."""

    name: str
    description: str = ""
    start: datetime
    days: int = Field(default=30, ge=1, le=730)
    org: OrgSpec
    credits: CreditsSpec = CreditsSpec()
    auto_reload: AutoReloadSpec | None = None
    spend_limit: Money | None = None
    rate_limits: dict[str, RateLimitSpec] = {}
    traffic: TrafficSpec
    faults: FaultSpec = FaultSpec()
    _source: str = PrivateAttr(default="scenario")

    @property
    def source(self) -> str:
        """Where the scenario was read from, for error messages about it."""
        return self._source

    def replayed_at(self, start: datetime) -> Scenario:
        """The same scenario starting at `start` (aware): every time in it moves along, being relative."""
        if start.tzinfo is None:
            raise ValueError(f"naive start {start.isoformat()}: a scenario starts at an aware UTC time")
        return self.model_copy(update={"start": start})

    @field_validator("start")
    @classmethod
    def _aware(cls, value: datetime) -> datetime:
        if value.tzinfo is None:
            raise ValueError("start must carry a timezone, e.g. 2026-08-24T00:00:00Z")
        return value


def day_offset_ns(day: float) -> int:
    """A scenario's `day` (fractions allowed) as nanoseconds after its start, to the nearest second.

    `31.541667` is meant as 13:00 on day 31; rounding to the second keeps a float's last digits out of
    the incident windows (and their labels).
    """
    return round(day * 86_400) * 1_000_000_000


def builtin_names() -> list[str]:
    """Names of the scenarios shipped with the sandbox."""
    folder = resources.files("sandbox.data").joinpath("scenarios")
    return sorted(p.name.removesuffix(".toml") for p in folder.iterdir() if p.name.endswith(".toml"))


def load_scenario(name_or_path: str) -> Scenario:
    """Load a built-in scenario by name, or a scenario file by path."""
    if name_or_path in builtin_names():
        resource = resources.files("sandbox.data").joinpath("scenarios", f"{name_or_path}.toml")
        return parse_scenario(resource.read_text(encoding="utf-8"), source=f"{name_or_path}.toml")
    path = Path(name_or_path)
    if not path.is_file():
        known = ", ".join(builtin_names())
        raise ScenarioError(name_or_path, "", f"no such scenario file or built-in name (built-ins: {known})")
    return parse_scenario(path.read_text(encoding="utf-8"), source=str(path))


def parse_scenario(text: str, *, source: str) -> Scenario:
    """Parse and validate scenario TOML, naming the field of the first problem."""
    try:
        raw = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ScenarioError(source, "", f"not valid TOML: {exc}") from exc
    try:
        scenario = Scenario.model_validate(raw)
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(part) for part in first["loc"]) or "(top level)"
        raise ScenarioError(source, where, _problem(first["msg"], first.get("input"))) from exc
    scenario._source = source
    return scenario


def _problem(message: str, value: object) -> str:
    shown = repr(value)
    if isinstance(value, dict | list) or len(shown) > 60:
        return message
    return f"{message} (got {shown})"
