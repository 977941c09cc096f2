"""The Usage and Cost Analytics API (beta `analytics-usage-cost-2026-08-24`): `/analytics/usage`, `/cost`."""
