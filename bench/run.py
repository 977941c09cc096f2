"""Benchmark runner: the sandbox's hot paths, measured on this machine, one process per benchmark.

    python bench/run.py               # every benchmark, a table on stdout
    python bench/run.py handle        # one by name
    python bench/run.py --json        # machine-readable

Each benchmark runs in a fresh child process so peak memory (ru_maxrss) belongs to it alone. Every loop
is bounded; nothing here touches the network. Record the figures in docs/PERFORMANCE.md.
"""

from __future__ import annotations

import argparse
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


@benchmark
def handle() -> dict[str, float]:
    """Requests per second through World.handle: ledger, spend, rate limits, pricing, records."""
    from sandbox.build import build_simulation
    from sandbox.scenario import load_scenario

    simulation = build_simulation(load_scenario("demo"), seed=0)
    world = simulation.world
    world.top_up("bench-credit", Decimal("10000000"))
    calls = [call for day in range(40) for call in simulation.traffic.day(day)][:60_000]
    requests = [simulation._request(call) for call in calls]
    clock = simulation.clock
    started = time.perf_counter()
    for call, request in zip(calls, requests, strict=True):
        clock.advance_to(call.at_ns)
        world.handle(request)
    elapsed = time.perf_counter() - started
    return {"requests": len(requests), "seconds": elapsed, "requests_per_second": len(requests) / elapsed}


@benchmark
def demo_build() -> dict[str, float]:
    """Building the demo world: 90 days of history through the exact engine."""
    from sandbox.build import build_simulation
    from sandbox.scenario import load_scenario

    started = time.perf_counter()
    scenario = load_scenario("demo")
    simulation = build_simulation(scenario, seed=0)
    simulation.run(scenario.days)
    elapsed = time.perf_counter() - started
    served = simulation.world.counts["served"]
    return {"seconds": elapsed, "requests": sum(simulation.world.counts.values()), "served": served}


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
            print(f"{name:<12} {shown}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
