"""What the Slack listeners need, built once in the composition root and passed to `register`."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING

from billbot.balance_book import BalanceBook
from billbot.service import Answers
from billbot.settings import Settings
from billbot.slack.dedupe import DeliveryTable
from billbot.slack.jobs import JobPool

if TYPE_CHECKING:
    from billbot.slack.tickets.desk import TicketDesk


@dataclass(frozen=True)
class Deps:
    """Settings, answers, the clock, the balance book, dedupe, the job pool and the ticket desk."""

    settings: Settings
    answers: Callable[[], Answers]
    now: Callable[[], datetime]
    book: BalanceBook | None
    deliveries: DeliveryTable
    jobs: JobPool
    tickets: TicketDesk | None = None

    def allowed_in(self, channel_id: str | None) -> bool:
        """Whether commands may run in this channel (no allowlist: everywhere)."""
        channels = self.settings.channels
        return not channels or channel_id in channels
