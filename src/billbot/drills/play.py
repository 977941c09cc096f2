"""A drill played to its end from a script of timed actions: the terminal, tests, `/claude-drill` off Slack.

Each action is taken at its simulated second; between actions the drill advances an hour at a time,
so a progress display can follow a long drill.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from billbot.drills.catalogue import DrillSpec
from billbot.drills.engine import DrillSession
from billbot.drills.script import TimedAction
from billbot.watch.budgets import Budget
from billbot.watch.engine import WatchConfig

HOUR = 3600


def run_scripted(
    spec: DrillSpec,
    script: Sequence[TimedAction],
    *,
    seed: int = 0,
    budgets: Sequence[Budget] = (),
    config: WatchConfig | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> DrillSession:
    """Run a drill to its end, taking each scripted action at its simulated second."""
    session = DrillSession(spec, seed=seed, budgets=budgets, config=config)
    queue = sorted(script, key=lambda timed: timed.after_s)
    index = 0
    while not session.finished:
        while index < len(queue) and queue[index].after_s <= session.now_s and not session.finished:
            session.take(queue[index].action, queue[index].by)
            index += 1
        if session.finished:
            break
        hour_end = (session.now_s // HOUR + 1) * HOUR
        target = min(hour_end, queue[index].after_s) if index < len(queue) else hour_end
        session.advance(target)
        if progress is not None:
            progress(session.now_s, session.duration_s)
    return session
