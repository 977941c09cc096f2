"""What the Slack listeners need, built once by the app factory from the runtime's services."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING

from billbot.app.command import Actor, Reply
from billbot.app.services import Services
from billbot.settings import Settings
from billbot.slack.dedupe import DeliveryTable
from billbot.slack.jobs import JobPool

if TYPE_CHECKING:
    from billbot.slack.drill import DrillDesk
    from billbot.slack.tickets.desk import TicketDesk
    from billbot.slack.watch.desk import WatchDesk
    from billbot.slack.whatif import WhatIfDesk


@dataclass(frozen=True)
class Deps:
    """Settings, the command services, the clock, dedupe, the job pool, the answerer, the desks."""

    settings: Settings
    services: Callable[[], Services]
    now: Callable[[], datetime]
    deliveries: DeliveryTable
    jobs: JobPool
    # Runs a command line for an actor off the ack path: in this process, or in a worker process.
    answer: Callable[[str, Actor], Reply]
    tickets: TicketDesk | None = None
    whatifs: WhatIfDesk | None = None
    drills: DrillDesk | None = None
    watch: WatchDesk | None = None

    def actor(self, user: str, channel: str | None, *, forms: bool = False) -> Actor:
        """The Slack user as an actor of the command layer (admins from BILLBOT_ADMINS)."""
        return Actor(user, self.settings.is_admin(user), channel, forms)

    def finish(self, key: str | None) -> None:
        """Mark a delivery done (its effect happened, or there was nothing to do)."""
        if key is not None:
            self.deliveries.done(key)
