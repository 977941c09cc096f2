"""Answers computed in worker processes, so the bot's acks never wait behind them.

Computing an answer is CPU work (pricing usage, walking the embedded sandbox) and Python threads share
one interpreter lock: answers computed beside the acks starve them (docs/PERFORMANCE.md). Each worker
process builds its own runtime from the same settings once (the embedded demo ending at the same
instant as the bot's) and answers a command line for an actor; the bot's job threads only wait for
the result and post it. A failure comes back as the sentence of `explain`, logged in the worker with
its traceback under the same correlation id.
"""

from __future__ import annotations

import atexit
import contextlib
import logging
import multiprocessing
from concurrent.futures import ProcessPoolExecutor

from billbot.app.command import Actor, Reply
from billbot.app.errors import UserMessage, WorkerFailure, explain
from billbot.app.table import execute, parse
from billbot.runtime import Runtime, open_runtime
from billbot.settings import Settings

ANSWER_TIMEOUT_S = 120.0
log = logging.getLogger("billbot.workers")
_runtime: Runtime | None = None  # this worker process's own runtime, built by `_start`


def _start(settings: Settings) -> None:
    """A worker's initializer: build its runtime once, close it when the process exits."""
    global _runtime
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s %(message)s")
    stack = contextlib.ExitStack()
    _runtime = stack.enter_context(open_runtime(settings, say=lambda _: None))
    atexit.register(stack.close)


def _answer(text: str, actor: Actor) -> Reply | UserMessage:
    """Run one command line in this worker; its reply, or the message of what went wrong."""
    assert _runtime is not None, "the worker's initializer builds the runtime"
    now = _runtime.now()
    try:
        return execute(parse(text, now), _runtime.services(), actor, now)
    except Exception as exc:
        message = explain(exc)
        if not message.expected:
            log.error("billbot failure ref=%s type=%s", message.ref, type(exc).__name__, exc_info=exc)
        return message


class WorkerPool:
    """A few worker processes answering command lines; `answer` blocks its (job) thread, not the GIL."""

    def __init__(self, settings: Settings, workers: int) -> None:
        context = multiprocessing.get_context("spawn")  # no fork of a threaded process
        self._pool = ProcessPoolExecutor(
            workers, mp_context=context, initializer=_start, initargs=(settings,)
        )

    def answer(self, text: str, actor: Actor) -> Reply:
        """The reply to `text` for `actor`; `WorkerFailure` carries the message of a failure."""
        result = self._pool.submit(_answer, text, actor).result(timeout=ANSWER_TIMEOUT_S)
        if isinstance(result, UserMessage):
            raise WorkerFailure(result)
        return result

    def close(self) -> None:
        """Stop the workers (what is running finishes first)."""
        self._pool.shutdown(wait=True, cancel_futures=True)
