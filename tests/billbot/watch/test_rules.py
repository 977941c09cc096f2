"""The other rules on small hand-made data: rate limits, balance, reloads, cache, creep, reconciliation."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from decimal import Decimal

from billbot.core.limits import RateLimitGroup, RateUse
from billbot.watch.inputs import BalanceView, CreditLot, ReconciliationLine, ReloadEvent, Tuning
from billbot.watch.rules.balance import balance_findings
from billbot.watch.rules.cache import cache_finding
from billbot.watch.rules.creep import creep_findings
from billbot.watch.rules.ratelimit import rate_findings
from billbot.watch.rules.reconcile import reconcile_findings
from billbot.watch.rules.reloads import runaway_finding
from billbot.watch.scope import ORGANIZATION, Scope
from billbot.watch.series import HourlySeries
from tests.billbot.watch.support import START, at_hour, d, series

NOW = datetime(2026, 11, 20, 15, tzinfo=UTC)
SONNET = RateLimitGroup("Claude Sonnet 5", ("claude-sonnet-5",), 4000, 2_000_000, 400_000)


def test_a_peak_minute_at_80_percent_warns_and_at_95_is_critical() -> None:
    assert rate_findings([RateUse(SONNET, 1_000_000, 10_000)], NOW) == []
    [warning] = rate_findings([RateUse(SONNET, 1_700_000, 10_000)], NOW)
    [critical] = rate_findings([RateUse(SONNET, 100, 390_000)], NOW)
    assert (warning.level, warning.severity, warning.period_key) == ("80%", "warning", "2026-11-20")
    assert (critical.level, critical.severity) == ("95%", "critical")
    assert "output token limit" in critical.message
    assert critical.scope == Scope("model", "group:Claude Sonnet 5")


def test_runway_under_two_weeks_warns_and_under_three_days_is_critical() -> None:
    assert balance_findings(BalanceView(d(1000), estimated=False), d(20), NOW, {}) == []
    [warning] = balance_findings(BalanceView(d(100), estimated=True), d(20), NOW, {})
    [critical] = balance_findings(BalanceView(d(40), estimated=False), d(20), NOW, {})
    assert (warning.rule, warning.level, warning.basis) == ("balance_low", "14 days", "estimate")
    assert "estimated balance" in warning.message and "5.0 days" in warning.message
    assert (critical.level, critical.severity) == ("3 days", "critical")


def test_with_auto_reload_working_only_an_empty_balance_is_news() -> None:
    ok = (ReloadEvent(NOW - timedelta(days=2), d(50), True),)
    reloading = BalanceView(d(40), False, reload_minimum=d(50), reload_amount=d(50), reloads=ok)
    assert balance_findings(reloading, d(20), NOW, {}) == []
    [empty] = balance_findings(BalanceView(d(-1), False, reload_minimum=d(50), reloads=ok), d(20), NOW, {})
    assert empty.level == "empty"


def test_a_declined_reload_is_critical_until_the_balance_is_back_above_the_minimum() -> None:
    declined = (ReloadEvent(NOW - timedelta(hours=3), d(500), False),)
    low = BalanceView(d(40), False, reload_minimum=d(50), reload_amount=d(500), reloads=declined)
    found = {f.rule: f for f in balance_findings(low, d(20), NOW, {})}
    assert found["reload_declined"].severity == "critical"
    assert found["reload_declined"].period_key == f"{NOW - timedelta(hours=3):%Y-%m-%dT%H:%M}"
    topped_up = BalanceView(d(540), False, reload_minimum=d(50), reloads=declined)
    assert "reload_declined" not in {f.rule for f in balance_findings(topped_up, d(20), NOW, {})}


def test_expiring_credits_count_only_what_spending_will_not_use_first() -> None:
    def lot(days: int, left: str) -> CreditLot:
        return CreditLot(d(left), NOW + timedelta(days=days), NOW - timedelta(days=365 - days))

    view = BalanceView(d(2500), False, lots=(lot(20, "500"), lot(5, "300"), lot(300, "1700")))
    found = sorted(
        (f for f in balance_findings(view, d(10), NOW, {}) if f.rule == "credits_expiring"),
        key=lambda f: f.period_key,
    )
    # In 5 days $50 is spent from the soonest lot: $250 of its $300 expire. The next lot gets what is
    # spent between days 5 and 20 only after the first is gone: $200 - $300 < 0, so all $500 are at risk.
    assert [(f.level, f.amount_usd) for f in found] == [("7 days", d(250)), ("30 days", d(500))]
    assert found[0].severity == "critical"
    spent_in_time = balance_findings(BalanceView(d(500), False, lots=(lot(20, "500"),)), d(100), NOW, {})
    assert "credits_expiring" not in {f.rule for f in spent_in_time}


def test_reloads_beyond_what_the_spend_explains_are_a_runaway() -> None:
    def reloads(count: int) -> tuple[ReloadEvent, ...]:
        return tuple(ReloadEvent(NOW - timedelta(minutes=6 * i), d(50), True) for i in range(count))

    view = BalanceView(d(400), False, reload_minimum=d(50), reload_amount=d(50), reloads=reloads(3))
    found = runaway_finding(view, d(10), NOW, {})
    assert found is not None and found.rule == "runaway_reload"
    assert found.amount_usd == d(100)  # one reload is explained, two are not
    assert runaway_finding(view, d(110), NOW, {}) is None  # $110 of spend explains three
    quiet = BalanceView(d(100), False, reload_minimum=d(50), reload_amount=d(50), reloads=reloads(1))
    assert runaway_finding(quiet, d(0), NOW, {}) is None


def test_a_collapse_of_cache_reads_is_a_cache_miss_storm() -> None:
    week = 24 * 8
    reads = [d(60_000)] * week + [d(1_000)] * 2
    writes = [d(40_000)] * week + [d(120_000)] * 2
    now = at_hour(week + 1, 30)
    found = cache_finding(series(reads), series(writes), now, {})
    assert found is not None and found.rule == "cache_miss"
    assert "usually 60%" in found.message
    calm = cache_finding(series([d(60_000)] * (week + 2)), series([d(40_000)] * (week + 2)), now, {})
    assert calm is None


def _daily(costs: list[str]) -> dict[Scope, HourlySeries]:
    hours = [Decimal(c) / 24 for c in costs for _ in range(24)] + [Decimal(0)]
    return {ORGANIZATION: series(hours)}


def test_a_slow_creep_is_found_and_ordinary_growth_is_not() -> None:
    steady = ["100"] * 50
    mild = ["100"] * 43 + ["105", "110", "110", "115", "110", "115", "120"]
    growing = [f"{100 * 1.004**day:.2f}" for day in range(50)]
    now = START + timedelta(days=50)
    assert creep_findings(_daily(steady), now, tuning=Tuning(), active={}) == []
    assert creep_findings(_daily(growing), now, tuning=Tuning(), active={}) == []
    [found] = creep_findings(_daily(["100"] * 43 + ["130", "140", "150", "160", "170", "180", "190"]), now,
                             tuning=Tuning(), active={})  # fmt: skip
    assert found.rule == "creep" and found.scope == ORGANIZATION
    assert creep_findings(_daily(mild), now, tuning=Tuning(), active={}) == []  # +10-20%: not a creep


def test_reconciliation_finds_the_overcharged_line_and_names_its_hours() -> None:
    day = datetime(2026, 11, 10, tzinfo=UTC)
    lines = [
        ReconciliationLine(day, "claude-sonnet-5", "output_tokens", d("240.00"), d("120.00")),
        ReconciliationLine(day, "claude-sonnet-5", "uncached_input_tokens", d("80.30"), d("80.00")),
    ]
    hours = [d(0)] * (24 * 36) + [d(1) if 9 <= h < 18 else d(0) for h in range(24)]
    model_hours = {Scope("model", "claude-sonnet-5"): series(hours)}
    [found] = reconcile_findings(lines, model_hours)
    assert (found.rule, found.period_key, found.severity, found.amount_usd) == (
        "reconciliation", "2026-11-10", "critical", d("120.30"),
    )  # fmt: skip
    assert found.data["affected_hours"] == "09:00–18:00"
    assert "billed $240.00, usage × price list $120.00 (+$120.00)" in found.evidence[0]
    assert "$120.30 more than usage × the price list explains ($320.30 billed, $200.00" in found.message
    assert found.evidence[1] == "1 more lines within tolerance, together +$0.30"


def test_small_gaps_and_being_billed_less_are_not_overcharges() -> None:
    day = datetime(2026, 11, 10, tzinfo=UTC)
    noise = [ReconciliationLine(day, "claude-haiku-5-5", "uncached_input_tokens", d("1.04"), d("1.00"))]
    assert reconcile_findings(noise, {}) == []
    [under] = reconcile_findings(
        [ReconciliationLine(day, "claude-opus-5", "output_tokens", d(10), d(20))], {}
    )
    assert (under.severity, under.amount_usd) == ("info", d(-10))


def test_lines_that_differ_but_cancel_out_are_a_filing_difference_not_a_finding() -> None:
    # The analytics cost report files web search under the model's line; the estimate keeps it apart.
    day = datetime(2026, 11, 16, tzinfo=UTC)
    lines = [
        ReconciliationLine(day, None, "web_search", d("0.00"), d("0.58")),
        ReconciliationLine(day, "claude-sonnet-5", "output_tokens", d("12.58"), d("12.00")),
    ]
    assert reconcile_findings(lines, {}) == []
