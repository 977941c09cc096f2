"""A Messages request as the world sees it, and the outcome the world decides for it.

The wire layer turns HTTP into a `MessageRequest` and an `Outcome` back into a response; the simulated
model's answer length (`output_tokens`) is part of the request because the sandbox decides it up front.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from sandbox.tokens import TokenUsage, check_counts, trusted_usage

if TYPE_CHECKING:
    from sandbox.records import UsageDims


@dataclass(slots=True)
class MessageRequest:
    """One call to `POST /v1/messages`, reduced to what billing needs."""

    api_key: str
    model: str
    uncached_input: int
    max_tokens: int
    output_tokens: int
    cache_write_5m: int = 0
    cache_write_1h: int = 0
    cache_read: int = 0
    web_search_requests: int = 0
    service_tier: str = "standard"
    # "global" is also what a request without `inference_geo` gets; "us" only on models that take it.
    inference_geo: str = "global"
    stream: bool = False
    speed: str = "standard"  # "fast": fast mode, where the model offers it on the request's date
    extended_context: bool = False  # the long-context beta header: the model's extended window applies

    def __post_init__(self) -> None:
        counts = (
            self.uncached_input, self.max_tokens, self.output_tokens, self.cache_write_5m,
            self.cache_write_1h, self.cache_read, self.web_search_requests,
        )  # fmt: skip
        check_counts(counts, _COUNT_NAMES)
        if self.output_tokens > self.max_tokens:
            raise ValueError(f"output_tokens {self.output_tokens} exceeds max_tokens {self.max_tokens}")

    def usage(self, output_tokens: int) -> TokenUsage:
        """The usage this request reports once `output_tokens` (at most its own) have been produced."""
        if not 0 <= output_tokens <= self.output_tokens:
            raise ValueError(f"output_tokens must be within [0, {self.output_tokens}], got {output_tokens}")
        # The counts were checked when the request was made: this runs once per served request.
        return trusted_usage(
            (
                self.uncached_input,
                self.cache_write_5m,
                self.cache_write_1h,
                self.cache_read,
                output_tokens,
                self.web_search_requests,
            )
        )


_COUNT_NAMES = (
    "uncached_input", "max_tokens", "output_tokens", "cache_write_5m", "cache_write_1h", "cache_read",
    "web_search_requests",
)  # fmt: skip


@dataclass(frozen=True, slots=True)
class ApiError:
    """An error body's `error` object: type, message and optional details."""

    type: str
    message: str
    details: dict[str, Any] | None = None

    def body(self, request_id: str) -> dict[str, Any]:
        """The full JSON error body, as the real API sends it."""
        error: dict[str, Any] = {"type": self.type, "message": self.message}
        if self.details is not None:
            error["details"] = self.details
        return {"type": "error", "error": error, "request_id": request_id}


@dataclass(slots=True)
class Outcome:
    """What happened to one request: served (with usage and cost) or rejected (with the exact error).

    It is also the request log's entry: enough to find and price the request later as evidence.
    """

    request_id: str
    status: int
    reason: str
    at_ns: int
    usage: TokenUsage | None = None
    cost: Decimal = Decimal(0)
    times_charged: int = 0
    error: ApiError | None = None
    retry_after_s: int | None = None
    interrupted: bool = False
    organization_id: str | None = None
    workspace_id: str | None = None
    model_class: str | None = None
    # The rate-limit scopes the request was checked against, for the `anthropic-ratelimit-*` headers.
    scopes: tuple[tuple[str, ...], ...] = ()
    api_key_id: str | None = None
    model: str = ""
    stream: bool = False
    # A served request's report dimensions (shared between requests of one shape), for reports that
    # need one request at a time (the analytics cost report prices it again, exactly as it was billed).
    dims: UsageDims | None = None

    @property
    def speed(self) -> str:
        """The speed the request was served at ("standard" when it was not served)."""
        return self.dims.speed if self.dims is not None else "standard"

    @property
    def served(self) -> bool:
        """Whether the request got a model response (possibly an interrupted stream)."""
        return self.status == 200
