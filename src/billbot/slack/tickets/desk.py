"""The ticket desk: the ticket service, its relay to Slack, and the tick that sends reminders.

Built once in the composition root. `tick(now)` queues the reminders due and posts what is owed; a
`Ticker` runs it every `TICK_S` on a daemon thread (and once at start-up, which is how a process that
was killed mid-post catches up). Its loop stops when asked and never outlives the app.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from billbot.slack.tickets.relay import TicketRelay
from billbot.tickets.domain.model import Category, TicketKind
from billbot.tickets.service import TicketService

log = logging.getLogger("billbot.tickets")
TICK_S = 60.0


@dataclass(frozen=True)
class TicketDesk:
    """Everything the ticket listeners need."""

    service: TicketService
    relay: TicketRelay
    default_provider: str
    ticket_channel: str | None

    def providers(self) -> dict[str, str]:
        """Profile id → provider name, for the form."""
        return {pid: profile.name for pid, profile in sorted(self.service.profiles.items())}

    def evidence_kinds(self, provider: str, category: Category, kind: TicketKind) -> dict[str, str]:
        """The evidence the provider asks for in such a claim: kind → label."""
        profile = self.service.profiles.get(provider)
        if profile is None:
            return {}
        return {spec.kind: spec.label for spec in profile.evidence if spec.applies(category, kind)}

    def tick(self, now: datetime) -> int:
        """Queue due reminders and post everything owed; how many posts were made."""
        self.service.send_due_reminders(now)
        return self.relay.flush()


class Ticker:
    """Runs `desk.tick` now and then every `interval` seconds until stopped."""

    def __init__(self, desk: TicketDesk, now: Callable[[], datetime], interval: float = TICK_S) -> None:
        self.desk = desk
        self.now = now
        self.interval = interval
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="billbot-tickets", daemon=True)

    def start(self) -> Ticker:
        """Start ticking (the first tick is immediate)."""
        self._thread.start()
        return self

    def stop(self) -> None:
        """Stop after the current tick."""
        self._stop.set()
        if self._thread.is_alive():
            self._thread.join(timeout=10)

    def _run(self) -> None:
        while not self._stop.is_set():
            try:
                self.desk.tick(self.now())
            except Exception:  # a bad tick must not end the reminders; it is logged with its traceback
                log.exception("ticket tick failed; retrying in %.0f s", self.interval)
            self._stop.wait(self.interval)
