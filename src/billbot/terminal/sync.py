"""`billbot sync`: bring the report cache of the configured source up to date, with progress on stderr."""

from __future__ import annotations

import sys
from collections.abc import Callable, Sequence

from billbot.admin_api import AdminApiError
from billbot.cache.sync import FeedSync
from billbot.settings import Settings
from billbot.sources import open_source
from billbot.store.engine import StoreConfigError
from billbot.terminal.ask import emit
from billbot.terminal.router import EXIT_OK, EXIT_SOURCE, Outcome, source_failed

EPHEMERAL = (
    "note: the embedded sandbox is rebuilt on every run, so this cache lasts only for this run; "
    "point ANTHROPIC_BASE_URL at `billbot sandbox serve` to keep one"
)


def sync(settings: Settings, *, out: Callable[[str], None], err: Callable[[str], None]) -> int:
    """Sync every feed of the configured source; the exit code (1: the source or the store failed)."""
    try:
        with open_source(settings, say=err) as source:
            if source.origin.kind == "embedded_sandbox":
                err(EPHEMERAL)
            outcome = Outcome(EXIT_OK, sync_summary(source.sync(err)))
    except AdminApiError as exc:
        outcome = source_failed(exc)
    except StoreConfigError as exc:
        outcome = Outcome(EXIT_SOURCE, err=f"error: {exc}")
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
