"""Hourly cost anomalies: a robust seasonal baseline, floors, persistence, and one alert per incident."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

from billbot.watch.inputs import Tuning
from billbot.watch.rules.anomaly import anomaly_findings
from billbot.watch.scope import ORGANIZATION, Scope
from billbot.watch.series import HourlySeries, baseline, expected_profile, median, project
from tests.billbot.watch.support import KEY, MODEL, START, WORKSPACE, at_hour, d, flat, series

WEEKS_5 = 5 * 168


def _org(extra: dict[int, str], now_hour: int, minutes: int) -> dict[Scope, HourlySeries]:
    """A key ($0.30 an hour), its workspace (+$0.70), a model ($0.40) and the organisation, up to `minutes`
    into hour `now_hour`, plus `extra` dollars on the key in some hours."""
    hours = now_hour + 1

    def part(values: list[Decimal]) -> list[Decimal]:
        values[-1] = values[-1] * minutes / 60  # the hour in progress holds what it has so far
        return values

    key = part(flat(hours, "0.30"))
    for hour, amount in extra.items():
        key[hour] += Decimal(amount)
    workspace = [k + v for k, v in zip(key, part(flat(hours, "0.70")), strict=True)]
    org = [w + v for w, v in zip(workspace, part(flat(hours, "0.50")), strict=True)]
    return {
        ORGANIZATION: series(org),
        WORKSPACE: series(workspace),
        KEY: series(key),
        MODEL: series(part(flat(hours, "0.40"))),
    }


def _find(extra: dict[int, str], hour: int, minutes: int, tuning: Tuning | None = None) -> list[str]:
    hourly = _org(extra, hour, minutes)
    found = anomaly_findings(
        hourly, at_hour(hour, minutes), parents={KEY: WORKSPACE}, tuning=tuning or Tuning(), active={}
    )
    return [f.scope.key for f in found]


def test_a_spike_on_one_key_is_one_alert_on_that_key() -> None:
    hourly = _org({WEEKS_5: "4", WEEKS_5 + 1: "4", WEEKS_5 + 2: "1"}, WEEKS_5 + 2, 20)
    found = anomaly_findings(
        hourly, at_hour(WEEKS_5 + 2, 20), parents={KEY: WORKSPACE}, tuning=Tuning(), active={}
    )
    [alert] = found
    assert alert.scope == KEY
    assert alert.data["onset"] == at_hour(WEEKS_5).isoformat()
    assert "workspace Production" in alert.evidence[-1] and "the organisation" in alert.evidence[-1]
    assert alert.message.startswith("Production key 2 cost $") and "estimate" in alert.message


def test_it_is_seen_within_the_hour_after_it_starts() -> None:
    spike = {WEEKS_5: "4", WEEKS_5 + 1: "2"}  # $2 more in the first 20 minutes of the next hour
    assert _find(spike, WEEKS_5 + 1, 0) == []  # one hour alone is not enough below three floors
    assert _find(spike, WEEKS_5 + 1, 20) == [KEY.key]


def test_one_expensive_hour_is_not_an_anomaly_but_a_huge_one_is() -> None:
    assert _find({WEEKS_5 + 1: "4"}, WEEKS_5 + 2, 30) == []
    assert _find({WEEKS_5 + 1: "9"}, WEEKS_5 + 2, 0) == [KEY.key]


def test_expected_feedback_raises_the_scope_threshold() -> None:
    spike = {WEEKS_5: "4", WEEKS_5 + 1: "4"}
    assert _find(spike, WEEKS_5 + 2, 0) == [KEY.key]
    dull = Tuning({("anomaly", KEY.key): Decimal(4), ("anomaly", WORKSPACE.key): Decimal(4),
                   ("anomaly", "organization"): Decimal(4)})  # fmt: skip
    assert _find(spike, WEEKS_5 + 2, 0, dull) == []


def test_with_short_history_it_asks_for_more() -> None:
    days_3 = 72
    assert _find({days_3: "3", days_3 + 1: "3"}, days_3 + 2, 0) == []  # $6 over two hours: not yet
    assert _find({days_3: "5", days_3 + 1: "5"}, days_3 + 2, 0) == [KEY.key]
    assert _find({WEEKS_5: "3", WEEKS_5 + 1: "3"}, WEEKS_5 + 2, 0) == [KEY.key]  # seasonal: $6 is enough


def test_the_baseline_is_seasonal_after_three_weeks_and_robust_to_one_bad_week() -> None:
    values = flat(WEEKS_5 + 1, "1.00")
    for hour in range(WEEKS_5 - 168 - 1, WEEKS_5 - 168 + 2):  # last week's same hours were an incident
        values[hour] = d(20)
    base = baseline(series(values), WEEKS_5)
    assert base is not None and base.mode == "seasonal" and base.samples == 12
    assert d("0.9") <= base.expected <= d("1.1")  # three samples of 12 at $20 do not move the median
    early = baseline(series(flat(24 * 10, "1")), 24 * 9)
    assert early is not None and early.mode == "daily"
    assert baseline(series(flat(30, "1")), 30) is None


def test_median_and_projection() -> None:
    assert median([d(3), d(1), d(2), d(10)]) == d("2.5")
    assert median([]) == 0
    steady = series([d(1)] * (3 * 168 + 11))
    index = 3 * 168 + 10
    profile = expected_profile(steady, index)
    now = START + timedelta(hours=index, minutes=30)
    total, reached = project(profile, now, now + timedelta(hours=9, minutes=30), d(5))
    assert total == d("9.5")
    assert reached == now + timedelta(hours=5)
    assert project(profile, now, now + timedelta(hours=2, minutes=30), d(5))[1] is None
