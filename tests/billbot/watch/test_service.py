"""The watch service on a real store: budgets, idempotent runs, the outbox, crashes, actions, the digest."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import UTC, datetime, timedelta
from decimal import Decimal

import pytest
from sqlalchemy import Engine, text
from sqlmodel import col, select

from billbot.app.grammar.watch import AlertActionQuery, BudgetSetQuery, parse_budget
from billbot.app.replies.watch import (
    alert_response,
    alerts_response,
    budget_saved_response,
    budgets_response,
    findings_text,
)
from billbot.store import make_engine, migrate, session_scope
from billbot.store.tables import WatchAlertRow, WatchPostRow
from billbot.watch.alert_store import AlertNotFound
from billbot.watch.budget_store import BudgetNotFound, ScopeNames, ScopeNotFound
from billbot.watch.budgets import Budget
from billbot.watch.digest import digest_response
from billbot.watch.inputs import Tuning, WatchInputs
from billbot.watch.scope import ORGANIZATION, Scope
from billbot.watch.series import HourlySeries
from billbot.watch.service import WatchService

DAY_START = datetime(2026, 11, 10, tzinfo=UTC)
HISTORY = DAY_START - timedelta(days=30)
NAMES = ScopeNames({"wrkspc_r": "Research"}, {"apikey_1": "Production key 2"}, ("claude-opus-5",))


class SteadyOrg:
    """A source where the organisation spends $1 an hour, always (the estimate: nothing billed)."""

    def __init__(self) -> None:
        self.reads = 0

    def __call__(
        self, now: datetime, budgets: Sequence[Budget], tuning: Tuning, active: Mapping[tuple[str, str], str]
    ) -> WatchInputs:
        self.reads += 1
        hours = int((now - HISTORY) // timedelta(hours=1))
        minutes = Decimal(int((now - HISTORY) % timedelta(hours=1) // timedelta(minutes=1)))
        values = [Decimal(1)] * hours + [minutes / 60]
        return WatchInputs(now=now, hourly={ORGANIZATION: HourlySeries(HISTORY, values)}, budgets=budgets,
                           tuning=tuning, active=active)  # fmt: skip


def _service(engine: Engine, channel: str | None = "C0ALERTS") -> WatchService:
    return WatchService(engine, SteadyOrg(), alert_channel=channel)


def _set(text: str) -> BudgetSetQuery:
    query = parse_budget(text)
    assert isinstance(query, BudgetSetQuery)
    return query


def _daily_budget(service: WatchService, amount: str = "10") -> Budget:
    budget, created = service.budgets.set(
        _set(f"set {amount} daily no-forecast"), names=NAMES, by="U1", now=DAY_START
    )
    assert created
    return budget


def _posts(engine: Engine) -> list[str]:
    with session_scope(engine, read_only=True) as session:
        return [row.once_key for row in session.exec(select(WatchPostRow).order_by(col(WatchPostRow.id)))]


def test_budgets_are_set_replaced_listed_and_removed(engine: Engine) -> None:
    service = _service(engine)
    first, created = service.budgets.set(
        _set("set 8000 monthly workspace research"), names=NAMES, by="U1", now=DAY_START
    )
    assert created and first.scope == Scope("workspace", "wrkspc_r", "Research") and first.id is not None
    again, created = service.budgets.set(
        _set("set 9000 monthly workspace Research at 90"), names=NAMES, by="U2", now=DAY_START
    )
    assert (
        not created and again.id == first.id and again.amount == Decimal(9000) and again.thresholds == (90,)
    )
    _daily_budget(service)
    assert [b.amount for b in service.budgets.list()] == [Decimal(9000), Decimal(10)]
    assert service.budgets.remove(first.id).scope.name == "Research"
    with pytest.raises(BudgetNotFound):
        service.budgets.remove(first.id)
    with pytest.raises(ScopeNotFound, match="known: Production key 2"):
        service.budgets.set(_set("set 5 daily key Staging key 1"), names=NAMES, by="U1", now=DAY_START)


def test_a_crossing_posts_one_alert_the_next_level_one_reply_and_a_rerun_nothing(engine: Engine) -> None:
    service = _service(engine)
    _daily_budget(service)
    first = service.run_once(DAY_START + timedelta(hours=6, minutes=10))
    assert [f.level for f in first.findings] == ["50%"] and first.posts_queued == 1
    again = service.run_once(DAY_START + timedelta(hours=6, minutes=10))
    assert again.posts_queued == 0 and all(not c.posts for c in again.transitions)
    [stored] = service.alerts()
    version = stored.version
    assert service.run_once(DAY_START + timedelta(hours=6, minutes=20)).posts_queued == 0
    assert service.alert(stored.id).version > version  # the figures moved: the message is updated in place
    up = service.run_once(DAY_START + timedelta(hours=8, minutes=10))
    assert up.posts_queued == 1
    assert _posts(engine) == ["open", "level:800"]
    assert service.run_once(DAY_START + timedelta(hours=8, minutes=10)).posts_queued == 0
    assert _posts(engine) == ["open", "level:800"]


def test_the_relay_protocol_posts_in_order_and_edits_to_the_newest_version(engine: Engine) -> None:
    service = _service(engine)
    _daily_budget(service)
    service.run_once(DAY_START + timedelta(hours=6, minutes=10))
    service.run_once(DAY_START + timedelta(hours=8, minutes=10))
    store = service.store
    [opening] = store.unposted()  # the reply waits for the message it threads under
    assert (opening.kind, opening.channel_id, opening.thread_ts) == ("open", "C0ALERTS", None)
    current = store.get(opening.alert_id)
    store.set_message(
        opening.alert_id, channel_id="C0ALERTS", ts="1700000000.000100", version=current.version
    )
    store.mark_posted(opening.id, "1700000000.000100")
    [reply] = store.unposted()
    assert (reply.once_key, reply.thread_ts) == ("level:800", "1700000000.000100")
    store.mark_posted(reply.id, "1700000000.000200")
    assert store.unposted() == [] and store.unrendered() == []
    service.run_once(DAY_START + timedelta(hours=9, minutes=10))
    [stale] = store.unrendered()
    store.mark_rendered(stale.id, stale.version)
    assert store.unrendered() == []


def test_after_downtime_each_alert_is_posted_once_at_its_level(engine: Engine) -> None:
    service = _service(engine)
    _daily_budget(service)
    late = service.run_once(DAY_START + timedelta(hours=10, minutes=40))
    assert [f.level for f in late.findings] == ["100%"]
    assert _posts(engine) == ["open"]


def test_an_alert_without_a_channel_is_owed_nothing(engine: Engine) -> None:
    service = _service(engine, channel=None)
    _daily_budget(service)
    service.run_once(DAY_START + timedelta(hours=6, minutes=10))
    assert service.store.unposted() == [] and len(service.alerts()) == 1


def test_a_crash_while_saving_a_run_loses_nothing_and_repeats_nothing(tmp_path: object) -> None:
    engine = make_engine(f"sqlite:///{tmp_path}/watch.db")
    migrate(engine)
    service = _service(engine)
    _daily_budget(service)
    with engine.begin() as connection:  # the database fails the run's last write
        connection.execute(
            text(
                "CREATE TRIGGER crash BEFORE INSERT ON watch_run BEGIN SELECT RAISE(ABORT, 'disk gone'); END"
            )
        )
    with pytest.raises(Exception, match="disk gone"):
        service.run_once(DAY_START + timedelta(hours=6, minutes=10))
    assert service.alerts(active_only=False) == [] and _posts(engine) == []
    with engine.begin() as connection:
        connection.execute(text("DROP TRIGGER crash"))
    assert service.run_once(DAY_START + timedelta(hours=6, minutes=20)).posts_queued == 1
    assert _posts(engine) == ["open"]
    engine.dispose()


def test_two_services_on_one_store_post_each_alert_once(store_url: str) -> None:
    first_engine, second_engine = make_engine(store_url), make_engine(store_url)
    migrate(first_engine)
    try:
        first, second = _service(first_engine), _service(second_engine)
        _daily_budget(first)
        at = DAY_START + timedelta(hours=6, minutes=10)
        assert first.run_once(at).posts_queued + second.run_once(at).posts_queued == 1
        assert _posts(first_engine) == ["open"]
    finally:
        first_engine.dispose()
        second_engine.dispose()


def test_acknowledge_snooze_and_feedback_change_the_alert_once(engine: Engine) -> None:
    service = _service(engine)
    _daily_budget(service)
    now = DAY_START + timedelta(hours=6, minutes=10)
    service.run_once(now)
    [stored] = service.alerts()
    acked = service.act(AlertActionQuery("acknowledge", stored.id), by="U1", now=now)
    assert acked.alert.acknowledged_by == "U1" and acked.version == stored.version + 1
    assert service.act(AlertActionQuery("acknowledge", stored.id), by="U2", now=now).version == acked.version
    snoozed = service.act(AlertActionQuery("snooze_period", stored.id), by="U1", now=now)
    assert snoozed.alert.snoozed_until == DAY_START + timedelta(days=1)
    service.run_once(DAY_START + timedelta(hours=8, minutes=10))
    assert _posts(engine) == ["open"]  # the 80% level came while it was snoozed
    marked = service.act(AlertActionQuery("not_expected", stored.id), by="U3", now=now)
    assert marked.alert.feedback == "not_expected"
    with pytest.raises(AlertNotFound):
        service.act(AlertActionQuery("acknowledge", 999), by="U1", now=now)


def test_runs_are_due_by_the_interval_across_processes(engine: Engine) -> None:
    service = _service(engine)
    now = DAY_START + timedelta(hours=1)
    assert service.due(now, timedelta(minutes=10))
    service.run_once(now)
    assert not service.due(now + timedelta(minutes=9), timedelta(minutes=10))
    assert service.due(now + timedelta(minutes=10), timedelta(minutes=10))


def test_the_digest_says_yesterday_usual_month_budgets_and_alerts(engine: Engine) -> None:
    service = _service(engine)
    _daily_budget(service)
    service.run_once(DAY_START + timedelta(hours=6, minutes=10))
    digest = service.digest(DAY_START + timedelta(hours=9), source="sandbox · simulated org 'demo'")
    assert digest.yesterday == Decimal(24) and digest.usual == Decimal(24) and not digest.yesterday_billed
    assert digest.month_to_date == Decimal(24 * 9 + 9)
    assert len(digest.opened) == 1 and digest.active == 1
    response = digest_response(digest)
    assert response.title == "Daily digest · Mon 09 Nov 2026"
    assert ("Yesterday (Mon 09 Nov, estimate)", "$24.00") in [(f.label, f.value) for f in response.facts]
    assert response.tables[0].rows[0][3] == "90%"


def test_the_finding_survives_the_store_whole(engine: Engine) -> None:
    service = _service(engine)
    _daily_budget(service)
    run = service.run_once(DAY_START + timedelta(hours=6, minutes=10))
    [stored] = service.alerts()
    assert stored.alert.finding == run.findings[0]
    with session_scope(engine, read_only=True) as session:
        row = session.exec(select(WatchAlertRow)).one()
    assert (row.rule, row.scope_key, row.channel_id) == ("budget", "organization", "C0ALERTS")
    assert run.to_dict()["findings"][0]["amount_usd"] == str(run.findings[0].amount_usd)


def test_the_answers_show_budgets_alerts_and_one_alert(engine: Engine) -> None:
    service = _service(engine)
    budget = _daily_budget(service)
    run = service.run_once(DAY_START + timedelta(hours=6, minutes=10))
    listed = budgets_response(service.budgets.list(), "sandbox")
    assert listed.tables[0].rows == (
        (f"#{budget.id}", "Organisation", "daily", "$10.00", "50/80/100%", "alert channel"),
    )
    assert budget_saved_response(budget, True, "sandbox").title == f"Budget set: #{budget.id}"
    [stored] = service.alerts()
    table = alerts_response([stored], active_only=True, source="sandbox").tables[0]
    assert table.rows[0][:5] == (f"#{stored.id}", "budget", "Organisation", "50%", "active")
    acked = service.act(AlertActionQuery("acknowledge", stored.id), by="U1", now=DAY_START)
    one = alert_response(acked, "sandbox")
    assert one.title.startswith(f"#{stored.id} Organisation has spent $6.17 of its $10.00 daily budget")
    assert ("Status", "active · acknowledged by <@U1>") in [(f.label, f.value) for f in one.facts]
    assert one.warnings == ("Estimate: usage × price list",)
    assert findings_text(run.findings).startswith("[info] budget · the organisation · Organisation has spent")
    assert findings_text([]) == "no findings"
