"""Instructions per request through `World.handle`, counted by valgrind: a figure that host noise cannot move.

Timings on a shared VM vary by up to 2x from run to run; callgrind counts executed instructions, which
are the same for the same code, inputs and interpreter. Two runs of the same script differ only in how
many requests they send (after the same build), so their difference divided by the extra requests is
the cost of one request alone. Registered by bench/run.py; skipped (reported as 0) without valgrind.

    python bench/instructions.py N      # the measured script itself: build, then handle N requests
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import tempfile
from decimal import Decimal

WARM = 1_000  # requests before the measured ones (dimension caches filled, plans built)
MEASURED = 5_000
_REFS = re.compile(r"refs:\s*([\d,]+)")


def handle_instructions() -> dict[str, float]:
    """Instructions per request through World.handle, on the `demo` world (valgrind's callgrind)."""
    if shutil.which("valgrind") is None:
        return {"instructions_per_request": 0, "skipped_no_valgrind": 1}
    before = _instructions(WARM)
    after = _instructions(WARM + MEASURED)
    return {"requests": MEASURED, "instructions_per_request": (after - before) // MEASURED}


def _instructions(requests: int) -> int:
    with tempfile.TemporaryDirectory() as tmp:
        out = subprocess.run(
            ["valgrind", "--tool=callgrind", f"--callgrind-out-file={tmp}/out", sys.executable, __file__,
             str(requests)],
            capture_output=True, text=True, check=True, timeout=600,
            env={**os.environ, "PYTHONHASHSEED": "0"},
        )  # fmt: skip
    match = _REFS.search(out.stderr)
    if match is None:
        raise RuntimeError(f"callgrind printed no instruction count:\n{out.stderr[-2000:]}")
    return int(match.group(1).replace(",", ""))


def _handle(requests: int) -> None:
    from sandbox.build import build_simulation
    from sandbox.gc_tuning import tune_for_large_heap
    from sandbox.scenario import load_scenario

    tune_for_large_heap()
    simulation = build_simulation(load_scenario("demo"), seed=0)
    world = simulation.world
    world.top_up("bench-credit", Decimal("10000000"))
    calls = [call for day in range(8) for call in simulation.traffic.day(day)][: WARM + MEASURED]
    built = [simulation._request(call) for call in calls]  # every run builds all, and sends `requests`
    clock = simulation.clock
    for call, request in zip(calls[:requests], built[:requests], strict=True):
        clock.advance_to(call.at_ns)
        world.handle(request)


if __name__ == "__main__":
    _handle(int(sys.argv[1]))
