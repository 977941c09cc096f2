"""Amounts and dates as people type them in a slash command: "$1,234.56", "500", "2026-11-01"."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, time
from decimal import Decimal, InvalidOperation

_AMOUNT = re.compile(r"\$?(-?)\$?([\d,]*\.?\d*)")
MAX_AMOUNT = Decimal("100000000")


class InputError(ValueError):
    """A word of a command that cannot be understood; the message says which and why."""


def parse_amount(text: str, *, allow_negative: bool = False, allow_zero: bool = False) -> Decimal:
    """Dollars with an optional `$` and thousands commas, at most 2 decimals (cents)."""
    match = _AMOUNT.fullmatch(text.strip())
    digits = match.group(2).replace(",", "") if match else ""
    if not match or not digits or digits == "." or _bad_commas(match.group(2)):
        raise InputError(f"{text!r} is not an amount; write it like 1234.56")
    try:
        amount = Decimal(match.group(1) + digits)
    except InvalidOperation:
        raise InputError(f"{text!r} is not an amount; write it like 1234.56") from None
    if amount.as_tuple().exponent < -2:  # type: ignore[operator]
        raise InputError(f"{text!r} has more than two decimals; amounts are in dollars and cents")
    if amount < 0 and not allow_negative:
        raise InputError(f"{text!r}: the amount must not be negative")
    if amount == 0 and not allow_zero:
        raise InputError(f"{text!r}: the amount must be more than zero")
    if abs(amount) > MAX_AMOUNT:
        raise InputError(f"{text!r} is larger than any plausible balance")
    return amount


def parse_day(text: str, *, now: datetime) -> datetime:
    """A date (YYYY-MM-DD, meaning 00:00 UTC) or an RFC 3339 instant, not in the future."""
    try:
        moment = (
            datetime.combine(date.fromisoformat(text), time(), tzinfo=UTC)
            if len(text) == 10
            else datetime.fromisoformat(text.replace("Z", "+00:00"))
        )
    except ValueError:
        raise InputError(f"{text!r} is not a date; write it like 2026-11-01") from None
    if moment.tzinfo is None:
        raise InputError(f"{text!r} needs a time zone, e.g. 2026-11-01T09:00:00Z")
    moment = moment.astimezone(UTC)
    if moment > now:
        raise InputError(f"{text!r} is in the future")
    return moment


def _bad_commas(number: str) -> bool:
    # "1,234" and "1234" are fine; "12,34" or ",5" are typos, not amounts.
    whole = number.split(".")[0]
    if "," not in whole:
        return False
    groups = whole.split(",")
    return not (1 <= len(groups[0]) <= 3 and all(len(group) == 3 for group in groups[1:]))
