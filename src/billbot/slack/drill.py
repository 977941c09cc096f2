"""Drills in a channel: a headline with buttons, the incident played in its thread, the scorecard at the end.

`/claude-drill NAME` is claimed in the store first (a retried delivery starts nothing), then a headline
goes to the channel and the drill plays on a thread of its own, off the ack path: every step the
world moves `step_s` simulated seconds (by default one simulated hour every `BILLBOT_DRILL_SPEED`
real seconds, 10), then `pace()` waits. In the thread: what the applications got every 30 simulated
minutes (a timed event, with the exact messages and counts), billbot's alerts as the watch's rules
fire them, and every action with who took it and when. Actions come from the headline's buttons or
the "Type an action…" form; only members of the channel act, each click or form is claimed once in
the store (a retried click applies once) and applied at the drill's current simulated time. `stop`,
`resolve`, the end of the drill or a timeout end it; the scorecard is posted and kept. Each drill has
its own session, thread and lock, so two drills at once do not mix. A drill a restart interrupted is
marked so, with a line in its thread.
"""

from __future__ import annotations

import logging
import queue
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import datetime

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError
from sqlalchemy import Engine
from sqlalchemy.exc import SQLAlchemyError

from billbot.app.command import Actor
from billbot.app.replies.model import Response
from billbot.drills.catalogue import load_drill
from billbot.drills.command import DrillQuery, history_response, scorecard_response
from billbot.drills.engine import DrillSession
from billbot.drills.grammar import Action, DrillInputError, parse_action
from billbot.drills.record import DrillEvent
from billbot.drills.runs import FAILED, INTERRUPTED, DrillRuns
from billbot.drills.scorecard import score
from billbot.drills.text import clock, headline
from billbot.settings import Settings
from billbot.slack.blocks import blocks_for, fallback_text
from billbot.slack.drill_blocks import headline_blocks
from billbot.store.engine import memory_store
from billbot.watch.budget_store import Budgets
from billbot.watch.budgets import Budget

SUMMARY_EVERY_S = 30 * 60
HOUR = 3600
OVER = "This drill is over; start another with /claude-drill NAME."
NOT_MEMBER = "Only members of <#{channel}> can act in its drills."
CANNOT_SEE = (
    "billbot cannot see who is in <#{channel}> (its Slack app needs the channels:read and groups:read"
    " scopes, see docs/DEPLOY.md), so nobody can act in its drills until it can."
)
FAILED_TEXT = ":warning: This drill failed; billbot's log has the details."
log = logging.getLogger("billbot.slack")


@dataclass
class LiveDrill:
    """A drill being played: its session, its thread and the actions waiting to be applied."""

    run_id: int
    channel: str
    thread: str
    session: DrillSession
    inbox: queue.Queue[tuple[Action, str]] = field(default_factory=queue.Queue)
    summarised_to: int = 0


class DrillDesk:
    """Plays drills for Slack (see the module docstring)."""

    def __init__(
        self,
        runs: DrillRuns,
        client: WebClient,
        now: Callable[[], datetime],
        *,
        seconds_per_hour: float = 10.0,
        poll_s: float = 0.5,
        timeout_s: float = 30 * 60,
        pace: Callable[[], None] | None = None,
        budgets: Callable[[], Sequence[Budget]] = lambda: (),
        members: Callable[[str], set[str] | None] | None = None,
    ) -> None:
        self.runs = runs
        self.client = client
        self.now = now
        self.step_s = max(1, round(poll_s * HOUR / seconds_per_hour))
        self.pace = pace or (lambda: time.sleep(poll_s))
        self.timeout_s = timeout_s
        self.budgets = budgets
        self.members = members or self._channel_members
        self.live: dict[int, LiveDrill] = {}
        self._lock = threading.Lock()
        self._threads: list[threading.Thread] = []
        self._closing = threading.Event()

    def start(self, key: str, query: DrillQuery, actor: Actor) -> None:
        """Claim the drill (once per key), post its headline and play it on a thread of its own."""
        channel = str(actor.channel)
        run = self.runs.claim(key, query.name, query.seed, by=actor.user, channel=channel, now=self.now())
        if run is None or run.id is None:
            log.info("drill %s already claimed: nothing to do twice", key)
            return
        spec = load_drill(query.name)
        text = f":rotating_light: {headline(spec)} Started by <@{actor.user}>; act with the buttons."
        blocks = headline_blocks(text, run.id)
        posted = self.client.chat_postMessage(channel=channel, text=text, blocks=blocks)
        thread = str(posted["ts"])
        self.runs.started(run.id, thread)
        try:
            session = DrillSession(spec, seed=query.seed, budgets=self.budgets())
        except Exception:
            self.runs.ended(run.id, FAILED, self.now())
            raise
        live = LiveDrill(run.id, channel, thread, session)
        with self._lock:
            self.live[run.id] = live
        player = threading.Thread(target=self._play, args=(live,), name=f"drill-{run.id}", daemon=True)
        self._threads.append(player)
        player.start()

    def act(self, run_id: int, key: str, text: str, user: str, channel: str) -> str | None:
        """Take an action typed or clicked by `user`; a sentence for them if it cannot be, else None."""
        with self._lock:
            live = self.live.get(run_id)
        if live is None:
            return OVER
        if live.channel != channel:
            return NOT_MEMBER.format(channel=live.channel)
        members = self.members(channel)
        if members is None:  # only people in the channel may act: unknown members means nobody
            return CANNOT_SEE.format(channel=channel)
        if user not in members:
            return NOT_MEMBER.format(channel=live.channel)
        try:
            action = parse_action(text)
        except DrillInputError as exc:
            return f"{exc}. Try: topup 500, autoreload 50 300, card update, limit 5000, tier 3, backoff"
        if self.runs.take(run_id, key, by=user, text=action.text, now=self.now()):
            live.inbox.put((action, user))
        else:
            log.info("drill action %s already taken: applied once", key)
        return None

    def close(self, timeout: float = 10.0) -> None:
        """End every drill being played (scored as `shutdown`) and wait for their threads."""
        self._closing.set()
        for player in self._threads:
            player.join(timeout)

    def history(self, channel: str | None) -> Response:
        """Past drills in this channel with their scores."""
        return history_response(self.runs.history(channel))

    def interrupted(self) -> int:
        """Mark the drills a stopped bot left as interrupted, with a line in their threads; how many."""
        left = self.runs.unfinished()
        for run in left:
            assert run.id is not None
            self.runs.ended(run.id, INTERRUPTED, self.now())
            if run.message_ts:
                self._say(
                    run.channel, run.message_ts, ":octagonal_sign: billbot restarted: the drill stopped."
                )
        return len(left)

    def _play(self, live: LiveDrill) -> None:
        started = time.monotonic()
        session = live.session
        try:
            while not session.finished:
                self._apply_waiting(live)
                if session.finished:
                    break
                if time.monotonic() - started > self.timeout_s:
                    session.end("timeout")
                    break
                if self._closing.is_set():
                    session.end("shutdown")
                    break
                events = session.advance(session.now_s + self.step_s)
                self._post_events(live, events)
                if not session.finished:
                    self.pace()
            self._apply_waiting(live)  # an action clicked as it ended is still echoed
            self._finish(live)
        except Exception:
            log.exception("drill %s failed", live.run_id)
            self._failed(live)
        finally:
            with self._lock:
                self.live.pop(live.run_id, None)

    def _failed(self, live: LiveDrill) -> None:
        try:
            self.runs.ended(live.run_id, FAILED, self.now())
            self._say(live.channel, live.thread, FAILED_TEXT)
        except (SlackApiError, SQLAlchemyError):  # Slack or the store is gone too: the log has it
            log.exception("drill %s: the failure could not be reported", live.run_id)

    def _apply_waiting(self, live: LiveDrill) -> None:
        while not live.inbox.empty():
            action, user = live.inbox.get()
            if live.session.finished:
                self._say(
                    live.channel, live.thread, f"<@{user}>: `{action.text}` came after the drill ended."
                )
                continue
            record = live.session.take(action, user)
            when = clock(live.session.began_at, record.at_s)
            mark = "" if record.ok else " (refused)"
            said = f"`{record.text}` → {record.effect}{mark}"
            who = f":point_right: <@{user}> at {when} simulated ({self.now():%H:%M:%S} UTC)"
            self._say(live.channel, live.thread, f"{who}: {said}")

    def _post_events(self, live: LiveDrill, events: Sequence[DrillEvent]) -> None:
        began = live.session.began_at
        for event in events:
            if event.kind == "alert":
                self._say(live.channel, live.thread, f":bell: {clock(began, event.at_s)} {event.text}")
        while live.summarised_to + SUMMARY_EVERY_S <= live.session.now_s:
            self._summary(live, live.summarised_to, live.summarised_to + SUMMARY_EVERY_S)
            live.summarised_to += SUMMARY_EVERY_S

    def _summary(self, live: LiveDrill, start_s: int, end_s: int) -> None:
        tally = live.session.shaper.tally
        first, last = start_s // 60, end_s // 60
        served = 0
        failed: dict[tuple[int, str], int] = {}
        for (minute, status, message), count in tally.items():
            if not first <= minute < last:
                continue
            if status == 200:
                served += count
            else:
                failed[(status, message)] = failed.get((status, message), 0) + count
        began = live.session.began_at
        parts = [f":stopwatch: {clock(began, start_s)} → {clock(began, end_s)[:5]}: {served:,} served"]
        if failed:
            parts += [
                f"{count:,} × {status} “{message}”" for (status, message), count in sorted(failed.items())
            ]
        else:
            parts.append("none failed")
        self._say(live.channel, live.thread, " · ".join(parts))

    def _finish(self, live: LiveDrill) -> None:
        card = score(live.session.record())
        self.runs.finish(live.run_id, card, self.now())
        reply = scorecard_response(card)
        self.client.chat_postMessage(
            channel=live.channel, thread_ts=live.thread, text=fallback_text(reply), blocks=blocks_for(reply)
        )
        self.client.chat_update(
            channel=live.channel, ts=live.thread, text=f":checkered_flag: {reply.title}", blocks=[]
        )

    def _say(self, channel: str, thread: str, text: str) -> None:
        self.client.chat_postMessage(channel=channel, thread_ts=thread, text=text)

    def _channel_members(self, channel: str) -> set[str] | None:
        """The channel's members; None where Slack will not say (no `channels:read` scope)."""
        try:
            answer = self.client.conversations_members(channel=channel, limit=1000)
        except SlackApiError as exc:
            log.warning("could not read the members of %s (%s): nobody may act in its drills", channel, exc)
            return None
        listed = answer.get("members")
        return None if listed is None else {str(member) for member in listed}


def drill_desk(
    settings: Settings, client: WebClient, now: Callable[[], datetime], engine: Engine | None
) -> DrillDesk:
    """The app's drill desk: kept in `engine` (the app's store) or in memory; the store's budgets."""
    store = engine if engine is not None else memory_store()

    def budgets() -> Sequence[Budget]:
        # Workspace and key budgets name ids the drill's copy of the world does not have.
        return [b for b in Budgets(store).list() if b.scope.kind in ("organization", "model")]

    return DrillDesk(DrillRuns(store), client, now, seconds_per_hour=settings.drill_speed, budgets=budgets)
