"""The work behind the ticket modals and the thread header's buttons.

Buttons that open a modal do so right after the ack; the others ack, then change the ticket on the
job pool and let the relay post the audit-trail reply and update the header. Outcomes (resolve,
reopen) are money state: only `BILLBOT_ADMINS` may record them. A change the ticket cannot take is
told to the user who tried, privately. A submission whose metadata is unreadable or forged is refused
in the modal itself (`refused_modal`), before anything is saved.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping
from typing import Any

from slack_bolt import Ack, BoltContext
from slack_sdk import WebClient
from slack_sdk.webhook import WebhookClient

from billbot.slack.commands import NO_MEMBER_ERRORS, run_job
from billbot.slack.deps import Deps
from billbot.slack.tickets.desk import TicketDesk
from billbot.slack.tickets.form import answer_from, claim_from, evidence_from, resolution_from
from billbot.slack.tickets.metadata import (
    FilingFormMetadata,
    M,
    MetadataError,
    TicketFollowupMetadata,
    metadata_of,
    ticket_id_of,
)
from billbot.slack.tickets.views import (
    ANSWER_ACTION,
    EVIDENCE_ACTION,
    RESOLVE_ACTION,
    answer_modal,
    evidence_modal,
    refused_modal,
    resolve_modal,
)
from billbot.tickets.domain.events import EventKind
from billbot.tickets.domain.model import Evidence
from billbot.tickets.service import TicketError

log = logging.getLogger("billbot.tickets")
NOT_ADMIN = (
    "Sorry, only billbot admins can record a ticket's outcome. Ask one of them to resolve or reopen it."
)
NOT_A_TICKET = "That button does not name a ticket: use the buttons of a ticket's header message."
MODALS = {EVIDENCE_ACTION: "evidence", ANSWER_ACTION: "answer", RESOLVE_ACTION: "resolve"}


def on_filed(deps: Deps, desk: TicketDesk, ack: Ack, body: Mapping[str, Any], context: BoltContext) -> None:
    """The filing modal was submitted: errors beside their fields, or a ticket and its thread."""
    view, user = body["view"], str(body["user"]["id"])
    metadata = _metadata(deps, ack, context, view, FilingFormMetadata)
    if metadata is None:
        return
    claim = claim_from(view, metadata.kind, now=deps.now())
    if isinstance(claim, dict):
        ack(response_action="errors", errors=claim)
        return
    if claim.provider not in desk.service.profiles:
        ack(response_action="errors", errors={"provider": "Unknown provider profile."})
        return
    ack()
    channel = desk.ticket_channel or metadata.channel

    def work() -> None:
        ticket, new = desk.service.file(
            claim, submission_key=f"view:{view['id']}", by=user, channel_id=channel
        )
        if new:
            outbox = desk.service.outbox
            outbox.queue_post(ticket.id, EventKind.EVIDENCE_FILE, by="billbot", now=claim.filed_at)
        desk.relay.flush()
        refusal = desk.relay.header_refusal(ticket.id)
        hook = metadata.response_url
        if refusal is not None and hook:
            sent = WebhookClient(hook).send(
                text=thread_refused(ticket.id, channel, refusal), response_type="ephemeral"
            )
            if sent.status_code != 200:  # an expired response URL: the relay keeps retrying the thread
                log.warning("ticket #%s: the filer could not be told (HTTP %s)", ticket.id, sent.status_code)

    run_job(deps, context.get("delivery_key"), body, deps_client(context), work)


def thread_refused(ticket_id: int, channel: str, error: str) -> str:
    """What the filer is told when the ticket is saved but Slack refused its thread's first message."""
    if error in NO_MEMBER_ERRORS:
        return (
            f":warning: Ticket #{ticket_id} is filed, but I could not start its thread in <#{channel}>: I am "
            f"not a member of that channel. Invite me there (`/invite @billbot`) and the thread follows "
            f"within a minute; meanwhile `/claude-tickets {ticket_id}` shows the ticket."
        )
    return (
        f":warning: Ticket #{ticket_id} is filed, but Slack refused its thread for now (`{error}`). I try "
        f"again every minute; meanwhile `/claude-tickets {ticket_id}` shows the ticket."
    )


def on_button(deps: Deps, desk: TicketDesk, ack: Ack, body: Mapping[str, Any], context: BoltContext) -> None:
    """A header button: open its modal, or make its change."""
    ack()
    action = body["actions"][0]
    action_id, user = str(action["action_id"]), str(body["user"]["id"])
    client = deps_client(context)
    ticket_id = ticket_id_of(action.get("value"))
    if ticket_id is None:
        _tell(client, body, user, NOT_A_TICKET)
        return
    try:
        ticket = desk.service.get(ticket_id)
    except TicketError as exc:
        _tell(client, body, user, str(exc))
        return
    if action_id in (RESOLVE_ACTION, "ticket_reopen") and not deps.settings.is_admin(user):
        _tell(client, body, user, NOT_ADMIN)
        return
    if action_id in MODALS:
        claim = ticket.claim
        view = {
            EVIDENCE_ACTION: lambda: evidence_modal(
                ticket, desk.evidence_kinds(claim.provider, claim.category, claim.kind)
            ),
            ANSWER_ACTION: lambda: answer_modal(ticket),
            RESOLVE_ACTION: lambda: resolve_modal(ticket),
        }[action_id]()
        client.views_open(trigger_id=body["trigger_id"], view=view)
        return
    change: Callable[[], object] = {
        "ticket_submitted": lambda: desk.service.mark_submitted(ticket.id, by=user, now=deps.now()),
        "ticket_reopen": lambda: desk.service.reopen(ticket.id, by=user, now=deps.now()),
        "ticket_packet": lambda: desk.service.outbox.queue_post(
            ticket.id, EventKind.PACKET, by=user, now=deps.now()
        ),
    }[action_id]  # fmt: skip
    _change(deps, desk, body, context, user, change)


def on_followup(
    deps: Deps, desk: TicketDesk, ack: Ack, body: Mapping[str, Any], context: BoltContext, which: str
) -> None:
    """The evidence, answer or resolve modal was submitted."""
    view, user = body["view"], str(body["user"]["id"])
    metadata = _metadata(deps, ack, context, view, TicketFollowupMetadata)
    if metadata is None:
        return
    ticket_id, now = metadata.ticket, deps.now
    change: Callable[[], object]
    if which == "evidence":
        evidence = evidence_from(view)
        if isinstance(evidence, dict):
            ack(response_action="errors", errors=evidence)
            return
        kind, value = evidence
        change = lambda: desk.service.add_evidence(ticket_id, Evidence(kind, value, user), now=now())  # noqa: E731
    elif which == "answer":
        answer = answer_from(view)
        if isinstance(answer, dict):
            ack(response_action="errors", errors=answer)
            return
        change = lambda: desk.service.record_answer(ticket_id, answer, by=user, now=now())  # noqa: E731
    else:
        outcome = resolution_from(view)
        if isinstance(outcome, dict):
            ack(response_action="errors", errors=outcome)
            return
        if not deps.settings.is_admin(user):
            ack(response_action="errors", errors={"outcome": NOT_ADMIN})
            return
        change = lambda: desk.service.resolve(  # noqa: E731
            ticket_id, outcome.outcome, outcome.amount, by=user, now=now()
        )
    ack()
    _change(deps, desk, body, context, user, change, ticket_id)


def _metadata(
    deps: Deps, ack: Ack, context: BoltContext, view: Mapping[str, Any], model: type[M]
) -> M | None:
    """The modal's typed metadata; None after refusing the submission (it is unreadable or forged)."""
    try:
        return metadata_of(view, model)
    except MetadataError as exc:
        log.warning("ticket modal refused: %s", exc)
        ack(response_action="update", view=refused_modal())
        deps.finish(context.get("delivery_key"))
        return None


def _change(
    deps: Deps,
    desk: TicketDesk,
    body: Mapping[str, Any],
    context: BoltContext,
    user: str,
    change: Callable[[], object],
    ticket_id: int | None = None,
) -> None:
    client = deps_client(context)

    def work() -> None:
        try:
            change()
        except TicketError as exc:
            # A modal's submission has no channel of its own: the ticket's thread is where to say it.
            channel = _channel_of(desk, ticket_id) if ticket_id is not None else ""
            _tell(client, body, user, f":warning: {exc}", channel)
            return
        desk.relay.flush()

    run_job(deps, context.get("delivery_key"), body, client, work)


def _channel_of(desk: TicketDesk, ticket_id: int) -> str:
    try:
        return desk.service.get(ticket_id).channel_id
    except TicketError:
        return ""  # no such ticket: nowhere to answer but the log


def deps_client(context: BoltContext) -> WebClient:
    """The Web API client Bolt hands each listener."""
    client = context.client
    assert client is not None
    return client


def _tell(client: WebClient, body: Mapping[str, Any], user: str, text: str, channel: str = "") -> None:
    channel = (
        (body.get("channel") or {}).get("id") or (body.get("container") or {}).get("channel_id") or channel
    )
    if channel:
        client.chat_postEphemeral(channel=str(channel), user=user, text=text)
    else:
        log.warning("ticket change refused with nowhere to tell %s: %s", user, text)
