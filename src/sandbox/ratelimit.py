"""Anthropic's Messages rate limiter: RPM, ITPM and OTPM token buckets per scope, checked atomically.

A scope is the organisation per model class, `("org", model_class)`, or a workspace override,
`("ws", workspace_id, model_class)`; a request is checked against every scope it names and must pass
all of them. Each scope has up to three buckets (see `sandbox.bucket`), one per configured dimension.

Rules (boundary decisions; later docs quote them):
- Admission is atomic across dimensions and scopes (B-6): every bucket is checked first, and only if
  all pass is anything consumed. A refusal changes no state at all.
- RPM takes 1 unit; ITPM takes the counted input the caller passes (uncached input + cache writes,
  plus cache reads for models marked so).
- OTPM "actual" mode (default, current docs): `max_tokens` is not reserved; admission needs at least
  one whole output token in every OTPM bucket, and `settle` debits the actual output (the level may
  go negative, which then delays later requests). "reserve" mode (older docs, B-5): admission takes
  `max_tokens`, `settle` refunds the unused part (or debits any excess).
- A quantity above a bucket's capacity (counted input > ITPM capacity; in "reserve" mode
  max_tokens > OTPM capacity) is permanent: `permanent=True`, no retry-after (B-4).
- The refusal names one failing bucket: a permanent failure if any, else the one needing the longest
  wait (first in scope order, then requests → input → output, on ties); `retry_after_ns` is that
  longest wait, so a retry at `now + retry_after_ns` passes every bucket with no other traffic.
- `retry_after_seconds` rounds up to whole seconds, so it is never 0 for a real wait.
- `settle` is idempotent per request id: it acts once for an admitted request, and does nothing for
  an id it does not hold (already settled, refused, or never seen). Admitting an id that is still
  unsettled is an error.
- A scope never configured, or a dimension set to None, is unlimited. Reconfiguring a dimension keeps
  the amount already used; a dimension newly limited starts full.
- The 429 message is the current wording (third-party logs from about February 2026): "This request
  would exceed your organization's rate limit of N input tokens per minute (org: ORG, model: MODEL).
  …". The RPM and OTPM variants, the workspace form ("your workspace's rate limit … (org: ORG,
  workspace: WS, model: MODEL)") and the fast-mode form ("N fast mode input tokens") are UNCONFIRMED.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final, NamedTuple

from sandbox.bucket import (
    PERMANENT,
    InvalidLimitError,
    InvalidQuantityError,
    TokenBucket,
    capacity_for,
    take_all,
)
from sandbox.clock import NS_PER_SECOND
from sandbox.ratelimit_headers import rate_limit_headers

__all__ = [
    "DIMENSIONS",
    "INPUT_TOKENS",
    "OUTPUT_TOKENS",
    "REQUESTS",
    "Admission",
    "AdmissionNotRejectedError",
    "DuplicateRequestError",
    "InvalidOtpmModeError",
    "RateLimiter",
    "RateLimits",
    "Scope",
    "rate_limit_headers",
]

Scope = tuple[str, ...]

# Dimensions, indexed as in RateLimits; the names are also the header infixes.
REQUESTS: Final = 0
INPUT_TOKENS: Final = 1
OUTPUT_TOKENS: Final = 2
DIMENSIONS: Final = ("requests", "input-tokens", "output-tokens")
_UNITS: Final = ("requests", "input tokens", "output tokens")
OTPM_MODES: Final = ("actual", "reserve")


class RateLimits(NamedTuple):
    """Per-minute limits of one scope; None means unlimited."""

    rpm: int | None
    itpm: int | None
    otpm: int | None


class InvalidOtpmModeError(ValueError):
    """An OTPM accounting mode other than "actual" or "reserve"."""

    def __init__(self, mode: str) -> None:
        super().__init__(f"otpm_mode must be one of {OTPM_MODES}, got {mode!r}")
        self.mode = mode


class DuplicateRequestError(ValueError):
    """A request id admitted again while its first admission is still unsettled."""

    def __init__(self, request_id: str) -> None:
        super().__init__(f"request {request_id!r} is already admitted and not yet settled")
        self.request_id = request_id


class AdmissionNotRejectedError(ValueError):
    """A rejection message was asked for an admission that was allowed."""

    def __init__(self, admission: Admission) -> None:
        super().__init__(f"admission was allowed, there is no rejection to describe: {admission!r}")
        self.admission = admission


@dataclass(frozen=True, slots=True)
class Admission:
    """The limiter's verdict on one request; on refusal, which bucket failed and for how long."""

    allowed: bool
    permanent: bool = False
    retry_after_ns: int | None = None
    dimension: str | None = None
    scope: Scope | None = None
    limit: int | None = None

    @property
    def retry_after_seconds(self) -> int | None:
        """The `retry-after` header value: whole seconds rounded up, None when retrying cannot help."""
        if self.retry_after_ns is None:
            return None
        return -(-self.retry_after_ns // NS_PER_SECOND)


ADMITTED: Final = Admission(True)
# One bucket to check for a request: (dimension index, bucket, the scope it belongs to).
_Check = tuple[int, TokenBucket, Scope]


class _ScopeBuckets:
    """The buckets of one scope, as (dimension, bucket) pairs for the hot path."""

    __slots__ = ("checks", "limits")

    def __init__(self, limits: RateLimits) -> None:
        self.limits = limits
        self.checks: tuple[tuple[int, TokenBucket], ...] = ()


class RateLimiter:
    """RPM/ITPM/OTPM token buckets per scope, with atomic admission and idempotent settlement."""

    __slots__ = ("_burst", "_pending", "_plans", "_reserve", "_scopes")

    def __init__(self, *, burst_seconds: int = 60, otpm_mode: str = "actual") -> None:
        if otpm_mode not in OTPM_MODES:
            raise InvalidOtpmModeError(otpm_mode)
        capacity_for(1, burst_seconds)  # validates the burst
        self._burst = burst_seconds
        self._reserve = otpm_mode == "reserve"
        self._scopes: dict[Scope, _ScopeBuckets] = {}
        # Admitted, unsettled requests: the OTPM buckets to settle and the quantity reserved in each.
        self._pending: dict[str, tuple[tuple[TokenBucket, ...], int]] = {}
        # Per scope list a request names: its buckets flattened in check order, so admission is one
        # loop without per-scope lookups. Only `configure` changes which buckets a scope has.
        # Each plan also lists its OTPM buckets, which an admitted request settles.
        self._plans: dict[tuple[Scope, ...], tuple[tuple[_Check, ...], tuple[TokenBucket, ...]]] = {}

    @property
    def otpm_mode(self) -> str:
        """ "actual" (output counted as produced) or "reserve" (max_tokens reserved at admission)."""
        return "reserve" if self._reserve else "actual"

    @property
    def burst_seconds(self) -> int:
        """How many seconds of each limit a full bucket holds."""
        return self._burst

    def configure(self, scope: Scope, limits: RateLimits) -> None:
        """Set a scope's limits, keeping what each still-limited dimension has already used."""
        for name, value in zip(RateLimits._fields, limits, strict=True):
            if value is not None and (isinstance(value, bool) or value <= 0):
                raise InvalidLimitError(name, value)
        entry = self._scopes.get(scope)
        old = dict(entry.checks) if entry else {}
        entry = entry or _ScopeBuckets(limits)
        entry.limits = limits
        checks: list[tuple[int, TokenBucket]] = []
        for dim, limit in enumerate(limits):
            if limit is None:
                continue
            capacity = capacity_for(limit, self._burst)
            bucket = old.get(dim)
            if bucket is None:
                bucket = TokenBucket(limit, 0, capacity)
            else:
                bucket.reconfigure(limit, capacity)
            checks.append((dim, bucket))
        entry.checks = tuple(checks)
        self._scopes[scope] = entry
        self._plans.clear()

    def set_burst(self, burst_seconds: int) -> None:
        """Change every bucket's capacity to `burst_seconds` worth of its limit."""
        capacity_for(1, burst_seconds)
        self._burst = burst_seconds
        for entry in self._scopes.values():
            for _, bucket in entry.checks:
                bucket.reconfigure(bucket.limit, capacity_for(bucket.limit, burst_seconds))

    def has_scope(self, scope: Scope) -> bool:
        """Whether `scope` has been configured."""
        return scope in self._scopes

    def limits(self, scope: Scope) -> RateLimits | None:
        """The limits configured for `scope`, or None if it never was."""
        entry = self._scopes.get(scope)
        return entry.limits if entry else None

    def buckets(self, scope: Scope) -> dict[str, TokenBucket]:
        """The buckets of `scope` keyed by dimension name (empty if unconfigured)."""
        entry = self._scopes.get(scope)
        return {DIMENSIONS[dim]: bucket for dim, bucket in entry.checks} if entry else {}

    def pending(self) -> frozenset[str]:
        """Ids of admitted requests not yet settled."""
        return frozenset(self._pending)

    def admit(
        self, request_id: str, scopes: tuple[Scope, ...], counted_input: int, max_tokens: int, now_ns: int
    ) -> Admission:
        """Admit a request against every scope at once, or refuse it and change nothing."""
        if counted_input < 0:
            raise InvalidQuantityError(counted_input)
        if max_tokens < 0:
            raise InvalidQuantityError(max_tokens)
        if request_id in self._pending:
            raise DuplicateRequestError(request_id)
        reserve = self._reserve
        quantities = (1, counted_input, max_tokens if reserve else 1)
        found = self._plans.get(scopes)
        if found is None:
            found = self._plans[scopes] = self._plan(scopes)
        plan, outputs = found
        # First every bucket is checked; only if all pass is anything taken (B-6).
        if take_all(plan, quantities, now_ns, -1 if reserve else OUTPUT_TOKENS):
            if outputs:
                self._pending[request_id] = (outputs, quantities[OUTPUT_TOKENS] if reserve else 0)
            return ADMITTED
        refusal: Admission | None = None
        worst = 0
        for dim, bucket, scope in plan:
            wait = bucket.wait_ns(quantities[dim], now_ns)
            if wait and worst != PERMANENT and (wait == PERMANENT or wait > worst):
                worst = wait
                permanent = wait == PERMANENT
                refusal = Admission(
                    False, permanent, None if permanent else wait, DIMENSIONS[dim], scope, bucket.limit
                )
        assert refusal is not None  # some bucket did not fit, so it has a wait
        return refusal

    def _plan(self, scopes: tuple[Scope, ...]) -> tuple[tuple[_Check, ...], tuple[TokenBucket, ...]]:
        found = self._scopes.get
        checks = tuple(
            (dim, bucket, scope)
            for scope in scopes
            if (entry := found(scope)) is not None
            for dim, bucket in entry.checks
        )
        return checks, tuple(bucket for dim, bucket, _ in checks if dim == OUTPUT_TOKENS)

    def settle(self, request_id: str, output_tokens: int, now_ns: int) -> None:
        """Count a request's actual output against its OTPM buckets, once; later calls do nothing."""
        if output_tokens < 0:
            raise InvalidQuantityError(output_tokens)
        held = self._pending.pop(request_id, None)
        if held is None:
            return
        buckets, reserved = held
        for bucket in buckets:
            if output_tokens < reserved:
                bucket.refund(reserved - output_tokens, now_ns)
            else:
                bucket.debit(output_tokens - reserved, now_ns)

    def rejection_message(self, admission: Admission, org_id: str, model: str = "") -> str:
        """The 429 `rate_limit_error` message Anthropic sends for this refusal (`model`: as requested)."""
        if admission.allowed or admission.scope is None or admission.dimension is None:
            raise AdmissionNotRejectedError(admission)
        scope = admission.scope
        unit = _UNITS[DIMENSIONS.index(admission.dimension)]
        if scope[0] == "fast":
            unit = f"fast mode {unit}"
        if scope[0] == "ws":
            holder, names = "your workspace's", f"org: {org_id}, workspace: {scope[1]}, model: {model}"
        else:
            holder, names = "your organization's", f"org: {org_id}, model: {model}"
        return (
            f"This request would exceed {holder} rate limit of {admission.limit:,} {unit} per minute"
            f" ({names}). For details, refer to: https://docs.claude.com/en/api/rate-limits. You can see the"
            " response headers for current usage. Please reduce the prompt length or the maximum tokens"
            " requested, or try again later. You may also contact sales at https://claude.com/contact-sales"
            " to discuss your options for a rate limit increase."
        )

    def snapshot(self) -> tuple[dict[Scope, tuple[tuple[int, int, int, int], ...]], frozenset[str]]:
        """The whole state, comparable with ==: every bucket's state per scope and the unsettled ids."""
        buckets = {scope: tuple(b.state() for _, b in entry.checks) for scope, entry in self._scopes.items()}
        return buckets, frozenset(self._pending)
