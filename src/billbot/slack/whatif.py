"""What-ifs in a channel: a headline message, the answer in its thread, progress, "run again" buttons.

`/claude-whatif` is answered for the whole channel (the point is to discuss it there). The run is
claimed in the store first (`billbot.app.whatif_runs`): a retried delivery or a second click on the
same button starts nothing. The headline message says it is simulating and is edited every two
seconds while a worker process computes; then the reply (table, chart, fallback text) goes in its
thread with buttons that run it again with one lever changed, in the same thread, and the headline
becomes the answer's. A restarted bot finishes or re-posts what was left (`resume`).
"""

from __future__ import annotations

import json
import logging
import threading
import time
from collections.abc import Callable
from datetime import datetime
from typing import Any

from slack_sdk import WebClient

from billbot.app.command import Actor, Reply
from billbot.app.errors import explain
from billbot.app.replies.codec import response_from_json, response_to_json
from billbot.app.replies.model import Response
from billbot.app.whatif_runs import COMPUTED, WhatIfRuns
from billbot.slack.blocks import Block, blocks_for, fallback_text
from billbot.slack.errors import slack_text
from billbot.store.tables.whatif import WhatIfRun

RERUN_ACTION = "whatif_rerun"
PROGRESS_EVERY_S = 2.0
log = logging.getLogger("billbot.slack")


class WhatIfDesk:
    """Runs what-ifs for Slack: claims, progress, the thread, and resuming after a restart."""

    def __init__(
        self,
        runs: WhatIfRuns,
        answer: Callable[[str, Actor], Reply],
        client: WebClient,
        now: Callable[[], datetime],
        is_admin: Callable[[str], bool],
    ) -> None:
        self.runs = runs
        self.answer = answer
        self.client = client
        self.now = now
        self.is_admin = is_admin

    def start(self, key: str, command: str, actor: Actor, thread_ts: str | None = None) -> None:
        """Claim the run (once per key) and carry it out; a repeat of the same key does nothing."""
        run = self.runs.claim(
            key, command, by=actor.user, channel=str(actor.channel), thread_ts=thread_ts, now=self.now()
        )
        if run is None:
            log.info("what-if %s already claimed: nothing to do twice", key)
            return
        self.carry_out(run)

    def carry_out(self, run: WhatIfRun) -> None:
        """Post the headline (unless it is there), compute (unless computed), post the answer."""
        assert run.id is not None
        message_ts = run.message_ts or self._headline(run)
        if run.message_ts is None:
            self.runs.started(run.id, message_ts)
        if run.status == COMPUTED and run.reply is not None:
            reply = response_from_json(run.reply)
        else:
            computed = self._compute(run, message_ts)
            if computed is None:
                return
            reply = computed
            self.runs.computed(run.id, response_to_json(reply), self.now())
        self._post_answer(run, message_ts, reply)
        self.runs.posted(run.id)

    def resume(self) -> int:
        """Finish or re-post every run a stopped bot left; how many."""
        left = self.runs.unfinished()
        for run in left:
            try:
                self.carry_out(run)
            except Exception:  # one bad run must not keep the others from their threads
                log.exception("what-if run %s could not be resumed", run.id)
        return len(left)

    def _headline(self, run: WhatIfRun) -> str:
        text = (
            f":hourglass_flowing_sand: {_what(run.command)} — simulating…  (asked by <@{run.requested_by}>)"
        )
        posted = self.client.chat_postMessage(channel=run.channel, thread_ts=run.thread_ts, text=text)
        return str(posted["ts"])

    def _compute(self, run: WhatIfRun, message_ts: str) -> Response | None:
        assert run.id is not None
        actor = Actor(run.requested_by, self.is_admin(run.requested_by), run.channel)
        stop = threading.Event()
        progress = threading.Thread(target=self._progress, args=(run, message_ts, stop), daemon=True)
        progress.start()
        try:
            reply = self.answer(run.command, actor)
        except Exception as exc:
            message = explain(exc)
            if not message.expected:
                log.error("what-if failed ref=%s", message.ref, exc_info=exc)
            self.client.chat_update(
                channel=run.channel, ts=message_ts, text=f":warning: {slack_text(message)}"
            )
            self.runs.failed(run.id, self.now())
            return None
        finally:
            stop.set()
            progress.join(5)
        assert isinstance(reply, Response)
        return reply

    def _progress(self, run: WhatIfRun, message_ts: str, stop: threading.Event) -> None:
        """Edit the headline every two seconds with the time spent, until the answer is there."""
        started = time.monotonic()
        while not stop.wait(PROGRESS_EVERY_S):
            seconds = time.monotonic() - started
            text = f":hourglass_flowing_sand: {_what(run.command)} — simulating… {seconds:.0f} s"
            try:
                self.client.chat_update(channel=run.channel, ts=message_ts, text=text)
            except Exception:  # progress is a courtesy: the answer still comes
                log.warning("what-if progress update failed", exc_info=True)

    def _post_answer(self, run: WhatIfRun, message_ts: str, reply: Response) -> None:
        thread = run.thread_ts or message_ts
        buttons = rerun_buttons(run.command, thread)
        blocks = blocks_for(reply, actions=[buttons] if buttons["elements"] else None)
        self.client.chat_postMessage(
            channel=run.channel, thread_ts=thread, text=fallback_text(reply), blocks=blocks
        )
        self.client.chat_update(channel=run.channel, ts=message_ts, text=f":crystal_ball: {reply.title}")


def _what(command: str) -> str:
    levers = command.split(maxsplit=1)[1] if " " in command else ""
    return f"What if {levers}" if levers else "What if"


def variants(command: str) -> list[tuple[str, str]]:
    """Up to four "run again with one lever changed" choices: (button label, command)."""
    words = command.split()
    traffic = _value_after(words, "traffic")
    factor = _number(traffic.lstrip("xX")) if traffic else None
    doubled = f"x{factor * 2:g}" if factor is not None else "x2"
    choices = [(f"traffic {doubled}", _with(words, "traffic", doubled))]
    if _value_after(words, "horizon") is None:
        choices.append(("over 30 days", f"{command} horizon 30d"))
    if "decline" not in (word.lower() for word in words):
        choices.append(("if reloads are declined", f"{command} decline reloads"))
    seed = _number(_value_after(words, "seed") or "0")
    choices.append(("another seed", _with(words, "seed", f"{int(seed or 0) + 1}")))
    return choices[:4]


def _value_after(words: list[str], keyword: str) -> str | None:
    lowered = [word.lower() for word in words]
    if keyword in lowered[:-1]:
        return words[lowered.index(keyword) + 1]
    return None


def _with(words: list[str], keyword: str, value: str) -> str:
    """The command with `keyword value` set: replaced where it is, added where it is not."""
    lowered = [word.lower() for word in words]
    if keyword in lowered[:-1]:
        at = lowered.index(keyword) + 1
        return " ".join([*words[:at], value, *words[at + 1 :]])
    return " ".join([*words, keyword, value])


def _number(text: str) -> float | None:
    try:
        return float(text)
    except ValueError:
        return None


def rerun_buttons(command: str, thread_ts: str) -> Block:
    """An actions block: each button runs the what-if again, one lever changed, in the same thread."""
    elements = [
        {
            "type": "button",
            "action_id": f"{RERUN_ACTION}_{index}",
            "text": {"type": "plain_text", "text": label[:75]},
            "value": json.dumps({"command": changed, "thread": thread_ts})[:2000],
        }
        for index, (label, changed) in enumerate(variants(command))
    ]
    return {"type": "actions", "block_id": "whatif_rerun", "elements": elements}


def rerun_request(body: dict[str, Any]) -> tuple[str, str, str] | None:
    """A "run again" click: (request key, command, thread), or None for a value billbot did not write."""
    try:
        value = json.loads(body["actions"][0]["value"])
        command, thread = str(value["command"]), str(value["thread"])
    except (KeyError, IndexError, TypeError, ValueError):
        return None
    if not command.startswith("/claude-whatif"):
        return None
    return f"whatif:{thread}:{command}", command, thread
