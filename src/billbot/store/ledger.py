"""Persistence of the balance ledger (`balance_entry`): append entries, read them back.

Only storage lives here; the estimate (anchor + top-ups since − cost since) is computed by
`billbot.core.balance` from what these functions return. Every function takes the session first and
keyword arguments after; `recorded_at` comes from the caller's clock, never from here.
"""

from __future__ import annotations

from collections.abc import Collection
from datetime import datetime
from decimal import Decimal

from sqlmodel import Session, col, select

from billbot.store.tables import BalanceEntry, EntryKind
from billbot.store.types import to_decimal


class LedgerError(ValueError):
    """An entry that makes no sense (a negative top-up, a reload target below its threshold, …)."""


def record_anchor(
    session: Session,
    *,
    org_id: str,
    amount: Decimal,
    effective_at: datetime,
    recorded_at: datetime,
    recorded_by: str,
    note: str = "",
) -> BalanceEntry:
    """Record that the balance was `amount` at `effective_at` (it may be negative: credit owed)."""
    return _append(session, org_id, EntryKind.ANCHOR, effective_at, recorded_at, recorded_by, note, amount)


def record_topup(
    session: Session,
    *,
    org_id: str,
    amount: Decimal,
    effective_at: datetime,
    recorded_at: datetime,
    recorded_by: str,
    note: str = "",
) -> BalanceEntry:
    """Record credits bought at `effective_at`; the amount must be positive."""
    if to_decimal(amount) <= 0:
        raise LedgerError(f"a top-up must be positive, not {amount}")
    return _append(session, org_id, EntryKind.TOPUP, effective_at, recorded_at, recorded_by, note, amount)


def record_adjustment(
    session: Session,
    *,
    org_id: str,
    amount: Decimal,
    effective_at: datetime,
    recorded_at: datetime,
    recorded_by: str,
    note: str = "",
) -> BalanceEntry:
    """Record a signed correction of the balance (a refund credited, a charge found); never zero."""
    if to_decimal(amount) == 0:
        raise LedgerError("an adjustment of zero changes nothing")
    return _append(
        session, org_id, EntryKind.ADJUSTMENT, effective_at, recorded_at, recorded_by, note, amount
    )


def record_autoreload(
    session: Session,
    *,
    org_id: str,
    threshold: Decimal | None,
    target: Decimal | None,
    effective_at: datetime,
    recorded_at: datetime,
    recorded_by: str,
    note: str = "",
) -> BalanceEntry:
    """Record auto-reload from `effective_at` on: below `threshold`, buy up to `target`; None: off."""
    if (threshold is None) != (target is None):
        raise LedgerError("auto-reload needs both a threshold and a target, or neither (off)")
    if (
        threshold is not None
        and target is not None
        and (to_decimal(threshold) < 0 or to_decimal(target) <= to_decimal(threshold))
    ):
        raise LedgerError(f"auto-reload target {target} must exceed its threshold {threshold} (>= 0)")
    entry = _new(org_id, EntryKind.AUTORELOAD_SETTING, effective_at, recorded_at, recorded_by, note)
    entry.reload_threshold, entry.reload_target = threshold, target
    return _save(session, entry)


def entries_since(
    session: Session, *, org_id: str, since: datetime, kinds: Collection[EntryKind] | None = None
) -> list[BalanceEntry]:
    """Entries effective at or after `since`, oldest first (ties in the order they were recorded)."""
    query = select(BalanceEntry).where(BalanceEntry.org_id == org_id, col(BalanceEntry.effective_at) >= since)
    if kinds is not None:
        query = query.where(col(BalanceEntry.kind).in_([str(kind) for kind in kinds]))
    return list(session.exec(query.order_by(col(BalanceEntry.effective_at), col(BalanceEntry.id))))


def latest(session: Session, *, org_id: str, kind: EntryKind, at: datetime) -> BalanceEntry | None:
    """The entry of `kind` in force at `at`: the last one effective at or before it (e.g. the anchor)."""
    query = (
        select(BalanceEntry)
        .where(BalanceEntry.org_id == org_id, BalanceEntry.kind == str(kind))
        .where(col(BalanceEntry.effective_at) <= at)
        .order_by(col(BalanceEntry.effective_at).desc(), col(BalanceEntry.id).desc())
        .limit(1)
    )
    return session.exec(query).first()


def history(session: Session, *, org_id: str, limit: int = 50) -> list[BalanceEntry]:
    """The most recently recorded entries first (what `/claude-balance history` lists)."""
    query = (
        select(BalanceEntry)
        .where(BalanceEntry.org_id == org_id)
        .order_by(col(BalanceEntry.recorded_at).desc(), col(BalanceEntry.id).desc())
        .limit(limit)
    )
    return list(session.exec(query))


def _new(
    org_id: str,
    kind: EntryKind,
    effective_at: datetime,
    recorded_at: datetime,
    recorded_by: str,
    note: str,
) -> BalanceEntry:
    if not org_id or not recorded_by:
        raise LedgerError("an entry needs an organisation and who recorded it")
    return BalanceEntry(
        org_id=org_id,
        kind=str(kind),
        effective_at=effective_at,
        recorded_at=recorded_at,
        recorded_by=recorded_by,
        note=note,
    )


def _append(
    session: Session,
    org_id: str,
    kind: EntryKind,
    effective_at: datetime,
    recorded_at: datetime,
    recorded_by: str,
    note: str,
    amount: Decimal,
) -> BalanceEntry:
    entry = _new(org_id, kind, effective_at, recorded_at, recorded_by, note)
    entry.amount = to_decimal(amount)
    return _save(session, entry)


def _save(session: Session, entry: BalanceEntry) -> BalanceEntry:
    session.add(entry)
    session.flush()
    return entry
