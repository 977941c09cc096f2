"""What `billbot watch` prints of a run: findings with amounts, what happened to the alerts, new posts."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

from billbot.app.grammar.watch import BudgetSetQuery, parse_budget
from billbot.app.replies.watch import run_line, run_text
from billbot.store import make_engine, migrate
from billbot.watch.service import WatchService
from tests.billbot.watch.test_service import DAY_START, NAMES, SteadyOrg

SOURCE = "sandbox · simulated org 'steady'"


def test_a_day_of_a_budget_opened_raised_then_closed(tmp_path: Path) -> None:
    engine = make_engine(f"sqlite:///{tmp_path / 'billbot.db'}")
    migrate(engine)
    service = WatchService(engine, SteadyOrg(), alert_channel="C0ALERTS")
    query = parse_budget("set 10 daily no-forecast")
    assert isinstance(query, BudgetSetQuery)
    service.budgets.set(query, names=NAMES, by="U1", now=DAY_START)
    opened = service.run_once(DAY_START + timedelta(hours=6, minutes=10))
    text = run_text(opened, SOURCE).splitlines()
    assert text[:3] == ["billbot watch · 2026-11-10 06:10 UTC", f"source: {SOURCE}", "1 finding:"]
    assert text[3].startswith("  [info] budget · the organisation · $6.17 · Organisation has spent")
    assert text[-3:-1] == ["alerts: 1 opened", "1 new post:"] and text[-1].startswith("  open · budget · ")
    raised = service.run_once(DAY_START + timedelta(hours=8, minutes=10))
    assert run_text(raised, SOURCE).splitlines()[-3:-1] == ["alerts: 1 updated", "1 new post:"]
    assert run_line(raised) == "2026-11-10 08:10 UTC · 1 findings · alerts: 1 updated · 1 new posts"
    service.run_once(DAY_START + timedelta(days=1, minutes=10))  # the day's last crossing, just after it
    closed = service.run_once(DAY_START + timedelta(days=1, hours=2))
    assert run_text(closed, SOURCE).splitlines()[-3:] == ["0 findings", "alerts: 1 closed", "0 new posts"]
    again = service.run_once(DAY_START + timedelta(days=1, hours=2))
    assert run_line(again) == "2026-11-11 02:00 UTC · 0 findings · alerts: no change · 0 new posts"
    engine.dispose()
