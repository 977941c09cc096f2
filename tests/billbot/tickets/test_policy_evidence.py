"""The evidence checklist: what each provider asks for, per category, and when the claim already has it."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta
from typing import TypedDict

import pytest

from billbot.tickets.catalog import load_profiles
from billbot.tickets.domain.model import Category, Claim, Evidence, TicketKind
from billbot.tickets.domain.policy import assess

PROFILES = load_profiles()
T0 = datetime(2026, 6, 1, 10, 0, tzinfo=UTC)
C = Category
ANTHROPIC_CALLS = ("organisation", "request_id", "time")
ANTHROPIC_OTHERS = ("organisation", "time")
COM_ALL = (
    "account_email",
    "order_number",
    "payment_voucher",
    "call_time",
    "request_id",
    "error_message",
    "screenshot",
)


def claim(provider: str, category: Category) -> Claim:
    """A bare claim: only the modal's required fields."""
    return Claim(TicketKind.DISPUTE, category, provider, T0, T0)


@pytest.mark.parametrize(
    ("provider", "category", "kinds"),
    [
        ("anthropic", C.DUPLICATE_CHARGE, ANTHROPIC_CALLS),
        ("anthropic", C.CHARGED_BUT_FAILED, ANTHROPIC_CALLS),
        ("anthropic", C.OVERCHARGE, ANTHROPIC_CALLS),
        ("anthropic", C.OTHER, ANTHROPIC_CALLS),
        ("anthropic", C.NOT_CREDITED, ANTHROPIC_OTHERS),  # a purchase has no request ID
        ("anthropic", C.UNUSED_BALANCE, ANTHROPIC_OTHERS),
        ("anthropic", C.SLA_CREDIT, ANTHROPIC_OTHERS),
        (
            "claudeapi-com",
            C.DUPLICATE_CHARGE,
            ("account_email", "order_number", "payment_voucher", "call_time", "request_id", "screenshot"),
        ),
        (
            "claudeapi-com",
            C.CHARGED_BUT_FAILED,
            ("account_email", "call_time", "request_id", "error_message", "screenshot"),
        ),
        ("claudeapi-com", C.OVERCHARGE, ("account_email", "call_time", "request_id", "screenshot")),
        ("claudeapi-com", C.NOT_CREDITED, ("account_email", "order_number", "payment_voucher", "screenshot")),
        (
            "claudeapi-com",
            C.UNUSED_BALANCE,
            ("account_email", "order_number", "payment_voucher", "screenshot"),
        ),
        ("claudeapi-com", C.OTHER, COM_ALL),
        ("claudeapi-com", C.SLA_CREDIT, ("account_email", "screenshot")),
        ("claudeapi-cheap", C.UNUSED_BALANCE, ("account_email",)),
        ("claudeapi-cheap", C.SLA_CREDIT, ()),  # credited automatically: nothing to send
        ("claudeapi-cheap", C.DUPLICATE_CHARGE, ("account_email",)),
        ("claudeapi-cheap", C.OTHER, ("account_email",)),
    ],
)
def test_each_provider_asks_for_its_evidence_per_category(
    provider: str, category: Category, kinds: tuple[str, ...]
) -> None:
    verdict = assess(claim(provider, category), PROFILES[provider], T0)
    assert tuple(item.kind for item in verdict.checklist) == kinds
    assert all(item.label for item in verdict.checklist)


@pytest.mark.parametrize(
    ("provider", "ref"),
    [
        ("anthropic", "Research summary, Credit Policies (not Anthropic's wording)"),
        ("claudeapi-com", "Service Delivery Terms §10.2"),
        ("claudeapi-cheap", "SLA page, FAQ: What's the refund policy?"),
    ],
)
def test_each_item_names_the_clause_that_asks_for_it(provider: str, ref: str) -> None:
    verdict = assess(claim(provider, C.OTHER), PROFILES[provider], T0)
    assert verdict.checklist
    assert {item.clause.ref if item.clause else None for item in verdict.checklist} == {ref}


class ClaimChange(TypedDict, total=False):
    """The fields of a `Claim` the evidence tests change."""

    request_ids: tuple[str, ...]
    evidence_links: tuple[str, ...]
    evidence: tuple[Evidence, ...]
    description: str


@pytest.mark.parametrize(
    ("change", "present"),
    [
        ({}, {"call_time"}),  # the transaction time is the call time
        ({"request_ids": ("req_011CabcDEF",)}, {"call_time", "request_id"}),
        ({"evidence_links": ("https://files.example/screen.png",)}, {"call_time", "screenshot"}),
        ({"evidence": (Evidence("account_email", "dev@example.com"),)}, {"call_time", "account_email"}),
        ({"evidence": (Evidence("request_id", "req_1", automatic=True),)}, {"call_time", "request_id"}),
        ({"evidence": (Evidence("error_message", "  "),)}, {"call_time"}),  # a blank value is no evidence
        ({"evidence": (Evidence("invoice", "inv-1"),)}, {"call_time"}),  # a kind nobody asked for
        ({"description": "overloaded_error, then charged"}, {"call_time"}),  # prose is not an error message
    ],
)
def test_evidence_is_present_when_the_claim_provides_it(change: ClaimChange, present: set[str]) -> None:
    filed = replace(claim("claudeapi-com", C.OTHER), **change)
    verdict = assess(filed, PROFILES["claudeapi-com"], T0)
    assert {item.kind for item in verdict.checklist if item.present} == present
    assert {item.kind for item in verdict.missing} == set(COM_ALL) - present


def test_anthropic_organisation_comes_from_evidence_and_times_from_the_claim() -> None:
    filed = replace(
        claim("anthropic", C.CHARGED_BUT_FAILED),
        request_ids=("req_1", "req_2"),
        evidence=(Evidence("organisation", "org_123", automatic=True),),
    )
    verdict = assess(filed, PROFILES["anthropic"], T0)
    assert verdict.missing == ()


def complete_com_claim() -> Claim:
    """A claudeapi-com charged-but-failed dispute with everything §10.2 asks for."""
    return replace(
        claim("claudeapi-com", C.CHARGED_BUT_FAILED),
        request_ids=("req_1",),
        evidence_links=("https://files.example/1.png",),
        evidence=(Evidence("account_email", "dev@example.com"), Evidence("error_message", "500 upstream")),
    )


def test_claudeapi_com_warns_that_incomplete_materials_let_the_billing_stand() -> None:
    verdict = assess(claim("claudeapi-com", C.CHARGED_BUT_FAILED), PROFILES["claudeapi-com"], T0)
    (warning,) = [note for note in verdict.notes if note.text.startswith("Incomplete")]
    assert warning.severity == "warning"
    assert "Account email" in warning.text and "Error message" in warning.text
    assert "Request ID" in warning.text
    assert warning.clause is not None and "complete supporting materials" in warning.clause.quote


def test_a_complete_claudeapi_com_claim_has_no_incompleteness_warning() -> None:
    verdict = assess(complete_com_claim(), PROFILES["claudeapi-com"], T0 + timedelta(days=3))
    assert verdict.missing == ()
    assert not [note for note in verdict.notes if note.text.startswith("Incomplete")]


def test_missing_evidence_is_not_a_forfeit_where_the_terms_do_not_say_so() -> None:
    verdict = assess(claim("anthropic", C.CHARGED_BUT_FAILED), PROFILES["anthropic"], T0)
    assert verdict.missing
    assert not [note for note in verdict.notes if note.text.startswith("Incomplete")]
