""" "Draft a dispute" on a reconciliation alert: a dispute ticket carrying the reconciliation evidence.

The ticket is filed through the ticket service like a `/claude-dispute` submission, keyed by the alert
(`watch-alert:<id>`), so a second click — by anyone, in any process — finds the same ticket. The
claim's charge is the reconciled day (the provider's deadline counts from it), its amount the day's
gap between the bill and usage × the price list, and its evidence the figures side by side, the lines
that differ, and the affected hours.
"""

from __future__ import annotations

import logging
from datetime import UTC, datetime
from decimal import Decimal, InvalidOperation

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError
from sqlalchemy import Engine
from sqlmodel import select

from billbot.core.money import usd
from billbot.slack.watch.message import DisputeLink
from billbot.store.session import session_scope
from billbot.store.tables import TicketRow
from billbot.tickets.domain.model import Category, Claim, Evidence, TicketKind
from billbot.tickets.domain.ticket import Ticket
from billbot.tickets.service import TicketService
from billbot.watch.alert_store import StoredAlert

log = logging.getLogger("billbot.watch")
SUBMISSION_PREFIX = "watch-alert:"


class NotDisputable(ValueError):
    """The alert is not a reconciliation finding with a day and an amount."""


def submission_key(alert_id: int) -> str:
    """The ticket submission key of an alert's dispute (one ticket per alert)."""
    return f"{SUBMISSION_PREFIX}{alert_id}"


def dispute_claim(stored: StoredAlert, *, provider: str, by: str, now: datetime) -> Claim:
    """The dispute an alert's reconciliation finding makes: the charge's day and the gap."""
    data = _figures(stored)
    return Claim(
        kind=TicketKind.DISPUTE,
        category=Category.OVERCHARGE,
        provider=provider,
        transaction_at=datetime.fromisoformat(data["day"]).replace(tzinfo=UTC),
        filed_at=now,
        amount=Decimal(data["difference_usd"]) if Decimal(data["difference_usd"]) > 0 else None,
        description=(
            f"billbot's watch (alert #{stored.id}) found the bill for {data['day']} higher than the usage "
            f"explains: {_side_by_side(data)}. Drafted by <@{by}>."
        ),
    )


def dispute_evidence(stored: StoredAlert, organization: str) -> tuple[Evidence, ...]:
    """The evidence a dispute carries: the figures side by side, the affected hours, the differing lines."""
    data = _figures(stored)
    found = [
        Evidence("organisation", organization, "billbot", automatic=True),
        Evidence("reconciliation", _side_by_side(data), "billbot", automatic=True),
        Evidence(
            "affected_hours", f"{data.get('affected_hours') or 'none'} UTC on {data['day']}", "billbot", True
        ),
        Evidence("models", data.get("models") or "", "billbot", automatic=True),
        *(
            Evidence("reconciliation_line", line, "billbot", automatic=True)
            for line in stored.alert.finding.evidence
        ),
    ]
    return tuple(e for e in found if e.value.strip())


def draft_dispute(
    tickets: TicketService,
    stored: StoredAlert,
    *,
    provider: str,
    organization: str,
    channel_id: str,
    by: str,
    now: datetime,
) -> tuple[Ticket, bool]:
    """File (or find) the alert's dispute ticket with its evidence; (the ticket, whether it is new).

    Evidence already on the ticket is not added again, so a click after a crash mid-way completes it.
    """
    claim = dispute_claim(stored, provider=provider, by=by, now=now)
    ticket, new = tickets.file(claim, submission_key=submission_key(stored.id), by=by, channel_id=channel_id)
    held = {(e.kind, e.value) for e in ticket.claim.evidence}
    for evidence in dispute_evidence(stored, organization):
        if (evidence.kind, evidence.value) not in held:
            ticket = tickets.add_evidence(ticket.id, evidence, now=now)
    return ticket, new


def _figures(stored: StoredAlert) -> dict[str, str]:
    finding = stored.alert.finding
    data = finding.data
    if finding.rule != "reconciliation" or "day" not in data:
        raise NotDisputable(
            f"alert #{stored.id} is not a reconciliation finding: there is no charge to dispute"
        )
    try:
        datetime.fromisoformat(data["day"])
        for name in ("billed_usd", "estimated_usd", "difference_usd"):
            Decimal(data[name])
    except (KeyError, ValueError, InvalidOperation) as exc:
        raise NotDisputable(f"alert #{stored.id} lacks the reconciliation figures ({exc})") from None
    return data


def _side_by_side(data: dict[str, str]) -> str:
    billed, expected, gap = (Decimal(data[n]) for n in ("billed_usd", "estimated_usd", "difference_usd"))
    return (
        f"{data['day']}: billed {usd(billed)}; usage × published price list {usd(expected)}; "
        f"difference {usd(gap)}"
    )


def drafted_ticket(engine: Engine, alert_id: int) -> tuple[int, str, str | None] | None:
    """The alert's dispute ticket, if drafted: (ticket id, its channel, its header's ts)."""
    with session_scope(engine, read_only=True) as session:
        row = session.exec(
            select(TicketRow).where(TicketRow.submission_key == submission_key(alert_id))
        ).first()
        if row is None or row.id is None:
            return None
        return row.id, row.channel_id, row.header_ts


def dispute_link(engine: Engine, client: WebClient, alert_id: int) -> DisputeLink | None:
    """The alert's dispute ticket and a link to its thread (Slack's permalink when it gives one)."""
    found = drafted_ticket(engine, alert_id)
    if found is None:
        return None
    ticket_id, channel, header_ts = found
    return DisputeLink(ticket_id, channel, _permalink(client, channel, header_ts))


def _permalink(client: WebClient, channel: str, ts: str | None) -> str | None:
    if not channel or ts is None:
        return None
    try:
        answer = client.chat_getPermalink(channel=channel, message_ts=ts)
    except SlackApiError as exc:
        log.info("no permalink for the dispute thread: %s", exc.response.get("error"))
        return None
    link = answer.get("permalink")
    return str(link) if link else None
