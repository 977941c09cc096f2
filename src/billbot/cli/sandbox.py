"""`billbot sandbox …`: run the billing simulator from the terminal."""

from __future__ import annotations

import contextlib
import json
import sys
from datetime import UTC, date, datetime
from enum import StrEnum
from typing import Annotated

import typer

from sandbox.api.serve import base_url, bind
from sandbox.api.serve import serve as serve_forever
from sandbox.api.state import SandboxState, ServeOptions
from sandbox.fast.summary import NotModelled, run_scenario_fast
from sandbox.gc_tuning import tune_for_large_heap
from sandbox.price_sheet import price_sheet, sheet_text
from sandbox.pricing import PriceList
from sandbox.scenario import ScenarioError, builtin_names, load_scenario
from sandbox.simulate import run_scenario

sandbox_app = typer.Typer(
    help="The simulator of Anthropic billing: scenarios, what-ifs, a wire-compatible API.",
    no_args_is_help=True,
)

EXIT_USAGE = 2


class Engine(StrEnum):
    """Which engine `sandbox run` uses."""

    exact = "exact"
    fast = "fast"


@sandbox_app.command("run")
def run(
    scenario: Annotated[str, typer.Argument(help="A built-in scenario name or the path of a scenario file.")],
    days: Annotated[
        int | None, typer.Option(min=1, max=730, help="Days to simulate (default: the scenario's own).")
    ] = None,
    seed: Annotated[int, typer.Option(help="Seed for traffic, payments and faults.")] = 0,
    as_json: Annotated[bool, typer.Option("--json", help="Print the summary as JSON.")] = False,
    engine: Annotated[
        Engine, typer.Option(help="exact: request by request; fast: the vectorised engine (docs/WHATIF.md).")
    ] = Engine.exact,
) -> None:
    """Run SCENARIO through the exact per-request engine (or the fast one) and print a summary."""
    tune_for_large_heap()  # this process only simulates: GC tuning is the sandbox's own to choose
    try:
        loaded = load_scenario(scenario)
        if engine is Engine.fast:
            fast = run_scenario_fast(loaded, seed=seed, days=days)
            typer.echo(fast.to_json() if as_json else fast.to_text())
            return
        total = days if days is not None else loaded.days
        # The bar draws on stderr and only on a terminal, so piped --json stays clean.
        with typer.progressbar(length=total, label=f"simulating {loaded.name}", file=sys.stderr) as bar:
            done = 0

            def advance(days_done: int) -> None:
                nonlocal done
                bar.update(days_done - done)
                done = days_done

            summary = run_scenario(loaded, seed=seed, days=days, on_day=advance, tune_gc=True)
    except (ScenarioError, NotModelled) as exc:
        typer.echo(f"error: {exc}", err=True)
        raise typer.Exit(EXIT_USAGE) from exc
    typer.echo(summary.to_json() if as_json else summary.to_text())


@sandbox_app.command("serve")
def serve(
    host: Annotated[str, typer.Option(help="Interface to listen on (loopback by default).")] = "127.0.0.1",
    port: Annotated[int, typer.Option(min=0, max=65535, help="Port; 0 picks a free one.")] = 8765,
    scenario: Annotated[str, typer.Option(help="Built-in scenario name or scenario file.")] = "demo",
    seed: Annotated[int, typer.Option(help="Seed for the scenario's history.")] = 0,
    admin_key: Annotated[
        list[str] | None, typer.Option(help="Also accept this Admin API key (repeatable).")
    ] = None,
    api_key: Annotated[list[str] | None, typer.Option(help="Also accept this API key (repeatable).")] = None,
    speed: Annotated[
        float, typer.Option(min=0, help="Simulated seconds per real second; 0 freezes the clock.")
    ] = 1.0,
) -> None:
    """Serve the wire-compatible sandbox API (Admin, Messages and /sandbox/v1 control) until interrupted."""
    tune_for_large_heap()  # this process only serves the sandbox: GC tuning is its own to choose
    options = ServeOptions(scenario, seed, speed, tuple(admin_key or ()), tuple(api_key or ()), tune_gc=True)
    try:
        sock = bind(host, port)
    except OSError as exc:
        typer.echo(f"error: cannot listen on {host}:{port}: {exc.strerror}", err=True)
        raise typer.Exit(EXIT_USAGE) from exc
    typer.echo(f"building scenario {scenario} (seed {seed})…", err=True)
    try:
        state = SandboxState(options)
    except ScenarioError as exc:
        typer.echo(f"error: {exc}", err=True)
        raise typer.Exit(EXIT_USAGE) from exc
    # uvicorn shuts down gracefully, then re-raises Ctrl-C: a deliberate stop is a success.
    with contextlib.suppress(KeyboardInterrupt):
        serve_forever(state, sock, on_ready=lambda: _announce(state, base_url(sock)))
    typer.echo("sandbox stopped", err=True)


def _announce(state: SandboxState, url: str) -> None:
    # These keys are the simulator's own (or ones the operator chose): printing them is the point.
    lines = [f"sandbox listening on {url}  (scenario {state.scenario_name}, simulated)"]
    lines += [f"admin key  {key}" for key in state.admin_keys()]
    lines += [f"api key    {key.secret}  ({key.name})" for key in state.api_keys()]
    lines.append("Ctrl-C stops the sandbox.")
    typer.echo("\n".join(lines))
    sys.stdout.flush()


@sandbox_app.command("scenarios")
def scenarios() -> None:
    """List the built-in scenarios."""
    for name in builtin_names():
        typer.echo(f"{name:<20}{load_scenario(name).description}")


@sandbox_app.command("prices")
def prices(
    at: Annotated[
        str | None,
        typer.Option("--at", help="The day (YYYY-MM-DD, UTC) whose prices to show; default today."),
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print the price sheet as JSON.")] = False,
) -> None:
    """The price list in force on a day: rates, batch and fast mode, long context, retirements, sources."""
    try:
        on = date.fromisoformat(at) if at is not None else datetime.now(UTC).date()
    except ValueError as exc:
        typer.echo(f"error: --at {at!r} is not a date (YYYY-MM-DD)", err=True)
        raise typer.Exit(EXIT_USAGE) from exc
    sheet = price_sheet(PriceList.default(), on)
    typer.echo(json.dumps(sheet, indent=2) if as_json else sheet_text(sheet))
