"""One command in, one outcome out: what the terminal prints and the exit code (DESIGN.md 4.1).

The command goes through the command table as the local operator (an admin, no forms) and comes back
as the same reply Slack gets, rendered as text. A failure becomes the sentence of
`billbot.app.errors.explain` on stderr: exit 2 for input the command cannot take (with its usage
line) or a setting that names something missing, 1 when the data source or billbot itself failed.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass

from billbot.app.command import TERMINAL_OPERATOR
from billbot.app.errors import explain
from billbot.app.replies.model import Response
from billbot.app.table import execute, parse
from billbot.runtime import Runtime
from billbot.terminal.render import render_text

EXIT_OK, EXIT_SOURCE, EXIT_USAGE = 0, 1, 2
EXIT_CODES = {"usage": EXIT_USAGE, "refused": EXIT_USAGE, "config": EXIT_USAGE, "notice": EXIT_OK}
log = logging.getLogger("billbot.terminal")


@dataclass(frozen=True, slots=True)
class Outcome:
    """What to print (stdout, stderr) and the exit code."""

    code: int
    out: str = ""
    err: str = ""


def run_command(runtime: Runtime, text: str) -> Outcome:
    """Answer one slash command as the local operator."""
    try:
        now = runtime.now()
        reply = execute(parse(text, now), runtime.services(), TERMINAL_OPERATOR, now)
    except Exception as exc:
        return failed(exc)
    assert isinstance(reply, Response), "the terminal has no forms: filing commands file directly"
    return Outcome(EXIT_OK, render_text(reply))


def failed(error: BaseException) -> Outcome:
    """The outcome of any failure: its sentence, and the usage line for input errors."""
    message = explain(error)
    if message.kind == "fault":
        log.error("billbot failure ref=%s", message.ref, exc_info=error)
    if message.kind == "notice":
        return Outcome(EXIT_OK, message.text)
    usage = f"\nusage: {message.usage}" if message.usage else ""
    return Outcome(EXIT_CODES.get(message.kind, EXIT_SOURCE), err=f"error: {message.text}{usage}")


def emit(outcome: Outcome, *, out: Callable[[str], None], err: Callable[[str], None]) -> int:
    """Print an outcome; its exit code."""
    if outcome.out:
        out(outcome.out)
    if outcome.err:
        err(outcome.err)
    return outcome.code
