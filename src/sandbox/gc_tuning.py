"""Garbage-collector settings for a process holding a large, long-lived heap of acyclic objects.

A world keeps every journal entry, usage row and request record it has made: hundreds of thousands of
small objects, none of them in a reference cycle. With CPython's default generation-0 threshold (700
allocations) the cyclic collector walks that heap again and again, which cost about a third of the
time of a demo build and of `World.handle` (figures in docs/PERFORMANCE.md). Reference counting still
frees everything promptly; only the search for cycles runs less often.

All of this changes the whole process, so library code never does it unasked: a process that is only a
sandbox (`billbot sandbox run`, `billbot sandbox serve`, the benchmarks) opts in, and a bot that embeds
a sandbox keeps the interpreter's defaults.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import AbstractContextManager, contextmanager, nullcontext

# Allocations between generation-0 collections: large enough that a busy request loop rarely triggers
# one, small enough that a real cycle (a traceback, say) is still found within a second or so.
GEN0_THRESHOLD = 50_000


def tune_for_large_heap() -> None:
    """Raise the generation-0 threshold for a long-running process (a server, a CLI run)."""
    _, gen1, gen2 = gc.get_threshold()
    gc.set_threshold(max(GEN0_THRESHOLD, gc.get_threshold()[0]), gen1, gen2)


@contextmanager
def collector_paused() -> Iterator[None]:
    """Pause cycle collection while building long-lived state; freeze what was built, then resume.

    Freezing moves everything allocated so far out of the collector's generations. Without it, the
    first collection after resuming walks the whole new heap (0.3 s after a demo build). The cost:
    a reference cycle among frozen objects is only reclaimed after `release_frozen()`.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        gc.freeze()
        if was_enabled:
            gc.enable()


def paused_if(tune: bool) -> AbstractContextManager[None]:
    """`collector_paused()` when the process opted in to GC tuning, otherwise a context that does nothing."""
    return collector_paused() if tune else nullcontext()


def release_frozen() -> None:
    """Hand frozen objects back to the collector (after discarding a world, say) and collect them."""
    gc.unfreeze()
    gc.collect()
