"""Request bodies of the `/sandbox/v1/` control API, and their parsing into one clear 400.

Money travels as decimal strings ("12.50"); a JSON number with a fraction is refused, because a float
cannot carry an exact amount. Unknown fields are refused so a typo is not silently ignored.
"""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from typing import Annotated, Any, TypeVar

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, ValidationError

from sandbox.api.errors import invalid_request


def _decimal_string(value: Any) -> Decimal:
    if isinstance(value, float):
        raise ValueError('must be a decimal string such as "12.50", not a JSON number with a fraction')
    if isinstance(value, int) and not isinstance(value, bool):
        return Decimal(value)
    if not isinstance(value, str):
        raise ValueError('must be a decimal string such as "12.50"')
    try:
        amount = Decimal(value)
    except InvalidOperation:
        raise ValueError(f"{value!r} is not a decimal amount") from None
    if not amount.is_finite():
        raise ValueError(f"{value!r} is not a finite amount")
    return amount


Money = Annotated[Decimal, BeforeValidator(_decimal_string)]
NonNegativeMoney = Annotated[Money, Field(ge=0)]
PositiveMoney = Annotated[Money, Field(gt=0)]


class _Body(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class TopUp(_Body):
    """`POST /sandbox/v1/topups`: buy credits by hand."""

    amount: PositiveMoney
    idempotency_key: str | None = Field(default=None, min_length=1, max_length=200)


class BalanceBody(_Body):
    """`PUT /sandbox/v1/balance`: set the balance to exactly this amount (negative: a debt)."""

    amount: Money


class AutoReloadBody(_Body):
    """`PUT /sandbox/v1/auto_reload`: Anthropic's minimum + target, a fixed amount, or off."""

    enabled: bool = True
    minimum: NonNegativeMoney | None = None
    target: PositiveMoney | None = None
    fixed_amount: PositiveMoney | None = None


class SpendLimitsBody(_Body):
    """`PUT /sandbox/v1/spend_limits`: self-set monthly limits; null clears one."""

    organization: NonNegativeMoney | None = None
    workspaces: dict[str, NonNegativeMoney | None] = Field(default_factory=dict)


class TierBody(_Body):
    """`PUT /sandbox/v1/tier`."""

    tier: str = Field(min_length=1)


class ClockBody(_Body):
    """`POST /sandbox/v1/clock`: advance, set (a jump, possibly backwards), and/or change speed."""

    advance_seconds: float | None = Field(default=None, ge=0, le=10 * 366 * 86_400)
    set_to: str | None = None
    speed: float | None = Field(default=None, ge=0, le=1_000_000)


# How long a window opened now lasts: up to a (leap) year, in minutes.
Minutes = Annotated[float, Field(gt=0, le=366 * 1440)]


class DuplicateChargesBody(_Body):
    """A billing bug from now: each served request is billed twice with probability `share`."""

    share: float = Field(gt=0, le=1)
    minutes: Minutes


class CacheStormBody(_Body):
    """A cache-miss storm from now: every cache read is served (and billed) as a 5-minute write."""

    minutes: Minutes


class ModelSwitchBody(_Body):
    """A silent model switch from now: requests for `from` are served and billed as `to`."""

    from_model: str = Field(alias="from", min_length=1)
    to: str = Field(min_length=1)
    minutes: Minutes


class RunawayReloadBody(_Body):
    """A runaway reload loop from now: auto-reload buys again every `every_minutes`."""

    every_minutes: float = Field(gt=0, le=1440)
    minutes: Minutes


class SpikeBody(_Body):
    """Extra simulated traffic from now: the scenario's rate times `factor`, on one key or on all."""

    key: str | None = Field(default=None, min_length=1)  # an API key's name or id; none: every key
    factor: float = Field(gt=1, le=1000)
    minutes: Minutes


class FaultsBody(_Body):
    """`PUT /sandbox/v1/faults`: probabilities, a hold, and windows and incidents that start now."""

    overload_probability: float | None = Field(default=None, ge=0, le=1)
    interrupt_probability: float | None = Field(default=None, ge=0, le=1)
    duplicate_charge_probability: float | None = Field(default=None, ge=0, le=1)
    on_hold: bool | None = None
    disabled: bool | None = None
    overload_minutes: Minutes | None = None
    outage_minutes: Minutes | None = None
    duplicate_charges: DuplicateChargesBody | None = None
    cache_storm: CacheStormBody | None = None
    model_switch: ModelSwitchBody | None = None
    runaway_reload: RunawayReloadBody | None = None
    spike: SpikeBody | None = None


class ResetBody(_Body):
    """`POST /sandbox/v1/reset`: rebuild from a scenario (name or file path) and seed."""

    scenario: str = Field(min_length=1)
    seed: int = Field(default=0, ge=0, le=2**63 - 1)


BodyT = TypeVar("BodyT", bound=BaseModel)


def parse_body(model: type[BodyT], body: bytes) -> BodyT:
    """Validate a JSON body, turning the first problem into a 400 that names the field."""
    try:
        return model.model_validate_json(body or b"{}")
    except ValidationError as exc:
        first = exc.errors()[0]
        location = ".".join(str(part) for part in first["loc"]) or "body"
        message = str(first["msg"]).removeprefix("Value error, ")
        raise invalid_request(f"{location}: {message}") from None
