"""The watch desk: the watch service, its relay to Slack, and what the alert buttons do.

Built once in the composition root (`billbot.runtime.slack`) and shared by the button listeners, App
Home and the scheduler. Every change is saved first (with the thread note it owes) and then posted
by the relay, so a click whose process dies after saving is still told in the thread, once.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from billbot.app.grammar.watch import AlertAction
from billbot.slack.tickets.desk import TicketDesk
from billbot.slack.watch.dispute import NotDisputable, dispute_link, draft_dispute
from billbot.slack.watch.message import DisputeLink
from billbot.slack.watch.notes import apply_action, note_dispute
from billbot.slack.watch.relay import WatchRelay
from billbot.tickets.domain.events import EventKind
from billbot.watch.service import WatchService


class DisputeUnavailable(RuntimeError):
    """ "Draft a dispute" was clicked where billbot has no ticket desk."""


@dataclass(frozen=True)
class WatchDesk:
    """Everything the alert buttons, App Home and the scheduler need."""

    service: WatchService
    relay: WatchRelay
    tickets: TicketDesk | None
    organization: str
    now: Callable[[], datetime]

    def act(self, alert_id: int, action: AlertAction, by: str) -> bool:
        """A button's action, saved with its note; posted and shown at once. Whether anything changed."""
        changed = apply_action(self.service.engine, alert_id, action, by, self.now())
        self.relay.flush()
        return changed

    def dispute(self, alert_id: int, by: str) -> int:
        """Draft (or find) the alert's dispute ticket, link it from the alert; the ticket id."""
        desk = self.tickets
        if desk is None:
            raise DisputeUnavailable("billbot has no ticket desk here, so it cannot draft a dispute")
        stored = self.service.alert(alert_id)
        now = self.now()
        ticket, new = draft_dispute(
            desk.service, stored, provider=desk.default_provider, organization=self.organization,
            channel_id=desk.ticket_channel or stored.channel_id, by=by, now=now,
        )  # fmt: skip
        if new:
            desk.service.outbox.queue_post(ticket.id, EventKind.EVIDENCE_FILE, by="billbot", now=now)
        desk.relay.flush()  # the ticket's thread first, so the alert can link to it
        link = self.dispute_link(alert_id)
        said = link.mrkdwn() if link is not None else f"ticket #{ticket.id}"
        note_dispute(self.service.engine, alert_id, said, by, now)
        self.relay.flush()
        return ticket.id

    def dispute_link(self, alert_id: int) -> DisputeLink | None:
        """The alert's dispute ticket and a link to its thread, if one was drafted."""
        return dispute_link(self.service.engine, self.relay.client, alert_id)


__all__ = ["DisputeUnavailable", "NotDisputable", "WatchDesk"]
