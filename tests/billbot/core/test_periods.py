"""The period grammar: every form, the edges of months and years, and a clear message for everything else."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from billbot.core.periods import GRAMMAR, PeriodError, parse_period

NOW = datetime(2026, 11, 22, 15, 30, tzinfo=UTC)


def utc(year: int, month: int, day: int, hour: int = 0, minute: int = 0) -> datetime:
    return datetime(year, month, day, hour, minute, tzinfo=UTC)


@pytest.mark.parametrize(
    ("text", "start", "end", "complete"),
    [
        (None, utc(2026, 11, 1), NOW, False),
        ("mtd", utc(2026, 11, 1), NOW, False),
        ("today", utc(2026, 11, 22), NOW, False),
        ("yesterday", utc(2026, 11, 21), utc(2026, 11, 22), True),
        ("7d", utc(2026, 11, 16), NOW, False),
        ("30d", utc(2026, 10, 24), NOW, False),
        ("90d", utc(2026, 8, 25), NOW, False),
        ("last-month", utc(2026, 10, 1), utc(2026, 11, 1), True),
        ("2026-02", utc(2026, 2, 1), utc(2026, 3, 1), True),
        ("2026-11", utc(2026, 11, 1), NOW, False),
        ("2026-11-01..2026-11-03", utc(2026, 11, 1), utc(2026, 11, 4), True),
        ("2026-11-20..2026-11-30", utc(2026, 11, 20), NOW, False),
        (" MTD ", utc(2026, 11, 1), NOW, False),
    ],
)
def test_each_form_is_a_half_open_utc_interval(
    text: str | None, start: datetime, end: datetime, complete: bool
) -> None:
    period = parse_period(text, NOW)
    assert (period.start, period.end, period.complete) == (start, end, complete)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("lastweek", f"unknown period 'lastweek': use {GRAMMAR}"),
        ("0d", "0d: the number of days must be between 1 and 365"),
        ("400d", "400d: the number of days must be between 1 and 365"),
        ("2026-13", "2026-13: there is no month 13"),
        ("2026-12", "2026-12: that month has not started yet"),
        ("2026-02-30..2026-03-01", "2026-02-30: not a real date (YYYY-MM-DD)"),
        ("2026-11-05..2026-11-01", "2026-11-05..2026-11-01: the end is before the start"),
        ("2026-12-01..2026-12-02", "2026-12-01..2026-12-02: the range starts in the future"),
        ("2020-01-01..2026-01-01", "2020-01-01..2026-01-01: a range can span at most 731 days"),
        ("1999-05", "1999-05: the year must be 2000 or later"),
    ],
)
def test_bad_periods_say_what_is_wrong(text: str, message: str) -> None:
    with pytest.raises(PeriodError) as caught:
        parse_period(text, NOW)
    assert str(caught.value) == message


def test_last_month_across_a_year_boundary() -> None:
    period = parse_period("last-month", utc(2027, 1, 10))
    assert (period.start, period.end) == (utc(2026, 12, 1), utc(2027, 1, 1))
    assert period.previous().start == utc(2026, 11, 1)


def test_month_to_date_compares_with_the_same_days_of_the_month_before() -> None:
    previous = parse_period("mtd", NOW).previous()
    assert (previous.start, previous.end) == (utc(2026, 10, 1), utc(2026, 10, 22, 15, 30))
    # March 31st compares with all of February, not a span spilling into March.
    short = parse_period("mtd", utc(2026, 3, 31, 12)).previous()
    assert (short.start, short.end, short.complete) == (utc(2026, 2, 1), utc(2026, 3, 1), True)


def test_rolling_periods_compare_with_the_same_length_just_before() -> None:
    period = parse_period("7d", NOW)
    previous = period.previous()
    assert previous.end == period.start and previous.end - previous.start == period.end - period.start


def test_naive_now_is_a_programming_error() -> None:
    with pytest.raises(ValueError, match="timezone-aware"):
        parse_period("mtd", datetime(2026, 11, 22))


@given(st.text(max_size=40), st.datetimes(min_value=datetime(2001, 1, 1), max_value=datetime(2100, 1, 1)))
def test_any_text_is_a_period_or_a_period_error(text: str, naive_now: datetime) -> None:
    now = naive_now.replace(tzinfo=UTC)
    try:
        period = parse_period(text, now)
    except PeriodError as error:
        assert str(error)
        return
    assert period.start <= period.end <= now
    assert period.end - period.start <= timedelta(days=731)
    previous = period.previous()
    assert previous.start <= previous.end <= period.start


@given(
    st.dates(min_value=datetime(2001, 1, 1).date(), max_value=datetime(2099, 1, 1).date()),
    st.integers(min_value=0, max_value=730),
)
def test_any_valid_range_covers_exactly_its_days(first: object, extra: int) -> None:
    from datetime import date

    assert isinstance(first, date)
    last = first + timedelta(days=extra)
    now = utc(2102, 1, 1)
    period = parse_period(f"{first}..{last}", now)
    assert period.days == extra + 1 and period.complete
