"""What the Slack listeners need, built once in the composition root and passed to `register`."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from billbot.balance_book import BalanceBook
from billbot.service import Answers
from billbot.settings import Settings
from billbot.slack.dedupe import Deliveries
from billbot.slack.jobs import JobPool


@dataclass(frozen=True)
class Deps:
    """Settings, the answers service, the clock, the balance book, the dedupe table and the job pool."""

    settings: Settings
    answers: Callable[[], Answers]
    now: Callable[[], datetime]
    book: BalanceBook | None
    deliveries: Deliveries
    jobs: JobPool

    def allowed_in(self, channel_id: str | None) -> bool:
        """Whether commands may run in this channel (no allowlist: everywhere)."""
        channels = self.settings.channels
        return not channels or channel_id in channels
