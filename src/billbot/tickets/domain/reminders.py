"""Deadline reminders: 7, 3 and 1 days before a ticket's deadline, and once when it is overdue (pure).

Only the most urgent reminder that is due is sent: a ticket filed with two days left gets the 3-day
reminder, not the 7-day one as well. Each reminder has a key; the store makes each key happen once.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

REMINDER_DAYS = (7, 3, 1)
OVERDUE = "overdue"


@dataclass(frozen=True, slots=True)
class Reminder:
    """A reminder due now: its once-key (`reminder:7d` … `reminder:overdue`) and its text."""

    key: str
    text: str


def due_reminder(deadline: datetime | None, now: datetime, provider_name: str) -> Reminder | None:
    """The most urgent reminder due at `now` for a ticket not yet submitted (None: none due)."""
    if deadline is None:
        return None
    if now >= deadline:
        return Reminder(
            f"reminder:{OVERDUE}",
            f":rotating_light: The deadline to file with {provider_name} passed on {_when(deadline)}. "
            "The claim may be refused as late; file it anyway and say why it is late.",
        )
    left = deadline - now
    for days in sorted(REMINDER_DAYS):
        if left <= timedelta(days=days):
            return Reminder(
                f"reminder:{days}d",
                f":alarm_clock: {_left(left)} left to file with {provider_name}: the deadline is "
                f"{_when(deadline)}. Mark the ticket submitted once it is sent.",
            )
    return None


def _left(left: timedelta) -> str:
    if left >= timedelta(days=1):
        days = left.days
        return f"{days} day{'s' if days != 1 else ''}"
    hours = max(1, int(left.total_seconds() // 3600))
    return f"{hours} hour{'s' if hours != 1 else ''}"


def _when(moment: datetime) -> str:
    return f"{moment:%Y-%m-%d %H:%M} UTC"
