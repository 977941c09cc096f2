"""What command handlers may use: the application services a running billbot was built with.

The runtime (`billbot.runtime`) builds one `Services` from the settings; handlers receive it and never
construct anything themselves, so every interface runs the same handler over the same services.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from billbot.app.answers import Answers
from billbot.app.balance_book import BalanceBook
from billbot.app.replies.model import Response
from billbot.app.sign_in import SignIn
from billbot.tickets.service import TicketService
from billbot.watch.service import WatchService


@dataclass(frozen=True)
class Services:
    """The answers, the balance book or the sandbox's own history, the tickets, the sign-in, the watch."""

    answers: Answers
    book: BalanceBook | None
    # A sandbox's purchases, reloads, expiries and promotions (it keeps its own balance).
    sandbox_history: Callable[[], Response] | None
    tickets: Callable[[], TicketService] | None
    provider: str = "anthropic"
    ticket_channel: str | None = None
    # Mints a one-time sign-in link to the web page for a Slack user (None: no session secret).
    sign_in: SignIn | None = None
    # The watch's budgets and alerts (built on first use: it opens the store).
    watch: Callable[[], WatchService] | None = None

    @property
    def label(self) -> str:
        """Where the numbers come from, for replies that have no figures of their own."""
        return self.answers.data.label
