"""Read ticket modals' submissions: a `Claim` (or the follow-up's values), or errors by block id.

Errors come back the way Slack shows them beside the field (`response_action="errors"`), so a user
fixes the one field instead of retyping the form.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from typing import Any

from billbot.app.grammar.amounts import InputError, parse_amount
from billbot.tickets.domain.model import Category, Claim, Status, TicketKind
from billbot.tickets.domain.ticket import split_lines

REQUEST_ID = re.compile(r"^[A-Za-z0-9_\-]{4,128}$")
LINK = re.compile(r"^https?://\S+$")
FUTURE_SLACK = timedelta(minutes=5)  # clocks differ a little; a charge "from the future" is a typo

Errors = dict[str, str]


@dataclass(frozen=True, slots=True)
class Resolution:
    """The resolve modal's values."""

    outcome: Status
    amount: Decimal | None


def claim_from(view: Mapping[str, Any], kind: TicketKind, *, now: datetime) -> Claim | Errors:
    """The filing modal's claim of `kind` (from its metadata), or errors by block id."""
    values = _values(view)
    errors: Errors = {}
    when = _datetime(values.get("when"))
    if when is None:
        errors["when"] = "Pick the date and time of the charge or top-up."
    elif when > now + FUTURE_SLACK:
        errors["when"] = "That is in the future: pick when the charge happened."
    amount = None
    if _text(values.get("amount")):
        try:
            amount = parse_amount(_text(values.get("amount")), allow_zero=False)
        except InputError as exc:
            errors["amount"] = str(exc)
    request_ids = split_lines(_text(values.get("requests")).replace(",", "\n").split("\n"))
    bad = [rid for rid in request_ids if not REQUEST_ID.match(rid)]
    if bad:
        errors["requests"] = f"Not a request ID: {bad[0][:40]} (one ID per line, like req_011C…)."
    links = split_lines(_text(values.get("links")).split("\n"))
    bad = [link for link in links if not LINK.match(link)]
    if bad:
        errors["links"] = f"Not a link: {bad[0][:40]} (one http(s):// link per line)."
    category, provider = _choice(values.get("category")), _choice(values.get("provider"))
    if category not in {c.value for c in Category}:
        errors["category"] = "Pick what happened."
    if not provider:
        errors["provider"] = "Pick the provider."
    if errors or when is None:
        return errors
    return Claim(
        kind=kind,
        category=Category(category),
        provider=provider,
        transaction_at=when,
        filed_at=now,
        amount=amount,
        request_ids=request_ids,
        description=_text(values.get("description")).strip(),
        evidence_links=links,
    )


def evidence_from(view: Mapping[str, Any]) -> tuple[str, str] | Errors:
    """The evidence modal's (kind, value), or errors."""
    values = _values(view)
    value = _text(values.get("value")).strip()
    if not value:
        return {"value": "Give a value or a link."}
    return _choice(values.get("kind")) or "other", value


def answer_from(view: Mapping[str, Any]) -> str | Errors:
    """The answer modal's text, or errors."""
    answer = _text(_values(view).get("answer")).strip()
    return answer if answer else {"answer": "Paste the provider's answer or summarise it."}


def resolution_from(view: Mapping[str, Any]) -> Resolution | Errors:
    """The resolve modal's outcome and amount, or errors."""
    values = _values(view)
    choice = _choice(values.get("outcome"))
    if choice not in (Status.REFUNDED.value, Status.CREDITED.value, Status.DENIED.value):
        return {"outcome": "Pick refunded, credited or denied."}
    outcome, text = Status(choice), _text(values.get("amount"))
    if outcome is Status.DENIED:
        return Resolution(outcome, None)
    if not text:
        return {"amount": f"How much was {outcome.value}?"}
    try:
        return Resolution(outcome, parse_amount(text))
    except InputError as exc:
        return {"amount": str(exc)}


def _values(view: Mapping[str, Any]) -> dict[str, Any]:
    """`state.values` flattened to block id → the element's state (every element's action id is `v`)."""
    state = (view.get("state") or {}).get("values") or {}
    return {block: (elements or {}).get("v") or {} for block, elements in state.items()}


def _text(element: Any) -> str:
    return str((element or {}).get("value") or "")


def _choice(element: Any) -> str:
    option = (element or {}).get("selected_option") or {}
    return str(option.get("value") or "")


def _datetime(element: Any) -> datetime | None:
    stamp = (element or {}).get("selected_date_time")
    if stamp is None:
        return None
    return datetime.fromtimestamp(int(stamp), UTC)
