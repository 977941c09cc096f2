"""`billbot drill list` and `billbot drill NAME [--seed N] [--actions FILE] [--json]`: a drill at a terminal.

The same drills, engine, watch rules and scorecard as `/claude-drill`. The organisation's budgets
come from the store when `DATABASE_URL` is set (only organisation and model budgets carry over to the
drill's copy of the world), otherwise the drill runs with none, as the demo. `--json` prints the
scorecard, byte-identical for the same drill, seed and script; the text form prints the headline,
the timeline and the scorecard. Progress goes to stderr on a terminal.
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Sequence
from pathlib import Path

from billbot.app.grammar.answers import CommandError
from billbot.drills.catalogue import DrillSpec, DrillSpecError, builtin_drills, load_drill
from billbot.drills.grammar import ACTIONS_USAGE, DrillInputError
from billbot.drills.play import run_scripted
from billbot.drills.record import DrillRecord
from billbot.drills.scorecard import Scorecard, score
from billbot.drills.script import TimedAction, parse_script
from billbot.drills.text import headline, scorecard_text, timeline
from billbot.settings import Settings
from billbot.terminal.outcome import EXIT_OK, Outcome, emit, failed
from billbot.watch.budgets import Budget

Print = Callable[[str], None]
DRILL_USAGE = "billbot drill list | billbot drill NAME [--seed N] [--actions FILE] [--json]"


def drill_list() -> str:
    """One line per built-in drill: name, title and what happens."""
    lines = []
    for name in builtin_drills():
        spec = load_drill(name)
        lines.append(f"{name:<18} {spec.title}: {spec.summary}")
    return "\n".join(lines)


def drill(
    name: str,
    settings: Settings,
    *,
    seed: int,
    actions: Path | None,
    as_json: bool,
    out: Print,
    err: Print,
) -> int:
    """Run one drill (or list them) and print it; the exit code (2: a drill or script it cannot take)."""
    try:
        if name == "list":
            return emit(Outcome(EXIT_OK, drill_list()), out=out, err=err)
        spec = _spec(name)
        script = _script(actions)
        session = run_scripted(
            spec, script, seed=seed, budgets=organisation_budgets(settings), progress=_progress(err)
        )
        record = session.record()
        card = score(record)
        text = card.to_json() if as_json else _text(spec, record, card)
        outcome = Outcome(EXIT_OK, text)
    except Exception as exc:
        outcome = failed(exc)
    return emit(outcome, out=out, err=err)


def organisation_budgets(settings: Settings) -> Sequence[Budget]:
    """The store's organisation and model budgets (none without a configured store)."""
    if settings.database_url is None:
        return ()
    from billbot.store.engine import make_engine
    from billbot.watch.budget_store import Budgets

    engine = make_engine(settings.database_url.get_secret_value())
    try:
        return [b for b in Budgets(engine).list() if b.scope.kind in ("organization", "model")]
    finally:
        engine.dispose()


def _spec(name: str) -> DrillSpec:
    try:
        return load_drill(name)
    except (DrillInputError, DrillSpecError) as exc:
        raise CommandError(str(exc), DRILL_USAGE) from None


def _script(path: Path | None) -> list[TimedAction]:
    if path is None:
        return []
    try:
        return parse_script(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise CommandError(f"cannot read the actions file {path}: {exc.strerror}", DRILL_USAGE) from None
    except DrillInputError as exc:
        raise CommandError(str(exc), ACTIONS_USAGE) from None


def _text(spec: DrillSpec, record: DrillRecord, card: Scorecard) -> str:
    return "\n".join([headline(spec), "", *timeline(record), "", scorecard_text(card)])


def _progress(err: Print) -> Callable[[int, int], None] | None:
    if not sys.stderr.isatty():
        return None
    shown = {-1}

    def report(done_s: int, total_s: int) -> None:
        quarter = 4 * done_s // max(total_s, 1)
        if quarter not in shown:
            shown.add(quarter)
            err(f"drilling… {done_s // 3600} of {total_s // 3600} simulated hours")

    return report


def main_drill(name: str, seed: int, actions: Path | None, as_json: bool) -> int:
    """Entry used by the CLI: real settings, stdout and stderr."""
    return drill(
        name, Settings(), seed=seed, actions=actions, as_json=as_json,
        out=print, err=lambda line: print(line, file=sys.stderr),
    )  # fmt: skip
