"""`billbot ask "/claude-spend mtd by model"`: one slash command answered in the terminal.

Settings build the runtime (no admin key → the embedded `demo` sandbox); the answer is the same reply
Slack would get, rendered as text. Exit codes (DESIGN.md 4.1): 0 answered, 2 a usage error (message
and usage line on stderr), 1 the data source failed (one line).
"""

from __future__ import annotations

import sys
from collections.abc import Callable

import httpx

from billbot.runtime import open_runtime
from billbot.settings import Settings
from billbot.terminal.outcome import emit, failed, run_command


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
        with open_runtime(settings, say=err, transport=transport) as runtime:
            outcome = run_command(runtime, text)
    except Exception as exc:  # the source or the store could not be opened
        outcome = failed(exc)
    return emit(outcome, out=out, err=err)


def main_ask(text: str) -> int:
    """Entry used by the CLI: real settings, real stdout/stderr."""
    return ask(text, Settings(), out=print, err=lambda line: print(line, file=sys.stderr))
