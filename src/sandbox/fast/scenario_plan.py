"""A scenario's traffic as a `TrafficPlan`: its expected rates and mean tokens, for Monte Carlo.

The replay (`cells.replay_cells`) sends the scenario's very requests; this form keeps only their
expectations, so many runs can be drawn cheaply: a lane per model and workspace, the scenario's
hourly curve spread over minutes, log-normal token medians turned into means (output clipped at
`max_tokens`), cache shares split into reads and writes.
"""

from __future__ import annotations

import math

import numpy as np

from sandbox.clock import NS_PER_DAY, to_ns
from sandbox.fast.cells import scenario_keys
from sandbox.fast.plan import Lane, TrafficPlan
from sandbox.scenario import ModelMix, Scenario
from sandbox.traffic import TrafficModel


def lognormal_mean(median: float, sigma: float) -> float:
    """The mean of a log-normal with this median and spread."""
    return median * math.exp(sigma * sigma / 2)


def clipped_lognormal_mean(median: float, sigma: float, ceiling: float) -> float:
    """E[min(X, ceiling)] for a log-normal X with this median and spread."""
    if sigma <= 0:
        return min(median, ceiling)
    mu, log_c = math.log(median), math.log(ceiling)

    def phi(x: float) -> float:
        return 0.5 * (1 + math.erf(x / math.sqrt(2)))

    below = math.exp(mu + sigma * sigma / 2) * phi((log_c - mu - sigma * sigma) / sigma)
    return below + ceiling * (1 - phi((log_c - mu) / sigma))


def plan_from_scenario(
    scenario: Scenario, *, days: int | None = None, daily_sigma: float = 0.0
) -> TrafficPlan:
    """The scenario's traffic over `days` (default its own) as lanes of expected requests per minute."""
    length = days if days is not None else scenario.days
    start = to_ns(scenario.start)
    spec = scenario.traffic
    weights, workspace_of, names = scenario_keys(scenario)
    model = TrafficModel(spec, start_ns=start, key_weights=weights, seed=0, batch_models=frozenset())
    per_minute = np.repeat(np.concatenate([model.hourly_rate(day) for day in range(length)]) / 60.0, 60)
    ranks = np.arange(1, len(weights) + 1, dtype=np.float64)
    key_p = np.asarray(weights) / ranks**spec.key_skew
    key_p /= key_p.sum()
    ws_share = {name: float(key_p[workspace_of == i].sum()) for i, name in enumerate(names)}
    default_share = float(key_p[workspace_of == -1].sum())
    total_share = sum(m.share for m in spec.models)
    lanes = []
    for mix in spec.models:
        for workspace, share in [(None, default_share), *ws_share.items()]:
            if share > 0:
                lanes.append(_lane(scenario, mix, workspace, per_minute * share * mix.share / total_share))
    return TrafficPlan(start, length * NS_PER_DAY // 60_000_000_000, tuple(lanes), daily_sigma)


def _lane(scenario: Scenario, mix: ModelMix, workspace: str | None, per_minute: np.ndarray) -> Lane:
    spec = scenario.traffic
    prompt = lognormal_mean(mix.input_median, spec.input_sigma)
    output = clipped_lognormal_mean(mix.output_median, spec.output_sigma, spec.max_tokens)
    cache = spec.cache
    cached = prompt * cache.cached_fraction
    read = cached * cache.hit_rate
    writes = cached * (1 - cache.hit_rate) * cache.write_rate
    return Lane(
        model=mix.model,
        workspace=workspace,
        uncached_input=prompt - read - writes,
        cache_write_5m=writes * (1 - cache.write_1h_share),
        cache_write_1h=writes * cache.write_1h_share,
        cache_read=read,
        output=output,
        web_search=spec.web_search_share * 2.0,
        batch_share=spec.batch_share,
        us_share=spec.us_geo_share,
        stream_share=spec.stream_share * (1 - spec.batch_share),
        per_minute=per_minute,
    )
