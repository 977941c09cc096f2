"""The watch: budgets, rules over billing data, alerts with a lifecycle, the daily digest, the backtest.

Pure parts (no I/O): `scope`, `findings`, `budgets`, `grammar`, `periods`, `rules/*`, `engine`,
`alerts`, `digest`. The store-backed parts: `budget_store` (the `Budgets` service), `alert_store`
(alert rows and the outbox of posts) and `service` (`WatchService.run_once`). `gather` reads the inputs
from a `BillingData` source; `backtest` replays sandbox scenarios with labelled incidents.
"""
