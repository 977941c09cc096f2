"""What happened in a drill, as plain values: the input of the scorecard and of every display.

Times are whole simulated seconds after the drill began. Money is Decimal.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal
from typing import Literal

EventKind = Literal["errors", "alert", "action", "end"]


@dataclass(frozen=True, slots=True)
class DrillEvent:
    """One line of the drill's timeline (what the thread shows)."""

    at_s: int
    kind: EventKind
    text: str


@dataclass(frozen=True, slots=True)
class MinuteErrors:
    """The failed responses of one simulated minute: (status, exact message, count), and what was served."""

    minute: int
    served: int
    failures: tuple[tuple[int, str, int], ...]


@dataclass(frozen=True, slots=True)
class AlertRecord:
    """A billbot alert opened (or reopened) by the watch's rules during the drill."""

    at_s: int
    rule: str
    severity: str
    level: str
    message: str


@dataclass(frozen=True, slots=True)
class ActionRecord:
    """An action someone took: who, when, what they typed and what it did."""

    at_s: int
    by: str
    text: str
    kind: str
    ok: bool
    effect: str


@dataclass(frozen=True, slots=True)
class ReloadRecord:
    """An auto-reload attempt during the drill."""

    at_s: int
    amount: Decimal
    succeeded: bool


@dataclass
class DrillRecord:
    """Everything the scorecard needs about one finished drill."""

    drill: str
    seed: int
    began_at: datetime
    duration_s: int  # how long it ran (to the end, a stop or a resolve)
    ended_by: str  # "time", "stop", "resolve", "timeout"
    incident_s: int | None  # None: the incident never started
    failures: tuple[str, ...]  # the reasons that make this incident
    expected_runbook: tuple[str, ...]
    right_actions: tuple[str, ...]
    recovery_kind: str
    quiet_minutes: int
    recovery_action: str | None
    recovery_within_s: int | None
    failure_minutes: tuple[int, ...]  # minutes with a failed response of the incident's reasons
    reload_minutes: tuple[int, ...]  # minutes with an auto-reload purchase
    served_minutes: tuple[int, ...]  # minutes in which at least one request was served
    responses: int
    error_responses: int
    requests_failed: int  # calls never served (lost, or still waiting for a retry at the end)
    requests_not_sent: int  # calls of paused keys
    failed_value_usd: Decimal
    overspent_usd: Decimal
    overcharged_usd: Decimal
    spend_usd: Decimal
    alerts_at_start: tuple[str, ...]
    alerts: list[AlertRecord] = field(default_factory=list)
    actions: list[ActionRecord] = field(default_factory=list)
    reloads: list[ReloadRecord] = field(default_factory=list)
    errors: list[MinuteErrors] = field(default_factory=list)
    first_failure_s: int | None = None
    reload_declines: int = 0
    auto_reload_on: bool = False
