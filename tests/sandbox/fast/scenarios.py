"""Scenario files the built-ins do not cover, written here so the fast engine has never seen them."""

from __future__ import annotations

RELOADS_AND_EXPIRY = """
name = "reloads-and-expiry"
description = "reloads that sometimes decline, a lot expiring mid-run, an org limit, faults, a tight class"
start = 2026-10-27T00:00:00Z
days = 9
spend_limit = "95"

[org]
name = "reloads"
tier = "Build"
otpm_mode = "reserve"
rate_limit_burst_seconds = 30
workspaces = [{ name = "Agents", keys = 3, weight = 2.0 }, { name = "Lab", keys = 2, spend_limit = "9" }]

[credits]
lots = [{ amount = "12", day = -363 }, { amount = "6", day = -2, kind = "promotional" }]
topups = [{ amount = "40", day = 6.5 }]

[auto_reload]
minimum = "5"
target = "15"
payment = "probability"
decline_probability = 0.3
after_decline = { delay_hours = 5, amount = "10" }

[rate_limits]
haiku-4-5 = { rpm = 3, otpm = 4000 }

[traffic]
requests_per_day = 3000
growth_per_day = 0.05
weekend_factor = 0.5
stream_share = 0.4
batch_share = 0.1
web_search_share = 0.05
models = [
  { model = "claude-sonnet-5", share = 0.6, input_median = 2500, output_median = 300 },
  { model = "claude-haiku-4-5", share = 0.4, input_median = 900, output_median = 120 },
]
cache = { hit_rate = 0.4, cached_fraction = 0.7, write_rate = 0.3, write_1h_share = 0.5 }
spikes = [{ day = 3, start_hour = 9, hours = 3, factor = 4.0 }]

[faults]
overload_probability = 0.01
interrupt_probability = 0.05
overload_windows = [{ day = 2.25, hours = 1.5 }]
outages = [{ day = 4.5, hours = 2 }]
duplicate_charge_days = [7]
"""

HISTORIC_DEPOSITS = """
name = "historic-deposits"
description = "historic Tier 2: deposits capped at $500 a month, a reseller's expiry, late failures"
start = 2026-01-20T00:00:00Z
days = 20

[org]
name = "historic"
tier_profile = "historic"
tier = "Tier 2"
workspaces = [{ name = "Main", keys = 4 }]

[credits]
expiry = "days_after_last_topup"
expiry_days = 30
lots = [{ amount = "150", day = -25 }]
topups = [{ amount = "300", day = 3 }, { amount = "400", day = 8 }]

[auto_reload]
minimum = "40"
fixed_amount = "120"
payment = "scripted"
script = ["succeed", "late_failure", "decline", "succeed"]
late_failure_hours = 30

[traffic]
requests_per_day = 3200
models = [
  { model = "claude-sonnet-4-5", share = 0.7, input_median = 3000, output_median = 400 },
  { model = "claude-haiku-4-5", share = 0.3, input_median = 1200, output_median = 150 },
]
"""

WRITTEN_HERE = {"reloads-and-expiry": RELOADS_AND_EXPIRY, "historic-deposits": HISTORIC_DEPOSITS}
