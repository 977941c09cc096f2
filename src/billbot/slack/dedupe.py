"""Delivery dedupe: Slack's retried deliveries never double an effect, a dead first attempt is redone.

A delivery is keyed by what Slack keeps across retries (a command's or action's `trigger_id`, an
event's `event_id`). `claim` admits the first attempt; a retry is turned away while that attempt is in
progress or after it is `done`, and admitted again once it was `release`d (it failed) or its lease ran
out (it died without saying so). Only the effect's success marks a delivery done.

`Deliveries` is in memory, so per process; `billbot.slack.store_dedupe.StoreDeliveries` keeps the same
table in the database for several web processes (PostgreSQL). Both are a `DeliveryTable`.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Mapping
from typing import Any, Protocol

DONE_TTL_S = 3600.0  # Slack retries within ~5 minutes; an hour is ample
LEASE_S = 120.0  # an attempt still "in progress" after this is taken to have died


class DeliveryTable(Protocol):
    """What the dedupe middleware and the jobs need of a delivery table."""

    def claim(self, key: str) -> bool:
        """True: this attempt should run."""
        ...

    def done(self, key: str) -> None:
        """The effect happened."""
        ...

    def release(self, key: str) -> None:
        """The attempt failed before its effect."""
        ...


class Deliveries:
    """A small thread-safe table of delivery keys: in progress (with a lease) or done (with a TTL)."""

    def __init__(
        self,
        *,
        lease_s: float = LEASE_S,
        ttl_s: float = DONE_TTL_S,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._lease_s = lease_s
        self._ttl_s = ttl_s
        self._clock = clock
        self._lock = threading.Lock()
        self._entries: dict[str, tuple[bool, float]] = {}  # key → (done, expires at)

    def claim(self, key: str) -> bool:
        """True: this attempt should run. False: another attempt did or is doing it."""
        now = self._clock()
        with self._lock:
            self._expire(now)
            if key in self._entries:
                return False
            self._entries[key] = (False, now + self._lease_s)
            return True

    def done(self, key: str) -> None:
        """The effect happened: turn retries away for the TTL."""
        with self._lock:
            self._entries[key] = (True, self._clock() + self._ttl_s)

    def release(self, key: str) -> None:
        """The attempt failed before its effect: a retry may run."""
        with self._lock:
            entry = self._entries.get(key)
            if entry is not None and not entry[0]:
                del self._entries[key]

    def __len__(self) -> int:
        with self._lock:
            return len(self._entries)

    def _expire(self, now: float) -> None:
        stale = [key for key, (_, expires) in self._entries.items() if expires <= now]
        for key in stale:
            del self._entries[key]


def delivery_key(body: Mapping[str, Any]) -> str | None:
    """`event:<event_id>` for events, `trigger:<trigger_id>` for commands and actions, else None."""
    if body.get("event_id"):
        return f"event:{body['event_id']}"
    if body.get("trigger_id"):
        return f"trigger:{body['trigger_id']}"
    return None
