"""`/claude-budget` and `/claude-alerts` through the command table, over a served sandbox and a store file.

Everyone reads budgets, admins change them; names resolve against the organisation's own workspaces,
keys and models; anyone who may use billbot acts on an alert, and the action is recorded as theirs.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from decimal import Decimal

import pytest

from billbot.app.command import Actor, authorize
from billbot.app.errors import Refused, explain
from billbot.app.grammar.answers import CommandError
from billbot.app.grammar.watch import (
    ALERTS_USAGE,
    BUDGET_USAGE,
    AlertActionQuery,
    BudgetSetQuery,
    parse_budget,
)
from billbot.app.replies.model import Response
from billbot.app.table import BY_NAME, execute, parse
from billbot.runtime import Runtime
from billbot.watch.budgets import BudgetError
from billbot.watch.scope import Scope
from tests.billbot.report_cache.conftest import OpenSource

ADMIN = Actor("UADMIN", admin=True, channel="C1")
MEMBER = Actor("UMEMBER", admin=False, channel="C1")
NOW = datetime(2026, 11, 14, tzinfo=UTC)
HAIKU = "claude-haiku-4-5-20251001"


def run(runtime: Runtime, text: str, actor: Actor = ADMIN) -> Response:
    """`text` as `actor` runs it: parsed, authorized and answered through the table."""
    invocation = parse(text, runtime.now())
    authorize(invocation, actor, frozenset())
    reply = execute(invocation, runtime.services(), actor, runtime.now())
    assert isinstance(reply, Response)
    return reply


def facts(response: Response) -> dict[str, str]:
    return {fact.label: fact.value for fact in response.facts}


def test_both_commands_are_in_the_table_with_their_usage_lines() -> None:
    assert BY_NAME["/claude-budget"].usage == BUDGET_USAGE
    assert BY_NAME["/claude-alerts"].usage == ALERTS_USAGE
    words = parse("/claude-budget set 250 weekly workspace R&amp;D at 60,90", NOW).query
    assert words == BudgetSetQuery(Decimal(250), "week", "workspace", "R&D", (60, 90))  # Slack's escape
    quoted = 'set 9 key "Apps key 1"'
    assert parse(f"/claude-budget {quoted}", NOW).query == parse_budget(quoted)
    assert isinstance(parse("/claude-alerts snooze 3", NOW).query, AlertActionQuery)


def test_everyone_reads_budgets_and_only_admins_change_them(opened: OpenSource) -> None:
    with opened() as runtime:
        assert run(runtime, "/claude-budget", MEMBER).notes == (
            "No budgets yet: `/claude-budget set 5000 monthly`.",
        )
        for text in ("/claude-budget set 100 daily", "/claude-budget remove 1"):
            with pytest.raises(Refused, match="only billbot admins can change budgets"):
                authorize(parse(text, runtime.now()), MEMBER, frozenset())
        saved = run(runtime, "/claude-budget set 5000 monthly")
        assert saved.title == "Budget set: #1"
        assert facts(saved)["Budget"] == "$5,000.00 monthly for the organisation (50/80/100%, forecast)"
        assert not parse("/claude-budget set 5000 monthly", runtime.now()).shareable
        listed = run(runtime, "/claude-budget list", MEMBER)
        assert listed.tables[0].rows == (
            ("#1", "Organisation", "monthly", "$5,000.00", "50/80/100% + forecast", "alert channel"),
        )
        assert parse("/claude-budget list", runtime.now()).shareable


def test_set_resolves_the_organisations_workspaces_keys_and_models_by_name(opened: OpenSource) -> None:
    with opened() as runtime:
        workspaces = {name: ident for ident, name in runtime.data.workspace_names().items()}
        keys = {name: ident for ident, name in runtime.data.key_names().items()}
        run(runtime, "/claude-budget set 300 weekly workspace batch channel <#C0ALERTS|alerts>")
        run(runtime, "/claude-budget set 10 daily key apps KEY 2")
        run(runtime, "/claude-budget set 200 model claude-haiku-4-5 at 80,100 no-forecast")
        scopes = [b.scope for b in runtime.watch.budgets.list()]
        used = runtime.data.usage(NOW - timedelta(days=7), NOW, "1d", ["model"])
        assert HAIKU in {entry.model for entry in used}
        assert scopes == [
            Scope("workspace", workspaces["Batch"], "Batch"),
            Scope("api_key", keys["Apps key 2"], "Apps key 2"),
            Scope("model", HAIKU, HAIKU),  # the alias names the id usage reports
        ]
        replaced = run(runtime, "/claude-budget set 350 weekly workspace Batch")
        assert replaced.title == "Budget updated: #1"
        with pytest.raises(Exception) as unknown:
            run(runtime, "/claude-budget set 5 weekly workspace Marketing")
        message = explain(unknown.value)
        assert (message.kind, message.usage) == ("usage", None)
        assert message.text == "no workspace named 'Marketing' (known: Apps, Batch, Default workspace)"
        removed = run(runtime, "/claude-budget remove 2")
        assert removed.title == "Budget removed: #2" and "Apps key 2" in facts(removed)["Budget"]
        with pytest.raises(Exception) as gone:
            run(runtime, "/claude-budget remove 2")
        assert explain(gone.value).text == "there is no budget #2 (`/claude-budget list` shows them)"


def test_anyone_here_can_acknowledge_snooze_and_judge_an_alert(opened: OpenSource) -> None:
    with opened() as runtime:
        assert run(runtime, "/claude-alerts", MEMBER).notes == ("Nothing to report.",)
        run(runtime, "/claude-budget set 1 daily no-forecast")
        ran = runtime.watch.run_once(runtime.now())
        assert [f.rule for f in ran.findings if f.rule == "budget"] == ["budget"]
        [listed] = run(runtime, "/claude-alerts", MEMBER).tables[0].rows
        alert_id = listed[0].lstrip("#")
        assert listed[1:3] == ("budget", "Organisation") and listed[4] == "active"
        shown = run(runtime, f"/claude-alerts {alert_id}", MEMBER)
        assert shown.title.startswith(f"#{alert_id} ") and facts(shown)["Status"] == "active"
        acked = run(runtime, f"/claude-alerts ack {alert_id}", MEMBER)
        assert acked.notes[0] == f"Acknowledged: #{alert_id}."
        assert facts(acked)["Status"] == "active · acknowledged by <@UMEMBER>"
        assert not parse(f"/claude-alerts ack {alert_id}", runtime.now()).shareable
        snoozed = run(runtime, f"/claude-alerts snooze {alert_id} period", MEMBER)
        assert "snoozed until" in facts(snoozed)["Status"]
        judged = run(runtime, f"/claude-alerts expected {alert_id}", MEMBER)
        assert facts(judged)["Status"].endswith("· marked expected")
        stored = runtime.watch.alert(int(alert_id)).alert
        assert (stored.acknowledged_by, stored.feedback_by) == ("UMEMBER", "UMEMBER")
        assert run(runtime, "/claude-alerts all").tables[0].rows[0][0] == f"#{alert_id}"
        with pytest.raises(Exception) as unknown:
            run(runtime, "/claude-alerts ack 999")
        assert explain(unknown.value).text == "there is no alert #999 (`/claude-alerts all` lists them)"


def test_bad_words_are_a_usage_error_and_an_impossible_budget_one_sentence() -> None:
    with pytest.raises(CommandError) as caught:
        parse("/claude-alerts mute 3", NOW)
    message = explain(caught.value)
    assert (message.kind, message.text, message.usage) == ("usage", "cannot read 'mute 3'", ALERTS_USAGE)
    impossible = explain(BudgetError("a budget must be more than zero, got 0"))
    assert (impossible.kind, impossible.usage) == ("usage", BUDGET_USAGE)
