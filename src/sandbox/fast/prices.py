"""The price list, vectorised: the cost of many requests at once, in float64 dollars.

Same rules as `PriceList.amounts` (the exact engine prices with `on=None`, so only long-context rules
without an end date apply): every token at the band's rate when total input exceeds the rule's
threshold, batch and US-only multipliers stacked, web search per request and unmultiplied.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from sandbox.pricing import ModelPrice, PriceList, Rates

_MTOK = 1e-6


def _per_token(rates: Rates) -> np.ndarray:
    return np.array([float(r) for r in rates.as_tuple()], dtype=np.float64) * _MTOK


def _factor(model: ModelPrice, prices: PriceList, batch: np.ndarray, us: np.ndarray) -> np.ndarray:
    factor = np.ones(len(batch), dtype=np.float64)
    if model.batch_multiplier is not None:
        factor = np.where(batch, factor * float(model.batch_multiplier), factor)
    if model.us_inference:
        factor = np.where(us, factor * float(prices.us_multiplier), factor)
    return factor


def request_costs(
    prices: PriceList,
    models: Sequence[str],
    model_index: np.ndarray,
    tokens: np.ndarray,
    searches: np.ndarray,
    batch: np.ndarray,
    us: np.ndarray,
) -> tuple[np.ndarray, np.ndarray]:
    """Cost of each request and its price per output token; `tokens` is [n, 5] in `TOKEN_TYPES` order.

    `batch` must already be False for models without a Batch API price (they are sent as standard).
    """
    n = len(model_index)
    cost = np.zeros(n, dtype=np.float64)
    out_rate = np.zeros(n, dtype=np.float64)
    total_input = tokens[:, :4].sum(axis=1)
    for index, name in enumerate(models):
        mask = model_index == index
        if not mask.any():
            continue
        model = prices.resolve(name)
        rows = tokens[mask]
        rates = np.broadcast_to(_per_token(model.rates), rows.shape).copy()
        # Highest threshold first (as the price list keeps them): the largest band a prompt exceeds wins.
        for rule in reversed([r for r in model.long_context if r.until is None]):
            rates[total_input[mask] > rule.threshold] = _per_token(rule.rates)
        factor = _factor(model, prices, batch[mask], us[mask])
        cost[mask] = (rows * rates).sum(axis=1) * factor
        out_rate[mask] = rates[:, 4] * factor
    cost += searches * float(prices.web_search_per_request)
    return cost, out_rate


def mean_request_cost(
    prices: PriceList,
    model: str,
    tokens: Sequence[float],
    searches: float,
    batch_share: float,
    us_share: float,
) -> float:
    """The expected cost of one request with these mean tokens, mixing batch and US-only shares."""
    entry = prices.resolve(model)
    base = float(np.dot(_per_token(entry.rates), np.asarray(tokens, dtype=np.float64)))
    batch_factor = float(entry.batch_multiplier) if entry.batch_multiplier is not None else 1.0
    us_factor = float(prices.us_multiplier) if entry.us_inference else 1.0
    share = batch_share if entry.batch_multiplier is not None else 0.0
    factor = ((1 - share) + share * batch_factor) * ((1 - us_share) + us_share * us_factor)
    return base * factor + searches * float(prices.web_search_per_request)
