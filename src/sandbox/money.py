"""Money in the sandbox: `Decimal` US dollars, never float.

Amounts are exact; rounding happens only when rendering, with a named rounding mode.
"""

from __future__ import annotations

from decimal import ROUND_HALF_EVEN, Decimal, InvalidOperation

ZERO = Decimal(0)
CENT = Decimal("0.01")
MILLION = Decimal(1_000_000)


class MoneyError(ValueError):
    """A value could not be read as an exact amount of money."""


def usd(value: str | int | Decimal) -> Decimal:
    """Read an exact dollar amount; floats are refused because they are not exact."""
    if isinstance(value, bool) or not isinstance(value, str | int | Decimal):
        raise MoneyError(f"money must be a decimal string, int or Decimal, got {type(value).__name__}")
    try:
        amount = Decimal(value)
    except InvalidOperation as exc:
        raise MoneyError(f"not an amount of money: {value!r}") from exc
    if not amount.is_finite():
        raise MoneyError(f"not a finite amount of money: {value!r}")
    return amount


def to_cents_string(amount: Decimal) -> str:
    """Dollars as the Admin API's cost amount: a decimal string in cents, exact."""
    cents = amount.scaleb(2)
    text = format(cents.normalize(), "f")
    return text if "." in text else text + ".0"


def display(amount: Decimal) -> str:
    """Dollars for people: `$1,234.57`, banker's rounding to the cent."""
    rounded = amount.quantize(CENT, rounding=ROUND_HALF_EVEN)
    sign = "-" if rounded < 0 else ""
    return f"{sign}${abs(rounded):,.2f}"
