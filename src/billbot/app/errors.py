"""The one place a failure becomes the sentence a person reads, in Slack, the terminal or any later page.

`explain` sorts every typed error into a kind: `usage` (input a command cannot take: the sentence and
the command's usage line), `refused` (who or where may not run it), `notice` (nothing is wrong, there is
just nothing to show yet), `config` (billbot's own settings name something missing), `source` (the
data source failed: the sentence of `admin_api.messages.describe`) and `fault` (our bug: "something
went wrong" and a correlation id, never the exception's text, which may carry a URL or a token).
Interfaces only choose how to show it (Slack: `:warning:` and backticks; terminal: `error:` and exit
codes).
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import Literal

from billbot.admin_api.errors import AdminApiError
from billbot.admin_api.messages import describe
from billbot.app.answers import NoBalanceRecord, UnknownWorkspace
from billbot.app.grammar.answers import CommandError
from billbot.app.grammar.watch import BUDGET_USAGE
from billbot.drills.catalogue import DrillSpecError
from billbot.drills.grammar import ACTIONS_USAGE, DrillInputError
from billbot.store.engine import StoreConfigError
from billbot.tickets.catalog import ProfileError
from billbot.tickets.service import TicketError
from billbot.watch.alert_store import AlertNotFound
from billbot.watch.budget_store import BudgetNotFound, ScopeNotFound
from billbot.watch.budgets import BudgetError

Kind = Literal["usage", "refused", "notice", "config", "source", "fault"]
FAULT = "Sorry, something went wrong (ref {ref}). An admin can find the details in billbot's log."


class Refused(PermissionError):
    """A command this person may not run here (not an admin, a channel outside the allowlist)."""


class ConfigError(ValueError):
    """billbot's settings cannot do what was asked (e.g. a watch loop with BILLBOT_WATCH_EVERY off)."""


class TicketConfigError(ValueError):
    """The ticket settings name something that is not there (a provider profile, a profiles folder)."""


class Unavailable(LookupError):
    """A command whose service this billbot was started without (e.g. tickets without a store)."""


@dataclass(frozen=True, slots=True)
class UserMessage:
    """What to tell the person: the sentence, the usage line for input errors, the kind, the ref."""

    text: str
    kind: Kind
    usage: str | None = None
    ref: str | None = None

    @property
    def expected(self) -> bool:
        """Whether this is an ordinary outcome (logged quietly) rather than a failure to investigate."""
        return self.kind in ("usage", "refused", "notice", "config")


class WorkerFailure(RuntimeError):
    """A command that failed in a worker process: the message was made there (and logged with its ref)."""

    def __init__(self, message: UserMessage) -> None:
        super().__init__(message.text)
        self.message = message


def correlation_id() -> str:
    """A short id to quote in the message and find in the log."""
    return uuid.uuid4().hex[:8]


def explain(error: BaseException, ref: str | None = None) -> UserMessage:
    """The message for any error; source failures and faults carry a correlation id."""
    if isinstance(error, WorkerFailure):
        return error.message
    if isinstance(error, CommandError):
        return UserMessage(str(error), "usage", usage=error.usage)
    if isinstance(error, DrillInputError):
        return UserMessage(str(error), "usage", usage=ACTIONS_USAGE)
    if isinstance(error, DrillSpecError):
        return UserMessage(str(error), "usage")
    if isinstance(error, UnknownWorkspace | TicketError | BudgetNotFound | AlertNotFound | ScopeNotFound):
        return UserMessage(str(error), "usage")
    if isinstance(error, BudgetError):  # a budget the grammar let through but cannot be (e.g. $0)
        return UserMessage(str(error), "usage", usage=BUDGET_USAGE)
    if isinstance(error, Refused | Unavailable):
        return UserMessage(str(error), "refused")
    if isinstance(error, NoBalanceRecord):
        return UserMessage(str(error), "notice")
    if isinstance(error, ConfigError | TicketConfigError | ProfileError):
        return UserMessage(str(error), "config")
    ref = ref or correlation_id()
    if isinstance(error, AdminApiError):
        return UserMessage(describe(error), "source", ref=ref)
    if isinstance(error, StoreConfigError):
        return UserMessage(str(error), "source", ref=ref)
    return UserMessage(FAULT.format(ref=ref), "fault", ref=ref)
