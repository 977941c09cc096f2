"""Column types that keep money exact and instants aware, on SQLite and PostgreSQL alike."""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import DateTime, Text
from sqlalchemy.dialects import postgresql
from sqlalchemy.engine import Dialect
from sqlalchemy.types import TypeDecorator, TypeEngine


class Money(TypeDecorator[Decimal]):
    """A `Decimal` stored exactly: NUMERIC on PostgreSQL, a canonical decimal string (TEXT) on SQLite.

    Why: PostgreSQL's unconstrained NUMERIC is exact at any precision and scale, and keeps the amount a
    number for psql and SQL sums. SQLite has no decimal type (its NUMERIC affinity turns values into
    8-byte floats), so there the amount is the `Decimal` written in plain notation (`format(d, "f")`: no
    exponent, scale kept), read back with `Decimal(text)`, which is exact. The cost is that on SQLite a
    Money column cannot be compared or summed in SQL: compute with `Decimal` in Python. Floats are
    refused on bind (they are already inexact); ints are exact and accepted; NaN and infinities refused.
    """

    impl = Text
    cache_ok = True

    def load_dialect_impl(self, dialect: Dialect) -> TypeEngine[Any]:
        """NUMERIC on PostgreSQL, TEXT elsewhere."""
        if dialect.name == "postgresql":
            return dialect.type_descriptor(postgresql.NUMERIC())
        return dialect.type_descriptor(Text())

    def process_bind_param(self, value: object, dialect: Dialect) -> Any:
        """Validate and convert an amount for the database."""
        if value is None:
            return None
        amount = to_decimal(value)
        return amount if dialect.name == "postgresql" else format(amount, "f")

    def process_result_value(self, value: Any, dialect: Dialect) -> Decimal | None:
        """The stored amount as a `Decimal`."""
        if value is None:
            return None
        return value if isinstance(value, Decimal) else Decimal(value)


def to_decimal(value: object) -> Decimal:
    """An exact finite `Decimal` from a `Decimal` or an `int`; floats and anything else are refused."""
    if isinstance(value, bool) or not isinstance(value, Decimal | int):
        raise TypeError(f"money must be a Decimal (or an int), not {type(value).__name__}")
    amount = Decimal(value)
    if not amount.is_finite():
        raise ValueError(f"money must be finite, not {amount}")
    return amount


class UtcDateTime(TypeDecorator[datetime]):
    """An aware instant, stored as UTC and read back aware in UTC; naive datetimes are refused on bind.

    PostgreSQL: `timestamp with time zone` (read back in the session's zone, converted to UTC).
    SQLite: SQLAlchemy's fixed-width ISO text of the UTC wall time (`2026-11-01 12:00:00.000000`), which
    sorts chronologically, so range queries work; UTC is attached again on read.
    """

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: object, dialect: Dialect) -> datetime | None:
        """Validate an aware instant and convert it to UTC."""
        if value is None:
            return None
        if not isinstance(value, datetime):
            raise TypeError(f"expected an aware datetime, not {type(value).__name__}")
        if value.tzinfo is None or value.utcoffset() is None:
            raise ValueError(f"naive datetime {value.isoformat()} refused: give it a timezone (UTC)")
        utc = value.astimezone(UTC)
        return utc.replace(tzinfo=None) if dialect.name == "sqlite" else utc

    def process_result_value(self, value: Any, dialect: Dialect) -> datetime | None:
        """The stored instant, aware, in UTC."""
        if value is None:
            return None
        if value.tzinfo is None:
            # Only SQLite stores wall time without a zone, and it is UTC by construction (see bind).
            return value.replace(tzinfo=UTC)  # type: ignore[no-any-return]
        return value.astimezone(UTC)  # type: ignore[no-any-return]
