"""Synthetic traffic: who calls which model when, with how many tokens, from a scenario and a seed.

Each simulated day draws from its own generator seeded with `(seed, day)`, so a day's traffic does not
depend on how many days are simulated, and the same seed always gives the same requests. Draws are
vectorised with numpy; only the final per-request tuples are Python objects.

Shape of a day: a diurnal curve (busier in working hours UTC), optional weekend damping, exponential
growth per day, and spikes that multiply the rate for some hours. Token counts are log-normal around each
model's median; cache behaviour splits the prompt into uncached input, cache writes and cache reads.

Surges (an incident fault: one key's traffic multiplied, or everyone's rising slowly) are drawn as
extra calls from generators of their own, `(seed, day, 1 + surge index)`, and merged in time order:
the calls a day would have had without them stay exactly the same.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import NamedTuple

import numpy as np

from sandbox.clock import NS_PER_DAY, NS_PER_HOUR
from sandbox.scenario import TrafficSpec

# Relative request rate per UTC hour: quiet nights, busy working hours across EU and US time zones.
_DIURNAL = np.array(
    [3, 2, 2, 2, 2, 3, 4, 6, 8, 10, 11, 11, 11, 12, 13, 13, 12, 11, 9, 7, 6, 5, 4, 3], dtype=np.float64
)
_FLAT = np.ones(24, dtype=np.float64)


class Call(NamedTuple):
    """One generated request, before it is bound to a key's secret.

    A named tuple: a scenario generates one per simulated request, and a frozen dataclass of 13 fields
    costs several times as much to build.
    """

    at_ns: int
    key_index: int
    model: str
    uncached_input: int
    cache_write_5m: int
    cache_write_1h: int
    cache_read: int
    output_tokens: int
    max_tokens: int
    web_search_requests: int
    service_tier: str
    inference_geo: str
    stream: bool


class CallArrays(NamedTuple):
    """One day's calls as parallel numpy arrays, in time order (`batch` is the raw draw: a model
    without a Batch API price is still sent as standard, as `Call.service_tier` says)."""

    at_ns: np.ndarray
    key_index: np.ndarray
    model_index: np.ndarray
    uncached_input: np.ndarray
    cache_write_5m: np.ndarray
    cache_write_1h: np.ndarray
    cache_read: np.ndarray
    output_tokens: np.ndarray
    web_search_requests: np.ndarray
    batch: np.ndarray
    us_geo: np.ndarray
    stream: np.ndarray


class Surge(NamedTuple):
    """Extra traffic from `start_ns` to `end_ns`: the rate times `factor` (rising from 1 if `ramp`)."""

    start_ns: int
    end_ns: int
    factor: float
    key_index: int | None  # None: every key
    ramp: bool = False


class TrafficModel:
    """Generates the calls of one scenario day by day."""

    def __init__(
        self,
        spec: TrafficSpec,
        *,
        start_ns: int,
        key_weights: Sequence[float],
        seed: int,
        batch_models: frozenset[str],
        us_models: frozenset[str] | None = None,
        surges: Sequence[Surge] = (),
    ) -> None:
        if not key_weights:
            raise ValueError("traffic needs at least one API key to send requests")
        self._spec = spec
        self._start_ns = start_ns
        self._seed = seed
        self._batch_models = batch_models
        # Models that take `inference_geo` (Claude 4.6+): only their requests are sent to US inference.
        self._us_models = us_models
        self._surges = tuple(surges)
        ranks = np.arange(1, len(key_weights) + 1, dtype=np.float64)
        weights = np.asarray(key_weights, dtype=np.float64) / ranks**spec.key_skew
        self._key_p = weights / weights.sum()
        shares = np.array([m.share for m in spec.models], dtype=np.float64)
        self._model_p = shares / shares.sum()

    def hourly_rate(self, day: int) -> np.ndarray:
        """Expected requests in each UTC hour of `day`."""
        spec = self._spec
        curve = _DIURNAL if spec.diurnal else _FLAT
        daily = spec.requests_per_day * (1.0 + spec.growth_per_day) ** day
        weekday = (self._start_ns // NS_PER_DAY + day + 3) % 7  # 1970-01-01 was a Thursday
        if weekday >= 5:
            daily *= spec.weekend_factor
        rate: np.ndarray = curve * (daily / float(curve.sum()))
        for spike in spec.spikes:
            if spike.day == day:
                rate[spike.start_hour : spike.start_hour + spike.hours] *= spike.factor
        return rate

    def day(self, day: int) -> list[Call]:
        """Every call of simulated day `day`, in time order."""
        arrays = self.day_arrays(day)
        calls = [] if arrays is None else self._calls(arrays)
        extra = [call for index in range(len(self._surges)) for call in self._surge_calls(day, index)]
        if extra:
            calls = sorted(calls + extra, key=lambda call: call.at_ns)
        return calls

    def _surge_calls(self, day: int, index: int) -> list[Call]:
        return self.surge_calls(self._surges[index], day, 1 + index)

    def surge_calls(self, surge: Surge, day: int, stream: int) -> list[Call]:
        """The extra calls `surge` adds to `day`, drawn from generator `(seed, day, stream)`.

        A scenario's surge number i uses stream 1 + i; a served sandbox's run-time spikes use their own.
        """
        day_start = self._start_ns + day * NS_PER_DAY
        if surge.end_ns <= day_start or surge.start_ns >= day_start + NS_PER_DAY:
            return []
        rng = np.random.default_rng([self._seed, day, stream])
        share = 1.0 if surge.key_index is None else float(self._key_p[surge.key_index])
        rate = self.hourly_rate(day)
        pieces: list[np.ndarray] = []
        for hour in range(24):
            lo = max(surge.start_ns, day_start + hour * NS_PER_HOUR)
            hi = min(surge.end_ns, day_start + (hour + 1) * NS_PER_HOUR)
            if hi <= lo:
                continue
            extra = self._multiplier(surge, (lo + hi) // 2) - 1.0
            expected = rate[hour] * share * extra * (hi - lo) / NS_PER_HOUR
            count = int(rng.poisson(expected))
            pieces.append(lo + (rng.random(count) * (hi - lo)).astype(np.int64))
        if not pieces:
            return []
        times = np.sort(np.concatenate(pieces))
        if len(times) == 0:
            return []
        return self._calls(self._draw(rng, times, surge.key_index))

    @staticmethod
    def _multiplier(surge: Surge, at_ns: int) -> float:
        if not surge.ramp:
            return surge.factor
        progress = (at_ns - surge.start_ns) / (surge.end_ns - surge.start_ns)
        return 1.0 + (surge.factor - 1.0) * progress

    def days(self, count: int) -> Iterator[list[Call]]:
        """The calls of days 0 .. count-1."""
        for day in range(count):
            yield self.day(day)

    def day_arrays(self, day: int) -> CallArrays | None:
        """The calls of `day` as numpy arrays (the same draws as `day`), or None for a day without calls.

        The fast engine (`sandbox.fast`) replays a scenario's traffic from these without building a
        Python object per request.
        """
        rng = np.random.default_rng([self._seed, day])
        counts = rng.poisson(self.hourly_rate(day))
        n = int(counts.sum())
        if n == 0:
            return None
        hour_of = np.repeat(np.arange(24, dtype=np.int64), counts)
        offsets = (rng.random(n) * NS_PER_HOUR).astype(np.int64)
        times = np.sort(self._start_ns + day * NS_PER_DAY + hour_of * NS_PER_HOUR + offsets)
        return self._draw(rng, times)

    def _draw(self, rng: np.random.Generator, times: np.ndarray, key_index: int | None = None) -> CallArrays:
        spec, n = self._spec, len(times)
        model_idx = rng.choice(len(spec.models), size=n, p=self._model_p)
        keys = rng.choice(len(self._key_p), size=n, p=self._key_p)
        if key_index is not None:
            keys[:] = key_index
        in_median = np.array([m.input_median for m in spec.models], dtype=np.float64)[model_idx]
        out_median = np.array([m.output_median for m in spec.models], dtype=np.float64)[model_idx]
        prompt = np.maximum(1, (in_median * rng.lognormal(0.0, spec.input_sigma, n)).astype(np.int64))
        output = (out_median * rng.lognormal(0.0, spec.output_sigma, n)).astype(np.int64)
        output = np.clip(output, 1, spec.max_tokens)
        cached = (prompt * spec.cache.cached_fraction).astype(np.int64)
        hit = rng.random(n) < spec.cache.hit_rate
        write = ~hit & (rng.random(n) < spec.cache.write_rate)
        write_1h = write & (rng.random(n) < spec.cache.write_1h_share)
        cache_read = np.where(hit, cached, 0)
        cw_1h = np.where(write_1h, cached, 0)
        cw_5m = np.where(write & ~write_1h, cached, 0)
        uncached = prompt - cache_read - cw_1h - cw_5m
        batch = rng.random(n) < spec.batch_share
        stream = rng.random(n) < spec.stream_share
        searches = np.where(rng.random(n) < spec.web_search_share, rng.integers(1, 4, n), 0)
        us_geo = rng.random(n) < spec.us_geo_share
        return CallArrays(
            times, keys, model_idx, uncached, cw_5m, cw_1h, cache_read, output, searches, batch, us_geo,
            stream,
        )  # fmt: skip

    def _calls(self, arrays: CallArrays) -> list[Call]:
        spec = self._spec
        names = [m.model for m in spec.models]
        us_models = self._us_models
        # `tolist()` already gives Python ints and bools; no per-value conversion needed.
        return [
            Call(
                t,
                k,
                names[m],
                u,
                c5,
                c1,
                cr,
                o,
                spec.max_tokens,
                s,
                "batch" if b and names[m] in self._batch_models else "standard",
                "us" if g and (us_models is None or names[m] in us_models) else "global",
                st and not b,
            )
            for t, k, m, u, c5, c1, cr, o, s, b, g, st in zip(*(a.tolist() for a in arrays), strict=True)
        ]
