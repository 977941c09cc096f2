"""What a command is: its grammar, who may run it and its handler; who runs it; what it may reply.

A `Command` is defined once, in the table (`billbot.app.table`). Interfaces never route or check
permissions themselves: they parse through the table, `authorize` the actor, run the handler (on or
off their ack path, as `immediate` says) and render the `Reply`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Generic, TypeVar

from billbot.app.errors import Refused
from billbot.app.replies.model import Response
from billbot.app.services import Services
from billbot.tickets.domain.model import TicketKind

Q = TypeVar("Q")

NOT_ADMIN = "Sorry, only billbot admins can {what}. Ask one of them, or use {name} on its own to look."
NOT_HERE = "Sorry, billbot is not enabled in this channel. Ask an admin, or try it in one of: {channels}."


@dataclass(frozen=True, slots=True)
class OpenForm:
    """Reply: open the filing form for a ticket of `kind`, pre-filled (interfaces that have forms)."""

    kind: TicketKind
    prefill: dict[str, str] = field(default_factory=dict)


Reply = Response | OpenForm


@dataclass(frozen=True, slots=True)
class Actor:
    """Who runs a command, where, and whether their interface can show a form."""

    user: str
    admin: bool
    channel: str | None = None
    forms: bool = False


TERMINAL_OPERATOR = Actor("terminal", admin=True)


@dataclass(frozen=True)
class Command(Generic[Q]):
    """One slash command: usage line, example, parser, handler and its rules."""

    name: str
    usage: str
    example: str
    parse: Callable[[list[str], datetime], Q]
    handle: Callable[[Services, Q, Actor, datetime], Reply]
    # Which queries change money state (admins only), and what a refusal says they change.
    admin_only: Callable[[Q], bool] = lambda query: False
    guards: str = "change money state"  # "… only billbot admins can <guards>"
    # Whether an answer may carry a "share in channel" button (a change is not re-run by sharing).
    shareable: Callable[[Q], bool] = lambda query: True
    # Runs on the ack path: cheap, and must answer at once (a form's trigger lives three seconds).
    immediate: bool = False
    # Answered for the whole channel (in a thread of its own) rather than only for the asker.
    public: bool = False


@dataclass(frozen=True)
class Invocation:
    """A parsed command line: the command, its query and the text it came from."""

    command: Command[Any]
    query: Any
    text: str

    @property
    def shareable(self) -> bool:
        """Whether the answer may be re-run for the whole channel."""
        return bool(self.command.shareable(self.query))

    def run(self, services: Services, actor: Actor, now: datetime) -> Reply:
        """The handler's reply (typed errors propagate to `billbot.app.errors.explain`)."""
        return self.command.handle(services, self.query, actor, now)


def authorize(invocation: Invocation, actor: Actor, channels: frozenset[str]) -> None:
    """Raise `Refused` if the actor may not run this here (channel allowlist, admin-only changes)."""
    if channels and actor.channel not in channels:
        listed = ", ".join(f"<#{channel}>" for channel in sorted(channels))
        raise Refused(NOT_HERE.format(channels=listed))
    command = invocation.command
    if command.admin_only(invocation.query) and not actor.admin:
        raise Refused(NOT_ADMIN.format(what=command.guards, name=command.name))
