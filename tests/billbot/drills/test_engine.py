"""Drills on the exact engine: what the applications get, the watch's alerts, actions that change things."""

from __future__ import annotations

import json
from decimal import Decimal

import pytest

from billbot.drills.catalogue import load_drill
from billbot.drills.engine import DrillSession
from billbot.drills.grammar import parse_action
from billbot.drills.play import run_scripted
from billbot.drills.scorecard import Scorecard, score
from billbot.drills.script import TimedAction, parse_script
from billbot.watch.budgets import Budget
from billbot.watch.scope import ORGANIZATION
from sandbox.world import CREDIT_TOO_LOW


def drill(name: str, script: str = "[]", seed: int = 1) -> tuple[DrillSession, Scorecard]:
    session = run_scripted(load_drill(name), parse_script(script), seed=seed)
    return session, score(session.record())


def test_credit_exhaustion_shows_the_exact_error_and_the_watchs_alert() -> None:
    session, card = drill("credit-exhaustion")
    record = session.record()
    assert record.incident_s is not None and record.first_failure_s == record.incident_s
    statuses = {(status, message) for minute in record.errors for status, message, _ in minute.failures}
    assert statuses == {(400, CREDIT_TOO_LOW)}
    assert [a.rule for a in record.alerts] == ["balance_low"]
    assert any(e.kind == "alert" and "balance_low" in e.text for e in session.events)
    assert any(e.kind == "errors" and CREDIT_TOO_LOW in e.text for e in session.events)
    assert record.ended_by == "time" and record.duration_s == 8 * 3600
    assert card.time_to_recover_s is None and card.time_to_first_action_s is None
    assert card.requests_failed == record.error_responses > 0


def test_buying_credits_changes_what_follows() -> None:
    _, before = drill("credit-exhaustion")
    session, after = drill("credit-exhaustion", '[{"after": "60m", "do": "topup 500"}]')
    record = session.record()
    assert [a.kind for a in record.actions] == ["topup"] and record.actions[0].ok
    assert all(minute.minute < 60 for minute in record.errors)  # nothing fails after the purchase
    assert after.requests_failed < before.requests_failed
    assert after.time_to_recover_s is not None


def test_the_same_seed_and_script_give_the_same_drill() -> None:
    steps = [("61m", "balance"), ("62m", "topup 20"), ("63m", "retry")]
    script = json.dumps([{"after": after, "do": do} for after, do in steps])
    first = drill("credit-exhaustion", script)[1].to_json()
    assert drill("credit-exhaustion", script)[1].to_json() == first
    assert drill("credit-exhaustion", script, seed=2)[1].to_json() != first


@pytest.mark.parametrize(
    ("name", "script"),
    [
        ("reload-declined", '[{"after": "50m", "do": "card update"}]'),
        ("runaway-reload", '[{"after": "70m", "do": "autoreload off"}]'),
        ("spend-limit", '[{"after": "3h", "do": "limit off"}, {"after": "3h1m", "do": "retry"}]'),
        ("tier-cap", '[{"after": "1h30m", "do": "tier Build"}, {"after": "1h31m", "do": "retry"}]'),
        ("rate-limit-storm", '[{"after": "5m", "do": "batch on"}]'),
        ("overload-burst", '[{"after": "0s", "do": "backoff"}]'),
        ("overcharge", '[{"after": "1d1h", "do": "dispute"}]'),
        ("reseller-holds", '[{"after": "4h45m", "do": "topup 100"}, {"after": "4h46m", "do": "retry"}]'),
    ],
)
def test_the_right_action_recovers_each_built_in_drill(name: str, script: str) -> None:
    _, idle = drill(name)
    _, acted = drill(name, script)
    assert acted.time_to_first_action_s is not None
    assert acted.time_to_recover_s is not None
    assert acted.dollars_lost_usd < idle.dollars_lost_usd
    assert acted.requests_failed <= idle.requests_failed
    if idle.time_to_recover_s is not None:  # the burst and the runaway loop end by themselves
        assert (
            acted.time_to_recover_s <= idle.time_to_recover_s or acted.requests_failed < idle.requests_failed
        )


def test_the_organisations_budgets_fire_with_the_same_rules() -> None:
    budget = Budget(ORGANIZATION, Decimal("0.05"), "day", id=1)
    session = run_scripted(load_drill("credit-exhaustion"), [], seed=1, budgets=[budget])
    assert "budget" in {alert.rule for alert in session.record().alerts}


def test_stop_ends_the_drill_where_it_was() -> None:
    session, _ = drill("credit-exhaustion", '[{"after": "2h", "do": "stop"}]')
    record = session.record()
    assert record.ended_by == "stop" and record.duration_s == 7200
    assert session.events[-1].kind == "end"


def test_refused_actions_change_nothing_and_say_why() -> None:
    session = DrillSession(load_drill("tier-cap"), seed=1)
    limit = session.take(parse_action("limit 900000"), "ana")
    key = session.take(parse_action("pause key Nope"), "ana")
    tier = session.take(parse_action("tier Platinum"), "ana")
    assert not limit.ok and "spend limit not changed" in limit.effect
    assert not key.ok and "Product key 1" in key.effect
    assert not tier.ok and "Start, Build" in tier.effect
    assert session.world.spend.organization_limit is None and session.world.tier == "Start"


def test_traffic_actions_pause_a_key_and_move_a_model() -> None:
    session = DrillSession(load_drill("rate-limit-storm"), seed=1)
    session.take(parse_action("pause key Batch jobs key 1"), "ana")
    session.take(parse_action("move 100% claude-sonnet-5 to claude-haiku-4-5"), "ana")
    seen = len(session.world.records.requests)
    session.advance(1800)
    log = session.world.records.requests[seen:]
    [paused] = [k for k in session.world.org.api_keys.values() if k.name == "Batch jobs key 1"]
    assert log and all(o.model.startswith("claude-haiku-4-5") for o in log)
    assert all(o.api_key_id != paused.id for o in log)
    assert session.record().requests_not_sent > 0


def test_a_reseller_hold_locks_the_balance_and_balance_shows_it() -> None:
    session = DrillSession(load_drill("reseller-holds"), seed=1)
    shown = session.take(parse_action("balance"), "ana")
    assert "held $285.00" in shown.effect


def test_a_person_can_act_between_minutes_at_the_second() -> None:
    spec = load_drill("credit-exhaustion")
    session = run_scripted(spec, [TimedAction(90, parse_action("balance"), "ana")], seed=1)
    assert [(a.at_s, a.by) for a in session.record().actions] == [(90, "ana")]
