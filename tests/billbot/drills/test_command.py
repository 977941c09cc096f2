"""`/claude-drill` through the command table, and drill runs kept in the store (claimed once, scored)."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy import Engine

from billbot.app.command import TERMINAL_OPERATOR
from billbot.app.grammar.answers import CommandError
from billbot.app.replies.model import Response
from billbot.app.table import execute, parse
from billbot.drills.catalogue import load_drill
from billbot.drills.command import DrillQuery, history_response
from billbot.drills.play import run_scripted
from billbot.drills.runs import FINISHED, INTERRUPTED, DrillRuns
from billbot.drills.scorecard import score
from billbot.runtime import Runtime, open_runtime
from billbot.settings import Settings
from billbot.store.engine import make_engine
from billbot.store.migrate import migrate

NOW = datetime(2026, 12, 5, 12, tzinfo=UTC)


@pytest.mark.parametrize(
    ("text", "query"),
    [
        ("/claude-drill", DrillQuery("list")),
        ("/claude-drill list", DrillQuery("list")),
        ("/claude-drill history", DrillQuery("history")),
        ("/claude-drill credit-exhaustion", DrillQuery("play", "credit-exhaustion")),
        ("/claude-drill Tier-Cap seed 7", DrillQuery("play", "tier-cap", 7)),
    ],
)
def test_the_command_reads_list_history_and_a_drill(text: str, query: DrillQuery) -> None:
    assert parse(text, NOW).query == query


@pytest.mark.parametrize(
    ("text", "says"),
    [("/claude-drill fire-drill", "no drill named 'fire-drill'"), ("/claude-drill tier-cap fast", "seed N")],
)
def test_bad_input_names_the_problem_with_the_usage(text: str, says: str) -> None:
    with pytest.raises(CommandError, match=says) as caught:
        parse(text, NOW)
    assert caught.value.usage == "/claude-drill [list | NAME [seed N] | history]"


@pytest.fixture(scope="module")
def runtime() -> Iterator[Runtime]:
    with open_runtime(Settings(ANTHROPIC_ADMIN_KEY=None), say=lambda line: None) as opened:
        yield opened


def test_outside_slack_a_drill_is_played_without_actions_and_scored(runtime: Runtime) -> None:
    def run(text: str) -> object:
        return execute(parse(text, NOW), runtime.services(), TERMINAL_OPERATOR, NOW)

    listed = run("/claude-drill list")
    assert isinstance(listed, Response) and len(listed.tables[0].rows) == 9
    played = run("/claude-drill credit-exhaustion seed 1")
    assert isinstance(played, Response) and played.title.startswith("Drill scorecard: credit-exhaustion")
    facts = {fact.label: fact.value for fact in played.facts}
    assert facts["Requests failed"] == "60" and facts["Time to recover"] == "never"
    with pytest.raises(CommandError, match="kept by billbot's Slack app"):
        run("/claude-drill history")


@pytest.fixture
def store(tmp_path: Path) -> Engine:
    engine = make_engine(f"sqlite:///{tmp_path}/billbot.db")
    migrate(engine)
    return engine


def test_a_run_is_claimed_once_its_actions_once_and_its_scorecard_kept(store: Engine) -> None:
    runs = DrillRuns(store)
    run = runs.claim("trigger:1", "credit-exhaustion", 1, by="U1", channel="C1", now=NOW)
    assert run is not None and run.id is not None
    assert runs.claim("trigger:1", "credit-exhaustion", 1, by="U1", channel="C1", now=NOW) is None
    assert runs.take(run.id, "drill:1:U1:7.1", by="U1", text="topup 500", now=NOW)
    assert not runs.take(run.id, "drill:1:U1:7.1", by="U1", text="topup 500", now=NOW)
    assert [a.text for a in runs.actions(run.id)] == ["topup 500"]
    card = score(run_scripted(load_drill("credit-exhaustion"), [], seed=1).record())
    runs.finish(run.id, card, NOW)
    [kept] = runs.history("C1")
    assert kept.status == FINISHED and kept.requests_failed == 60 and kept.time_to_recover_s is None
    assert json.loads(kept.scorecard or "")["requests_failed"] == 60
    assert runs.history("C2") == [] and runs.unfinished() == []
    table = history_response([kept]).tables[0]
    assert table.rows[0][1] == "credit-exhaustion" and table.rows[0][5] == "$0.69"


def test_a_run_left_by_a_stopped_bot_is_unfinished_until_marked(store: Engine) -> None:
    runs = DrillRuns(store)
    run = runs.claim("trigger:2", "tier-cap", 0, by="U1", channel="C1", now=NOW)
    assert run is not None and run.id is not None
    assert [r.id for r in runs.unfinished()] == [run.id]
    runs.ended(run.id, INTERRUPTED, NOW)
    assert runs.unfinished() == [] and runs.get(run.id).status == INTERRUPTED
