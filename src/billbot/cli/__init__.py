"""The `billbot` command line (Typer only): each command reads the settings and hands them to the runtime.

Nothing is built here: `billbot.runtime` wires the parts; the terminal and Slack interfaces render.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from billbot.cli.sandbox import sandbox_app
from billbot.cli.slack import serve, socket

app = typer.Typer(
    name="billbot",
    help="billbot: your team's billing co-pilot for the Claude API, with a simulator of Anthropic billing.",
    no_args_is_help=True,
    add_completion=False,
)
app.add_typer(sandbox_app, name="sandbox")
app.command("serve")(serve)
app.command("socket")(socket)


@app.command("ask")
def ask(
    command: Annotated[str, typer.Argument(help='A slash command, e.g. "/claude-spend mtd by model".')],
) -> None:
    """Answer one slash command in the terminal, exactly as Slack would (the local operator is an admin)."""
    from billbot.terminal.ask import main_ask

    raise typer.Exit(main_ask(command))


@app.command("console")
def console() -> None:
    """An interactive prompt for the same slash commands (help, sync, exit; the operator is an admin)."""
    from billbot.terminal.console import main_console

    raise typer.Exit(main_console())


@app.command("sync")
def sync() -> None:
    """Bring the report cache up to date (cost 1d, usage 1h), so answers page only what is newer."""
    from billbot.terminal.sync import main_sync

    raise typer.Exit(main_sync())


LEVERS_HELP = 'Levers, e.g. "traffic x2 move 50% claude-opus-5 to claude-sonnet-5 horizon 30d".'


@app.command("whatif")
def whatif(
    levers: Annotated[
        str, typer.Argument(help='Levers, e.g. "traffic x2 move 50% claude-opus-5 to claude-sonnet-5".')
    ],
    runs: Annotated[
        int | None, typer.Option(min=1, max=10_000, help="Monte Carlo runs (default 1000).")
    ] = None,
    seed: Annotated[
        int | None, typer.Option(min=0, help="Seed: the same seed on the same data, the same numbers.")
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print both sides as JSON.")] = False,
) -> None:
    """A what-if without Slack: both sides' P10/P50/P90 spend, runway, reloads, limits and risks."""
    from billbot.terminal.whatif import main_whatif

    raise typer.Exit(main_whatif(levers, runs, seed, as_json))


@app.command("drill")
def drill(
    name: Annotated[str, typer.Argument(help='A drill ("list" lists them), or the path of a drill file.')],
    seed: Annotated[int, typer.Option(min=0, help="Seed: the same seed and script, the same scorecard.")] = 0,
    actions: Annotated[
        Path | None,
        typer.Option(help='JSON script, e.g. [{"after": "5m", "do": "topup 500"}] (times after the start).'),
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print the scorecard as JSON.")] = False,
) -> None:
    """A billing drill without Slack: an incident on the sandbox, your scripted actions, the scorecard."""
    from billbot.terminal.drill import main_drill

    raise typer.Exit(main_drill(name, seed, actions, as_json))


def _seeds(text: str | None) -> list[int] | None:
    # "1,2,3" → [1, 2, 3]; "none" → [] (no runs of that family); unset → the backtest's default.
    if text is None:
        return None
    if text.strip().lower() == "none":
        return []
    try:
        return [int(part) for part in text.split(",") if part.strip()]
    except ValueError:
        raise typer.BadParameter(f"seeds are numbers like 1,2,3 (or none), not {text!r}") from None


@app.command("watch")
def watch(
    once: Annotated[bool, typer.Option("--once", help="One run, then exit (for cron).")] = False,
    as_json: Annotated[bool, typer.Option("--json", help="Print the findings as JSON.")] = False,
    backtest: Annotated[
        bool, typer.Option("--backtest", help="Replay labelled sandbox incidents; print each rule's scores.")
    ] = False,
    full: Annotated[
        bool, typer.Option("--full", help="Backtest: ten clean seeds and three per incident size.")
    ] = False,
    workers: Annotated[int, typer.Option(min=1, max=64, help="Backtest: processes replaying at once.")] = 1,
    seeds: Annotated[
        str | None, typer.Option(help="Backtest: clean demo seeds, e.g. 1,2,3 (none: no clean runs).")
    ] = None,
    incident_seeds: Annotated[
        str | None, typer.Option(help="Backtest: seeds of the staged-incident runs, e.g. 1 (none: none).")
    ] = None,
) -> None:
    """The watch (budgets, limits, anomalies, reloads, reconciliation): every BILLBOT_WATCH_EVERY until
    SIGTERM or Ctrl-C (a clock process), or --once (cron); --backtest measures its rules on the sandbox.
    """
    from billbot.runtime.slack import alert_poster
    from billbot.terminal.watch import main_watch

    if backtest and once:
        typer.echo("error: --once runs the watch, --backtest replays the sandbox: pick one", err=True)
        raise typer.Exit(2)
    raise typer.Exit(
        main_watch(
            once=once, as_json=as_json, backtest_run=backtest, full=full, workers=workers,
            seeds=_seeds(seeds), incident_seeds=_seeds(incident_seeds), poster=alert_poster,
        )
    )  # fmt: skip


@app.callback()
def _root() -> None:
    """billbot: spend, usage, balance and limits of the Claude API, and a billing simulator."""


def main() -> None:
    """Entry point of the `billbot` console script."""
    app()
