"""The balance book: admins' `/claude-balance` records in the store, read back for the balance estimate.

Anthropic has no balance API, so billbot keeps what admins tell it (an anchor, top-ups, corrections,
auto-reload settings) as an append-only journal and derives the estimate from it. Corrections made
after the anchor are folded into it; top-ups of the last year are kept as purchases, because their
expiry is what the "expiring soon" warning needs.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from decimal import Decimal

from sqlalchemy.engine import Engine

from billbot.app.data import BalanceRecord
from billbot.app.grammar.answers import BalanceQuery
from billbot.app.replies.model import Response, Table
from billbot.core.balance import Purchase
from billbot.core.money import usd
from billbot.store import ledger
from billbot.store.session import session_scope
from billbot.store.tables.balance import EntryKind

LOOKBACK = timedelta(days=366)  # a purchase older than a year has expired


class BalanceBook:
    """One organisation's admin-recorded balance facts."""

    def __init__(self, engine: Engine, org_id: str, source: str) -> None:
        self.engine = engine
        self.org_id = org_id
        self.source = source

    def record(self, query: BalanceQuery, *, by: str, now: datetime) -> Response:
        """Record an admin's `topup`, `set` or `autoreload` and confirm it in one line."""
        when = query.at or now
        with session_scope(self.engine) as session:
            common = {"org_id": self.org_id, "recorded_at": now, "recorded_by": by}
            if query.action == "set":
                assert query.amount is not None
                ledger.record_anchor(session, amount=query.amount, effective_at=when, **common)  # type: ignore[arg-type]
                said = f"Balance set to {usd(query.amount)} as of {when:%Y-%m-%d %H:%M} UTC."
            elif query.action == "topup":
                assert query.amount is not None
                ledger.record_topup(session, amount=query.amount, effective_at=when, **common)  # type: ignore[arg-type]
                said = f"Recorded a top-up of {usd(query.amount)} on {when:%Y-%m-%d}."
            else:
                ledger.record_autoreload(
                    session,
                    threshold=query.threshold,
                    target=query.target,
                    effective_at=when,
                    **common,  # type: ignore[arg-type]
                )
                said = (
                    "Auto-reload recorded as off."
                    if query.threshold is None or query.target is None
                    else f"Auto-reload recorded: below {usd(query.threshold)}, buy up to {usd(query.target)}."
                )
        return Response("Claude API balance", self.source, notes=(said,))

    def current(self, now: datetime) -> BalanceRecord | None:
        """The anchor in force with corrections since, last year's top-ups and the reload threshold."""
        with session_scope(self.engine, read_only=True) as session:
            anchor = ledger.latest(session, org_id=self.org_id, kind=EntryKind.ANCHOR, at=now)
            if anchor is None or anchor.amount is None:
                return None
            since = min(anchor.effective_at, now - LOOKBACK)
            entries = ledger.entries_since(session, org_id=self.org_id, since=since)
            reload = ledger.latest(session, org_id=self.org_id, kind=EntryKind.AUTORELOAD_SETTING, at=now)
        corrections = sum(
            (
                e.amount or Decimal(0)
                for e in entries
                if e.kind == EntryKind.ADJUSTMENT and e.effective_at > anchor.effective_at
            ),
            Decimal(0),
        )
        purchases = tuple(
            Purchase(e.amount, e.effective_at)
            for e in entries
            if e.kind == EntryKind.TOPUP and e.amount is not None and e.effective_at <= now
        )
        threshold = reload.reload_threshold if reload is not None else None
        return BalanceRecord(anchor.amount + corrections, anchor.effective_at, purchases, threshold)

    def history(self, limit: int = 20) -> Response:
        """The latest recorded entries, newest first (`/claude-balance history`)."""
        with session_scope(self.engine, read_only=True) as session:
            entries = ledger.history(session, org_id=self.org_id, limit=limit)
        rows = tuple(
            (
                f"{e.effective_at:%Y-%m-%d}",
                e.kind,
                usd(e.amount) if e.amount is not None else _reload_text(e.reload_threshold, e.reload_target),
                e.recorded_by,
            )
            for e in entries
        )
        table = Table(("effective", "kind", "amount", "recorded by"), rows)
        notes = () if rows else ("Nothing recorded yet: an admin can start with /claude-balance set AMOUNT.",)
        return Response("Claude API balance · history", self.source, (), (table,) if rows else (), notes)


def _reload_text(threshold: Decimal | None, target: Decimal | None) -> str:
    return "off" if threshold is None or target is None else f"{usd(threshold)} → {usd(target)}"
