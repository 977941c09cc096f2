"""World.handle: the admission order and one worked case for every failure mode."""

from __future__ import annotations

import threading
from decimal import Decimal

from sandbox.clock import NS_PER_DAY, NS_PER_HOUR, NS_PER_SECOND
from sandbox.world import CREDIT_TOO_LOW
from tests.sandbox.conftest import WorldFactory, request

CREDIT = '\n[credits]\nlots = [{ amount = "100", day = -1 }]\n'
# 1,000 input + 100 output tokens of Sonnet 5 at $2 / $10 per MTok.
ONE_CALL = Decimal("0.003")


def test_served_request_is_charged_and_recorded(make_sim: WorldFactory) -> None:
    sim = make_sim(CREDIT)
    outcome = sim.world.handle(request(sim))
    assert (outcome.status, outcome.reason, outcome.cost) == (200, "served", ONE_CALL)
    assert sim.world.ledger.balance(sim.clock.now_ns()) == Decimal("100") - ONE_CALL
    assert sim.world.records.total_cost() == ONE_CALL
    logged = sim.world.records.find(outcome.request_id)
    assert logged is not None and logged.cost == ONE_CALL


def test_credit_exhaustion_serves_the_crossing_request_then_refuses(make_sim: WorldFactory) -> None:
    sim = make_sim('\n[credits]\nlots = [{ amount = "0.007", day = -1 }]\n')
    statuses = [sim.world.handle(request(sim)).status for _ in range(4)]
    assert statuses == [200, 200, 200, 400]  # charge-after: the third call takes the balance below zero
    refused = sim.world.handle(request(sim))
    assert refused.error is not None
    assert refused.error.body(refused.request_id) == {
        "type": "error",
        "error": {"type": "invalid_request_error", "message": CREDIT_TOO_LOW},
        "request_id": refused.request_id,
    }
    assert sim.world.ledger.balance(sim.clock.now_ns()) == Decimal("-0.002")
    assert sim.world.first_exhaustion_ns == sim.clock.now_ns()


def test_rate_limit_gives_exact_retry_after_and_message(make_sim: WorldFactory) -> None:
    sim = make_sim(CREDIT + '\n[rate_limits]\n"*" = { rpm = 5 }\n')
    outcomes = [sim.world.handle(request(sim)) for _ in range(6)]
    assert [o.status for o in outcomes] == [200] * 5 + [429]
    limited = outcomes[-1]
    assert limited.retry_after_s == 12
    assert limited.error is not None and "of 5 requests per minute" in limited.error.message
    assert sim.world.org.id in limited.error.message
    sim.clock.advance(12 * NS_PER_SECOND)
    assert sim.world.handle(request(sim)).status == 200


def test_rejected_requests_cost_nothing(make_sim: WorldFactory) -> None:
    sim = make_sim(CREDIT + '\n[rate_limits]\n"*" = { rpm = 1 }\n')
    sim.world.handle(request(sim))
    before = sim.world.ledger.balance(sim.clock.now_ns())
    assert sim.world.handle(request(sim)).status == 429
    assert sim.world.ledger.balance(sim.clock.now_ns()) == before


def test_batch_requests_skip_the_rate_limiter(make_sim: WorldFactory) -> None:
    sim = make_sim(CREDIT + '\n[rate_limits]\n"*" = { rpm = 1 }\n')
    statuses = [sim.world.handle(request(sim, service_tier="batch")).status for _ in range(5)]
    assert statuses == [200] * 5
    assert sim.world.handle(request(sim)).cost == ONE_CALL  # batch at 50% did not use up the minute


def test_workspace_spend_limit_refuses_until_next_month(make_sim: WorldFactory) -> None:
    sim = make_sim(CREDIT, replace={"keys = 1 }": 'keys = 1, spend_limit = "0.005" }'})
    statuses = [sim.world.handle(request(sim)).status for _ in range(3)]
    assert statuses == [200, 200, 400]
    refused = sim.world.handle(request(sim))
    assert refused.error is not None
    assert refused.error.message == (
        "You have reached your specified workspace API usage limits. "
        "You will regain access on 2026-12-01 at 00:00 UTC."
    )
    assert sim.world.handle(request(sim, key=0)).status == 200  # the Default workspace has no limit
    sim.clock.advance(21 * NS_PER_DAY)  # 2026-12-01
    assert sim.world.handle(request(sim)).status == 200


def test_organisation_spend_limit(make_sim: WorldFactory) -> None:
    sim = make_sim(CREDIT, replace={"start = 2026": 'spend_limit = "0.003"\nstart = 2026'})
    assert sim.world.handle(request(sim)).status == 200
    refused = sim.world.handle(request(sim, key=0))
    assert refused.status == 400 and refused.reason == "spend_limit"
    assert refused.error is not None and refused.error.message.startswith(
        "You have reached your specified API usage limits."
    )


def test_tier_cap_is_429_without_retry_after(make_sim: WorldFactory) -> None:
    sim = make_sim(CREDIT, replace={'tier = "Scale"': 'tier = "Start"'})
    sim.world.spend.record(None, Decimal("500"), sim.clock.now_ns())
    outcome = sim.world.handle(request(sim))
    assert (outcome.status, outcome.reason, outcome.retry_after_s) == (429, "tier_cap", None)
    assert outcome.error is not None and outcome.error.type == "rate_limit_error"
    assert outcome.error.details == {"error_code": "enforced_spend_limit_reached"}


def test_admission_order_credit_before_spend_limit(make_sim: WorldFactory) -> None:
    sim = make_sim(
        '\n[credits]\nlots = [{ amount = "0.001", day = -1 }]\n', replace={'tier = "Scale"': 'tier = "Start"'}
    )
    sim.world.handle(request(sim))
    sim.world.spend.record(None, Decimal("500"), sim.clock.now_ns())
    assert sim.world.handle(request(sim)).reason == "credit"


def test_overload_window_is_529_uncharged(make_sim: WorldFactory) -> None:
    sim = make_sim(CREDIT + "\n[faults]\noverload_windows = [{ day = 0, hours = 1 }]\n")
    outcome = sim.world.handle(request(sim))
    assert (outcome.status, outcome.reason, outcome.cost) == (529, "overload", Decimal(0))
    assert outcome.error is not None and outcome.error.type == "overloaded_error"
    sim.clock.advance(NS_PER_HOUR)
    assert sim.world.handle(request(sim)).status == 200


def test_outage_is_500_and_counts_as_downtime(make_sim: WorldFactory) -> None:
    sim = make_sim(CREDIT + "\n[faults]\noutages = [{ day = 0, hours = 0.5 }]\n")
    outcome = sim.world.handle(request(sim))
    assert (outcome.status, outcome.reason) == (500, "outage")
    assert outcome.error is not None and outcome.error.type == "api_error"
    start = sim.start_ns
    assert sim.world.faults.downtime_ns(start, start + NS_PER_DAY) == NS_PER_HOUR // 2


def test_organisation_on_hold(make_sim: WorldFactory) -> None:
    sim = make_sim(CREDIT + "\n[faults]\non_hold = true\n")
    outcome = sim.world.handle(request(sim))
    assert (outcome.status, outcome.reason) == (400, "on_hold")


def test_wrong_key_and_unknown_model(make_sim: WorldFactory) -> None:
    sim = make_sim(CREDIT)
    bad = request(sim)
    bad.api_key = "sk-ant-api03-not-a-key"
    assert sim.world.handle(bad).status == 401
    unknown = sim.world.handle(request(sim, model="claude-nope-9"))
    assert unknown.status == 404
    assert unknown.error is not None and unknown.error.message == "model: claude-nope-9"


def test_duplicate_charge_bills_twice_but_usage_once(make_sim: WorldFactory) -> None:
    sim = make_sim(CREDIT + "\n[faults]\nduplicate_charge_days = [0]\n")
    outcome = sim.world.handle(request(sim))
    assert (outcome.times_charged, outcome.cost) == (2, 2 * ONE_CALL)
    assert sim.world.ledger.balance(sim.clock.now_ns()) == Decimal("100") - 2 * ONE_CALL
    rows = list(sim.world.records.usage_rows(sim.start_ns, sim.start_ns + NS_PER_DAY))
    assert sum(counters[-1] for _, _, counters in rows) == 1  # one request in the usage report


def test_interrupted_stream_bills_partial_output(make_sim: WorldFactory) -> None:
    sim = make_sim(CREDIT + "\n[faults]\ninterrupt_probability = 1.0\n")
    outcome = sim.world.handle(request(sim, stream=True, output_tokens=1000))
    assert outcome.status == 200 and outcome.interrupted
    assert outcome.usage is not None and outcome.usage.output < 1000
    assert outcome.cost == Decimal("0.002") + Decimal(outcome.usage.output) * Decimal("0.00001")


def test_lot_expiry_at_its_instant(make_sim: WorldFactory) -> None:
    # A lot bought 364 days before the start expires one calendar year after purchase: at day 1, 00:00.
    sim = make_sim('\n[credits]\nlots = [{ amount = "50", day = -364 }]\n')
    assert sim.world.handle(request(sim)).status == 200
    sim.clock.advance(NS_PER_DAY)
    assert sim.world.handle(request(sim)).reason == "credit"
    assert sim.world.ledger.expired_lot_count(sim.clock.now_ns()) == 1


def test_clock_jump_backwards_does_not_restore_expired_credit(make_sim: WorldFactory) -> None:
    sim = make_sim('\n[credits]\nlots = [{ amount = "50", day = -364 }]\n')
    later = sim.clock.now_ns() + 2 * NS_PER_DAY
    sim.clock.jump_to(later)
    assert sim.world.handle(request(sim)).reason == "credit"
    sim.clock.jump_to(later - 3 * NS_PER_DAY)
    assert sim.world.handle(request(sim)).reason == "credit"


def test_declined_reload_creates_no_credit(make_sim: WorldFactory) -> None:
    reload = (
        '\n[auto_reload]\nminimum = "99.999"\ntarget = "200"\npayment = "scripted"\nscript = ["decline"]\n'
    )
    sim = make_sim(CREDIT + reload)
    sim.world.handle(request(sim))
    attempts = sim.world.reload.attempts
    assert len(attempts) == 1 and not attempts[0].succeeded
    assert sim.world.ledger.balance(sim.clock.now_ns()) == Decimal("100") - ONE_CALL
    sim.world.handle(request(sim))
    assert len(sim.world.reload.attempts) == 1  # disarmed until the balance is back above the minimum


def test_concurrent_requests_cross_the_threshold_once(make_sim: WorldFactory) -> None:
    reload = '\n[auto_reload]\nminimum = "99.9"\ntarget = "200"\n'
    sim = make_sim(CREDIT + reload + '\n[rate_limits]\n"*" = { rpm = 100000 }\n')
    barrier = threading.Barrier(8)

    def worker() -> None:
        barrier.wait()
        for _ in range(25):
            sim.world.handle(request(sim))

    threads = [threading.Thread(target=worker) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert sim.world.counts["served"] == 200
    assert [a.succeeded for a in sim.world.reload.attempts] == [True]
    # At 99.898 the reload buys 100.102 rounded up to the cent (100.11): 200.008, then 166 more calls.
    assert sim.world.ledger.balance(sim.clock.now_ns()) == Decimal("200.008") - (200 - 34) * ONE_CALL


def test_headers_carry_ids_limits_and_retry_after(make_sim: WorldFactory) -> None:
    sim = make_sim(CREDIT + '\n[rate_limits]\n"*" = { rpm = 2 }\n')
    served = sim.world.handle(request(sim))
    headers = sim.world.headers(served)
    assert headers["request-id"] == served.request_id
    assert headers["anthropic-organization-id"] == sim.world.org.id
    assert headers["anthropic-ratelimit-requests-limit"] == "2"
    assert headers["anthropic-ratelimit-requests-remaining"] == "1"
    assert "retry-after" not in headers
    sim.world.handle(request(sim))
    limited = sim.world.handle(request(sim))
    assert sim.world.headers(limited)["retry-after"] == "30"
    assert sim.world.headers(limited)["anthropic-ratelimit-requests-remaining"] == "0"


def test_moving_tier_changes_the_monthly_cap_and_the_limits(make_sim: WorldFactory) -> None:
    sim = make_sim(CREDIT, replace={'tier = "Scale"': 'tier = "Start"'})
    sim.world.set_tier("Build")
    sim.world.spend.record(None, Decimal("999.999"), sim.clock.now_ns())
    assert sim.world.handle(request(sim)).status == 200  # under Build's $1,000, over Start's $500
    assert sim.world.handle(request(sim)).reason == "tier_cap"


def test_model_newer_than_the_historic_table_is_served_without_limits(make_sim: WorldFactory) -> None:
    sim = make_sim(
        CREDIT,
        replace={'tier = "Scale"': 'tier = "Tier 1"\ntier_profile = "historic"'},
    )
    outcomes = [sim.world.handle(request(sim, model="claude-opus-5")) for _ in range(60)]
    assert {outcome.status for outcome in outcomes} == {200}
    sonnet_4 = [sim.world.handle(request(sim, model="claude-sonnet-4-5")) for _ in range(51)]
    assert sonnet_4[-1].reason == "rate_limit"  # Tier 1: 50 requests per minute


def test_a_hold_carries_its_error_code_and_a_disabled_organisation_none(make_sim: WorldFactory) -> None:
    held = make_sim(CREDIT)
    held.world.faults.on_hold = True
    on_hold = held.world.handle(request(held))
    disabled_sim = make_sim(CREDIT)
    disabled_sim.world.faults.disabled = True
    disabled = disabled_sim.world.handle(request(disabled_sim))
    assert on_hold.error is not None and disabled.error is not None
    assert on_hold.error.body(on_hold.request_id)["error"] == {
        "type": "invalid_request_error",
        "message": "This organization has been disabled.",
        "details": {"error_code": "organization_on_hold"},
    }
    assert disabled.error.body(disabled.request_id)["error"] == {
        "type": "invalid_request_error",
        "message": "This organization has been disabled.",
    }
    assert (on_hold.reason, disabled.reason) == ("on_hold", "disabled")
