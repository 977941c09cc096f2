"""Tickets in the terminal, as an operator uses them: `billbot console` and `billbot ask` as processes,
the tickets in a real SQLite file, over the embedded sandbox."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from tests.billbot.terminal.test_console import billbot

FILE = "/claude-dispute duplicate 12.50 req_011CTerm at 2026-11-20T10:00:00Z provider claudeapi-com double"


def test_file_list_and_show_tickets_in_one_console_session(tmp_path: Path) -> None:
    store = tmp_path / "billbot.db"
    lines = [
        FILE,
        "tickets",
        "tickets 1",
        "tickets 9",
        "dispute duplicate 3.00",
        "refund provider acme at 2026-11-20",
    ]
    result = billbot(
        "console", stdin="\n".join([*lines, "exit"]) + "\n",
        DATABASE_URL=f"sqlite:///{store}", BILLBOT_TICKET_CHANNEL="C0TICKETS",
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    out, err = result.stdout, result.stderr
    assert "Ticket #1 · dispute · Duplicate charge" in out and "filed by terminal" in out
    assert (
        "Filed as #1 from the terminal; its thread opens in <#C0TICKETS> when billbot runs in Slack." in out
    )
    assert "Deadline to file  2026-12-20 23:59 UTC" in out and "Order number" in out and "MISSING" in out
    assert "billbot · open tickets" in out and "claudeapi-com  $12.50" in out
    assert "there is no ticket #9" in out
    assert "error: there is no form in a terminal: say when the charge happened" in err
    assert "error: no provider profile 'acme'; known: anthropic, claudeapi-cheap, claudeapi-com" in err
    assert "Traceback" not in err
    with sqlite3.connect(store) as db:
        assert db.execute("SELECT id, channel_id, filed_by FROM ticket").fetchall() == [
            (1, "C0TICKETS", "terminal")
        ]


def test_ask_files_a_ticket_and_a_bad_one_is_exit_2(tmp_path: Path) -> None:
    env = {"DATABASE_URL": f"sqlite:///{tmp_path / 'billbot.db'}"}
    filed = billbot("ask", FILE, **env)
    assert filed.returncode == 0, filed.stderr
    assert "set BILLBOT_TICKET_CHANNEL to give it a thread" in filed.stdout
    bad = billbot("ask", "/claude-tickets closed", **env)
    assert bad.returncode == 2
    assert "usage: /claude-tickets [open|all|ID]" in bad.stderr and bad.stdout == ""
