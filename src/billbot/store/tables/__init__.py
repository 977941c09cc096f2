"""billbot's tables; importing this package registers all of them on `metadata` (what migrations compare)."""

from billbot.store.tables.balance import BalanceEntry, EntryKind
from billbot.store.tables.base import StoreModel, metadata
from billbot.store.tables.deliveries import SlackDelivery
from billbot.store.tables.drills import DrillAction, DrillRun
from billbot.store.tables.limits import LimitKind, RecordedLimit
from billbot.store.tables.reports import (
    COST_DIMENSIONS,
    COST_GROUP_BY,
    USAGE_DIMENSIONS,
    CostBucket,
    UsageBucket,
)
from billbot.store.tables.sync import SyncState
from billbot.store.tables.tickets import TicketEventRow, TicketRow
from billbot.store.tables.watch import WatchAlertRow, WatchBudgetRow, WatchPostRow, WatchRunRow
from billbot.store.tables.watch_digest import WatchDigestRow
from billbot.store.tables.whatif import WhatIfRun

__all__ = [
    "COST_DIMENSIONS",
    "COST_GROUP_BY",
    "USAGE_DIMENSIONS",
    "BalanceEntry",
    "CostBucket",
    "DrillAction",
    "DrillRun",
    "EntryKind",
    "LimitKind",
    "RecordedLimit",
    "SlackDelivery",
    "StoreModel",
    "SyncState",
    "TicketEventRow",
    "TicketRow",
    "UsageBucket",
    "WatchAlertRow",
    "WatchBudgetRow",
    "WatchDigestRow",
    "WatchPostRow",
    "WatchRunRow",
    "WhatIfRun",
    "metadata",
]
