"""`billbot watch [--once] [--json]` and `billbot watch --backtest`: the watch without the Slack app.

A pass brings the report cache up to date (`Runtime.sync`; not the embedded sandbox's), runs the watch
once (`WatchService.run_once`: alerts and the posts they owe go to the store) and prints what it found
and what it queued; with Slack settings (SLACK_BOT_TOKEN) it then posts the outbox to Slack, as `serve`
does, and says how many posts it made. `--once` is one pass (cron); without it the command is a `clock`
process: a pass every BILLBOT_WATCH_EVERY (skipped while another process ran one within the interval)
until SIGTERM or Ctrl-C, which let the pass in progress finish. A failing source ends `--once` with exit
1; the loop says so and tries again at the next interval. `--backtest` replays the labelled sandbox
incidents and prints the per-rule table (docs/WATCH.md); it needs no settings.
"""

from __future__ import annotations

import json
import signal
import sys
import threading
import time
from collections.abc import Callable, Sequence
from datetime import timedelta
from types import FrameType

from pydantic import ValidationError

from billbot.app.errors import ConfigError, explain
from billbot.app.replies.watch import run_line, run_text
from billbot.runtime import Runtime, open_runtime
from billbot.settings import Settings
from billbot.terminal.outcome import EXIT_OK, EXIT_USAGE, Outcome, emit, failed
from billbot.watch.backtest import run_backtest

Print = Callable[[str], None]
# Builds what posts the watch's outbox to Slack over a runtime (None without Slack settings); the CLI
# passes `billbot.runtime.slack.alert_poster`, so this interface imports no other interface.
PosterFor = Callable[[Runtime], Callable[[], int] | None]
NO_INTERVAL = (
    "BILLBOT_WATCH_EVERY is off, so there is no interval to watch at: set it (e.g. 10m), "
    "or run `billbot watch --once` from cron"
)
STOPPED = "watch stopped"


def watch(settings: Settings, *, once: bool, as_json: bool, out: Print, err: Print,
          stop: threading.Event | None = None, poster: PosterFor | None = None) -> int:  # fmt: skip
    """One pass (`once`) or a pass every BILLBOT_WATCH_EVERY until `stop` is set; the exit code."""
    stop = stop or threading.Event()
    try:
        every = settings.watch_every
        if not once and every is None:
            raise ConfigError(NO_INTERVAL)
        with open_runtime(settings, say=err) as runtime:
            post = poster(runtime) if poster is not None else None
            if once:
                return emit(
                    one_pass(runtime, as_json=as_json, err=err, pretty=True, post=post), out=out, err=err
                )
            assert every is not None
            return _loop(runtime, every, as_json=as_json, out=out, err=err, stop=stop, post=post)
    except Exception as exc:
        return emit(failed(exc), out=out, err=err)


def one_pass(
    runtime: Runtime, *, as_json: bool, err: Print, pretty: bool, post: Callable[[], int] | None = None
) -> Outcome:
    """Sync the report cache, run the watch once, post its outbox (`post`, if Slack), and what to print."""
    # The embedded sandbox's cache is a scratch file of this process and its source is in-process:
    # syncing it costs more than reading the source (a never-synced cache reads it), as in `serve`.
    if runtime.source.kind != "embedded_sandbox":
        runtime.sync(err if sys.stderr.isatty() else lambda _: None)
    run = runtime.watch.run_once(runtime.now())
    posted = post() if post is not None else None  # Slack errors wait in the outbox for the next pass
    if as_json:
        shown = {"source": runtime.data.label, **run.to_dict(), "posted_to_slack": posted}
        return Outcome(EXIT_OK, json.dumps(shown, indent=2 if pretty else None, ensure_ascii=False))
    text = run_text(run, runtime.data.label) if pretty else run_line(run)
    if posted is not None:
        text += f"\nposted to Slack: {posted}"
    return Outcome(EXIT_OK, text)


def _loop(runtime: Runtime, every: timedelta, *, as_json: bool, out: Print, err: Print,
          stop: threading.Event, post: Callable[[], int] | None) -> int:  # fmt: skip
    err(f"watching every {_interval(every)}; SIGTERM or Ctrl-C stops after the run in progress")
    while not stop.is_set():
        started = time.monotonic()
        if runtime.watch.due(runtime.now(), every):
            try:
                emit(one_pass(runtime, as_json=as_json, err=err, pretty=False, post=post), out=out, err=err)
            except Exception as exc:
                message = explain(exc)
                if message.kind != "source":  # our bug or our settings: a clock process should stop
                    return emit(failed(exc), out=out, err=err)
                err(f"error: {message.text} (trying again in {_interval(every)})")
        stop.wait(max(0.0, every.total_seconds() - (time.monotonic() - started)))
    err(STOPPED)
    return EXIT_OK


def _interval(every: timedelta) -> str:
    minutes, seconds = divmod(int(every.total_seconds()), 60)
    return f"{minutes} min" if not seconds else f"{minutes} min {seconds} s"


def backtest(*, full: bool, workers: int, seeds: Sequence[int] | None, incident_seeds: Sequence[int] | None,
             as_json: bool, out: Print, err: Print) -> int:  # fmt: skip
    """Replay the labelled incidents and print the per-rule table (progress on stderr on a terminal)."""
    progress = err if sys.stderr.isatty() else None
    try:
        report = run_backtest(
            seeds, full=full, incident_seeds=incident_seeds, workers=workers, progress=progress
        )
        outcome = Outcome(EXIT_OK, report.to_json() if as_json else report.to_text())
    except Exception as exc:
        outcome = failed(exc)
    return emit(outcome, out=out, err=err)


def settings_problem(error: ValidationError) -> str:
    """A settings validation error as one line per variable: `error: BILLBOT_WATCH_EVERY must be …`."""
    lines = []
    for problem in error.errors():
        where = ".".join(str(part) for part in problem["loc"])
        text = problem["msg"].removeprefix("Value error, ")
        lines.append(f"error: {text}" if where in text else f"error: {where}: {text}")
    return "\n".join(lines)


def stop_on_signals(stop: threading.Event, err: Print) -> None:
    """SIGTERM and a first Ctrl-C set `stop` (the run in progress ends first); a second Ctrl-C interrupts."""

    def handle(signum: int, frame: FrameType | None) -> None:
        stop.set()
        signal.signal(signal.SIGINT, signal.default_int_handler)
        err("stopping after the run in progress…")

    signal.signal(signal.SIGTERM, handle)
    signal.signal(signal.SIGINT, handle)


def main_watch(
    *, once: bool, as_json: bool, backtest_run: bool, full: bool, workers: int,
    seeds: Sequence[int] | None, incident_seeds: Sequence[int] | None, poster: PosterFor | None = None,
) -> int:  # fmt: skip
    """Entry used by the CLI: real settings, stdout (flushed per line: a clock's log), stderr, signals."""

    def out(line: str) -> None:
        print(line, flush=True)

    def err(line: str) -> None:
        print(line, file=sys.stderr, flush=True)

    if backtest_run:
        return backtest(full=full, workers=workers, seeds=seeds, incident_seeds=incident_seeds,
                        as_json=as_json, out=out, err=err)  # fmt: skip
    try:
        settings = Settings()
    except ValidationError as exc:
        err(settings_problem(exc))
        return EXIT_USAGE
    stop = threading.Event()
    if not once:
        stop_on_signals(stop, err)
    try:
        return watch(settings, once=once, as_json=as_json, out=out, err=err, stop=stop, poster=poster)
    except KeyboardInterrupt:  # a second Ctrl-C during a run
        err(STOPPED)
        return 130
