"""Where a month's downtime comes from: a sandbox's outage windows, or its request log as a fallback.

`GET /sandbox/v1/state` lists every outage window of the world (`faults.outage_windows`, all time,
not per month: the caller clips). An outage is what the simulator counts as downtime (500 before
authentication); overload (529) is an admitted request refused late, not downtime, so it is not
counted. If a sandbox's state has no windows field, the log's `outage` outcomes stand in, minute by
minute (the SLA's checks are 1-minute intervals) — labelled as an estimate, and bounded by how far
back `/sandbox/v1/requests` reaches (its newest 1000 entries).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, Protocol

from billbot.admin_api.client import AdminClient
from billbot.admin_api.errors import MalformedResponse
from billbot.tickets.domain.uptime import Window
from billbot.tickets.evidence.request_log import parse_time

STATE_PATH = "/sandbox/v1/state"
REQUESTS_PATH = "/sandbox/v1/requests"
LOG_REACH = 1000  # the most entries `/sandbox/v1/requests` returns
MINUTE = timedelta(minutes=1)
FROM_WINDOWS = "outage windows in /sandbox/v1/state"
FROM_LOG = "estimated from request-log outcomes (minutes with an `outage` request; newest 1000 only)"


@dataclass(frozen=True, slots=True)
class Outages:
    """Downtime windows and how they were found."""

    windows: tuple[Window, ...]
    method: str


class OutageSource(Protocol):
    """Says when the API was down."""

    def outages(self) -> Outages:
        """Every known downtime window."""
        ...


class SandboxOutages:
    """`OutageSource` over a sandbox's control API."""

    def __init__(self, client: AdminClient) -> None:
        self.client = client

    def outages(self) -> Outages:
        """The state's outage windows; the request log's outage minutes if the state has none listed."""
        faults = self.client.get(STATE_PATH).get("faults")
        if isinstance(faults, dict) and isinstance(faults.get("outage_windows"), list):
            return Outages(tuple(_window(item) for item in faults["outage_windows"]), FROM_WINDOWS)
        return self._from_log()

    def _from_log(self) -> Outages:
        body = self.client.get(REQUESTS_PATH, {"outcome": "outage", "limit": LOG_REACH})
        minutes = sorted({_minute(parse_time(str(item["at"]))) for item in _items(body)})
        return Outages(tuple((m, m + MINUTE) for m in minutes), FROM_LOG)


def _items(body: dict[str, Any]) -> list[dict[str, Any]]:
    data = body.get("data")
    if not isinstance(data, list):
        raise MalformedResponse(f"GET {REQUESTS_PATH}", message="no data list")
    return [item for item in data if isinstance(item, dict)]


def _window(item: Any) -> Window:
    try:
        return parse_time(str(item["start"])), parse_time(str(item["end"]))
    except (KeyError, TypeError, ValueError):
        raise MalformedResponse(f"GET {STATE_PATH}", message="an unreadable outage window") from None


def _minute(at: datetime) -> datetime:
    return at.replace(second=0, microsecond=0)
