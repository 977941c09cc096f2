"""The scorecard from a drill's facts (pure): detection, right action, recovery, losses, runbook, advice."""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import UTC, datetime
from decimal import Decimal

from billbot.drills.record import ActionRecord, AlertRecord, DrillRecord, ReloadRecord
from billbot.drills.scorecard import score


def record(**changes: object) -> DrillRecord:
    base = DrillRecord(
        drill="test",
        seed=1,
        began_at=datetime(2026, 11, 1, tzinfo=UTC),
        duration_s=6 * 3600,
        ended_by="time",
        incident_s=600,
        failures=("credit",),
        expected_runbook=("balance", "topup", "retry"),
        right_actions=("topup",),
        recovery_kind="served",
        quiet_minutes=30,
        recovery_action=None,
        recovery_within_s=None,
        failure_minutes=tuple(range(10, 40)),
        reload_minutes=(),
        served_minutes=tuple(range(0, 10)) + tuple(range(40, 360)),
        responses=400,
        error_responses=30,
        requests_failed=30,
        requests_not_sent=0,
        failed_value_usd=Decimal("1.50"),
        overspent_usd=Decimal(0),
        overcharged_usd=Decimal(0),
        spend_usd=Decimal("9"),
        alerts_at_start=(),
        alerts=[AlertRecord(1500, "balance_low", "critical", "empty", "used up")],
        actions=[
            ActionRecord(2100, "ana", "balance", "balance", True, "balance $0.00"),
            ActionRecord(2340, "bo", "topup 500", "topup", True, "bought $500.00"),
        ],
        auto_reload_on=True,
    )
    return replace(base, **changes)  # type: ignore[arg-type]


def test_times_are_counted_from_the_incident() -> None:
    card = score(record())
    assert card.time_to_detect_s == 900
    assert card.time_to_first_reaction_s == 1500
    assert card.time_to_first_action_s == 1740
    assert card.time_to_recover_s == 40 * 60 - 600
    assert card.dollars_lost_usd == Decimal("1.50")


def test_an_alert_before_the_incident_detects_it_at_once_and_none_is_null() -> None:
    early = record(alerts=[AlertRecord(300, "balance_low", "critical", "3 days", "low")])
    assert score(early).time_to_detect_s == 0
    assert score(record(alerts=[])).time_to_detect_s is None


def test_a_short_lull_is_not_a_recovery() -> None:
    lull = record(failure_minutes=(*range(10, 40), 55), duration_s=90 * 60)
    assert score(lull).time_to_recover_s == 56 * 60 - 600  # from after the failure at minute 55
    assert score(replace(lull, duration_s=80 * 60)).time_to_recover_s is None  # not 30 quiet minutes
    never = record(served_minutes=tuple(range(0, 10)))
    assert score(never).time_to_recover_s is None


def test_the_runbook_lists_steps_in_order_and_what_was_missed() -> None:
    card = score(record())
    assert card.runbook.taken == ("balance", "topup") and card.runbook.missing == ("retry",)
    assert card.runbook.in_order
    backwards = record(actions=[ActionRecord(700, "bo", "retry", "retry", True, "x"), *record().actions])
    assert not score(backwards).runbook.in_order


def test_a_refused_action_is_not_the_right_action() -> None:
    refused = record(actions=[ActionRecord(900, "bo", "topup 9", "topup", False, "purchase refused")])
    assert score(refused).time_to_first_action_s is None
    assert score(refused).time_to_first_reaction_s == 300


def test_an_overcharge_is_lost_unless_disputed_in_time() -> None:
    overcharge = record(
        failures=(), failure_minutes=(), recovery_kind="action", recovery_action="dispute",
        recovery_within_s=3600, overcharged_usd=Decimal("12.43"), failed_value_usd=Decimal(0),
        incident_s=0, actions=[],
    )  # fmt: skip
    assert score(overcharge).dollars_lost_usd == Decimal("12.43")
    late = replace(overcharge, actions=[ActionRecord(7200, "ana", "dispute", "dispute", True, "filed")])
    assert score(late).dollars_lost_usd == Decimal("12.43") and score(late).time_to_recover_s is None
    on_time = replace(overcharge, actions=[ActionRecord(1800, "ana", "dispute", "dispute", True, "filed")])
    assert score(on_time).dollars_lost_usd == 0 and score(on_time).time_to_recover_s == 1800


def test_a_runaway_loop_recovers_when_purchases_stop() -> None:
    runaway = record(
        failures=(), failure_minutes=(), recovery_kind="reloads_quiet", reload_minutes=(12, 18, 24),
        overspent_usd=Decimal("140"),
    )  # fmt: skip
    card = score(runaway)
    assert card.time_to_recover_s == 25 * 60 - 600
    assert card.dollars_lost_usd == Decimal("141.50")


def test_advice_names_what_to_change() -> None:
    advice = score(
        record(
            alerts=[AlertRecord(5000, "balance_low", "critical", "empty", "used up")],
            actions=[],
            auto_reload_on=False,
            reloads=[ReloadRecord(100, Decimal(50), False)],
            reload_declines=1,
        )
    ).advice
    text = " ".join(advice)
    assert "fired 1 h 13 min after the incident began" in text
    assert "No alert on declined reloads" in text
    assert "Nobody took a right action" in text
    assert "Auto-reload is off" in text


def test_json_is_stable_and_has_the_promised_fields() -> None:
    card = score(record())
    parsed = json.loads(card.to_json())
    for field in (
        "requests_failed", "dollars_lost_usd", "time_to_detect_s", "time_to_first_action_s",
        "time_to_recover_s", "runbook",
    ):  # fmt: skip
        assert field in parsed
    assert parsed["dollars_lost_usd"] == "1.50" and parsed["runbook"]["taken"] == ["balance", "topup"]
    assert card.to_json() == score(record()).to_json()


def test_a_rate_limit_storm_without_backoff_says_so() -> None:
    storm = record(failures=("rate_limit",), right_actions=("backoff",), actions=[])
    assert any("Clients do not back off" in lesson for lesson in score(storm).advice)
    calm = replace(storm, actions=[ActionRecord(700, "ana", "backoff", "backoff", True, "on")])
    assert not any("Clients do not back off" in lesson for lesson in score(calm).advice)
