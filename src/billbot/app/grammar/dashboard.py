"""`/claude-dashboard` takes no words: it answers with the asker's own sign-in link."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from billbot.app.grammar.amounts import InputError


@dataclass(frozen=True, slots=True)
class DashboardQuery:
    """A sign-in link for whoever asks."""


def parse_dashboard(args: list[str], now: datetime) -> DashboardQuery:
    """`/claude-dashboard` → `DashboardQuery`; any words are refused (there is nothing to choose)."""
    if args:
        raise InputError(f"/claude-dashboard takes no words, got {' '.join(args)!r}")
    return DashboardQuery()
