"""Benchmark runner: the sandbox's hot paths, measured on this machine, one process per benchmark.

    python bench/run.py               # every benchmark, a table on stdout
    python bench/run.py handle        # one by name
    python bench/run.py --json        # machine-readable

Each benchmark runs in a fresh child process so peak memory (ru_maxrss) belongs to it alone. Every loop
is bounded; nothing here touches the network. Record the figures in docs/PERFORMANCE.md.
"""

from __future__ import annotations

import argparse
import gc
import json
import platform
import resource
import subprocess
import sys
import time
from collections.abc import Callable
from decimal import Decimal

BENCHMARKS: dict[str, Callable[[], dict[str, float]]] = {}


def benchmark(fn: Callable[[], dict[str, float]]) -> Callable[[], dict[str, float]]:
    """Register a benchmark under its function name."""
    BENCHMARKS[fn.__name__] = fn
    return fn


def _peak_mb() -> float:
    # ru_maxrss is KiB on Linux, bytes on macOS.
    scale = 1 if sys.platform == "darwin" else 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * scale / 2**20


REPEATS = 3  # each figure is the best of this many runs: the machine's noise only ever slows a run


@benchmark
def handle() -> dict[str, float]:
    """Requests per second through World.handle: ledger, spend, rate limits, pricing, records."""
    from sandbox.gc_tuning import tune_for_large_heap

    tune_for_large_heap()  # as `billbot sandbox run` and `billbot sandbox serve` do at start-up
    timings: list[float] = []
    for _ in range(REPEATS):
        timings.append(_time_handle())
        gc.collect()  # free the last world before building the next
    best = min(timings)
    return {"requests": HANDLE_REQUESTS, "seconds": best, "requests_per_second": HANDLE_REQUESTS / best}


HANDLE_REQUESTS = 30_000


def _time_handle() -> float:
    from sandbox.build import build_simulation
    from sandbox.scenario import load_scenario

    simulation = build_simulation(load_scenario("demo"), seed=0)
    world = simulation.world
    world.top_up("bench-credit", Decimal("10000000"))
    calls = [call for day in range(40) for call in simulation.traffic.day(day)][:HANDLE_REQUESTS]
    requests = [simulation._request(call) for call in calls]
    clock = simulation.clock
    started = time.perf_counter()
    for call, request in zip(calls, requests, strict=True):
        clock.advance_to(call.at_ns)
        world.handle(request)
    return time.perf_counter() - started


@benchmark
def demo_build() -> dict[str, float]:
    """Building the demo world: 90 days of history through the exact engine."""
    from sandbox.build import build_simulation
    from sandbox.gc_tuning import release_frozen
    from sandbox.scenario import load_scenario

    timings: list[float] = []
    requests = 0
    for _ in range(REPEATS):
        started = time.perf_counter()
        scenario = load_scenario("demo")
        simulation = build_simulation(scenario, seed=0)
        simulation.run(scenario.days, tune_gc=True)  # as `billbot sandbox run` and `serve` do
        timings.append(time.perf_counter() - started)
        requests = sum(simulation.world.counts.values())
        del simulation
        release_frozen()  # a world holds cycles (scheduled actions); peak memory is one world's

    return {"seconds": min(timings), "requests": requests}


def _register_api_benchmarks() -> None:
    import api_benchmarks  # beside this file: the sandbox's wire (reports, /v1/messages over loopback)

    for fn in (
        api_benchmarks.cost_report_31d,
        api_benchmarks.usage_report_1m,
        api_benchmarks.messages_loopback,
    ):
        BENCHMARKS[fn.__name__] = fn


_register_api_benchmarks()


def _register_slack_benchmarks() -> None:
    import slack_benchmarks  # beside this file: the Slack app over loopback (ack latency, answers)

    BENCHMARKS["slack_ack_loopback"] = slack_benchmarks.slack_ack_loopback


_register_slack_benchmarks()


def _register_cache_benchmarks() -> None:
    import cache_benchmarks  # beside this file: answers cold vs warm over loopback, the sync, a cold ask

    BENCHMARKS["cache_answers"] = cache_benchmarks.cache_answers
    BENCHMARKS["cold_ask_embedded"] = cache_benchmarks.cold_ask_embedded


_register_cache_benchmarks()


def _register_fast_benchmarks() -> None:
    import fast_benchmarks  # beside this file: the fast engine (one 30-day run, 1,000 Monte Carlo runs)

    BENCHMARKS["fast_run_30d"] = fast_benchmarks.fast_run_30d
    BENCHMARKS["fast_monte_carlo_1000"] = fast_benchmarks.fast_monte_carlo_1000


_register_fast_benchmarks()


def _register_watch_benchmark() -> None:
    import watch_benchmarks  # beside this file: one watch run over the 90-day demo, and its floor

    BENCHMARKS["watch_run_demo"] = watch_benchmarks.watch_run_demo


_register_watch_benchmark()


def _register_instruction_benchmark() -> None:
    import instructions  # beside this file: World.handle's instructions per request, under valgrind

    BENCHMARKS["handle_instructions"] = instructions.handle_instructions


_register_instruction_benchmark()


def _child(name: str) -> dict[str, float]:
    result = BENCHMARKS[name]()
    result["peak_mb"] = _peak_mb()
    return result


def main() -> int:
    """Run the chosen benchmarks, each in its own process, and print the figures."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("names", nargs="*", help=f"benchmarks to run (default all: {', '.join(BENCHMARKS)})")
    parser.add_argument("--json", action="store_true", help="print JSON instead of a table")
    parser.add_argument("--child", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        print(json.dumps(_child(args.child)))
        return 0
    unknown = [name for name in args.names if name not in BENCHMARKS]
    if unknown:
        parser.error(f"unknown benchmark {unknown[0]!r}; choose from {', '.join(BENCHMARKS)}")
    results: dict[str, dict[str, float]] = {}
    for name in args.names or list(BENCHMARKS):
        out = subprocess.run(
            [sys.executable, __file__, "--child", name],
            capture_output=True,
            text=True,
            check=True,
            timeout=600,
        )
        results[name] = json.loads(out.stdout)
    if args.json:
        print(json.dumps({"python": platform.python_version(), "results": results}, indent=2))
    else:
        print(f"python {platform.python_version()} on {platform.machine()}")
        for name, figures in results.items():
            shown = ", ".join(
                f"{k}={v:,.2f}" if isinstance(v, float) else f"{k}={v:,}" for k, v in figures.items()
            )
            print(f"{name:<18} {shown}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
