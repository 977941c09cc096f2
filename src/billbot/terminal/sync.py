"""`billbot sync`: bring the report cache of the configured source up to date, with progress on stderr."""

from __future__ import annotations

import sys
from collections.abc import Callable, Sequence

from billbot.report_cache.sync import FeedSync
from billbot.runtime import open_runtime
from billbot.settings import Settings
from billbot.terminal.outcome import EXIT_OK, Outcome, emit, failed

EPHEMERAL = (
    "note: the embedded sandbox is rebuilt on every run, so this cache lasts only for this run; "
    "point ANTHROPIC_BASE_URL at `billbot sandbox serve` to keep one"
)


def sync(settings: Settings, *, out: Callable[[str], None], err: Callable[[str], None]) -> int:
    """Sync every feed of the configured source; the exit code (1: the source or the store failed)."""
    try:
        with open_runtime(settings, say=err) as runtime:
            if runtime.source.kind == "embedded_sandbox":
                err(EPHEMERAL)
            outcome = Outcome(EXIT_OK, sync_summary(runtime.sync(err)))
    except Exception as exc:
        outcome = failed(exc)
    return emit(outcome, out=out, err=err)


def sync_summary(results: Sequence[FeedSync]) -> str:
    """One line per feed: how far it is synced and what this run fetched."""
    lines = []
    for result in results:
        feed = result.feed
        fetched = (
            f"fetched {result.start:%Y-%m-%d %H:%M} → {result.through:%Y-%m-%d %H:%M}, "
            f"{result.rows:,} rows in {result.chunks} request{'s' if result.chunks != 1 else ''}"
            if result.chunks
            else "already up to date"
        )
        lines.append(
            f"{feed.report} ({feed.width}): synced through {result.through:%Y-%m-%d %H:%M} UTC; {fetched}"
        )
    return "\n".join(lines)


def main_sync() -> int:
    """Entry used by the CLI: real settings, real stdout/stderr."""
    return sync(Settings(), out=print, err=lambda line: print(line, file=sys.stderr))
