"""The relay: posts what the ticket store owes Slack — headers, thread replies, files — in order, once.

The store saves each change with its event (the outbox); the relay posts the header of a ticket that
has none, then each unposted event as a reply in its thread (with the files an event carries: the
evidence gathered, a claim packet), marks it posted, and updates the header in place. It runs after
every change, at start-up and on each tick, so a process killed between saving and posting posts
on its next run. Slack failing is logged and left for the next run; nothing is dropped.

One relay per process, serialised by a lock. The window between Slack accepting a post and the store
recording it is the one place a crash can repeat a post (Slack's Web API takes no idempotency key).
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from datetime import datetime
from functools import partial

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from billbot.app.replies.tickets import ticket_response
from billbot.slack.blocks import blocks_for, fallback_text
from billbot.slack.tickets.views import header_actions
from billbot.tickets.domain.events import EventKind
from billbot.tickets.domain.narration import Markup, event_text, mention
from billbot.tickets.domain.ticket import Ticket, TicketEvent
from billbot.tickets.files import Attachment
from billbot.tickets.service import TicketService

log = logging.getLogger("billbot.tickets")
FILE_EVENTS = frozenset({EventKind.EVIDENCE_FILE, EventKind.PACKET})
# Slack's style for ticket events: people as mentions, signals as emoji; old rows were stored this way.
SLACK_MARKUP = Markup(
    who=mention, warning=":warning: ", alarm=":alarm_clock: ", overdue=":rotating_light: ", legacy=str
)


Attach = Callable[[Ticket, TicketEvent], list[Attachment]]


class TicketRelay:
    """Posts the outbox of a `TicketService` through a Slack `WebClient`."""

    def __init__(
        self, service: TicketService, client: WebClient, now: Callable[[], datetime], attach: Attach
    ) -> None:
        self.service = service
        self.client = client
        self.now = now
        self.attach = attach
        self._lock = threading.Lock()
        self._header_refusals: dict[int, str] = {}  # ticket id → Slack's error for its unposted header

    def header_refusal(self, ticket_id: int) -> str | None:
        """Slack's error code if the ticket's header could not be posted on the last try, else None."""
        with self._lock:
            return self._header_refusals.get(ticket_id)

    def flush(self) -> int:
        """Post everything owed; how many posts were made. Slack errors are logged and retried later."""
        with self._lock, self.service.outbox.relay_turn() as mine:
            if not mine:
                return 0  # another process is posting the outbox right now, ours included
            posted = 0
            for ticket in self.service.outbox.unthreaded():
                posted += self._attempt(ticket.id, partial(self._post_header, ticket))
            touched: set[int] = set()
            stuck: set[int] = set()
            for event in self.service.outbox.unposted():
                if event.ticket_id in stuck:
                    continue  # keep a thread in order: nothing after a reply that failed
                made = self._attempt(event.ticket_id, partial(self._post_event, event))
                (touched if made else stuck).add(event.ticket_id)
                posted += made
            for ticket_id in sorted(touched - stuck):
                self._attempt(ticket_id, partial(self._refresh_id, ticket_id))
            return posted

    def _attempt(self, ticket_id: int, post: Callable[[], None]) -> int:
        # One ticket's trouble (the bot not in its channel, a rate limit) must not hold up the others.
        try:
            post()
        except SlackApiError as exc:
            log.warning("ticket #%s: post deferred, Slack answered %s", ticket_id, exc.response.get("error"))
            return 0
        return 1

    def _refresh_id(self, ticket_id: int) -> None:
        self.refresh(self.service.get(ticket_id))

    def _post_header(self, ticket: Ticket) -> None:
        text, blocks = self._header(ticket)
        try:
            answer = self.client.chat_postMessage(channel=ticket.channel_id, text=text, blocks=blocks)
        except SlackApiError as exc:
            self._header_refusals[ticket.id] = str(exc.response.get("error") or "unknown_error")
            raise
        self._header_refusals.pop(ticket.id, None)
        self.service.outbox.set_header(ticket.id, channel_id=str(answer["channel"]), ts=str(answer["ts"]))

    def _post_event(self, event: TicketEvent) -> None:
        ticket = self.service.get(event.ticket_id)
        self.service.outbox.mark_posted(event.id, self._reply(ticket, event))

    def refresh(self, ticket: Ticket) -> None:
        """Update the ticket's header in place (status, deadline, checklist, buttons)."""
        if ticket.header_ts is None:
            return
        text, blocks = self._header(ticket)
        self.client.chat_update(channel=ticket.channel_id, ts=ticket.header_ts, text=text, blocks=blocks)

    def _reply(self, ticket: Ticket, event: TicketEvent) -> str:
        assert ticket.header_ts is not None
        said = event_text(event, SLACK_MARKUP)  # the stored facts, said as Slack shows them
        if event.kind in FILE_EVENTS:
            files = self.attach(ticket, event)
            if files:
                self.client.files_upload_v2(
                    channel=ticket.channel_id,
                    thread_ts=ticket.header_ts,
                    initial_comment=said,
                    file_uploads=[
                        {"filename": f.filename, "title": f.title, "content": f.content} for f in files
                    ],
                )
                return ticket.header_ts  # files have no message ts of their own to keep
        answer = self.client.chat_postMessage(
            channel=ticket.channel_id, thread_ts=ticket.header_ts, text=said
        )
        return str(answer["ts"])

    def _header(self, ticket: Ticket) -> tuple[str, list[dict[str, object]]]:
        now = self.now()
        response = ticket_response(ticket, self.service.assessment(ticket, now), now)
        return fallback_text(response), blocks_for(response, actions=[header_actions(ticket)])
