"""Month-to-date API spend and the three monthly limits that stop a Console organisation.

Models the self-set organisation limit (400), per-workspace limits (400) and the usage tier's
monthly spend cap (429 `enforced_spend_limit_reached`, no retry-after), as Anthropic's rate limits
and billing docs describe them.
Spend is tracked per UTC calendar month for the organisation and for each named workspace; `record`
and `check` are O(1) and run once per simulated request.

Rules:
- Month: spend belongs to the UTC calendar month of the instant it is *recorded* (the charge /
  settle time, not the admission time), so a request admitted at 23:59:59.999 on the 31st and
  charged at 00:00:00 on the 1st counts in the new month. Months are half-open
  [00:00 UTC on the 1st, 00:00 UTC on the next 1st); December rolls over to January of the next year.
- Reset: a rejection names the instant access resumes, 00:00 UTC on the 1st of the next month.
- Rejection: a limit rejects when `month_to_date >= limit` or `month_to_date + estimate > limit`.
  With the default estimate of zero (Anthropic's charge-after model) the request that crosses the
  limit is served and the next one is refused. With an estimate (pre-authorised hold model) a
  request whose estimate would take spend past the limit is refused, while one landing exactly on
  it is served, so month-to-date never exceeds the limit if charges stay within estimates (I-13).
- Order: organisation self-set limit, then the workspace's limit, then the tier cap; the first
  that rejects is reported.
- `month_to_date(None, ...)` is the whole organisation; spend recorded for the Default workspace
  (`workspace_id` None) counts only there, and the Default workspace cannot carry a limit.
- An organisation limit may not exceed the tier cap it is set under; a limit of zero blocks all use.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from sandbox.clock import NS_PER_DAY
from sandbox.money import ZERO

__all__ = [
    "DefaultWorkspaceLimitError",
    "InvalidSpendAmountError",
    "LimitAboveTierCapError",
    "SpendLimits",
    "SpendRejection",
    "month_bounds",
]

ORG_LIMIT_MESSAGE = (
    "You have reached your specified API usage limits. You will regain access on {date} at 00:00 UTC."
)
WORKSPACE_LIMIT_MESSAGE = (
    "You have reached your specified workspace API usage limits. "
    "You will regain access on {date} at 00:00 UTC."
)
TIER_CAP_MESSAGE = (
    "You have reached your API usage limits: your organization has crossed its monthly API usage threshold, "
    "set based on your organization's API tier. You will regain access on {date} at 00:00 UTC."
)


class DefaultWorkspaceLimitError(ValueError):
    """The Default workspace (workspace_id None) cannot have a spend limit."""

    def __init__(self) -> None:
        super().__init__("the Default workspace (None) cannot have a spend limit; set the organization limit")


class InvalidSpendAmountError(ValueError):
    """A spend amount or limit was negative."""

    def __init__(self, what: str, amount: Decimal) -> None:
        super().__init__(f"{what} must be >= 0, got {amount}")
        self.what = what
        self.amount = amount


class LimitAboveTierCapError(ValueError):
    """A self-set organisation limit above the usage tier's monthly cap."""

    def __init__(self, limit: Decimal, tier_cap: Decimal) -> None:
        super().__init__(f"organization spend limit {limit} exceeds the tier's monthly cap {tier_cap}")
        self.limit = limit
        self.tier_cap = tier_cap


@dataclass(frozen=True, slots=True)
class SpendRejection:
    """Why a request is refused for spend, as the API would answer it."""

    status: int
    error_type: str
    message: str
    details: dict[str, Any] | None
    reason: str
    resets_at_ns: int
    limit: Decimal
    month_to_date: Decimal


def month_bounds(now_ns: int) -> tuple[int, int]:
    """Start and end (exclusive) of the UTC calendar month containing `now_ns`, in nanoseconds."""
    year, month = _civil_year_month(now_ns // NS_PER_DAY)
    next_year, next_month = (year + 1, 1) if month == 12 else (year, month + 1)
    start = _days_from_civil(year, month, 1) * NS_PER_DAY
    return start, _days_from_civil(next_year, next_month, 1) * NS_PER_DAY


class SpendLimits:
    """Month-to-date spend per organisation and workspace, checked against the monthly limits."""

    __slots__ = (
        "_current", "_month_end", "_month_start", "_org_limit", "_tier_cap", "_totals", "_workspace_limits",
    )  # fmt: skip

    def __init__(self, *, organization_limit: Decimal | None, tier_cap: Decimal | None) -> None:
        self._tier_cap = tier_cap
        self._org_limit: Decimal | None = None
        self._workspace_limits: dict[str, Decimal] = {}
        # Totals keyed by month start; within a month None is the organisation, a str a workspace.
        self._totals: dict[int, dict[str | None, Decimal]] = {}
        self._month_start = 0
        self._month_end = 0
        self._current: dict[str | None, Decimal] = {}  # the totals of [_month_start, _month_end)
        self.set_organization_limit(organization_limit)

    @property
    def organization_limit(self) -> Decimal | None:
        """The self-set organisation monthly limit (None: only the tier cap applies)."""
        return self._org_limit

    def workspace_limit(self, workspace_id: str) -> Decimal | None:
        """A workspace's monthly limit, or None."""
        return self._workspace_limits.get(workspace_id)

    def set_tier_cap(self, tier_cap: Decimal | None) -> None:
        """Record the tier cap new organisation limits are validated against."""
        self._tier_cap = tier_cap

    def set_organization_limit(self, amount: Decimal | None) -> None:
        """Set or clear (None) the organisation's self-set monthly limit."""
        if amount is not None:
            if amount < ZERO:
                raise InvalidSpendAmountError("organization spend limit", amount)
            if self._tier_cap is not None and amount > self._tier_cap:
                raise LimitAboveTierCapError(amount, self._tier_cap)
        self._org_limit = amount

    def set_workspace_limit(self, workspace_id: str | None, amount: Decimal | None) -> None:
        """Set or clear (None) a workspace's monthly limit; never on the Default workspace."""
        if workspace_id is None:
            raise DefaultWorkspaceLimitError()
        if amount is None:
            self._workspace_limits.pop(workspace_id, None)
            return
        if amount < ZERO:
            raise InvalidSpendAmountError(f"spend limit of workspace {workspace_id}", amount)
        self._workspace_limits[workspace_id] = amount

    def record(self, workspace_id: str | None, amount: Decimal, now_ns: int) -> None:
        """Add a charge to the month of `now_ns`, for the organisation and its workspace."""
        if amount < ZERO:
            raise InvalidSpendAmountError("spend", amount)
        totals = self._month_totals(now_ns)
        totals[None] = totals.get(None, ZERO) + amount
        if workspace_id is not None:
            totals[workspace_id] = totals.get(workspace_id, ZERO) + amount

    def month_to_date(self, workspace_id: str | None, now_ns: int) -> Decimal:
        """Spend so far in the month of `now_ns`: the organisation's (None) or a workspace's."""
        return self._month_totals(now_ns).get(workspace_id, ZERO)

    def check(
        self, workspace_id: str | None, now_ns: int, tier_cap: Decimal | None, estimate: Decimal = ZERO
    ) -> SpendRejection | None:
        """The first monthly limit this request would break (see Rules), or None to admit it."""
        totals = self._month_totals(now_ns)
        org_spend = totals.get(None, ZERO)
        org_limit = self._org_limit
        if org_limit is not None and _breaks(org_spend, estimate, org_limit):
            return self._reject("spend_limit", org_limit, org_spend)
        if workspace_id is not None:
            ws_limit = self._workspace_limits.get(workspace_id)
            if ws_limit is not None:
                ws_spend = totals.get(workspace_id, ZERO)
                if _breaks(ws_spend, estimate, ws_limit):
                    return self._reject("workspace_spend_limit", ws_limit, ws_spend)
        if tier_cap is not None and _breaks(org_spend, estimate, tier_cap):
            return self._reject("tier_cap", tier_cap, org_spend)
        return None

    def _month_totals(self, now_ns: int) -> dict[str | None, Decimal]:
        # The current month's bounds and totals are cached so the common case is two integer comparisons.
        if self._month_start <= now_ns < self._month_end:
            return self._current
        self._month_start, self._month_end = month_bounds(now_ns)
        totals = self._totals.get(self._month_start)
        if totals is None:
            totals = self._totals[self._month_start] = {}
        self._current = totals
        return totals

    def _reject(self, reason: str, limit: Decimal, spent: Decimal) -> SpendRejection:
        resets_at = self._month_end
        date = _iso_date(resets_at)
        if reason == "tier_cap":
            message = TIER_CAP_MESSAGE.format(date=date)
            details = {"error_code": "enforced_spend_limit_reached"}
            return SpendRejection(429, "rate_limit_error", message, details, reason, resets_at, limit, spent)
        template = ORG_LIMIT_MESSAGE if reason == "spend_limit" else WORKSPACE_LIMIT_MESSAGE
        message = template.format(date=date)
        return SpendRejection(400, "invalid_request_error", message, None, reason, resets_at, limit, spent)


def _breaks(spent: Decimal, estimate: Decimal, limit: Decimal) -> bool:
    # Without a positive estimate, `spent + estimate > limit` adds nothing to `spent >= limit`.
    return spent >= limit or (estimate > ZERO and spent + estimate > limit)


def _iso_date(ns: int) -> str:
    year, month = _civil_year_month(ns // NS_PER_DAY)
    day = ns // NS_PER_DAY - _days_from_civil(year, month, 1) + 1
    return f"{year:04d}-{month:02d}-{day:02d}"


# Howard Hinnant's days <-> civil date algorithms: pure integer arithmetic, no datetime objects.
def _civil_year_month(days: int) -> tuple[int, int]:
    z = days + 719_468
    era = z // 146_097
    doe = z - era * 146_097
    yoe = (doe - doe // 1_460 + doe // 36_524 - doe // 146_096) // 365
    doy = doe - (365 * yoe + yoe // 4 - yoe // 100)
    mp = (5 * doy + 2) // 153
    month = mp + 3 if mp < 10 else mp - 9
    return yoe + era * 400 + (1 if month <= 2 else 0), month


def _days_from_civil(year: int, month: int, day: int) -> int:
    year -= 1 if month <= 2 else 0
    era = year // 400
    yoe = year - era * 400
    doy = (153 * (month - 3 if month > 2 else month + 9) + 2) // 5 + day - 1
    doe = yoe * 365 + yoe // 4 - yoe // 100 + doy
    return era * 146_097 + doe - 719_468
