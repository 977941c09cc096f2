"""`billbot ask` with the watch's commands, as the local operator (an admin) runs them: budgets kept."""

from __future__ import annotations

from pathlib import Path

from tests.billbot.test_ask_cli import ask


def test_a_budget_set_in_one_run_is_listed_in_the_next_and_alerts_answer(tmp_path: Path) -> None:
    store = {"DATABASE_URL": f"sqlite:///{tmp_path / 'billbot.db'}"}
    saved = ask("/claude-budget set 5000 monthly workspace production at 50,90", **store)
    assert saved.returncode == 0, saved.stderr
    assert "Budget set: #1" in saved.stdout
    assert "$5,000.00 monthly for workspace Production (50/90%, forecast)" in saved.stdout
    listed = ask("/claude-budget", **store)
    assert listed.returncode == 0, listed.stderr
    assert "#1" in listed.stdout and "Production" in listed.stdout and "50/90% + forecast" in listed.stdout
    alerts = ask("/claude-alerts", **store)
    assert alerts.returncode == 0, alerts.stderr
    assert "Active alerts" in alerts.stdout and "Nothing to report." in alerts.stdout


def test_unknown_names_and_ids_are_exit_2_in_one_sentence(tmp_path: Path) -> None:
    store = {"DATABASE_URL": f"sqlite:///{tmp_path / 'billbot.db'}"}
    unknown = ask("/claude-budget set 10 daily key Nowhere", **store)
    assert unknown.returncode == 2
    assert unknown.stderr.strip().splitlines()[-1].startswith("error: no API key named 'Nowhere' (known: ")
    missing = ask("/claude-alerts snooze 7 forever", **store)
    assert missing.returncode == 2 and "usage: /claude-alerts [active | all | ID" in missing.stderr
    assert "Traceback" not in unknown.stderr + missing.stderr
