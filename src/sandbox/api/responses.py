"""A transport-neutral response: what a handler returns, before the app turns it into HTTP."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any


@dataclass(slots=True)
class WireResponse:
    """Status, headers and either a JSON body or a stream of Server-Sent Events (already encoded)."""

    status: int
    body: dict[str, Any] | None = None
    headers: dict[str, str] = field(default_factory=dict)
    events: Iterator[bytes] | None = None

    @property
    def is_stream(self) -> bool:
        """Whether the body is an SSE stream (`text/event-stream`)."""
        return self.events is not None
