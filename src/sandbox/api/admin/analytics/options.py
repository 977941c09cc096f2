"""How a served sandbox answers the analytics API: whether the organisation has it, and its limits.

The reference leaves these open (addendum §1.5: freshness and rate limit UNCONFIRMED, "make both
configurable"), so they are options, with defaults that keep tests exact: no lag, no rate limit.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

Availability = Literal["on", "absent", "forbidden"]


@dataclass(frozen=True, slots=True)
class AnalyticsOptions:
    """`availability`: "on", "absent" (404, as where the API does not exist) or "forbidden" (403).

    `hipaa`: the organisation has HIPAA readiness (every analytics request is a 400). `lag_seconds`: how
    far behind now the data runs (`data_refreshed_at`). `requests_per_minute`: a limit on analytics
    requests (None: none; the Enterprise Analytics API documents 60). `max_page_rows` and
    `max_groups_per_day`: the limits behind `report_page_too_large` and `too_many_report_groups`.
    """

    availability: Availability = "on"
    hipaa: bool = False
    lag_seconds: int = 0
    requests_per_minute: int | None = None
    max_page_rows: int = 5_000
    max_groups_per_day: int = 10_000

    def __post_init__(self) -> None:
        if self.lag_seconds < 0 or self.max_page_rows < 1 or self.max_groups_per_day < 1:
            raise ValueError(f"analytics options out of range: {self}")
        if self.requests_per_minute is not None and self.requests_per_minute < 1:
            raise ValueError(f"requests_per_minute must be >= 1, got {self.requests_per_minute}")
