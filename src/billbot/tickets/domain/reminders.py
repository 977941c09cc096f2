"""Deadline reminders: 7, 3 and 1 days before a ticket's deadline, and once when it is overdue (pure).

Only the most urgent reminder that is due is sent: a ticket filed with two days left gets the 3-day
reminder, not the 7-day one as well. Each reminder has a key; the store makes each key happen once.
A reminder is data (which one, the deadline, the provider); `billbot.tickets.domain.narration` says it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

REMINDER_DAYS = (7, 3, 1)
OVERDUE = "overdue"


@dataclass(frozen=True, slots=True)
class Reminder:
    """A reminder due now: which one (`7d`, `3d`, `1d` or `overdue`), the deadline and the provider."""

    due: str
    deadline: datetime
    provider_name: str

    @property
    def key(self) -> str:
        """The once-key (`reminder:7d` … `reminder:overdue`): the store sends each key once per ticket."""
        return f"reminder:{self.due}"

    @property
    def overdue(self) -> bool:
        """Whether the deadline has passed."""
        return self.due == OVERDUE


def due_reminder(deadline: datetime | None, now: datetime, provider_name: str) -> Reminder | None:
    """The most urgent reminder due at `now` for a ticket not yet submitted (None: none due)."""
    if deadline is None:
        return None
    if now >= deadline:
        return Reminder(OVERDUE, deadline, provider_name)
    left = deadline - now
    for days in sorted(REMINDER_DAYS):
        if left <= timedelta(days=days):
            return Reminder(f"{days}d", deadline, provider_name)
    return None
