"""What-if simulations: levers, the fitted baseline, the fast engine's Monte Carlo, results and charts.

The public API (see docs/WHATIF.md):
- `parse_levers(text) -> Levers` (raises `LeverError` with the usage line and an example);
- `fit_baseline(data, now, *, balance_record=None) -> Baseline`;
- `run_whatif(baseline, levers, runs, seed, now) -> WhatIfResult` (`.to_json()`);
- `spend_chart(result) -> SpendChart`, rendered by `slack_block`, `fallback_text`, `terminal_chart`;
- `render_text(result) -> str` for the terminal;
- `month_end_forecast(data, now) -> MonthEndForecast`.
"""
