"""Money stays exact: no floats in, cents strings out, display rounding named."""

from decimal import Decimal

import pytest

from sandbox.money import MoneyError, display, to_cents_string, usd


def test_usd_reads_exact_amounts_and_refuses_floats() -> None:
    assert usd("12.345") == Decimal("12.345")
    assert usd(5) == Decimal(5)
    with pytest.raises(MoneyError, match="float"):
        usd(0.1)  # type: ignore[arg-type]
    with pytest.raises(MoneyError, match="not an amount"):
        usd("ten dollars")
    with pytest.raises(MoneyError, match="finite"):
        usd("NaN")


@pytest.mark.parametrize(
    ("dollars", "cents"),
    [("1.2345", "123.45"), ("0", "0.0"), ("412.8", "41280.0"), ("0.0000015", "0.00015")],
)
def test_cost_report_amounts_are_exact_cents_strings(dollars: str, cents: str) -> None:
    assert to_cents_string(Decimal(dollars)) == cents


def test_display_rounds_half_even_to_the_cent() -> None:
    assert display(Decimal("1234.565")) == "$1,234.56"
    assert display(Decimal("-0.015")) == "-$0.02"
