"""Eligibility notes and remedies, per provider and category, each note quoting its clause."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime

import pytest

from billbot.tickets.catalog import load_profiles
from billbot.tickets.domain.model import Category, Claim, TicketKind
from billbot.tickets.domain.policy import assess

PROFILES = load_profiles()
T0 = datetime(2026, 6, 1, 10, 0, tzinfo=UTC)
C = Category
NO_CLAUSE = None
# Notes in order, as (severity, a fragment of the clause's ref or None for a note without a clause).
NoteShape = tuple[str, str | None]
ANTHROPIC_NO_WINDOW: NoteShape = ("info", NO_CLAUSE)
ANTHROPIC_AS_CREDITS: NoteShape = ("info", "Research summary, Refund Rules")
NOT_ACCEPTED: NoteShape = ("warning", NO_CLAUSE)
COM_WINDOW: tuple[NoteShape, ...] = (("info", "§11.2"), ("warning", "§11.2"))  # the date, then incompleteness
COM_PLATFORM: NoteShape = ("info", "§10.3")
COM_USER_CAUSED: NoteShape = ("warning", "§7.2")
COM_LIABILITY: NoteShape = ("info", "§10.4")
COM_REMEDIES = ("refund", "re-issue of credits", "billing correction")
CHEAP_FIX: NoteShape = ("info", "introduction")
CHEAP_REFUND = "FAQ: What's the refund policy?"
CHEAP_SLA = "FAQ: How does the 1% credit work"
CHEAP_COVER = "FAQ: What exactly does the 99.5% uptime guarantee cover?"


def claim(provider: str, category: Category, pro_limits_used: bool | None = None) -> Claim:
    """A bare claim, filed with the command that fits its category."""
    kind = TicketKind.REFUND if category is C.UNUSED_BALANCE else TicketKind.DISPUTE
    return Claim(kind, category, provider, T0, T0, pro_limits_used=pro_limits_used)


CASES: list[tuple[str, Category, bool | None, tuple[NoteShape, ...], tuple[str, ...]]] = [
    ("anthropic", C.DUPLICATE_CHARGE, None, (ANTHROPIC_NO_WINDOW, ANTHROPIC_AS_CREDITS), ("credit",)),
    (
        "anthropic",
        C.CHARGED_BUT_FAILED,
        None,
        (ANTHROPIC_NO_WINDOW, ("info", "§3.1 What Credits Are"), ANTHROPIC_AS_CREDITS),
        ("credit",),
    ),
    ("anthropic", C.OVERCHARGE, None, (ANTHROPIC_NO_WINDOW, ANTHROPIC_AS_CREDITS), ("credit",)),
    ("anthropic", C.NOT_CREDITED, None, (ANTHROPIC_NO_WINDOW, ANTHROPIC_AS_CREDITS), ("credit",)),
    (
        "anthropic",
        C.UNUSED_BALANCE,
        None,
        (NOT_ACCEPTED, ANTHROPIC_NO_WINDOW, ("blocker", "§3.4"), ("info", "§3.4")),
        (),
    ),
    (
        "anthropic",
        C.SLA_CREDIT,
        None,
        (NOT_ACCEPTED, ANTHROPIC_NO_WINDOW, ("warning", "Credit Policies")),
        (),
    ),
    ("anthropic", C.OTHER, None, (ANTHROPIC_NO_WINDOW,), ()),
    (
        "claudeapi-com",
        C.DUPLICATE_CHARGE,
        None,
        (*COM_WINDOW, COM_PLATFORM, COM_USER_CAUSED, COM_LIABILITY),
        COM_REMEDIES,
    ),
    (
        "claudeapi-com",
        C.CHARGED_BUT_FAILED,
        None,
        (*COM_WINDOW, COM_PLATFORM, COM_USER_CAUSED, ("warning", "§6.3"), ("info", "§6.5"), COM_LIABILITY),
        (*COM_REMEDIES, "credit return"),
    ),
    (
        "claudeapi-com",
        C.OVERCHARGE,
        None,
        (*COM_WINDOW, COM_PLATFORM, COM_USER_CAUSED, ("info", "§6.5"), ("warning", "§6.2"), COM_LIABILITY),
        (*COM_REMEDIES, "credit return"),
    ),
    (
        "claudeapi-com",
        C.NOT_CREDITED,
        None,
        (*COM_WINDOW, COM_PLATFORM, ("info", "§4.4"), COM_LIABILITY),
        (*COM_REMEDIES, "re-crediting"),
    ),
    (
        "claudeapi-com",
        C.UNUSED_BALANCE,
        None,
        (("warning", "§5.2"), ("info", "§12.2"), COM_LIABILITY),
        ("refund of the qualifying unused balance",),
    ),
    ("claudeapi-com", C.SLA_CREDIT, None, (NOT_ACCEPTED, COM_LIABILITY), ()),
    ("claudeapi-com", C.OTHER, None, (*COM_WINDOW, COM_USER_CAUSED, COM_LIABILITY), ()),
    *(
        ("claudeapi-cheap", category, None, (NOT_ACCEPTED, CHEAP_FIX), ())
        for category in (C.DUPLICATE_CHARGE, C.CHARGED_BUT_FAILED, C.OVERCHARGE, C.NOT_CREDITED, C.OTHER)
    ),
    (
        "claudeapi-cheap",
        C.SLA_CREDIT,
        None,
        (
            ("info", CHEAP_SLA),
            ("warning", CHEAP_SLA),
            ("info", CHEAP_COVER),
            ("info", CHEAP_COVER),
            ("info", CHEAP_SLA),
        ),
        ("balance credit of 1% of the month's net spend",),
    ),
    # The Pro upgrade: refundable only if Pro-tier limits were unused; unknown asks the user to say.
    *(
        (
            "claudeapi-cheap",
            C.UNUSED_BALANCE,
            used,
            (
                ("info", CHEAP_REFUND),
                ("info", CHEAP_REFUND),
                (pro, CHEAP_REFUND),
                ("info", "unused for a year"),
            ),
            ("refund of the remaining balance to the original payment method", *extra),
        )
        for used, pro, extra in [
            (None, "warning", ()),
            (True, "warning", ()),
            (False, "info", ("refund of the $19 Pro upgrade",)),
        ]
    ),
]


@pytest.mark.parametrize(("provider", "category", "pro_used", "notes", "remedies"), CASES)
def test_eligibility_notes_and_remedies(
    provider: str,
    category: Category,
    pro_used: bool | None,
    notes: tuple[NoteShape, ...],
    remedies: tuple[str, ...],
) -> None:
    verdict = assess(claim(provider, category, pro_used), PROFILES[provider], T0)
    got = [(note.severity, note.clause.ref if note.clause else None) for note in verdict.notes]
    assert [severity for severity, _ in got] == [severity for severity, _ in notes]
    for (_, ref), (_, fragment) in zip(got, notes, strict=True):
        assert (ref is None) if fragment is None else (ref is not None and fragment in ref)
    assert verdict.remedies == remedies


@pytest.mark.parametrize("category", list(Category))
@pytest.mark.parametrize("provider", ["anthropic", "claudeapi-com", "claudeapi-cheap"])
def test_every_note_with_a_clause_quotes_it_and_names_its_source(provider: str, category: Category) -> None:
    verdict = assess(claim(provider, category), PROFILES[provider], T0)
    for note in verdict.notes:
        assert note.text
        if note.clause is not None:
            assert note.clause.quote and note.clause.ref and note.clause.source


def test_anthropic_refuses_an_unused_balance_refund_because_credits_are_non_refundable() -> None:
    verdict = assess(claim("anthropic", C.UNUSED_BALANCE), PROFILES["anthropic"], T0)
    (blocker,) = [note for note in verdict.notes if note.severity == "blocker"]
    assert blocker.clause is not None and "non-refundable" in blocker.clause.quote
    assert blocker.text.startswith("Not eligible")


@pytest.mark.parametrize(
    ("used", "fragment"),
    [
        (None, "only if Pro-tier rate limits were not used"),
        (True, "not refundable"),
        (False, "refundable too"),
    ],
)
def test_claudeapi_cheap_pro_upgrade_note_follows_whether_pro_limits_were_used(
    used: bool | None, fragment: str
) -> None:
    verdict = assess(claim("claudeapi-cheap", C.UNUSED_BALANCE, used), PROFILES["claudeapi-cheap"], T0)
    (note,) = [note for note in verdict.notes if "$19 Pro upgrade" in note.text]
    assert fragment in note.text
    assert note.clause is not None and "if you haven't used Pro-tier rate limits" in note.clause.quote


def test_claudeapi_com_separates_platform_caused_from_user_caused() -> None:
    verdict = assess(claim("claudeapi-com", C.DUPLICATE_CHARGE), PROFILES["claudeapi-com"], T0)
    quotes = {note.severity: note.clause.quote for note in verdict.notes[2:4] if note.clause}
    assert "Platform responsibility" in quotes["info"]
    assert "automatic retries" in quotes["warning"]


@pytest.mark.parametrize(
    ("now", "severity", "fragment"),
    [
        (datetime(2026, 12, 20, tzinfo=UTC), "info", "is due by 10 January 2027"),
        (datetime(2027, 1, 10, 23, 59, tzinfo=UTC), "info", "is due by 10 January 2027"),
        (datetime(2027, 1, 11, 0, 0, tzinfo=UTC), "warning", "was due by 10 January 2027"),
    ],
)
def test_an_sla_ticket_checks_the_credit_arrived_by_the_10th(
    now: datetime, severity: str, fragment: str
) -> None:
    december = replace(
        claim("claudeapi-cheap", C.SLA_CREDIT), transaction_at=datetime(2026, 12, 5, tzinfo=UTC)
    )
    verdict = assess(december, PROFILES["claudeapi-cheap"], now)
    (note,) = [note for note in verdict.notes if "December 2026" in note.text]
    assert note.severity == severity
    assert fragment in note.text
    assert verdict.deadline is None  # nothing for the user to file in time


def test_a_late_claim_still_lists_what_the_provider_could_have_granted() -> None:
    late = assess(
        claim("claudeapi-com", C.DUPLICATE_CHARGE),
        PROFILES["claudeapi-com"],
        datetime(2026, 8, 1, tzinfo=UTC),
    )
    assert late.late
    assert late.remedies == COM_REMEDIES
