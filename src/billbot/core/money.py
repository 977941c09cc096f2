"""Money for display: dollars and cents with a named rounding mode, percentages, token counts."""

from __future__ import annotations

from decimal import ROUND_HALF_EVEN, Decimal

CENT = Decimal("0.01")


def usd(amount: Decimal) -> str:
    """`$1,234.57` (banker's rounding to the cent); amounts under a cent show as `<$0.01`."""
    if 0 < abs(amount) < CENT:
        return "<$0.01" if amount > 0 else "-<$0.01"
    rounded = amount.quantize(CENT, rounding=ROUND_HALF_EVEN)
    sign = "-" if rounded < 0 else ""
    return f"{sign}${abs(rounded):,.2f}"


def percent(fraction: Decimal, *, signed: bool = False) -> str:
    """`42%`, or `+12%` / `-3%` for a change; one decimal below 10%."""
    value = fraction * 100
    places = Decimal("0.1") if abs(value) < 10 else Decimal(1)
    shown = value.quantize(places, rounding=ROUND_HALF_EVEN)
    text = f"{shown:,}%"
    return f"+{text}" if signed and shown > 0 else text


def tokens(count: int) -> str:
    """`1.2M`, `34.5K`, `987`: token counts at a glance."""
    for size, suffix in ((1_000_000_000, "B"), (1_000_000, "M"), (1_000, "K")):
        if abs(count) >= size:
            return f"{Decimal(count) / size:.1f}{suffix}"
    return str(count)
