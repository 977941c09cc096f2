"""Traffic as time-ordered cells: one request each (a replayed scenario) or one lane-minute each (a plan).

A cell carries how many requests it holds, what they cost if all are served, the rate-limit class
they count against (-1: the Batch API, which has its own queue), their workspace, and the input and
output tokens the rate limiter counts. The engine's rules work on cells the same way whatever their
size; a one-request cell makes them exact.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from sandbox.clock import NS_PER_MINUTE, to_ns
from sandbox.fast.plan import AccountPlan
from sandbox.fast.prices import request_costs
from sandbox.pricing import PriceList
from sandbox.scenario import Scenario
from sandbox.tokens import TOKEN_TYPES
from sandbox.traffic import CallArrays, TrafficModel


@dataclass(frozen=True, slots=True)
class RequestDetail:
    """What only a one-request cell has: for drawing stream interruptions as the exact engine does."""

    stream: np.ndarray
    output_tokens: np.ndarray
    output_rate: np.ndarray
    max_tokens: int


@dataclass(slots=True)
class Cells:
    """Parallel arrays over cells in time order."""

    start_ns: int
    end_ns: int
    at_ns: np.ndarray
    count: np.ndarray
    cost: np.ndarray
    group: np.ndarray
    workspace: np.ndarray
    counted_input: np.ndarray
    output: np.ndarray
    classes: tuple[str, ...]
    workspaces: tuple[str, ...]
    detail: RequestDetail | None = None

    @property
    def minute(self) -> np.ndarray:
        """Each cell's minute since the start."""
        return (self.at_ns - self.start_ns) // NS_PER_MINUTE


def scenario_keys(scenario: Scenario) -> tuple[list[float], np.ndarray, tuple[str, ...]]:
    """Key weights in the order `build` creates keys, each key's workspace index (-1: Default), names."""
    weights = [1.0] * scenario.org.default_workspace_keys
    workspace_of = [-1] * scenario.org.default_workspace_keys
    for index, spec in enumerate(scenario.org.workspaces):
        weights += [spec.weight] * spec.keys
        workspace_of += [index] * spec.keys
    names = tuple(spec.name for spec in scenario.org.workspaces)
    return weights, np.asarray(workspace_of, dtype=np.int32), names


def replay_cells(
    scenario: Scenario, account: AccountPlan, *, seed: int, days: int, prices: PriceList
) -> Cells:
    """The scenario's requests for `days` as one-request cells: the very draws the exact engine sends."""
    start = to_ns(scenario.start)
    weights, workspace_of, names = scenario_keys(scenario)
    models = [m.model for m in scenario.traffic.models]
    batch_ok = np.array([prices.resolve(m).batch_available for m in models])
    traffic = TrafficModel(
        scenario.traffic,
        start_ns=start,
        key_weights=weights,
        seed=seed,
        batch_models=frozenset(m for m, ok in zip(models, batch_ok, strict=True) if ok),
    )
    days_drawn = [a for day in range(days) if (a := traffic.day_arrays(day)) is not None]
    calls = (
        CallArrays(*(np.concatenate(parts) for parts in zip(*days_drawn, strict=True)))
        if days_drawn
        else None
    )
    end = start + days * 86_400 * 10**9
    if calls is None:
        return _empty(start, end, names)
    tokens = np.stack(
        [
            calls.uncached_input,
            calls.cache_write_5m,
            calls.cache_write_1h,
            calls.cache_read,
            calls.output_tokens,
        ],
        axis=1,
    ).astype(np.float64)
    assert tokens.shape[1] == len(TOKEN_TYPES)
    batch = calls.batch & batch_ok[calls.model_index]
    cost, out_rate = request_costs(
        prices, models, calls.model_index, tokens, calls.web_search_requests, batch, calls.us_geo
    )
    classes = tuple(sorted({prices.resolve(m).rate_limit_class for m in models}))
    class_of_model = np.array(
        [classes.index(prices.resolve(m).rate_limit_class) for m in models], dtype=np.int32
    )
    counts_reads = np.array([account.cache_reads_count(classes[c]) for c in class_of_model])
    counted = tokens[:, 0] + tokens[:, 1] + tokens[:, 2]
    counted = np.where(counts_reads[calls.model_index], counted + tokens[:, 3], counted)
    return Cells(
        start_ns=start,
        end_ns=end,
        at_ns=calls.at_ns.astype(np.int64),
        count=np.ones(len(cost)),
        cost=cost,
        group=np.where(batch, -1, class_of_model[calls.model_index]).astype(np.int32),
        workspace=workspace_of[calls.key_index],
        counted_input=counted,
        output=tokens[:, 4].copy(),
        classes=classes,
        workspaces=names,
        detail=RequestDetail(
            stream=calls.stream & ~calls.batch,
            output_tokens=calls.output_tokens.astype(np.int64),
            output_rate=out_rate,
            max_tokens=scenario.traffic.max_tokens,
        ),
    )


def _empty(start: int, end: int, names: tuple[str, ...]) -> Cells:
    none_f, none_i = np.zeros(0), np.zeros(0, dtype=np.int32)
    return Cells(
        start, end, np.zeros(0, dtype=np.int64), none_f, none_f, none_i, none_i, none_f, none_f, (), names
    )
