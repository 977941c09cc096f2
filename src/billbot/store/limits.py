"""Persistence of recorded monthly limits (`recorded_limit`): tier cap and spend limits set by an admin."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal

from sqlmodel import Session, col, select

from billbot.store.tables import LimitKind, RecordedLimit
from billbot.store.types import to_decimal


def record_limit(
    session: Session,
    *,
    org_id: str,
    kind: LimitKind,
    amount: Decimal | None,
    effective_at: datetime,
    recorded_at: datetime,
    recorded_by: str,
    workspace_id: str = "",
    tier: str = "",
    note: str = "",
) -> RecordedLimit:
    """Record a monthly limit in dollars from `effective_at` on (None: no such limit)."""
    if amount is not None and to_decimal(amount) < 0:
        raise ValueError(f"a limit cannot be negative: {amount}")
    if (kind is LimitKind.WORKSPACE_SPEND_LIMIT) != bool(workspace_id):
        raise ValueError("a workspace id is needed for a workspace limit, and only for one")
    entry = RecordedLimit(
        org_id=org_id,
        kind=str(kind),
        workspace_id=workspace_id,
        tier=tier,
        amount=amount,
        effective_at=effective_at,
        recorded_at=recorded_at,
        recorded_by=recorded_by,
        note=note,
    )
    session.add(entry)
    session.flush()
    return entry


def limits_in_force(session: Session, *, org_id: str, at: datetime) -> list[RecordedLimit]:
    """The latest entry effective at or before `at` for each (kind, workspace)."""
    query = (
        select(RecordedLimit)
        .where(RecordedLimit.org_id == org_id, col(RecordedLimit.effective_at) <= at)
        .order_by(col(RecordedLimit.effective_at), col(RecordedLimit.id))
    )
    latest: dict[tuple[str, str], RecordedLimit] = {}
    for entry in session.exec(query):
        latest[(entry.kind, entry.workspace_id)] = entry
    return sorted(latest.values(), key=lambda entry: (entry.kind, entry.workspace_id))
