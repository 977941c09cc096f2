"""The fast engine: the exact engine's billing rules applied in aggregate, vectorised with numpy.

`run_scenario_fast` replays a scenario (the same traffic draws as the exact engine) and returns the
same `Summary`; `monte_carlo` draws a `TrafficPlan` many times over an `AccountPlan` for what-ifs and
forecasts, deterministic for a seed. See docs/WHATIF.md.
"""
