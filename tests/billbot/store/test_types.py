"""Money and UtcDateTime round-trip exactly on both backends; floats and naive datetimes are refused."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta, timezone
from decimal import Decimal

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from sqlalchemy import Column, Engine, Integer, MetaData, Table, insert, select, text
from sqlalchemy.exc import StatementError

from billbot.store.types import Money, UtcDateTime

SAME_ENGINE = settings(suppress_health_check=[HealthCheck.function_scoped_fixture], max_examples=60)

decimals = st.integers(min_value=0, max_value=18).flatmap(
    lambda places: st.decimals(
        min_value=Decimal("-1e15"),
        max_value=Decimal("1e15"),
        places=places,
        allow_nan=False,
        allow_infinity=False,
    )
)
fixed_offsets = st.builds(
    timezone,
    st.timedeltas(min_value=timedelta(hours=-23, minutes=-59), max_value=timedelta(hours=23, minutes=59)),
)
aware_datetimes = st.datetimes(
    min_value=datetime(1900, 1, 2),
    max_value=datetime(2200, 1, 1),
    timezones=st.one_of(st.timezones(), fixed_offsets),
)


@pytest.fixture
def roundtrip(engine: Engine) -> Iterator[Table]:
    """A scratch table with one column of each type."""
    metadata = MetaData()
    table = Table(
        "roundtrip",
        metadata,
        Column("id", Integer, primary_key=True),
        Column("amount", Money),
        Column("at", UtcDateTime),
    )
    metadata.create_all(engine)
    yield table
    metadata.drop_all(engine)


def store_and_load(engine: Engine, table: Table, **values: object) -> tuple[Decimal | None, datetime | None]:
    """Insert one row, then read it back on a fresh connection."""
    with engine.begin() as connection:
        row_id = connection.execute(insert(table).values(**values).returning(table.c.id)).scalar_one()
    with engine.connect() as connection:
        row = connection.execute(select(table.c.amount, table.c.at).where(table.c.id == row_id)).one()
    return row.amount, row.at


@SAME_ENGINE
@given(amount=decimals)
@example(amount=Decimal("0.000000001"))
@example(amount=Decimal("123456789012.3456789"))
@example(amount=Decimal("-4.20"))
@example(amount=Decimal("1E+3"))
@example(amount=Decimal("-0"))
@example(amount=Decimal("12378912.000000"))
def test_money_round_trips_exactly(engine: Engine, roundtrip: Table, amount: Decimal) -> None:
    stored, _ = store_and_load(engine, roundtrip, amount=amount)
    assert isinstance(stored, Decimal)
    assert stored == amount
    assert stored.as_tuple().exponent == min(amount.as_tuple().exponent, 0)


@SAME_ENGINE
@given(moment=aware_datetimes)
@example(moment=datetime(2026, 11, 1, 12, 0, 0, 1, tzinfo=UTC))
@example(moment=datetime(2026, 3, 29, 1, 30, tzinfo=timezone(timedelta(hours=-9, minutes=-30))))
def test_aware_datetimes_come_back_as_the_same_instant_in_utc(
    engine: Engine, roundtrip: Table, moment: datetime
) -> None:
    _, stored = store_and_load(engine, roundtrip, at=moment)
    assert stored is not None
    assert stored.tzinfo is UTC
    assert stored == moment.astimezone(UTC)


def test_nulls_stay_null(engine: Engine, roundtrip: Table) -> None:
    assert store_and_load(engine, roundtrip, amount=None, at=None) == (None, None)


@pytest.mark.parametrize("bad", [0.1, 1.0, float("nan"), "1.00", True])
def test_money_refuses_floats_and_other_non_decimals(engine: Engine, roundtrip: Table, bad: object) -> None:
    with pytest.raises(StatementError, match="money must be a Decimal"):
        store_and_load(engine, roundtrip, amount=bad)


@pytest.mark.parametrize("bad", [Decimal("NaN"), Decimal("Infinity"), Decimal("-Infinity")])
def test_money_refuses_non_finite_decimals(engine: Engine, roundtrip: Table, bad: Decimal) -> None:
    with pytest.raises(StatementError, match="money must be finite"):
        store_and_load(engine, roundtrip, amount=bad)


def test_money_accepts_ints_exactly(engine: Engine, roundtrip: Table) -> None:
    assert store_and_load(engine, roundtrip, amount=10**20)[0] == Decimal(10**20)


def test_naive_datetimes_are_refused(engine: Engine, roundtrip: Table) -> None:
    with pytest.raises(StatementError, match="naive datetime"):
        store_and_load(engine, roundtrip, at=datetime(2026, 11, 1, 12, 0))


def test_a_date_string_is_not_a_datetime(engine: Engine, roundtrip: Table) -> None:
    with pytest.raises(StatementError, match="expected an aware datetime"):
        store_and_load(engine, roundtrip, at="2026-11-01T12:00:00Z")


def test_range_queries_compare_instants_not_wall_times(engine: Engine, roundtrip: Table) -> None:
    noon_utc = datetime(2026, 11, 1, 12, tzinfo=UTC)
    store_and_load(engine, roundtrip, at=noon_utc)
    # 08:00 at UTC-5 is 13:00 UTC: after noon, although its wall time is earlier.
    later = datetime(2026, 11, 1, 8, tzinfo=timezone(timedelta(hours=-5)))
    with engine.connect() as connection:
        assert connection.execute(select(roundtrip.c.id).where(roundtrip.c.at >= later)).all() == []
        assert len(connection.execute(select(roundtrip.c.id).where(roundtrip.c.at < later)).all()) == 1


def test_storage_is_lossless_on_disk(engine: Engine, roundtrip: Table) -> None:
    store_and_load(engine, roundtrip, amount=Decimal("0.000000001"), at=datetime(2026, 11, 1, 12, tzinfo=UTC))
    with engine.connect() as connection:
        if engine.dialect.name == "sqlite":
            raw = connection.execute(text("SELECT amount, typeof(amount), at FROM roundtrip")).one()
            assert tuple(raw) == ("0.000000001", "text", "2026-11-01 12:00:00.000000")
        else:
            kind = connection.execute(
                text("SELECT pg_typeof(amount)::text, pg_typeof(at)::text FROM roundtrip")
            ).one()
            assert tuple(kind) == ("numeric", "timestamp with time zone")
