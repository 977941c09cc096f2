"""The policy engine: what a provider's profile says about a claim at a given moment. Pure.

Deadlines. A `date` window of N days runs to the end of the N-th UTC day after the transaction's UTC
date (23:59:59.999999): a transaction on 1 June with a 30-day window may be objected to until
1 July 23:59:59.999999 UTC; an `instant` window runs exactly N × 24 hours from the transaction. A
claim is late when it was submitted (or, not yet submitted, when `now` is) after the deadline. UTC
days are the earlier end for a provider in the Americas, so the user never relies on a later one.

Evidence. An item is present when an `Evidence` of its kind was added, or when the claim field named
by its `from_field` provides it: `transaction_at` (always set) gives a call time or time,
`request_ids` gives request IDs, `evidence_links` count as screenshots or links.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, time, timedelta

from billbot.tickets.domain.model import (
    CATEGORY_LABELS,
    Assessment,
    Category,
    ChecklistItem,
    Claim,
    Note,
)
from billbot.tickets.domain.profile import EvidenceSpec, ProviderProfile, RuleSpec, WindowSpec
from billbot.tickets.domain.terms import sla_due_by


def assess(claim: Claim, profile: ProviderProfile, now: datetime) -> Assessment:
    """The deadline, lateness, evidence checklist, eligibility notes and remedies for a claim at `now`."""
    window = window_for(profile, claim)
    due = deadline(window, claim.transaction_at) if window else None
    late = due is not None and (claim.submitted_at or now) > due
    checklist = tuple(_checklist(claim, profile))
    notes = [*_window_notes(claim, profile, window, due, late, checklist), *_acceptance(claim, profile)]
    rule_notes = [(rule, _rule_note(rule, claim, profile)) for rule in _rules(claim, profile)]
    notes += [note for _, note in rule_notes]
    notes += _sla_notes(claim, profile, now)
    return Assessment(
        provider=profile.id,
        provider_name=profile.name,
        deadline=due,
        late=late,
        checklist=checklist,
        notes=tuple(notes),
        remedies=_remedies(rule_notes, claim),
    )


def window_for(profile: ProviderProfile, claim: Claim) -> WindowSpec | None:
    """The first window of the profile that covers the claim's category and kind, if any."""
    return next((w for w in profile.windows if w.applies(claim.category, claim.kind)), None)


def deadline(window: WindowSpec, transaction_at: datetime) -> datetime:
    """The last moment a claim about a transaction at `transaction_at` is in time (see the module doc)."""
    at = transaction_at.astimezone(UTC)
    if window.basis == "instant":
        return at + timedelta(days=window.days)
    return datetime.combine(at.date() + timedelta(days=window.days), time.max, tzinfo=UTC)


def _window_notes(
    claim: Claim,
    profile: ProviderProfile,
    window: WindowSpec | None,
    due: datetime | None,
    late: bool,
    checklist: tuple[ChecklistItem, ...],
) -> Iterator[Note]:
    if window is None or due is None:
        return
    clause = profile.clause(window.clause)
    when = f"{due:%Y-%m-%d %H:%M} UTC"
    opened = f"{window.days} days from the transaction on {claim.transaction_at.astimezone(UTC):%Y-%m-%d}"
    if late:
        sent = f"it was sent {claim.submitted_at:%Y-%m-%d}" if claim.submitted_at else "it has not been sent"
        yield Note(f"Late: the window closed {when} ({opened}); {sent}.", clause, "blocker")
    else:
        yield Note(f"Send it to {profile.name} by {when} ({opened}).", clause)
    missing = [item.label for item in checklist if not item.present]
    if window.requires_evidence and missing:
        text = f"Incomplete: without {', '.join(missing)} the provider may treat the billing as accepted."
        yield Note(text, clause, "warning")


def _acceptance(claim: Claim, profile: ProviderProfile) -> Iterator[Note]:
    if not profile.accepts(claim.category):
        label = CATEGORY_LABELS[claim.category]
        text = f"{profile.name}'s terms give no remedy for “{label}”: no clause backs the claim."
        yield Note(text, None, "warning")


def _checklist(claim: Claim, profile: ProviderProfile) -> Iterator[ChecklistItem]:
    for spec in profile.evidence:
        if spec.applies(claim.category, claim.kind):
            clause = profile.clause(spec.clause) if spec.clause else None
            yield ChecklistItem(spec.kind, spec.label, _has(claim, spec), clause)


def _has(claim: Claim, spec: EvidenceSpec) -> bool:
    if any(item.kind == spec.kind and item.value.strip() for item in claim.evidence):
        return True
    if spec.from_field == "transaction_at":
        return True  # a required field of every claim
    if spec.from_field == "request_ids":
        return bool(claim.request_ids)
    if spec.from_field == "evidence_links":
        return bool(claim.evidence_links)
    return False


def _rules(claim: Claim, profile: ProviderProfile) -> Iterator[RuleSpec]:
    return (rule for rule in profile.rules if rule.applies(claim.category, claim.kind))


def _condition(rule: RuleSpec, claim: Claim) -> bool | None:
    if rule.condition == "pro_limits_unused":
        return None if claim.pro_limits_used is None else not claim.pro_limits_used
    return True  # no condition


def _rule_note(rule: RuleSpec, claim: Claim, profile: ProviderProfile) -> Note:
    clause = profile.clause(rule.clause) if rule.clause else None
    met = _condition(rule, claim)
    if met is None:
        return Note(rule.unknown, clause, "warning")
    if not met:
        return Note(rule.otherwise, clause, rule.otherwise_severity)
    return Note(rule.text, clause, rule.severity)


def _remedies(rule_notes: list[tuple[RuleSpec, Note]], claim: Claim) -> tuple[str, ...]:
    # A remedy counts only from a rule whose condition holds and which does not itself rule the claim out.
    offered: dict[str, None] = {}
    for rule, note in rule_notes:
        if _condition(rule, claim) and note.severity != "blocker":
            offered |= dict.fromkeys(rule.remedies)
    return tuple(offered)


def _sla_notes(claim: Claim, profile: ProviderProfile, now: datetime) -> Iterator[Note]:
    if profile.sla is None or claim.category is not Category.SLA_CREDIT:
        return
    due = sla_due_by(profile.sla, claim.transaction_at)
    month = f"{claim.transaction_at.astimezone(UTC):%B %Y}"
    clause = profile.clause(profile.sla.clause)
    if now.astimezone(UTC).date() > due:
        text = f"The credit for {month} was due by {due:%d %B %Y}; if missing, write to {profile.contact}."
        yield Note(text, clause, "warning")
    else:
        yield Note(f"The credit for {month}, if the target was missed, is due by {due:%d %B %Y}.", clause)
