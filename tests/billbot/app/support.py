"""Running a command through the command table in tests, as the terminal's operator does."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from billbot.app.answers import Answers
from billbot.app.command import TERMINAL_OPERATOR
from billbot.app.replies.model import Response
from billbot.app.services import Services
from billbot.app.table import execute, parse


def parse_query(text: str, now: datetime) -> Any:
    """The query the table parses `text` into."""
    return parse(text, now).query


def answer(answers: Answers, text: str, now: datetime) -> Response:
    """The reply to `text` over `answers` alone (no balance book, no tickets)."""
    reply = execute(parse(text, now), Services(answers, None, None, None), TERMINAL_OPERATOR, now)
    assert isinstance(reply, Response)
    return reply
