"""`/claude-drill [list | NAME [seed N] | history]`: the command's grammar and its answers as Responses.

In Slack a NAME starts an interactive drill in a thread of the channel (`billbot.slack.drill`) and
`history` reads the store; anywhere else (`billbot ask`, the console) a NAME is played with no
actions and answered with its scorecard, and `list` is the same everywhere.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from typing import Literal

from billbot.app.command import Actor
from billbot.app.grammar.amounts import InputError
from billbot.app.replies.model import Fact, Response, Table
from billbot.app.services import Services
from billbot.core.money import usd
from billbot.drills.catalogue import DrillSpecError, builtin_drills, load_drill
from billbot.drills.grammar import DrillInputError
from billbot.drills.play import run_scripted
from billbot.drills.scorecard import Scorecard, score
from billbot.store.tables.drills import DrillRun

DRILL_USAGE = "/claude-drill [list | NAME [seed N] | history]"
SOURCE = "sandbox · billing drill"
MAX_SEED = 2**31 - 1


@dataclass(frozen=True, slots=True)
class DrillQuery:
    """What `/claude-drill` was asked: the list, the history, or one drill to play."""

    kind: Literal["list", "history", "play"]
    name: str = ""
    seed: int = 0


def parse_drill_command(words: list[str], now: datetime) -> DrillQuery:
    """`list` (or nothing), `history`, or a built-in drill's name with an optional `seed N`."""
    if not words or [w.lower() for w in words] == ["list"]:
        return DrillQuery("list")
    if [w.lower() for w in words] == ["history"]:
        return DrillQuery("history")
    name, rest = words[0].lower(), [w.lower() for w in words[1:]]
    if name not in builtin_drills():
        raise InputError(f"no drill named {words[0]!r}; one of {', '.join(builtin_drills())}")
    if not rest:
        return DrillQuery("play", name)
    if len(rest) == 2 and rest[0] == "seed" and rest[1].isdigit() and int(rest[1]) <= MAX_SEED:
        return DrillQuery("play", name, int(rest[1]))
    raise InputError(f"after the drill's name only `seed N` is understood, not {' '.join(words[1:])!r}")


def drill_command(services: Services, query: DrillQuery, actor: Actor, now: datetime) -> Response:
    """The list, or a drill played with no actions (history needs the Slack app's store)."""
    if query.kind == "list":
        return drill_list_response()
    if query.kind == "history":
        raise InputError("the drill history is kept by billbot's Slack app: run /claude-drill history there")
    try:
        session = run_scripted(load_drill(query.name), [], seed=query.seed)
    except (DrillInputError, DrillSpecError) as exc:
        raise InputError(str(exc)) from None
    return scorecard_response(score(session.record()))


def drill_list_response() -> Response:
    """Every built-in drill with what happens in it."""
    rows = []
    for name in builtin_drills():
        spec = load_drill(name)
        rows.append((name, spec.title, spec.summary))
    return Response(
        "Billing drills",
        SOURCE,
        tables=(Table(("Drill", "Title", "What happens"), tuple(rows)),),
        notes=("Start one with /claude-drill NAME; act with the buttons or a reply in its thread.",),
    )


def scorecard_response(card: Scorecard) -> Response:
    """The scorecard as a Response (facts, the runbook, what to change)."""
    r = card.record
    facts = (
        Fact("Requests failed", f"{r.requests_failed:,}"),
        Fact("Dollars lost", usd(card.dollars_lost_usd)),
        Fact("Time to detect", _seconds(card.time_to_detect_s)),
        Fact("First reaction", _seconds(card.time_to_first_reaction_s)),
        Fact("First right action", _seconds(card.time_to_first_action_s)),
        Fact("Time to recover", _seconds(card.time_to_recover_s)),
        Fact("Runbook taken", " → ".join(card.runbook.taken) or "nothing"),
        Fact("Runbook expected", " → ".join(card.runbook.expected)),
    )
    return Response(
        f"Drill scorecard: {r.drill} (seed {r.seed}, ended by {r.ended_by})",
        SOURCE,
        facts=facts,
        notes=tuple(f"What to change: {lesson}" for lesson in card.advice),
    )


def history_response(runs: Sequence[DrillRun]) -> Response:
    """Past drills with their scores, newest first."""
    rows = tuple(
        (
            f"{run.created_at:%Y-%m-%d %H:%M}",
            run.drill,
            f"<@{run.started_by}>",
            run.ended_by or run.status,
            "" if run.requests_failed is None else f"{run.requests_failed:,}",
            "" if run.dollars_lost_usd is None else usd_text(run.dollars_lost_usd),
            _seconds(run.time_to_detect_s),
            _seconds(run.time_to_recover_s),
        )
        for run in runs
    )
    if not rows:
        return Response("Drill history", SOURCE, notes=("No drill has been played here yet.",))
    header = ("Started (UTC)", "Drill", "By", "Ended", "Failed", "Lost", "Detect", "Recover")
    return Response("Drill history", SOURCE, tables=(Table(header, rows),))


def usd_text(decimal_text: str) -> str:
    """A stored decimal string as dollars."""
    return usd(Decimal(decimal_text))


def _seconds(value: int | None) -> str:
    if value is None:
        return "never"
    if value >= 3600:
        return f"{value // 3600} h {value % 3600 // 60:02d} min"
    if value >= 60:
        return f"{value // 60} min {value % 60:02d} s"
    return f"{value} s"
