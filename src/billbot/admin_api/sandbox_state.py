"""`GET /sandbox/v1/state` as typed models: what billbot reads of a sandbox's own state.

Only a sandbox has this path (the real API has no balance endpoint). An unexpected shape is a
`MalformedResponse` naming what was wrong, never a `KeyError`; times must carry their zone.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from pydantic import AwareDatetime, BaseModel, ConfigDict, ValidationError

from billbot.admin_api.errors import MalformedResponse

SANDBOX_STATE = "/sandbox/v1/state"


class _Wire(BaseModel):
    model_config = ConfigDict(extra="ignore", frozen=True)


class WireLot(_Wire):
    kind: str
    source: str | None = None
    original_usd: Decimal
    remaining_usd: Decimal
    expired_usd: Decimal = Decimal(0)
    granted_at: AwareDatetime
    expires_at: AwareDatetime | None = None


class WireBalance(_Wire):
    balance_usd: Decimal
    lots: list[WireLot]


class WireReloadAttempt(_Wire):
    at: AwareDatetime
    amount_usd: Decimal
    succeeded: bool
    clawed_back: bool = False


class WireAutoReload(_Wire):
    enabled: bool
    minimum_usd: Decimal | None = None
    target_usd: Decimal | None = None
    fixed_amount_usd: Decimal | None = None
    attempts: list[WireReloadAttempt] = []


class WireTier(_Wire):
    name: str
    monthly_cap: Decimal | None = None


class WireLimit(_Wire):
    limit_usd: Decimal | None = None


class WireSpendLimits(_Wire):
    organization: WireLimit
    workspaces: dict[str, WireLimit] = {}


class SandboxStateWire(_Wire):
    """The parts of a sandbox's state billbot reads."""

    balance: WireBalance
    auto_reload: WireAutoReload
    tier: WireTier
    spend_limits: WireSpendLimits


def parse_state(body: dict[str, Any]) -> SandboxStateWire:
    """The state as models; `MalformedResponse` (with the first problem) for anything unexpected."""
    try:
        return SandboxStateWire.model_validate(body)
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(part) for part in first["loc"])
        raise MalformedResponse(f"GET {SANDBOX_STATE}", message=f"{where}: {first['msg']}") from None
