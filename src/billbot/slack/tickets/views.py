"""Block Kit for tickets (pure): the filing modal, the follow-up modals and the thread header's buttons.

Modal limits (reference/slack.md §6): title/submit/close ≤ 24 chars, `private_metadata` ≤ 3,000,
option text ≤ 75. Context travels in `private_metadata` as typed JSON (`metadata`); entity ids go in
button `value`s.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any

from billbot.slack.tickets.metadata import (
    FilingFormMetadata,
    ModalMetadata,
    TicketFollowupMetadata,
    dump_metadata,
)
from billbot.tickets.domain.model import CATEGORY_LABELS, Category, Status, TicketKind
from billbot.tickets.domain.ticket import Ticket

Block = dict[str, Any]
FILE_VIEW = "ticket_file"
EVIDENCE_VIEW = "ticket_evidence"
ANSWER_VIEW = "ticket_answer"
RESOLVE_VIEW = "ticket_resolve"
SUBMITTED_ACTION = "ticket_submitted"
EVIDENCE_ACTION = "ticket_add_evidence"
ANSWER_ACTION = "ticket_record_answer"
RESOLVE_ACTION = "ticket_resolve"
REOPEN_ACTION = "ticket_reopen"
PACKET_ACTION = "ticket_packet"
OUTCOMES = (Status.REFUNDED, Status.CREDITED, Status.DENIED)
INPUT_CHARS = 3000  # a plain_text_input holds at most 3,000 characters


def filing_modal(
    kind: TicketKind,
    providers: Mapping[str, str],
    provider: str,
    channel_id: str,
    prefill: Mapping[str, str],
    response_url: str = "",
) -> Block:
    """The `/claude-dispute` / `/claude-refund` form; `providers` maps profile id → name.

    The command's `response_url` rides along in the metadata: it reaches the filer even where the bot
    is not a channel member, which is exactly when the ticket's thread cannot be posted.
    """
    category = prefill.get("category") or (
        Category.UNUSED_BALANCE.value if kind is TicketKind.REFUND else Category.OVERCHARGE.value
    )
    blocks = [
        _select("category", "What happened", {c.value: CATEGORY_LABELS[c] for c in Category}, category),
        _select("provider", "Provider", dict(providers), prefill.get("provider") or provider),
        _when(prefill.get("at")),
        _input("amount", "Amount (USD)", "e.g. 12.50", optional=True, initial=prefill.get("amount")),
        _input("requests", "Request IDs (one per line)", "req_011C…", multiline=True, optional=True,
               initial=prefill.get("requests")),
        _input("description", "What went wrong", "the error message, what you expected",
               multiline=True, optional=True, initial=prefill.get("description")),
        _input("links", "Evidence links (one per line)", "screenshots, invoices, receipts",
               multiline=True, optional=True),
    ]  # fmt: skip
    title = "File a refund" if kind is TicketKind.REFUND else "Dispute a charge"
    metadata = FilingFormMetadata(kind=kind, channel=channel_id, response_url=response_url)
    return _modal(FILE_VIEW, title, "File ticket", metadata, blocks)


def evidence_modal(ticket: Ticket, kinds: Mapping[str, str]) -> Block:
    """Add one piece of evidence: its kind (from the profile's list) and a value or link."""
    options = dict(kinds) or {"other": "Other"}
    options.setdefault("other", "Other")
    blocks = [
        _select("kind", "Kind of evidence", options, next(iter(options))),
        _input("value", "Value or link", "a URL, an order number, a request ID…", multiline=True),
    ]
    return _modal(EVIDENCE_VIEW, f"Evidence · {ticket.label}", "Add", _about(ticket), blocks)


def answer_modal(ticket: Ticket) -> Block:
    """Record the provider's answer (pasted or summarised)."""
    blocks = [_input("answer", "The provider's answer", "paste it or summarise it", multiline=True)]
    return _modal(ANSWER_VIEW, f"Answer · {ticket.label}", "Record", _about(ticket), blocks)


def resolve_modal(ticket: Ticket) -> Block:
    """Close the ticket with its outcome and the amount refunded or credited."""
    blocks = [
        _select("outcome", "Outcome", {s.value: s.value.capitalize() for s in OUTCOMES}, None),
        _input("amount", "Amount refunded or credited (USD)", "e.g. 200.00", optional=True),
    ]
    return _modal(RESOLVE_VIEW, f"Resolve · {ticket.label}", "Resolve", _about(ticket), blocks)


def header_actions(ticket: Ticket) -> Block:
    """The header's buttons for the ticket's state."""
    value = str(ticket.id)
    if ticket.status.resolved:
        buttons = [_button(REOPEN_ACTION, "Reopen", value), _button(PACKET_ACTION, "Claim packet", value)]
    else:
        buttons = []
        if ticket.status is Status.OPEN:
            buttons.append(_button(SUBMITTED_ACTION, "Mark submitted", value, style="primary"))
        buttons += [
            _button(EVIDENCE_ACTION, "Add evidence", value),
            _button(ANSWER_ACTION, "Record answer", value),
            _button(RESOLVE_ACTION, "Resolve", value),
            _button(PACKET_ACTION, "Claim packet", value),
        ]
    return {"type": "actions", "block_id": f"ticket:{ticket.id}", "elements": buttons}


def refused_modal() -> Block:
    """What a submitted modal turns into when its context cannot be trusted (`response_action="update"`)."""
    text = (
        ":warning: This form could not be read: what it carries about the ticket is missing or was "
        "changed, so nothing was saved. Close it and start again from the command or the ticket's buttons."
    )
    section = {"type": "section", "text": {"type": "mrkdwn", "text": text}}
    return {"type": "modal", "title": _text("Form refused"), "close": _text("Close"), "blocks": [section]}


def _about(ticket: Ticket) -> TicketFollowupMetadata:
    return TicketFollowupMetadata(ticket=ticket.id)


def _modal(callback_id: str, title: str, submit: str, metadata: ModalMetadata, blocks: list[Block]) -> Block:
    return {
        "type": "modal",
        "callback_id": callback_id,
        "title": _text(title[:24]),
        "submit": _text(submit[:24]),
        "close": _text("Cancel"),
        "private_metadata": dump_metadata(metadata),
        "blocks": blocks,
    }


def _when(at: str | None) -> Block:
    element: Block = {"type": "datetimepicker", "action_id": "v"}
    if at:
        element["initial_date_time"] = int(datetime.fromisoformat(at).timestamp())
    label = _text("When was the charge or top-up? (your local time)")
    return {"type": "input", "block_id": "when", "label": label, "element": element}


def _select(block_id: str, label: str, options: Mapping[str, str], initial: str | None) -> Block:
    choices = [{"text": _text(text[:75]), "value": value} for value, text in list(options.items())[:100]]
    element: Block = {"type": "static_select", "action_id": "v", "options": choices}
    chosen = [choice for choice in choices if choice["value"] == initial]
    if chosen:
        element["initial_option"] = chosen[0]
    return {"type": "input", "block_id": block_id, "label": _text(label), "element": element}


def _input(
    block_id: str,
    label: str,
    placeholder: str,
    *,
    multiline: bool = False,
    optional: bool = False,
    initial: str | None = None,
) -> Block:
    element: Block = {"type": "plain_text_input", "action_id": "v", "multiline": multiline,
                      "placeholder": _text(placeholder[:150])}  # fmt: skip
    if initial:
        element["initial_value"] = initial[:INPUT_CHARS]  # Slack refuses a longer initial value
    return {
        "type": "input",
        "block_id": block_id,
        "optional": optional,
        "label": _text(label),
        "element": element,
    }


def _button(action_id: str, text: str, value: str, *, style: str | None = None) -> Block:
    button: Block = {"type": "button", "action_id": action_id, "text": _text(text), "value": value}
    if style:
        button["style"] = style
    return button


def _text(text: str) -> Block:
    return {"type": "plain_text", "text": text}
