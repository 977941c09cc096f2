"""A drill in progress: the scenario's world on the sandbox's exact engine, stepped minute by minute.

The world is built from the drill's scenario and run (unwatched by the drill) to the moment the drill
begins; the watch's rules see that history, as they would have in production. Then each simulated
minute: backoff retries that are due go out, the traffic of the minute is sent (`Simulation.run_until`,
request for request the history `run` gives), what the applications got is counted, and every
`watch_every_s` the watch's rules run over the drill's world (`SimulatedFeed`, `evaluate`, the alert
lifecycle) with the organisation's budgets: an alert that opens is an event. Actions are applied at
the simulated time they are taken. `record()` gives the `DrillRecord` the scorecard reads.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from decimal import Decimal
from itertools import islice

from billbot.core.money import usd
from billbot.drills.actions import apply_action
from billbot.drills.catalogue import DrillSpec
from billbot.drills.grammar import Action, parse_duration
from billbot.drills.record import (
    ActionRecord,
    AlertRecord,
    DrillEvent,
    DrillRecord,
    MinuteErrors,
    ReloadRecord,
)
from billbot.drills.traffic import TrafficShaper
from billbot.watch.alerts import Alert
from billbot.watch.budgets import Budget
from billbot.watch.engine import RuleCache, WatchConfig, evaluate
from billbot.watch.feed import SimulatedFeed
from billbot.watch.lifecycle import AlertKey, active_periods, apply_findings
from sandbox.build import build_simulation
from sandbox.clock import NS_PER_SECOND, to_datetime

MINUTE = 60
WATCH_EVERY_S = 5 * MINUTE
ENDING = ("stop", "resolve")


class DrillSession:
    """One drill's world, its applications, the watch over it and what the team did."""

    def __init__(
        self,
        spec: DrillSpec,
        *,
        seed: int = 0,
        budgets: Sequence[Budget] = (),
        config: WatchConfig | None = None,
        watch_every_s: int = WATCH_EVERY_S,
    ) -> None:
        self.spec = spec
        self.seed = seed
        self.simulation = build_simulation(spec.load_scenario(), seed=seed)
        self.world = self.simulation.world
        self.begin_ns = self.simulation.start_ns + spec.begin_s * NS_PER_SECOND
        self.feed = SimulatedFeed(self.simulation)
        self.feed.advance(self.begin_ns)
        self._budgets = tuple(budgets)
        self._config = config or WatchConfig()
        self._cache = RuleCache()
        self._alerts: dict[AlertKey, Alert] = {}
        self._watch_every = watch_every_s
        self.now_s = 0
        self.ended_by: str | None = None
        self.events: list[DrillEvent] = []
        self.alerts: list[AlertRecord] = []
        self.actions: list[ActionRecord] = []
        self._first_failure: dict[str, int] = {}
        self._log_seen = len(self.world.records.requests)
        self._reloads_seen = len(self.world.reload.attempts)
        self._spend = Decimal(0)
        self._overcharged = Decimal(0)
        self._open_holds()
        self.shaper = TrafficShaper(self.simulation, self.begin_ns, seed)
        self.alerts_at_start = tuple(sorted({key[0] for key in self._watch()}))

    @property
    def finished(self) -> bool:
        """Whether the drill is over (its time is up, or someone stopped or resolved it)."""
        return self.ended_by is not None

    @property
    def began_at(self) -> datetime:
        """When the drill began (simulated, UTC)."""
        return to_datetime(self.begin_ns)

    @property
    def duration_s(self) -> int:
        """The drill's planned length in simulated seconds."""
        return self.spec.duration_s

    def take(self, action: Action, by: str) -> ActionRecord:
        """Apply an action now (simulated time), record and announce it."""
        effect = apply_action(action, self.world, self.shaper, len(self.actions) + 1)
        if action.kind == "dispute":
            effect_text = f"dispute filed for {self._overcharge_text()}"
        else:
            effect_text = effect.text
        record = ActionRecord(self.now_s, by, action.text, action.kind, effect.ok, effect_text)
        self.actions.append(record)
        self.events.append(DrillEvent(self.now_s, "action", f"{by}: {action.text} → {effect_text}"))
        if action.kind in ENDING:
            self._end(action.kind)
        return record

    def advance(self, until_s: int) -> list[DrillEvent]:
        """Run the drill to `until_s` (at most its end), a minute at a time; the new events."""
        first = len(self.events)
        stop = min(until_s, self.duration_s)
        while not self.finished and self.now_s < stop:
            self._step(min(stop, (self.now_s // MINUTE + 1) * MINUTE))
            if self.now_s >= self.duration_s:
                self._end("time")
        return self.events[first:]

    def end(self, reason: str) -> None:
        """End the drill early (e.g. a timeout)."""
        if not self.finished:
            self._end(reason)

    def record(self) -> DrillRecord:
        """The facts of the drill so far, for the scorecard."""
        spec = self.spec
        failures = tuple(spec.failures)
        reasons = self.shaper.reasons
        failure_minutes = tuple(sorted({m for (m, reason) in reasons if reason in failures}))
        reloads = self._reload_records()
        lost = [call for call, _ in self.shaper.lost] + self.shaper.waiting_calls()
        incident = spec.incident_s
        if incident is None:
            firsts = [s for reason, s in self._first_failure.items() if reason in failures]
            incident = min(firsts) if firsts else None
        errors = self._minute_errors()
        settings = self.world.reload.settings
        return DrillRecord(
            drill=spec.name,
            seed=self.seed,
            began_at=self.began_at,
            duration_s=self.now_s,
            ended_by=self.ended_by or "running",
            incident_s=incident,
            failures=failures,
            expected_runbook=tuple(spec.runbook),
            right_actions=tuple(spec.right_actions),
            recovery_kind=spec.recovered.kind,
            quiet_minutes=spec.recovered.quiet_minutes,
            recovery_action=spec.recovered.action,
            recovery_within_s=None
            if spec.recovered.within is None
            else parse_duration(spec.recovered.within),
            failure_minutes=failure_minutes,
            reload_minutes=tuple(sorted({r.at_s // MINUTE for r in reloads if r.succeeded})),
            served_minutes=tuple(sorted({m for (m, status, _) in self.shaper.tally if status == 200})),
            responses=sum(self.shaper.tally.values()),
            error_responses=sum(reasons.values()),
            requests_failed=len(lost),
            requests_not_sent=self.shaper.not_sent,
            failed_value_usd=sum((self.shaper.price(call) for call in lost), Decimal(0)),
            overspent_usd=self._overspent(reloads, incident),
            overcharged_usd=self._overcharged,
            spend_usd=self._spend,
            alerts_at_start=self.alerts_at_start,
            alerts=list(self.alerts),
            actions=list(self.actions),
            reloads=reloads,
            errors=errors,
            first_failure_s=min(self._first_failure.values(), default=None),
            reload_declines=sum(1 for r in reloads if not r.succeeded),
            auto_reload_on=settings is not None,
        )

    def _step(self, to_s: int) -> None:
        # Steps never cross a minute boundary: minutes are counted and watched at their ends.
        self.shaper.send_due(self.begin_ns + self.now_s * NS_PER_SECOND)
        self.now_s = to_s
        self.feed.advance(self.begin_ns + to_s * NS_PER_SECOND)
        self._ingest()
        if to_s % MINUTE:
            return
        minute = to_s // MINUTE - 1
        tally = self.shaper.tally
        errors = sorted((s, m, n) for (at, s, m), n in tally.items() if at == minute and s != 200)
        if errors:
            text = "; ".join(f"{n} × {status} “{message}”" for status, message, n in errors)
            self.events.append(DrillEvent(minute * MINUTE, "errors", text))
        if to_s % self._watch_every == 0:
            self._watch()

    def _ingest(self) -> None:
        log = self.world.records.requests
        for outcome in islice(log, self._log_seen, None):
            offset = (outcome.at_ns - self.begin_ns) // NS_PER_SECOND
            if outcome.status == 200:
                self._spend += outcome.cost
                if outcome.times_charged > 1:
                    self._overcharged += outcome.cost - outcome.cost / outcome.times_charged
            elif outcome.reason not in self._first_failure:
                self._first_failure[outcome.reason] = offset
        self._log_seen = len(log)

    def _watch(self) -> list[AlertKey]:
        inputs = self.feed.inputs(budgets=self._budgets, active=active_periods(self._alerts))
        findings = evaluate(inputs, self._config, self._cache)
        opened: list[AlertKey] = []
        for change in apply_findings(self._alerts, findings, inputs.now):
            if change.after is not None:
                self._alerts[change.key] = change.after
            if change.after is None or not any(_announces(post.kind, post.once_key) for post in change.posts):
                continue
            opened.append(change.key)
            if self.now_s == 0:
                continue  # already firing when the drill began: not news
            found = change.after.finding
            self.alerts.append(
                AlertRecord(self.now_s, found.rule, found.severity, found.level, found.message)
            )
            text = f"billbot alert [{found.severity}] {found.rule}: {found.message}"
            self.events.append(DrillEvent(self.now_s, "alert", text))
        return opened

    def _open_holds(self) -> None:
        for index, hold in enumerate(self.spec.holds):
            expires = self.begin_ns + int(hold.hours * 3600) * NS_PER_SECOND
            self.world.ledger.hold(f"drill-hold-{index + 1}", hold.amount, self.begin_ns, expires)

    def _reload_records(self) -> list[ReloadRecord]:
        attempts = self.world.reload.attempts[self._reloads_seen :]
        return [
            ReloadRecord((a.at_ns - self.begin_ns) // NS_PER_SECOND, a.amount, a.succeeded) for a in attempts
        ]

    def _overspent(self, reloads: list[ReloadRecord], incident: int | None) -> Decimal:
        # A runaway loop's cost: credit bought by auto-reload beyond what the traffic used after the
        # incident began (an ordinary reload is not over-spending).
        if incident is None or self.spec.recovered.kind != "reloads_quiet":
            return Decimal(0)
        bought = sum((r.amount for r in reloads if r.succeeded and r.at_s >= incident), Decimal(0))
        return max(Decimal(0), bought - self._spend)

    def _minute_errors(self) -> list[MinuteErrors]:
        served: dict[int, int] = {}
        failed: dict[int, list[tuple[int, str, int]]] = {}
        for (minute, status, message), count in sorted(self.shaper.tally.items()):
            if status == 200:
                served[minute] = count
            else:
                failed.setdefault(minute, []).append((status, message, count))
        return [MinuteErrors(m, served.get(m, 0), tuple(f)) for m, f in sorted(failed.items())]

    def _overcharge_text(self) -> str:
        return f"{usd(self._overcharged)} charged twice so far in the drill"

    def _end(self, reason: str) -> None:
        self.ended_by = reason
        self.events.append(DrillEvent(self.now_s, "end", f"drill ended ({reason})"))


def _seconds(duration: str | None) -> int | None:
    return None if duration is None else parse_duration(duration)


def _announces(kind: str, once_key: str) -> bool:
    # An alert's opening post, its reopening or a higher level: the moments a person hears of it.
    return kind == "open" or once_key.startswith(("reopened", "level:"))
