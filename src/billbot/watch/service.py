"""The watch service: one run over the data, its findings applied to the stored alerts, posts queued.

`run_once(now)`:
1. takes the run turn (PostgreSQL: an advisory lock, so with several web processes exactly one
   runs; the others return a skipped run);
2. reads the budgets, the feedback of the last 30 days (tuning) and the periods of firing alerts;
3. reads the inputs (I/O, outside any transaction) and evaluates every rule;
4. in ONE write transaction (serialised across processes) loads the alerts concerned, applies the
   lifecycle, saves changed alerts with the posts they owe and records the run.
Idempotent: a second run over the same data changes no alert's message and queues nothing. After
downtime the next run sees the present only, so each alert is opened (and each level posted) once.
A crash before the commit loses the run, which the next one redoes; after it, the relay posts.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, Literal

from sqlalchemy import Engine
from sqlmodel import col, select

from billbot.app.data import BillingData
from billbot.app.grammar.watch import AlertActionQuery
from billbot.store.session import session_scope
from billbot.store.tables import WatchAlertRow, WatchRunRow
from billbot.watch.alert_store import AlertStore, StoredAlert, lock_for_apply
from billbot.watch.alerts import (
    FEEDBACK_MEMORY,
    Feedback,
    acknowledge,
    give_feedback,
    snooze,
    snooze_until,
    tuning_from,
)
from billbot.watch.budget_store import Budgets
from billbot.watch.budgets import Budget
from billbot.watch.digest import Digest, build_digest
from billbot.watch.engine import WatchConfig, evaluate
from billbot.watch.findings import Finding
from billbot.watch.gather import GatherOptions, gather
from billbot.watch.inputs import BalanceView, Tuning, WatchInputs
from billbot.watch.lifecycle import Transition, apply_findings
from sandbox.pricing import PriceList

InputsSource = Callable[[datetime, Sequence[Budget], Tuning, Mapping[tuple[str, str], str]], WatchInputs]


@dataclass(frozen=True, slots=True)
class WatchRun:
    """What one run found and did."""

    now: datetime
    findings: tuple[Finding, ...]
    transitions: tuple[Transition, ...]
    posts_queued: int
    skipped: bool = False

    def to_dict(self) -> dict[str, Any]:
        """The JSON of `billbot watch --once --json`."""
        return {
            "now": self.now.isoformat(),
            "skipped": self.skipped,
            "findings": [finding.to_dict() for finding in self.findings],
            "changes": [
                {
                    "rule": change.key[0],
                    "scope": change.key[1],
                    "period": change.key[2],
                    "status": None if change.after is None else change.after.status,
                    "posts": [post.once_key for post in change.posts],
                }
                for change in self.transitions
            ],
            "posts_queued": self.posts_queued,
        }


class WatchService:
    """Runs the watch over one source, keeping alerts, budgets and posts in one store."""

    def __init__(
        self,
        engine: Engine,
        inputs: InputsSource,
        *,
        config: WatchConfig | None = None,
        alert_channel: str | None = None,
    ) -> None:
        self.engine = engine
        self.read_inputs = inputs
        self.config = config or WatchConfig()
        self.alert_channel = alert_channel or ""
        self.budgets = Budgets(engine)
        self.store = AlertStore(engine)

    @classmethod
    def over(
        cls,
        engine: Engine,
        data: BillingData,
        *,
        prices: PriceList | None = None,
        balance: Callable[[datetime], BalanceView | None] = lambda _: None,
        options: GatherOptions | None = None,
        config: WatchConfig | None = None,
        alert_channel: str | None = None,
    ) -> WatchService:
        """The service over a `BillingData` source; `balance` gives the balance view at a time, if known."""
        price_list = prices or PriceList.default()

        def read(
            now: datetime, budgets: Sequence[Budget], tuning: Tuning, active: Mapping[tuple[str, str], str]
        ) -> WatchInputs:
            return gather(
                data,
                now,
                prices=price_list,
                budgets=budgets,
                balance=balance(now),
                tuning=tuning,
                active=active,
                options=options or GatherOptions(),
            )

        return cls(engine, read, config=config, alert_channel=alert_channel)

    def inputs(self, now: datetime) -> WatchInputs:
        """What the rules would read now (budgets, feedback and firing alerts from the store)."""
        tuning = tuning_from(self.store.with_feedback_since(now - FEEDBACK_MEMORY), now)
        return self.read_inputs(now, self.budgets.list(), tuning, self._active())

    def findings(self, now: datetime) -> list[Finding]:
        """The findings at `now`, without touching alerts (a dry run)."""
        return evaluate(self.inputs(now), self.config)

    def run_once(self, now: datetime) -> WatchRun:
        """One watch run (see the module docstring)."""
        with self.store.run_turn() as mine:
            if not mine:
                return WatchRun(now, (), (), 0, skipped=True)
            inputs = self.inputs(now)
            findings = evaluate(inputs, self.config)
            channels = {b.id: b.channel for b in inputs.budgets if b.id is not None}
            with session_scope(self.engine) as session:
                lock_for_apply(session)
                alerts = self.store.relevant(session, findings, now)
                transitions = apply_findings(alerts, findings, now)
                queued = self.store.save_transitions(session, transitions, self._channel_for(channels), now)
                session.add(
                    WatchRunRow(ran_at=now, findings=len(findings), changes=len(transitions), posts=queued)
                )
            return WatchRun(now, tuple(findings), tuple(transitions), queued)

    def due(self, now: datetime, every: timedelta) -> bool:
        """Whether a run is due: none yet, or the last one (by any process) `every` or more ago."""
        with session_scope(self.engine, read_only=True) as session:
            last = session.exec(select(WatchRunRow.ran_at).order_by(col(WatchRunRow.ran_at).desc())).first()
        return last is None or now - last >= every

    def alerts(self, *, active_only: bool = True) -> list[StoredAlert]:
        """`/claude-alerts active|all`."""
        return self.store.alerts(active_only=active_only)

    def alert(self, alert_id: int) -> StoredAlert:
        """`/claude-alerts ID` (`AlertNotFound` if there is none)."""
        return self.store.get(alert_id)

    def act(self, query: AlertActionQuery, *, by: str, now: datetime) -> StoredAlert:
        """What an alert's button (or `/claude-alerts ack|snooze|expected|unexpected ID`) does."""
        if query.action == "acknowledge":
            return self.store.change(query.alert_id, lambda a: acknowledge(a, by, now), now)
        if query.action in ("snooze_day", "snooze_period"):
            how: Literal["day", "period"] = "day" if query.action == "snooze_day" else "period"
            return self.store.change(
                query.alert_id, lambda a: snooze(a, snooze_until(a, how, now), by, now), now
            )
        feedback: Feedback = "expected" if query.action == "expected" else "not_expected"
        return self.store.change(query.alert_id, lambda a: give_feedback(a, feedback, by, now), now)

    def digest(self, now: datetime, *, source: str) -> Digest:
        """The daily digest at `now`: yesterday, the month, budgets, alerts of the last 24 hours."""
        day = timedelta(days=1)
        opened = [s.alert.finding.message for s in self.store.opened_between(now - day, now)]
        closed = [
            f"{s.alert.finding.scope.title}: {s.alert.finding.rule.replace('_', ' ')} ({s.alert.status})"
            for s in self.store.closed_between(now - day, now)
        ]
        active = len(self.store.alerts(active_only=True, limit=10_000))
        return build_digest(self.inputs(now), opened=opened, closed=closed, active=active, source=source)

    def _active(self) -> dict[tuple[str, str], str]:
        with session_scope(self.engine, read_only=True) as session:
            rows = session.exec(select(WatchAlertRow).where(WatchAlertRow.status == "firing"))
            return {(row.rule, row.scope_key): row.period_key for row in rows}

    def _channel_for(self, channels: Mapping[int, str | None]) -> Callable[[Finding], str]:
        def channel(finding: Finding) -> str:
            if finding.rule == "budget":
                own = channels.get(int(finding.data.get("budget_id") or 0))
                if own:
                    return own
            return self.alert_channel

        return channel
