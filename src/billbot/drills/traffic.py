"""How the team's applications behave during a drill: what they send, what they get, what they retry.

`TrafficShaper` sits on the simulation's two hooks (`Simulation.transform`, `Simulation.observe`):
- before a call goes out it applies the team's traffic actions: part of a model's traffic moved to
  another model (every n-th call, so no randomness), batch on (models with a Batch API price go as
  batch, which the rate limiter does not see), a paused key's calls are not sent;
- after, it counts what came back per simulated minute (status and exact message), and decides what
  happens to a failed call: with `backoff` on, a 429, 529 or 500 is retried after `retry-after` (or
  an exponential delay, at most a minute) plus jitter, up to eight times; otherwise, as an
  application without backoff, the call is lost. `retry` re-sends the lost calls once (the
  runbook's last step).
"""

from __future__ import annotations

import heapq
import random
from collections import Counter
from dataclasses import dataclass
from decimal import Decimal

from sandbox.build import Simulation
from sandbox.clock import NS_PER_MINUTE, NS_PER_SECOND
from sandbox.messages import Outcome
from sandbox.tokens import trusted_usage
from sandbox.traffic import Call

MAX_RETRIES = 8
MAX_WAIT_S = 60
_RETRIED = frozenset({429, 529, 500})


@dataclass(frozen=True, slots=True)
class Move:
    """`share` percent of `model`'s calls go to `to` instead."""

    model: str
    to: str
    share: int


class TrafficShaper:
    """The drill's view of the applications (see the module docstring)."""

    def __init__(self, simulation: Simulation, begin_ns: int, seed: int) -> None:
        self.simulation = simulation
        self.begin_ns = begin_ns
        self.moves: list[Move] = []
        self.batch = False
        self.backoff = False
        self.paused: set[int] = set()
        self.tally: Counter[tuple[int, int, str]] = Counter()  # (minute, status, message) → responses
        self.reasons: Counter[tuple[int, str]] = Counter()  # (minute, reason) → failed responses
        self.lost: list[tuple[Call, str]] = []
        self.not_sent = 0
        self.served = 0
        self._pending: list[tuple[int, int, Call, int]] = []  # (due, order, call, attempts made)
        self._order = 0
        self._attempts: dict[Call, int] = {}
        self._current = 0
        self._moved: Counter[str] = Counter()
        self._seen: Counter[str] = Counter()
        self._jitter = random.Random(seed)
        prices = simulation.world.prices
        self._batchable = {m.id for m in prices.models.values() if m.batch_available}
        simulation.transform = self._transform
        simulation.observe = self._observe

    def send_due(self, now_ns: int) -> None:
        """Send the retries due by `now_ns`, at `now_ns` (the clock is there)."""
        due = []
        while self._pending and self._pending[0][0] <= now_ns:
            _, _, call, attempts = heapq.heappop(self._pending)
            self._attempts[call._replace(at_ns=now_ns)] = attempts
            due.append(call._replace(at_ns=now_ns))
        self.simulation.send(due)

    def retry_lost(self, now_ns: int) -> tuple[int, int]:
        """Re-send every lost call once, now; (how many, how many were served)."""
        calls = [call._replace(at_ns=now_ns) for call, _ in self.lost]
        self.lost = []
        served_before = self.served
        for call in calls:
            self._attempts[call] = MAX_RETRIES  # a person's retry is not retried again by backoff
        self.simulation.send(calls)
        return len(calls), self.served - served_before

    @property
    def waiting(self) -> int:
        """Calls still waiting for a backoff retry."""
        return len(self._pending)

    def waiting_calls(self) -> list[Call]:
        """The calls still waiting for a backoff retry."""
        return [entry[2] for entry in self._pending]

    def price(self, call: Call) -> Decimal:
        """What the call would have cost at list price (the work a lost call did not do)."""
        _, _, model, uncached, write_5m, write_1h, read, output, _, searches, tier, geo, _ = call
        usage = trusted_usage((uncached, write_5m, write_1h, read, output, searches))
        prices = self.simulation.world.prices
        return prices.amounts(prices.resolve(model).id, usage, tier, geo)[1]

    def _transform(self, call: Call) -> Call | None:
        self._current = self._attempts.pop(call, 0)
        if call.key_index in self.paused:
            self.not_sent += 1
            return None
        model = self._model_id(call.model) if self.moves else call.model
        for move in self.moves:
            if model == move.model:
                seen = self._seen[move.model] = self._seen[move.model] + 1
                # Every call that brings the moved count up to `share`% of those seen goes over.
                if (seen * move.share) // 100 > self._moved[move.model]:
                    self._moved[move.model] += 1
                    call = call._replace(model=move.to)
                break
        if self.batch and call.service_tier != "batch" and self._model_id(call.model) in self._batchable:
            call = call._replace(service_tier="batch")
        return call

    def _observe(self, call: Call, outcome: Outcome) -> None:
        minute = (outcome.at_ns - self.begin_ns) // NS_PER_MINUTE
        message = "" if outcome.error is None else outcome.error.message
        self.tally[(minute, outcome.status, message)] += 1
        if outcome.status == 200:
            self.served += 1
            return
        self.reasons[(minute, outcome.reason)] += 1
        attempts = self._current + 1
        if self.backoff and outcome.status in _RETRIED and attempts <= MAX_RETRIES:
            wait_s = (
                outcome.retry_after_s if outcome.retry_after_s is not None else min(MAX_WAIT_S, 2**attempts)
            )
            jitter_ns = int(self._jitter.uniform(0, wait_s) * NS_PER_SECOND)
            self._order += 1
            due = outcome.at_ns + wait_s * NS_PER_SECOND + jitter_ns
            heapq.heappush(self._pending, (due, self._order, call, attempts))
            return
        self.lost.append((call, outcome.reason))

    def _model_id(self, model: str) -> str:
        return self.simulation.world.prices.resolve(model).id
