"""What a rule reports: a finding about one scope in one period, with its figures and evidence."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal
from typing import Any, Literal

from billbot.watch.scope import Scope

Severity = Literal["info", "warning", "critical"]
SEVERITY_RANK: dict[Severity, int] = {"info": 0, "warning": 1, "critical": 2}
Basis = Literal["billed", "estimate"]


@dataclass(frozen=True, slots=True)
class Finding:
    """One rule's verdict about one scope and period.

    `level` names the threshold reached ("50%", "80%", "100%", "forecast", or "" when the rule has one
    level) and `rank` orders the levels of a rule, so an alert fires once per level per period.
    `figures` are labelled display values, `evidence` the lines that justify them, `data` raw values
    (decimal strings, ISO instants) for machines: JSON output and the dispute draft.
    """

    rule: str
    scope: Scope
    severity: Severity
    period_key: str
    amount_usd: Decimal | None
    message: str
    figures: tuple[tuple[str, str], ...] = ()
    evidence: tuple[str, ...] = ()
    level: str = ""
    rank: int = 0
    period_end: datetime | None = None
    basis: Basis | None = None
    data: dict[str, str] = field(default_factory=dict)

    @property
    def alert_key(self) -> tuple[str, str, str]:
        """The alert this finding belongs to: (rule, scope, period)."""
        return (self.rule, self.scope.key, self.period_key)

    def to_dict(self) -> dict[str, Any]:
        """The JSON shape of `billbot watch --once --json`."""
        return {
            "rule": self.rule,
            "scope": self.scope.key,
            "scope_name": self.scope.name,
            "severity": self.severity,
            "period": self.period_key,
            "level": self.level,
            "basis": self.basis,
            "amount_usd": None if self.amount_usd is None else str(self.amount_usd),
            "message": self.message,
            "figures": dict(self.figures),
            "evidence": list(self.evidence),
            "data": dict(self.data),
        }
