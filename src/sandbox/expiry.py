"""Credit expiry rules: when a lot of prepaid credit stops being usable.

Provider profiles name their rule as data (`expiry_rule("one_year_after_purchase")`), so the ledger
only ever asks a rule two things: when does a lot granted now expire, and does a top-up push back the
expiry of every lot already held.

Rules:
- A lot is usable while `now < expires_at` and expired from `now >= expires_at` (the expiry instant
  itself is already expired); `expires_at is None` never expires.
- "one_year_after_purchase" (Anthropic): the same UTC instant one calendar year later. A lot granted
  on Feb 29 expires on Feb 28 of the next year, so a lot never lives longer than a year. UTC has no
  daylight saving, so "same instant" is a whole number of days (365 or 366) later, to the nanosecond.
- "days_after_last_topup" (a reseller): every lot expires `days` after the most recent top-up; each
  top-up pushes back the expiry of every unexpired lot (an expired lot is never revived).
- "never": lots never expire.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Final, Protocol

from sandbox.clock import NS_PER_DAY

_EPOCH_DATE: Final = date(1970, 1, 1)
RULE_NAMES: Final = ("one_year_after_purchase", "days_after_last_topup", "never")


class UnknownExpiryRule(ValueError):
    """An expiry rule name that no rule answers to."""

    def __init__(self, name: str) -> None:
        super().__init__(f"unknown expiry rule {name!r}; expected one of {', '.join(RULE_NAMES)}")
        self.name = name


class InvalidExpiryDays(ValueError):
    """A `days` parameter that is missing or not a positive whole number."""

    def __init__(self, days: int | None) -> None:
        super().__init__(f"days_after_last_topup needs days >= 1, got {days!r}")
        self.days = days


class ExpiryRule(Protocol):
    """When lots expire, and whether a top-up pushes back every lot's expiry."""

    @property
    def name(self) -> str:
        """The rule's name as provider profiles spell it."""
        ...

    @property
    def topup_pushes_back_all(self) -> bool:
        """True if each top-up moves every unexpired lot's expiry to the new top-up's expiry."""
        ...

    def expires_at(self, granted_at_ns: int) -> int | None:
        """Expiry instant of a lot granted at `granted_at_ns` (None: never)."""
        ...


def is_expired(expires_at_ns: int | None, now_ns: int) -> bool:
    """True from the expiry instant on (`now >= expires_at`); never for None."""
    return expires_at_ns is not None and now_ns >= expires_at_ns


def one_year_later_ns(granted_at_ns: int) -> int:
    """The same UTC instant one calendar year later, Feb 29 mapping to Feb 28."""
    day_index, time_of_day = divmod(granted_at_ns, NS_PER_DAY)
    granted = _EPOCH_DATE + timedelta(days=day_index)
    try:
        anniversary = granted.replace(year=granted.year + 1)
    except ValueError:  # Feb 29 has no anniversary: Feb 28 keeps the lot's life within a year
        anniversary = granted.replace(year=granted.year + 1, day=28)
    return (anniversary - _EPOCH_DATE).days * NS_PER_DAY + time_of_day


@dataclass(frozen=True, slots=True)
class OneYearAfterPurchase:
    """Anthropic: each lot expires one calendar year after it was granted."""

    name: str = "one_year_after_purchase"
    topup_pushes_back_all: bool = False

    def expires_at(self, granted_at_ns: int) -> int | None:
        """One calendar year after the grant."""
        return one_year_later_ns(granted_at_ns)


@dataclass(frozen=True, slots=True)
class DaysAfterLastTopup:
    """A reseller: the whole balance expires `days` after the most recent top-up."""

    days: int
    name: str = "days_after_last_topup"
    topup_pushes_back_all: bool = True

    def __post_init__(self) -> None:
        if isinstance(self.days, bool) or not isinstance(self.days, int) or self.days < 1:
            raise InvalidExpiryDays(self.days)

    def expires_at(self, granted_at_ns: int) -> int | None:
        """`days` whole days after the grant."""
        return granted_at_ns + self.days * NS_PER_DAY


@dataclass(frozen=True, slots=True)
class NeverExpires:
    """Credits that never expire."""

    name: str = "never"
    topup_pushes_back_all: bool = False

    def expires_at(self, granted_at_ns: int) -> int | None:
        """Never."""
        return None


def expiry_rule(name: str, *, days: int | None = None) -> ExpiryRule:
    """The rule called `name`; `days` is used only by "days_after_last_topup" (and required there)."""
    if name == "one_year_after_purchase":
        return OneYearAfterPurchase()
    if name == "days_after_last_topup":
        if days is None:
            raise InvalidExpiryDays(days)
        return DaysAfterLastTopup(days)
    if name == "never":
        return NeverExpires()
    raise UnknownExpiryRule(name)
