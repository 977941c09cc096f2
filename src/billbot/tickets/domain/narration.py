"""Saying a ticket event as a sentence, in an interface's style (`Markup`), from its stored facts. Pure.

The store keeps facts (`billbot.tickets.domain.events`) and the `PLAIN` sentence; an interface passes
its own `Markup` (Slack: `<@U…>` mentions and `:emoji:` codes) when it shows the event. Rows stored
before events were neutral hold a sentence already rendered for Slack: `event_text` shows those as
they were (`Markup.legacy`), and `PLAIN` strips their markup.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import Decimal

from billbot.core.money import usd
from billbot.tickets.domain.events import EVENT_SCHEMA, SCHEMA_KEY, YES, EventKind
from billbot.tickets.domain.model import CATEGORY_LABELS, Category, Status
from billbot.tickets.domain.ticket import TicketEvent

SLACK_USER = re.compile(r"^[UW][A-Z0-9]+$")
# A mention or channel link (`<@U1>`, `<#C1|name>`), or an emoji code (`:warning: `; never a time).
SLACK_MARKUP = re.compile(r"<[@#]([A-Z0-9]+)(?:\|[^>]*)?>|:[a-z][a-z0-9_+-]*: ?")
EVIDENCE_FILE = "Evidence gathered automatically (usage and cost around the transaction, request lookups)."


def mention(user: str) -> str:
    """`<@U123>` for a Slack user id (Slack shows the name), the plain name otherwise (`terminal`)."""
    return f"<@{user}>" if SLACK_USER.match(user) else user


def strip_slack_markup(text: str) -> str:
    """A sentence rendered for Slack, plain: `<@U1>` → `U1`, `<#C1>` → `#C1`, `:warning: ` removed."""
    return SLACK_MARKUP.sub(lambda m: "" if m.group(1) is None else _plain_ref(m.group(0), m.group(1)), text)


def _plain_ref(whole: str, ref: str) -> str:
    return f"#{ref}" if whole.startswith("<#") else ref


@dataclass(frozen=True, slots=True)
class Markup:
    """How an interface shows a person and the signals of a sentence (each prefix ends with a space)."""

    who: Callable[[str], str]
    warning: str = ""
    alarm: str = ""  # before a reminder
    overdue: str = ""  # before the reminder that the deadline passed
    legacy: Callable[[str], str] = strip_slack_markup  # a sentence stored pre-rendered for Slack


PLAIN = Markup(who=str)


def event_text(event: TicketEvent, markup: Markup) -> str:
    """The event as a sentence in `markup`'s style (an old row's stored sentence, in that style)."""
    if event.detail.get(SCHEMA_KEY) != EVENT_SCHEMA:
        return markup.legacy(event.text)
    said = narrate(event.kind, event.by, event.at, event.detail, markup)
    return event.text if said is None else said


def narrate(kind: str, by: str, at: datetime, facts: Mapping[str, str], markup: Markup) -> str | None:
    """The sentence for an event of `kind` by `by` at `at` with `facts` (None: a kind it cannot say)."""
    say = _SAYINGS.get(kind)
    return None if say is None else say(markup.who(by), at, facts, markup)


def _filed(who: str, _: datetime, facts: Mapping[str, str], markup: Markup) -> str:
    label = CATEGORY_LABELS[Category(facts["category"])]
    amount = f" of {usd(Decimal(facts['amount']))}" if facts.get("amount") else ""
    return f"{who} filed a {facts['ticket_kind']} ({label}{amount}) with {facts['provider_name']}."


def _submitted(who: str, _: datetime, facts: Mapping[str, str], markup: Markup) -> str:
    late = f" {markup.warning}after the deadline" if facts.get("late") == YES else ""
    return f"{who} marked the claim as sent to {facts['provider_name']}{late}."


def _evidence(who: str, _: datetime, facts: Mapping[str, str], markup: Markup) -> str:
    who = "billbot" if facts.get("automatic") == YES else who
    return f"{who} added evidence ({facts['kind']}): {facts['value']}"


def _answered(who: str, _: datetime, facts: Mapping[str, str], markup: Markup) -> str:
    quoted = "\n".join(f"> {line}" for line in facts["answer"].splitlines())
    return f"{who} recorded the provider's answer:\n{quoted}"


def _resolved(who: str, _: datetime, facts: Mapping[str, str], markup: Markup) -> str:
    outcome = Status(facts["outcome"])
    said = f"{usd(Decimal(facts['amount']))} " if facts.get("amount") and outcome is not Status.DENIED else ""
    return f"{who} resolved the ticket: {said}{outcome.value}.{_booked(facts)}"


def _reopened(who: str, _: datetime, facts: Mapping[str, str], markup: Markup) -> str:
    return f"{who} reopened the ticket.{_booked(facts)}"


def _booked(facts: Mapping[str, str]) -> str:
    booked = facts.get("booked")
    return f" Balance records adjusted by {usd(Decimal(booked))}." if booked else ""


def _reminder(_: str, at: datetime, facts: Mapping[str, str], markup: Markup) -> str:
    deadline, provider = datetime.fromisoformat(facts["deadline"]), facts["provider_name"]
    if facts["due"] == "overdue":
        return (f"{markup.overdue}The deadline to file with {provider} passed on {_when(deadline)}. "
                "The claim may be refused as late; file it anyway and say why it is late.")  # fmt: skip
    return (f"{markup.alarm}{_left(deadline - at)} left to file with {provider}: the deadline is "
            f"{_when(deadline)}. Mark the ticket submitted once it is sent.")  # fmt: skip


def _evidence_file(who: str, _: datetime, facts: Mapping[str, str], markup: Markup) -> str:
    return EVIDENCE_FILE


def _packet(who: str, _: datetime, facts: Mapping[str, str], markup: Markup) -> str:
    return f"{who} asked for the claim packet (Markdown and JSON)."


def _left(left: timedelta) -> str:
    if left >= timedelta(days=1):
        days = left.days
        return f"{days} day{'s' if days != 1 else ''}"
    hours = max(1, int(left.total_seconds() // 3600))
    return f"{hours} hour{'s' if hours != 1 else ''}"


def _when(moment: datetime) -> str:
    return f"{moment:%Y-%m-%d %H:%M} UTC"


_SAYINGS: dict[str, Callable[[str, datetime, Mapping[str, str], Markup], str]] = {
    EventKind.FILED: _filed,
    EventKind.SUBMITTED: _submitted,
    EventKind.EVIDENCE: _evidence,
    EventKind.ANSWERED: _answered,
    EventKind.RESOLVED: _resolved,
    EventKind.REOPENED: _reopened,
    EventKind.REMINDER: _reminder,
    EventKind.EVIDENCE_FILE: _evidence_file,
    EventKind.PACKET: _packet,
}
