"""Findings and alerts to and from their stored form (JSON text and table rows), losslessly."""

from __future__ import annotations

import json
from datetime import datetime
from decimal import Decimal
from typing import Any, cast

from billbot.store.tables import WatchAlertRow
from billbot.watch.alerts import Alert, AlertStatus, Feedback
from billbot.watch.findings import Basis, Finding, Severity
from billbot.watch.scope import Scope


def finding_json(finding: Finding) -> str:
    """A finding as JSON text (amounts as decimal strings, instants in ISO 8601)."""
    return json.dumps(
        {
            "rule": finding.rule,
            "scope": {"kind": finding.scope.kind, "id": finding.scope.id, "name": finding.scope.name},
            "severity": finding.severity,
            "period_key": finding.period_key,
            "amount_usd": None if finding.amount_usd is None else str(finding.amount_usd),
            "message": finding.message,
            "figures": [list(pair) for pair in finding.figures],
            "evidence": list(finding.evidence),
            "level": finding.level,
            "rank": finding.rank,
            "period_end": None if finding.period_end is None else finding.period_end.isoformat(),
            "basis": finding.basis,
            "data": finding.data,
        },
        sort_keys=True,
    )


def finding_from_json(text: str) -> Finding:
    """The finding `finding_json` wrote."""
    raw: dict[str, Any] = json.loads(text)
    scope = raw["scope"]
    return Finding(
        rule=raw["rule"],
        scope=Scope(scope["kind"], scope["id"], scope["name"]),
        severity=cast(Severity, raw["severity"]),
        period_key=raw["period_key"],
        amount_usd=None if raw["amount_usd"] is None else Decimal(raw["amount_usd"]),
        message=raw["message"],
        figures=tuple((str(a), str(b)) for a, b in raw["figures"]),
        evidence=tuple(raw["evidence"]),
        level=raw["level"],
        rank=int(raw["rank"]),
        period_end=None if raw["period_end"] is None else datetime.fromisoformat(raw["period_end"]),
        basis=cast(Basis | None, raw["basis"]),
        data={str(k): str(v) for k, v in raw["data"].items()},
    )


def alert_from_row(row: WatchAlertRow) -> Alert:
    """The state machine's alert from its row."""
    return Alert(
        finding=finding_from_json(row.finding),
        status=cast(AlertStatus, row.status),
        opened_at=row.opened_at,
        last_seen_at=row.last_seen_at,
        fired_rank=row.fired_rank,
        opened_posted=row.opened_posted,
        version=row.version,
        recoveries=row.recoveries,
        reopenings=row.reopenings,
        recovered_at=row.recovered_at,
        acknowledged_by=row.acknowledged_by,
        acknowledged_at=row.acknowledged_at,
        snoozed_until=row.snoozed_until,
        feedback=cast(Feedback | None, row.feedback),
        feedback_by=row.feedback_by,
        feedback_at=row.feedback_at,
        id=row.id,
    )


def fill_row(row: WatchAlertRow, alert: Alert, now: datetime) -> WatchAlertRow:
    """Write the alert's state into its row (new or loaded)."""
    finding = alert.finding
    row.rule, row.scope_key, row.period_key = finding.alert_key
    row.status, row.severity = alert.status, finding.severity
    row.finding = finding_json(finding)
    row.opened_at, row.last_seen_at, row.recovered_at = (
        alert.opened_at,
        alert.last_seen_at,
        alert.recovered_at,
    )
    row.fired_rank, row.opened_posted = alert.fired_rank, alert.opened_posted
    row.recoveries, row.reopenings = alert.recoveries, alert.reopenings
    row.acknowledged_by, row.acknowledged_at = alert.acknowledged_by, alert.acknowledged_at
    row.snoozed_until = alert.snoozed_until
    row.feedback, row.feedback_by, row.feedback_at = alert.feedback, alert.feedback_by, alert.feedback_at
    row.version = alert.version
    row.updated_at = now
    return row
