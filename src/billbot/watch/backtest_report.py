"""Scoring the backtest's runs, and the report: per rule, per incident kind and size, budgets, volumes.

Matching (see `billbot.watch.backtest`): an alert matches an incident when it opens (or reopens) while
the incident runs or within the rule's slack after it (`SLACK_AFTER`), on a scope where the incident
shows: anywhere for an organisation-wide incident; the key, its workspace, the organisation or a model
for a key; the model, the organisation, a workspace or a key for a model switch.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import timedelta
from statistics import median
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from billbot.watch.backtest import Label, Opening, RunResult

DETECTS: dict[str, frozenset[str]] = {
    "anomaly": frozenset({"traffic_spike", "key_spike", "cache_storm", "model_switch"}),
    "cache_miss": frozenset({"cache_storm"}),
    "model_switch": frozenset({"model_switch"}),
    "creep": frozenset({"traffic_ramp"}),
    "reconciliation": frozenset({"duplicate_charges"}),
    "runaway_reload": frozenset({"runaway_reload"}),
}
SLACK_AFTER = {
    "anomaly": timedelta(hours=3),
    "cache_miss": timedelta(hours=3),
    "model_switch": timedelta(hours=3),
    "creep": timedelta(days=7),
    "reconciliation": timedelta(days=2),
    "runaway_reload": timedelta(hours=6),
}
MONTH_DAYS = 30


@dataclass(frozen=True, slots=True)
class RuleScore:
    """One detecting rule's quality."""

    rule: str
    injected: int
    detected: int
    delays_minutes: tuple[float, ...]
    false_alerts_clean: int
    false_per_scope_30d: float
    worst_scope_30d: float
    false_alerts_staged: int

    @property
    def recall(self) -> float | None:
        """Detected over injected (None without incidents)."""
        return self.detected / self.injected if self.injected else None

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready figures."""
        return {
            "rule": self.rule,
            "injected": self.injected,
            "detected": self.detected,
            "recall": self.recall,
            "delay_minutes_median": median(self.delays_minutes) if self.delays_minutes else None,
            "delay_minutes_worst": max(self.delays_minutes) if self.delays_minutes else None,
            "false_alerts_clean": self.false_alerts_clean,
            "false_alerts_per_scope_per_30_days": round(self.false_per_scope_30d, 4),
            "worst_scope_false_alerts_per_30_days": round(self.worst_scope_30d, 3),
            "false_alerts_in_staged_runs": self.false_alerts_staged,
        }


@dataclass(frozen=True, slots=True)
class KindScore:
    """Detection of one incident kind at one size."""

    kind: str
    size: str
    injected: int
    detected: int
    delays_minutes: tuple[float, ...]


@dataclass(frozen=True, slots=True)
class BudgetScore:
    """Budget crossings (truth) against the first run whose alert held the level; forecasts."""

    crossings: int
    detected: int
    delays_minutes: tuple[float, ...]
    forecasts: int
    forecasts_right: int


@dataclass(frozen=True, slots=True)
class BacktestReport:
    """Everything the backtest measured."""

    rules: tuple[RuleScore, ...]
    kinds: tuple[KindScore, ...]
    budgets: BudgetScore
    volumes: dict[str, float]  # alerts opened per 30 days in clean runs, by rule
    runs: tuple[tuple[str, int, float, str], ...]  # name, days, seconds, overcharged

    def to_dict(self) -> dict[str, Any]:
        """The JSON shape of `billbot watch --backtest --json`."""
        return {
            "rules": [rule.to_dict() for rule in self.rules],
            "incidents": [
                {
                    "kind": k.kind,
                    "size": k.size,
                    "injected": k.injected,
                    "detected": k.detected,
                    "delay_minutes_median": median(k.delays_minutes) if k.delays_minutes else None,
                    "delay_minutes_worst": max(k.delays_minutes) if k.delays_minutes else None,
                }
                for k in self.kinds
            ],
            "budgets": {
                "crossings": self.budgets.crossings,
                "detected": self.budgets.detected,
                "delay_minutes_median": median(self.budgets.delays_minutes)
                if self.budgets.delays_minutes
                else None,
                "delay_minutes_worst": max(self.budgets.delays_minutes)
                if self.budgets.delays_minutes
                else None,
                "forecasts": self.budgets.forecasts,
                "forecasts_right": self.budgets.forecasts_right,
            },
            "alerts_per_30_days_clean": {rule: round(v, 2) for rule, v in sorted(self.volumes.items())},
            "runs": [
                {"name": n, "days": d, "seconds": round(s, 1), "overcharged_usd": o}
                for n, d, s, o in self.runs
            ],
        }

    def to_json(self) -> str:
        """Stable JSON."""
        return json.dumps(self.to_dict(), indent=2, sort_keys=True)

    def to_text(self) -> str:
        """The tables recorded in docs/WATCH.md (Markdown, readable as plain text)."""
        lines = _table(
            ("rule", "injected", "detected", "recall", "delay median", "delay worst", "false/scope/30 d",
             "worst scope/30 d", "false (staged runs)"),
            [
                (r.rule, str(r.injected), str(r.detected), _pct(r.recall), _min(_median(r.delays_minutes)),
                 _min(_max(r.delays_minutes)), f"{r.false_per_scope_30d:.3f}", f"{r.worst_scope_30d:.2f}",
                 str(r.false_alerts_staged))
                for r in self.rules
            ],
        )  # fmt: skip
        b = self.budgets
        lines.append("")
        lines += _table(
            ("budget levels crossed", "seen", "delay median", "delay worst", "forecasts that came true"),
            [
                (str(b.crossings), str(b.detected), _min(_median(b.delays_minutes)),
                 _min(_max(b.delays_minutes)), f"{b.forecasts_right}/{b.forecasts}")
            ],
        )  # fmt: skip
        lines.append("")
        lines += _table(
            ("incident", "size", "detected", "delay median", "delay worst"),
            [
                (k.kind, k.size, f"{k.detected}/{k.injected}", _min(_median(k.delays_minutes)),
                 _min(_max(k.delays_minutes)))
                for k in self.kinds
            ],
        )  # fmt: skip
        volumes = ", ".join(f"{rule} {value:.1f}" for rule, value in sorted(self.volumes.items()))
        lines += ["", f"Alerts opened per 30 days in the clean runs: {volumes or 'none'}."]
        return "\n".join(lines)


def _table(header: tuple[str, ...], rows: list[tuple[str, ...]]) -> list[str]:
    widths = [max(len(row[i]) for row in [header, *rows]) for i in range(len(header))]

    def line(cells: tuple[str, ...]) -> str:
        return "| " + " | ".join(cell.ljust(width) for cell, width in zip(cells, widths, strict=True)) + " |"

    return [line(header), "|" + "|".join("-" * (w + 2) for w in widths) + "|", *(line(row) for row in rows)]


def _median(values: tuple[float, ...]) -> float | None:
    return median(values) if values else None


def _max(values: tuple[float, ...]) -> float | None:
    return max(values) if values else None


def score(results: Sequence[RunResult]) -> BacktestReport:
    """Score every run (see the module docstring)."""
    rules = tuple(_rule_score(rule, results) for rule in DETECTS)
    return BacktestReport(
        rules=rules,
        kinds=_kind_scores(results),
        budgets=_budget_score(results),
        volumes=_volumes(results),
        runs=tuple((r.name, r.days, r.seconds, f"{r.overcharged_usd:.2f}") for r in results),
    )


def compatible(alert_scope: str, incident_scope: str, parents: dict[str, str]) -> bool:
    """Whether an incident on `incident_scope` shows on `alert_scope`."""
    if incident_scope == "organization" or alert_scope in (incident_scope, "organization"):
        return True
    incident_kind, alert_kind = incident_scope.split(":")[0], alert_scope.split(":")[0]
    if incident_kind == "api_key":
        return alert_kind == "model" or parents.get(incident_scope) == alert_scope
    if incident_kind == "model":
        return alert_kind in ("workspace", "api_key")
    return False


def matches(opening: Opening, label: Label, rule: str, parents: dict[str, str]) -> bool:
    """Whether an alert opening belongs to a labelled incident."""
    late = label.end + SLACK_AFTER.get(rule, timedelta(hours=3))
    return label.start <= opening.at <= late and compatible(opening.scope_key, label.scope, parents)


def reference(label: Label, rule: str) -> Any:
    """When detection could begin: the start, or for reconciliation the end of the billed day."""
    if rule == "reconciliation":
        end = label.end
        midnight = end.replace(hour=0, minute=0, second=0, microsecond=0)
        return midnight if midnight == end else midnight + timedelta(days=1)
    return label.start


def _detections(
    rule: str, result: RunResult
) -> tuple[int, int, list[float], list[tuple[Label, float | None]]]:
    opened = [o for o in result.openings if o.rule == rule]
    injected = detected = 0
    delays: list[float] = []
    per_label: list[tuple[Label, float | None]] = []
    for label in result.labels:
        if label.kind not in DETECTS[rule]:
            continue
        injected += 1
        hits = [o for o in opened if matches(o, label, rule, result.parents)]
        if hits:
            detected += 1
            delay = (min(o.at for o in hits) - reference(label, rule)).total_seconds() / 60
            delays.append(max(delay, 0.0))
            per_label.append((label, max(delay, 0.0)))
        else:
            per_label.append((label, None))
    return injected, detected, delays, per_label


def _false(rule: str, result: RunResult) -> list[Opening]:
    return [
        o
        for o in result.openings
        if o.rule == rule and not any(matches(o, label, rule, result.parents) for label in result.labels)
    ]


def _rule_score(rule: str, results: Sequence[RunResult]) -> RuleScore:
    injected = detected = 0
    delays: list[float] = []
    for result in results:
        i, d, found, _ = _detections(rule, result)
        injected, detected = injected + i, detected + d
        delays += found
    clean = [r for r in results if r.family == "clean"]
    false_clean = [o for r in clean for o in _false(rule, r)]
    exposure = sum(r.scopes.get(rule, 1) * r.days / MONTH_DAYS for r in clean)
    days = sum(r.days for r in clean)
    per_scope: dict[str, int] = {}
    for o in false_clean:
        per_scope[o.scope_key] = per_scope.get(o.scope_key, 0) + 1
    staged = sum(len(_false(rule, r)) for r in results if r.family != "clean")
    return RuleScore(
        rule=rule,
        injected=injected,
        detected=detected,
        delays_minutes=tuple(delays),
        false_alerts_clean=len(false_clean),
        false_per_scope_30d=len(false_clean) / exposure if exposure else 0.0,
        worst_scope_30d=max(per_scope.values(), default=0) / (days / MONTH_DAYS) if days else 0.0,
        false_alerts_staged=staged,
    )


def _kind_scores(results: Sequence[RunResult]) -> tuple[KindScore, ...]:
    # An incident counts as detected when any rule that watches for its kind saw it (the earliest).
    table: dict[tuple[str, str], tuple[int, int, list[float]]] = {}
    for result in results:
        best: dict[Label, float | None] = {}
        for rule in DETECTS:
            for label, delay in _detections(rule, result)[3]:
                held = best.get(label)
                best[label] = delay if held is None else (held if delay is None else min(held, delay))
        for label, delay in best.items():
            size = result.size or "demo"
            injected, detected, delays = table.get((label.kind, size), (0, 0, []))
            table[(label.kind, size)] = (
                injected + 1,
                detected + (delay is not None),
                delays + ([delay] if delay is not None else []),
            )
    order = {"demo": 0, "small": 1, "medium": 2, "large": 3}
    return tuple(
        KindScore(kind, size, i, d, tuple(ds))
        for (kind, size), (i, d, ds) in sorted(
            table.items(), key=lambda kv: (kv[0][0], order.get(kv[0][1], 9))
        )
    )


def _budget_score(results: Sequence[RunResult]) -> BudgetScore:
    crossings = detected = forecasts = right = 0
    delays: list[float] = []
    for result in results:
        for crossing in result.crossings:
            crossings += 1
            seen = [
                level.at
                for level in result.levels
                if level.budget_id == crossing.budget_id
                and level.period == crossing.period
                and level.rank >= crossing.rank
            ]
            if seen:
                detected += 1
                delays.append(max(0.0, (min(seen) - crossing.at).total_seconds() / 60))
        forecasts += len(result.forecasts)
        right += sum(1 for _, _, exceeded in result.forecasts if exceeded)
    return BudgetScore(crossings, detected, tuple(delays), forecasts, right)


def _volumes(results: Sequence[RunResult]) -> dict[str, float]:
    clean = [r for r in results if r.family == "clean"]
    days = sum(r.days for r in clean)
    counts: dict[str, int] = {}
    for result in clean:
        for opening in result.openings:
            counts[opening.rule] = counts.get(opening.rule, 0) + 1
    return {rule: n * MONTH_DAYS / days for rule, n in counts.items()} if days else {}


def _pct(value: float | None) -> str:
    return "–" if value is None else f"{value:.0%}"


def _min(value: float | None) -> str:
    return "–" if value is None else f"{value:.0f} min"
