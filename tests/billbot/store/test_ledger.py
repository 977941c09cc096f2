"""The balance ledger and recorded limits: what admins record comes back exact, aware and in order."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from decimal import Decimal
from typing import TypedDict

import pytest
from sqlalchemy import Engine
from sqlalchemy.exc import IntegrityError

from billbot.store import session_scope
from billbot.store.ledger import (
    LedgerError,
    entries_since,
    history,
    latest,
    record_adjustment,
    record_anchor,
    record_autoreload,
    record_topup,
)
from billbot.store.limits import limits_in_force, record_limit
from billbot.store.tables import BalanceEntry, EntryKind, LimitKind

ORG = "org_01demo"
NOV_1 = datetime(2026, 11, 1, tzinfo=UTC)
NOW = datetime(2026, 11, 21, 12, 5, tzinfo=UTC)


class Recorded(TypedDict):
    """Who recorded an entry, when, and for which organisation: the arguments every record_* shares."""

    org_id: str
    recorded_at: datetime
    recorded_by: str


def record_november(engine: Engine) -> None:
    """An anchor, two top-ups, auto-reload on then changed, and a refund credited."""
    with session_scope(engine) as session:
        common: Recorded = {"org_id": ORG, "recorded_at": NOW, "recorded_by": "U123"}
        record_anchor(session, amount=Decimal("1234.56"), effective_at=NOV_1, **common)
        record_topup(
            session, amount=Decimal("500"), effective_at=NOV_1 + timedelta(days=5), note="card", **common
        )
        record_autoreload(
            session,
            threshold=Decimal(50),
            target=Decimal(200),
            effective_at=NOV_1 + timedelta(days=6),
            **common,
        )
        record_topup(session, amount=Decimal("0.000000001"), effective_at=NOV_1 + timedelta(days=7), **common)
        record_adjustment(session, amount=Decimal("-12.5"), effective_at=NOV_1 + timedelta(days=8), **common)
        record_autoreload(
            session, threshold=None, target=None, effective_at=NOV_1 + timedelta(days=9), **common
        )
        record_anchor(
            session,
            amount=Decimal(99),
            effective_at=NOV_1,
            org_id="org_other",
            recorded_at=NOW,
            recorded_by="terminal",
        )


def test_entries_come_back_exact_aware_and_in_effective_order(engine: Engine) -> None:
    record_november(engine)
    with session_scope(engine, read_only=True) as session:
        entries = entries_since(session, org_id=ORG, since=NOV_1)
    assert [(entry.kind, entry.amount) for entry in entries] == [
        ("anchor", Decimal("1234.56")),
        ("topup", Decimal("500")),
        ("autoreload_setting", None),
        ("topup", Decimal("0.000000001")),
        ("adjustment", Decimal("-12.5")),
        ("autoreload_setting", None),
    ]
    assert all(entry.effective_at.tzinfo is UTC and entry.recorded_at == NOW for entry in entries)
    assert (entries[2].reload_threshold, entries[2].reload_target) == (Decimal(50), Decimal(200))
    assert (entries[5].reload_threshold, entries[5].reload_target) == (None, None)
    assert entries[1].note == "card" and entries[1].recorded_by == "U123"


def test_entries_since_a_time_and_of_some_kinds(engine: Engine) -> None:
    record_november(engine)
    with session_scope(engine, read_only=True) as session:
        topups = entries_since(session, org_id=ORG, since=NOV_1 + timedelta(days=1), kinds=[EntryKind.TOPUP])
        assert [entry.amount for entry in topups] == [Decimal(500), Decimal("0.000000001")]
        assert entries_since(session, org_id=ORG, since=NOW) == []


def test_the_entry_in_force_at_a_time(engine: Engine) -> None:
    record_november(engine)
    with session_scope(engine, read_only=True) as session:
        anchor = latest(session, org_id=ORG, kind=EntryKind.ANCHOR, at=NOW)
        assert anchor is not None and anchor.amount == Decimal("1234.56")
        on = latest(session, org_id=ORG, kind=EntryKind.AUTORELOAD_SETTING, at=NOV_1 + timedelta(days=7))
        assert on is not None and on.reload_target == Decimal(200)
        off = latest(session, org_id=ORG, kind=EntryKind.AUTORELOAD_SETTING, at=NOW)
        assert off is not None and off.reload_threshold is None
        assert latest(session, org_id=ORG, kind=EntryKind.ANCHOR, at=NOV_1 - timedelta(seconds=1)) is None


def test_history_lists_the_latest_recorded_first(engine: Engine) -> None:
    record_november(engine)
    with session_scope(engine) as session:
        record_topup(
            session,
            org_id=ORG,
            amount=Decimal(1),
            effective_at=NOV_1,
            recorded_at=NOW + timedelta(hours=1),
            recorded_by="U9",
        )
    with session_scope(engine, read_only=True) as session:
        entries = history(session, org_id=ORG, limit=3)
    assert [entry.recorded_by for entry in entries] == ["U9", "U123", "U123"]
    assert [entry.kind for entry in entries[1:]] == ["autoreload_setting", "adjustment"]


@pytest.mark.parametrize(
    ("record", "amounts", "message"),
    [
        (record_topup, {"amount": Decimal(0)}, "must be positive"),
        (record_topup, {"amount": Decimal("-5")}, "must be positive"),
        (record_adjustment, {"amount": Decimal(0)}, "zero"),
        (record_autoreload, {"threshold": Decimal(50), "target": None}, "both"),
        (record_autoreload, {"threshold": Decimal(200), "target": Decimal(50)}, "must exceed"),
        (record_autoreload, {"threshold": Decimal(-1), "target": Decimal(50)}, "must exceed"),
    ],
)
def test_nonsense_entries_are_refused(
    engine: Engine, record: object, amounts: dict[str, object], message: str
) -> None:
    with session_scope(engine) as session, pytest.raises(LedgerError, match=message):
        record(session, org_id=ORG, effective_at=NOV_1, recorded_at=NOW, recorded_by="U1", **amounts)  # type: ignore[operator]


def test_floats_never_reach_the_ledger(engine: Engine) -> None:
    with session_scope(engine) as session, pytest.raises(TypeError, match="Decimal"):
        record_topup(session, org_id=ORG, amount=10.5, effective_at=NOV_1, recorded_at=NOW, recorded_by="U1")  # type: ignore[arg-type]


@pytest.mark.parametrize(
    "entry",
    [
        {"kind": "autoreload_setting", "amount": Decimal(5)},
        {"kind": "topup", "amount": None},
        {"kind": "topup", "amount": Decimal(5), "reload_threshold": Decimal(1), "reload_target": Decimal(2)},
        {"kind": "autoreload_setting", "reload_threshold": Decimal(1)},
        {"kind": "refund", "amount": Decimal(5)},
    ],
)
def test_the_database_itself_refuses_malformed_entries(engine: Engine, entry: dict[str, object]) -> None:
    with pytest.raises(IntegrityError), session_scope(engine) as session:
        session.add(BalanceEntry(org_id=ORG, effective_at=NOV_1, recorded_at=NOW, recorded_by="U1", **entry))  # type: ignore[arg-type]
        session.flush()


def test_recorded_limits_in_force(engine: Engine) -> None:
    with session_scope(engine) as session:
        common: Recorded = {"org_id": ORG, "recorded_at": NOW, "recorded_by": "terminal"}
        record_limit(
            session, kind=LimitKind.TIER_CAP, amount=Decimal(500), tier="Tier 2", effective_at=NOV_1, **common
        )
        record_limit(
            session, kind=LimitKind.TIER_CAP, amount=Decimal(1000), tier="Tier 3", effective_at=NOW, **common
        )
        record_limit(
            session, kind=LimitKind.ORG_SPEND_LIMIT, amount=Decimal("750.25"), effective_at=NOV_1, **common
        )
        record_limit(
            session,
            kind=LimitKind.WORKSPACE_SPEND_LIMIT,
            amount=Decimal(100),
            workspace_id="wrkspc_1",
            effective_at=NOV_1,
            **common,
        )
        record_limit(
            session,
            kind=LimitKind.WORKSPACE_SPEND_LIMIT,
            amount=None,
            workspace_id="wrkspc_1",
            effective_at=NOV_1 + timedelta(days=2),
            **common,
        )
    with session_scope(engine, read_only=True) as session:
        early = limits_in_force(session, org_id=ORG, at=NOV_1 + timedelta(days=1))
        late = limits_in_force(session, org_id=ORG, at=NOW)
    assert [(limit.kind, limit.tier, limit.amount) for limit in early] == [
        ("org_spend_limit", "", Decimal("750.25")),
        ("tier_cap", "Tier 2", Decimal(500)),
        ("workspace_spend_limit", "", Decimal(100)),
    ]
    assert [(limit.kind, limit.amount) for limit in late] == [
        ("org_spend_limit", Decimal("750.25")),
        ("tier_cap", Decimal(1000)),
        ("workspace_spend_limit", None),
    ]


def test_a_workspace_limit_needs_its_workspace(engine: Engine) -> None:
    with session_scope(engine) as session, pytest.raises(ValueError, match="workspace id"):
        record_limit(
            session,
            org_id=ORG,
            kind=LimitKind.WORKSPACE_SPEND_LIMIT,
            amount=Decimal(1),
            effective_at=NOV_1,
            recorded_at=NOW,
            recorded_by="U1",
        )
