"""`billbot whatif "LEVER…" [--runs N] [--seed N] [--json]`: a what-if without Slack.

The same levers, data source and engine as `/claude-whatif`; `--json` prints
`{"baseline": {...}, "scenario": {...}, "runs": N, "seed": S, …}`, byte-identical for the same
command, seed and data. Progress goes to stderr on a terminal.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from datetime import UTC, datetime

from billbot.app.grammar.amounts import InputError
from billbot.app.grammar.answers import CommandError
from billbot.app.replies.whatif import whatif_response
from billbot.app.whatif import WHATIF_USAGE, parse_whatif, simulate
from billbot.runtime import open_runtime
from billbot.settings import Settings
from billbot.terminal.outcome import EXIT_OK, Outcome, emit, failed
from billbot.terminal.render import render_text

Print = Callable[[str], None]


def whatif(
    levers: str,
    settings: Settings,
    *,
    runs: int | None,
    seed: int | None,
    as_json: bool,
    out: Print,
    err: Print,
) -> int:
    """Run one what-if and print it; the exit code (2: levers it cannot read, 1: the source failed)."""
    words = [*levers.split(), *(["runs", str(runs)] if runs else []), *(["seed", str(seed)] if seed else [])]
    try:
        try:  # the levers are read before any data is: a typo is told at once
            query = parse_whatif(words, datetime.now(UTC))
        except InputError as exc:
            raise CommandError(str(exc), WHATIF_USAGE) from None
        with open_runtime(settings, say=err) as runtime:
            now = runtime.now()
            result = simulate(runtime.services(), query.levers, now, progress=_progress(err))
            outcome = Outcome(EXIT_OK, result.to_json() if as_json else render_text(whatif_response(result)))
    except Exception as exc:
        outcome = failed(exc)
    return emit(outcome, out=out, err=err)


def _progress(err: Print) -> Callable[[int, int], None] | None:
    if not sys.stderr.isatty():
        return None
    shown = {-1}

    def report(done: int, total: int) -> None:
        quarter = 4 * done // max(total, 1)
        if quarter not in shown:
            shown.add(quarter)
            err(f"simulating… {done:,}/{total:,} runs")

    return report


def main_whatif(levers: str, runs: int | None, seed: int | None, as_json: bool) -> int:
    """Entry used by the CLI: real settings, stdout and stderr."""
    return whatif(
        levers, Settings(), runs=runs, seed=seed, as_json=as_json,
        out=print, err=lambda line: print(line, file=sys.stderr),
    )  # fmt: skip
