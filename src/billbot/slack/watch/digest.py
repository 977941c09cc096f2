"""The daily digest in the alert channel: owed once a UTC day from `digest_hour`, then posted once.

`owe(now)` saves the day's digest (its text and blocks) in `watch_digest` once the hour has come —
the day is the primary key, so several processes and restarts owe it once — and `flush()` posts
what is owed and records the post's ts (one process at a time: the alerts' relay turn). A process
started after the hour catches up the same day; a day it was down for is not sent late.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Callable
from datetime import datetime

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError
from sqlalchemy.exc import IntegrityError
from sqlmodel import col, select

from billbot.slack.blocks import blocks_for, fallback_text
from billbot.store.session import session_scope
from billbot.store.tables import WatchDigestRow
from billbot.watch.digest import digest_response
from billbot.watch.service import WatchService

log = logging.getLogger("billbot.watch")


class DigestPoster:
    """Owes and posts the daily digest of one watch service to one channel."""

    def __init__(
        self,
        service: WatchService,
        client: WebClient,
        *,
        channel: str | None,
        hour: int | None,
        source: Callable[[], str],
    ) -> None:
        self.service = service
        self.client = client
        self.channel = channel
        self.hour = hour
        self.source = source

    def owe(self, now: datetime) -> bool:
        """Save today's digest if its hour has come and it is not saved yet; whether this call saved it."""
        if not self.channel or self.hour is None or now.hour < self.hour:
            return False
        day = f"{now:%Y-%m-%d}"
        with session_scope(self.service.engine, read_only=True) as session:
            if session.get(WatchDigestRow, day) is not None:
                return False
        response = digest_response(self.service.digest(now, source=self.source()))
        row = WatchDigestRow(
            day=day,
            channel_id=self.channel,
            text=fallback_text(response),
            blocks=json.dumps(blocks_for(response)),
            created_at=now,
        )
        try:
            with session_scope(self.service.engine) as session:
                session.add(row)
        except IntegrityError:
            return False  # another process saved today's digest first
        return True

    def flush(self) -> int:
        """Post the digests owed; how many were posted (Slack's refusal waits for the next flush)."""
        with self.service.store.relay_turn() as mine:
            if not mine:
                return 0
            with session_scope(self.service.engine, read_only=True) as session:
                owed = list(
                    session.exec(
                        select(WatchDigestRow)
                        .where(col(WatchDigestRow.posted_ts).is_(None))
                        .order_by(col(WatchDigestRow.day))
                    )
                )
            posted = 0
            for row in owed:
                try:
                    answer = self.client.chat_postMessage(
                        channel=row.channel_id, text=row.text, blocks=json.loads(row.blocks)
                    )
                except SlackApiError as exc:
                    log.warning(
                        "digest %s: post deferred, Slack answered %s", row.day, exc.response.get("error")
                    )
                    continue
                self._mark(row.day, str(answer["ts"]))
                posted += 1
            return posted

    def _mark(self, day: str, ts: str) -> None:
        with session_scope(self.service.engine) as session:
            row = session.get(WatchDigestRow, day)
            if row is not None:
                row.posted_ts = ts
                session.add(row)
