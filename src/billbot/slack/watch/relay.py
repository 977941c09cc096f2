"""The alert relay: posts what the alerts' outbox owes Slack — messages, thread replies, edits — once.

The watch saves each alert's change with the posts it owes (`billbot.watch.alert_store`); the relay
posts an alert's message (Block Kit, with its buttons) as a top-level message and records where
(`set_message`) before marking its `open` post done, then its thread replies in order (`mark_posted`),
then edits every message whose alert is ahead of what it shows (`unrendered`, `mark_rendered`).
One alert's Slack trouble (the bot not in its channel, a rate limit) is logged and skips that alert
until the next flush; the others go on. With several processes one relays at a time (`relay_turn`).
The one window for a repeated post is between Slack accepting it and the store recording it.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from functools import partial

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from billbot.slack.watch.message import DisputeLink, alert_message
from billbot.watch.alert_store import AlertStore, PendingPost, StoredAlert

log = logging.getLogger("billbot.watch")
PASSES = 2  # a message posted in the first pass lets its thread replies go in the second


class WatchRelay:
    """Posts the outbox of an `AlertStore` through a Slack `WebClient`."""

    def __init__(
        self,
        store: AlertStore,
        client: WebClient,
        source: str,
        dispute_of: Callable[[int], DisputeLink | None] = lambda _: None,
    ) -> None:
        self.store = store
        self.client = client
        self.source = source
        self.dispute_of = dispute_of
        self._lock = threading.Lock()

    def flush(self) -> int:
        """Post and edit everything owed; how many posts were made. Slack errors wait for the next flush."""
        with self._lock, self.store.relay_turn() as mine:
            if not mine:
                return 0  # another process is relaying right now, ours included
            posted, stuck = 0, set[int]()
            for _ in range(PASSES):
                made, opened = self._post_owed(stuck)
                posted += made
                if not opened:
                    break
            for stored in self.store.unrendered():
                if stored.id not in stuck:
                    self._attempt(stored.id, stuck, partial(self._edit, stored))
            return posted

    def _post_owed(self, stuck: set[int]) -> tuple[int, bool]:
        made, opened = 0, False
        for post in self.store.unposted():
            if post.alert_id in stuck:
                continue  # keep a thread in order: nothing after a post that failed
            if post.kind == "open" and post.thread_ts is not None:
                self.store.mark_posted(post.id, post.thread_ts)  # posted before a crash: never twice
                continue
            if post.kind != "open" and post.thread_ts is None:
                continue
            done = self._attempt(post.alert_id, stuck, partial(self._post, post))
            made += done
            opened = opened or (done == 1 and post.kind == "open")
        return made, opened

    def _attempt(self, alert_id: int, stuck: set[int], act: Callable[[], None]) -> int:
        try:
            act()
        except SlackApiError as exc:
            log.warning("alert #%s: post deferred, Slack answered %s", alert_id, exc.response.get("error"))
            stuck.add(alert_id)
            return 0
        return 1

    def _post(self, post: PendingPost) -> None:
        if post.kind == "open":
            stored = self.store.get(post.alert_id)
            text, blocks = alert_message(stored, self.source, self.dispute_of(stored.id))
            answer = self.client.chat_postMessage(channel=post.channel_id, text=text, blocks=blocks)
            ts = str(answer["ts"])
            channel = str(answer.get("channel") or post.channel_id)
            self.store.set_message(stored.id, channel_id=channel, ts=ts, version=stored.version)
            self.store.mark_posted(post.id, ts)
            return
        assert post.thread_ts is not None
        answer = self.client.chat_postMessage(
            channel=post.channel_id, thread_ts=post.thread_ts, text=post.text
        )
        self.store.mark_posted(post.id, str(answer["ts"]))

    def _edit(self, stored: StoredAlert) -> None:
        assert stored.message_ts is not None
        text, blocks = alert_message(stored, self.source, self.dispute_of(stored.id))
        self.client.chat_update(channel=stored.channel_id, ts=stored.message_ts, text=text, blocks=blocks)
        self.store.mark_rendered(stored.id, stored.version)
