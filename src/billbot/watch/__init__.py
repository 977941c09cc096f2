"""The watch: budgets, rules over billing data, alerts with a lifecycle, the daily digest, the backtest.

Pure (no I/O): `scope`, `findings`, `periods`, `budgets`, `grammar`, `series`, `inputs`, `rules/*`,
`engine` (every rule over one `WatchInputs`), `alerts` (the state machine), `lifecycle` (a run's
findings applied to alerts), `digest`, `responses`. Store-backed: `budget_store` (`Budgets`),
`alert_store` (alerts and the outbox of posts), `records`, `service` (`WatchService.run_once`).
Inputs: `gather` reads them from a `BillingData` source; `feed` builds them from a running sandbox
simulation for `backtest` (`backtest_plan`, `backtest_report`). See docs/WATCH.md.
"""
