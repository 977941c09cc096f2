"""`billbot sandbox …`: run the billing simulator from the terminal."""

from __future__ import annotations

import sys
from typing import Annotated

import typer

from sandbox.scenario import ScenarioError, builtin_names, load_scenario
from sandbox.simulate import run_scenario

sandbox_app = typer.Typer(
    help="The simulator of Anthropic billing: scenarios, what-ifs, a wire-compatible API.",
    no_args_is_help=True,
)

EXIT_USAGE = 2


@sandbox_app.command("run")
def run(
    scenario: Annotated[str, typer.Argument(help="A built-in scenario name or the path of a scenario file.")],
    days: Annotated[
        int | None, typer.Option(min=1, max=730, help="Days to simulate (default: the scenario's own).")
    ] = None,
    seed: Annotated[int, typer.Option(help="Seed for traffic, payments and faults.")] = 0,
    as_json: Annotated[bool, typer.Option("--json", help="Print the summary as JSON.")] = False,
) -> None:
    """Run SCENARIO through the exact per-request engine and print a summary."""
    try:
        loaded = load_scenario(scenario)
        total = days if days is not None else loaded.days
        # The bar draws on stderr and only on a terminal, so piped --json stays clean.
        with typer.progressbar(length=total, label=f"simulating {loaded.name}", file=sys.stderr) as bar:
            done = 0

            def advance(days_done: int) -> None:
                nonlocal done
                bar.update(days_done - done)
                done = days_done

            summary = run_scenario(loaded, seed=seed, days=days, on_day=advance)
    except ScenarioError as exc:
        typer.echo(f"error: {exc}", err=True)
        raise typer.Exit(EXIT_USAGE) from exc
    typer.echo(summary.to_json() if as_json else summary.to_text())


@sandbox_app.command("scenarios")
def scenarios() -> None:
    """List the built-in scenarios."""
    for name in builtin_names():
        typer.echo(f"{name:<20}{load_scenario(name).description}")
