"""Deadlines and lateness, clause by clause, at the edges of each window."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta, timezone

import pytest

from billbot.tickets.catalog import load_profiles
from billbot.tickets.domain.model import Category, Claim, TicketKind
from billbot.tickets.domain.policy import assess

PROFILES = load_profiles()
T0 = datetime(2026, 6, 1, 10, 0, tzinfo=UTC)  # the disputed transaction
COM_DISPUTES = [
    Category.DUPLICATE_CHARGE,
    Category.CHARGED_BUT_FAILED,
    Category.OVERCHARGE,
    Category.NOT_CREDITED,
    Category.OTHER,
]


def claim(provider: str, category: Category, at: datetime = T0) -> Claim:
    """A claim about a transaction at `at`, filed right then."""
    kind = TicketKind.REFUND if category is Category.UNUSED_BALANCE else TicketKind.DISPUTE
    return Claim(kind, category, provider, at, at)


@pytest.mark.parametrize("category", COM_DISPUTES)
@pytest.mark.parametrize(
    ("now", "late"),
    [
        (datetime(2026, 6, 30, 12, 0, tzinfo=UTC), False),  # day 29
        (datetime(2026, 7, 1, 0, 0, tzinfo=UTC), False),  # day 30 begins
        (datetime(2026, 7, 1, 23, 59, 59, tzinfo=UTC), False),  # day 30 at 23:59:59
        (datetime(2026, 7, 2, 0, 0, tzinfo=UTC), True),  # day 31
        (datetime(2026, 7, 2, 0, 0, 1, tzinfo=UTC), True),
    ],
)
def test_claudeapi_com_objection_is_due_within_30_days_of_the_transaction_date(
    category: Category, now: datetime, late: bool
) -> None:
    verdict = assess(claim("claudeapi-com", category), PROFILES["claudeapi-com"], now)
    assert verdict.deadline == datetime(2026, 7, 1, 23, 59, 59, 999999, tzinfo=UTC)
    assert verdict.late is late


@pytest.mark.parametrize(
    ("transaction_at", "deadline_day"),
    [
        (datetime(2026, 6, 1, 0, 0, tzinfo=UTC), datetime(2026, 7, 1, tzinfo=UTC)),
        (
            datetime(2026, 6, 1, 23, 59, 59, tzinfo=UTC),
            datetime(2026, 7, 1, tzinfo=UTC),
        ),  # time of day is moot
        (datetime(2026, 12, 15, 9, 0, tzinfo=UTC), datetime(2027, 1, 14, tzinfo=UTC)),  # across a year end
        (datetime(2028, 2, 1, 9, 0, tzinfo=UTC), datetime(2028, 3, 2, tzinfo=UTC)),  # through 29 February
        # 20:00 in Denver on 1 June is 2 June in UTC: days are counted in UTC.
        (datetime(2026, 6, 1, 20, 0, tzinfo=timezone(timedelta(hours=-6))), datetime(2026, 7, 2, tzinfo=UTC)),
    ],
)
def test_the_30_days_count_utc_calendar_days(transaction_at: datetime, deadline_day: datetime) -> None:
    verdict = assess(
        claim("claudeapi-com", Category.OVERCHARGE, transaction_at), PROFILES["claudeapi-com"], T0
    )
    assert verdict.deadline is not None
    assert verdict.deadline.date() == deadline_day.date()
    assert (verdict.deadline.hour, verdict.deadline.minute, verdict.deadline.second) == (23, 59, 59)


@pytest.mark.parametrize(
    ("now", "late"),
    [
        (T0 + timedelta(days=6, hours=23), False),
        (T0 + timedelta(days=7) - timedelta(seconds=1), False),
        (T0 + timedelta(days=7), False),  # exactly 7 × 24 hours later: still within
        (T0 + timedelta(days=7, seconds=1), True),
        (T0 + timedelta(days=8), True),
    ],
)
def test_claudeapi_cheap_refund_is_within_7_days_of_the_top_up(now: datetime, late: bool) -> None:
    verdict = assess(claim("claudeapi-cheap", Category.UNUSED_BALANCE), PROFILES["claudeapi-cheap"], now)
    assert verdict.deadline == T0 + timedelta(days=7)
    assert verdict.late is late


@pytest.mark.parametrize(
    ("provider", "category"),
    [
        *(("anthropic", c) for c in Category),  # Anthropic documents no window at all
        ("claudeapi-com", Category.UNUSED_BALANCE),  # governed by a Refund Policy billbot has not got
        ("claudeapi-com", Category.SLA_CREDIT),
        *(("claudeapi-cheap", c) for c in Category if c is not Category.UNUSED_BALANCE),
    ],
)
def test_no_deadline_where_the_terms_set_none(provider: str, category: Category) -> None:
    years_later = T0 + timedelta(days=3 * 365)
    verdict = assess(claim(provider, category), PROFILES[provider], years_later)
    assert verdict.deadline is None
    assert verdict.late is False
    assert not [note for note in verdict.notes if note.text.startswith("Late")]


def test_anthropic_says_honestly_that_it_has_no_window() -> None:
    verdict = assess(claim("anthropic", Category.OVERCHARGE), PROFILES["anthropic"], T0)
    assert any("documents no window" in note.text for note in verdict.notes)


@pytest.mark.parametrize(
    ("submitted_at", "now", "late"),
    [
        (
            datetime(2026, 6, 20, tzinfo=UTC),
            datetime(2026, 9, 1, tzinfo=UTC),
            False,
        ),  # sent in time, judged later
        (datetime(2026, 7, 1, 23, 59, 59, tzinfo=UTC), datetime(2026, 9, 1, tzinfo=UTC), False),
        (
            datetime(2026, 7, 2, 0, 0, tzinfo=UTC),
            datetime(2026, 7, 2, 0, 0, tzinfo=UTC),
            True,
        ),  # sent too late
        (
            datetime(2026, 7, 5, tzinfo=UTC),
            datetime(2026, 6, 15, tzinfo=UTC),
            True,
        ),  # the sending time decides
    ],
)
def test_lateness_is_judged_at_submission_once_submitted(
    submitted_at: datetime, now: datetime, late: bool
) -> None:
    filed = replace(claim("claudeapi-com", Category.DUPLICATE_CHARGE), submitted_at=submitted_at)
    assert assess(filed, PROFILES["claudeapi-com"], now).late is late


def test_a_late_claim_gets_a_blocker_quoting_the_window_clause() -> None:
    verdict = assess(
        claim("claudeapi-com", Category.CHARGED_BUT_FAILED),
        PROFILES["claudeapi-com"],
        T0 + timedelta(days=31),
    )
    blockers = [note for note in verdict.notes if note.severity == "blocker"]
    assert len(blockers) == 1
    assert "2026-07-01 23:59 UTC" in blockers[0].text
    assert "has not been sent" in blockers[0].text
    assert blockers[0].clause is not None
    assert blockers[0].clause.ref == "Service Delivery Terms §11.2"
    assert "within 30 days of the date the transaction occurs" in blockers[0].clause.quote


def test_a_claim_in_time_is_told_when_to_send_it_by() -> None:
    verdict = assess(claim("claudeapi-cheap", Category.UNUSED_BALANCE), PROFILES["claudeapi-cheap"], T0)
    first = verdict.notes[0]
    assert first.severity == "info"
    assert "by 2026-06-08 10:00 UTC" in first.text
    assert first.clause is not None and "7 days no questions asked" in first.clause.quote


def test_a_late_cheap_refund_is_blocked_with_its_clause() -> None:
    verdict = assess(
        claim("claudeapi-cheap", Category.UNUSED_BALANCE), PROFILES["claudeapi-cheap"], T0 + timedelta(days=9)
    )
    assert verdict.late
    (blocker,) = [note for note in verdict.notes if note.severity == "blocker"]
    assert blocker.clause is not None and blocker.clause.ref.startswith("SLA page")
