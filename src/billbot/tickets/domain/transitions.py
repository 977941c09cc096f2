"""How a ticket moves: a table of (status, action) → next status, and what a refused change says. Pure.

The service consults `TRANSITIONS` before every change; a pair that is not in the table is refused
with the sentence `refusal` gives. A ticket is filed `OPEN`. Adding evidence never changes the
status (it is allowed in every status, so a reopened claim can still be completed). Reopening goes
back to `SUBMITTED` when the claim had reached the provider, else to `OPEN` (`reopen_action`). What
an outcome does to the prepaid balance is `balance_effect` (reopening undoes it).
"""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal
from enum import StrEnum
from types import MappingProxyType

from billbot.tickets.domain.model import Category, Status

FILED = Status.OPEN  # the status of a newly filed ticket


class Action(StrEnum):
    """A change a person (or billbot) asks of a ticket."""

    SUBMIT = "submit"  # the claim was sent to the provider
    ADD_EVIDENCE = "add_evidence"
    RECORD_ANSWER = "record_answer"  # the provider replied
    REFUND = "refund"  # resolved: money back
    CREDIT = "credit"  # resolved: credit granted
    DENY = "deny"  # resolved: the provider said no
    REOPEN = "reopen"  # a resolved ticket that was never sent
    REOPEN_SENT = "reopen_sent"  # a resolved ticket whose claim had reached the provider


OPEN, SUBMITTED, ANSWERED = Status.OPEN, Status.SUBMITTED, Status.ANSWERED
REFUNDED, CREDITED, DENIED = Status.REFUNDED, Status.CREDITED, Status.DENIED

TRANSITIONS: Mapping[tuple[Status, Action], Status] = MappingProxyType({
    (OPEN, Action.SUBMIT): SUBMITTED,
    (OPEN, Action.ADD_EVIDENCE): OPEN,
    (SUBMITTED, Action.ADD_EVIDENCE): SUBMITTED,
    (ANSWERED, Action.ADD_EVIDENCE): ANSWERED,
    (REFUNDED, Action.ADD_EVIDENCE): REFUNDED,
    (CREDITED, Action.ADD_EVIDENCE): CREDITED,
    (DENIED, Action.ADD_EVIDENCE): DENIED,
    (OPEN, Action.RECORD_ANSWER): ANSWERED,
    (SUBMITTED, Action.RECORD_ANSWER): ANSWERED,
    (ANSWERED, Action.RECORD_ANSWER): ANSWERED,
    (OPEN, Action.REFUND): REFUNDED,
    (SUBMITTED, Action.REFUND): REFUNDED,
    (ANSWERED, Action.REFUND): REFUNDED,
    (OPEN, Action.CREDIT): CREDITED,
    (SUBMITTED, Action.CREDIT): CREDITED,
    (ANSWERED, Action.CREDIT): CREDITED,
    (OPEN, Action.DENY): DENIED,
    (SUBMITTED, Action.DENY): DENIED,
    (ANSWERED, Action.DENY): DENIED,
    (REFUNDED, Action.REOPEN): OPEN,
    (CREDITED, Action.REOPEN): OPEN,
    (DENIED, Action.REOPEN): OPEN,
    (REFUNDED, Action.REOPEN_SENT): SUBMITTED,
    (CREDITED, Action.REOPEN_SENT): SUBMITTED,
    (DENIED, Action.REOPEN_SENT): SUBMITTED,
})  # fmt: skip

# What a refused action tells the user; `{ticket}` is the ticket's number, `{status}` where it stands.
REFUSALS: Mapping[Action, str] = MappingProxyType({
    Action.SUBMIT: "ticket #{ticket} is {status}, not open: it was submitted already",
    Action.ADD_EVIDENCE: "ticket #{ticket} is {status}: evidence cannot be added",
    Action.RECORD_ANSWER: "ticket #{ticket} is resolved; reopen it first",
    Action.REFUND: "ticket #{ticket} is already {status}",
    Action.CREDIT: "ticket #{ticket} is already {status}",
    Action.DENY: "ticket #{ticket} is already {status}",
    Action.REOPEN: "ticket #{ticket} is {status}: only a resolved ticket can be reopened",
    Action.REOPEN_SENT: "ticket #{ticket} is {status}: only a resolved ticket can be reopened",
})  # fmt: skip

OUTCOME_ACTIONS: Mapping[Status, Action] = MappingProxyType(
    {REFUNDED: Action.REFUND, CREDITED: Action.CREDIT, DENIED: Action.DENY}
)


def next_status(status: Status, action: Action) -> Status | None:
    """The status `action` moves a ticket in `status` to, or None when the table refuses the change."""
    return TRANSITIONS.get((status, action))


def refusal(action: Action, ticket_id: int, status: Status) -> str:
    """The sentence a refused change shows the user who asked for it."""
    return REFUSALS[action].format(ticket=ticket_id, status=status.value)


def outcome_action(outcome: Status) -> Action | None:
    """The action that resolves a ticket with `outcome` (None: not an outcome)."""
    return OUTCOME_ACTIONS.get(outcome)


def reopen_action(submitted: bool) -> Action:
    """Reopening returns to where the claim stood: sent to the provider, or not yet."""
    return Action.REOPEN_SENT if submitted else Action.REOPEN


def balance_effect(status: Status, category: Category, amount: Decimal | None) -> Decimal | None:
    """How an outcome changes the prepaid balance: credits add; an unused-balance refund takes away."""
    if amount is None:
        return None
    if status is Status.CREDITED:
        return amount
    if status is Status.REFUNDED and category is Category.UNUSED_BALANCE:
        return -amount
    return None  # money back to the card for a charge: the credit balance is unchanged
