"""`billbot ask "/claude-spend mtd by model"`: one slash command answered in the terminal.

Settings pick the data source (`billbot.sources`: no admin key → the embedded `demo` sandbox); the
answer is the same `Response` Slack would get, rendered as text. Exit codes (DESIGN.md 4.1): 0
answered, 2 a usage error (message and usage line on stderr), 1 the data source failed (one line).
"""

from __future__ import annotations

import sys
from collections.abc import Callable

import httpx

from billbot.admin_api import AdminApiError
from billbot.settings import Settings
from billbot.sources import Source, open_source
from billbot.store.engine import StoreConfigError
from billbot.terminal.router import EXIT_SOURCE, Outcome, run_command, source_failed
from billbot.terminal.tickets import terminal_tickets

__all__ = ["Source", "ask", "main_ask", "open_source"]  # Source and open_source: for the Slack tests


def ask(
    text: str,
    settings: Settings,
    *,
    out: Callable[[str], None],
    err: Callable[[str], None],
    transport: httpx.BaseTransport | None = None,
) -> int:
    """Answer one command; the exit code (`transport`: the wire, for tests)."""
    try:
        with open_source(settings, say=err, transport=transport) as source:
            outcome = run_command(source, text, terminal_tickets(settings, source))
    except AdminApiError as exc:
        outcome = source_failed(exc)
    except StoreConfigError as exc:
        outcome = Outcome(EXIT_SOURCE, err=f"error: {exc}")
    return emit(outcome, out=out, err=err)


def emit(outcome: Outcome, *, out: Callable[[str], None], err: Callable[[str], None]) -> int:
    """Print an outcome; its exit code."""
    if outcome.out:
        out(outcome.out)
    if outcome.err:
        err(outcome.err)
    return outcome.code


def main_ask(text: str) -> int:
    """Entry used by the CLI: real settings, real stdout/stderr."""
    return ask(text, Settings(), out=print, err=lambda line: print(line, file=sys.stderr))
