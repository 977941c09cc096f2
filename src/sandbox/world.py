"""One simulated organisation and its billing, deciding every Messages request exactly.

`World.handle` applies the admission order (docs/SANDBOX-ENGINE.md) — outage, authentication, model
(unknown or retired: 404), the request against its model (context window, max output, inference_geo,
fast mode: 400), organisation on hold, credit balance (400), self-set spend limits (400), tier monthly cap
(429, no retry-after), rate limits (429 with retry-after), overload (529) — then serves the request:
prices its usage by the rates in force on its UTC day, charges the ledger after the fact (Anthropic's
model: a request admitted at a positive balance may leave it negative), records spend, usage and cost
lines, settles the rate limiter and lets auto-reload react.

Rules:
- Rejected requests are never charged and consume no rate limit (B-3); they are logged with their
  reason, so the request log is complete.
- A request that passes the rate limiter and then meets an overload keeps its rate-limit consumption
  (it reached the servers), and is not charged.
- All state changes happen under one lock, so concurrent callers see one request at a time.
- Incident faults (`sandbox.faults`) act here: a silent model switch replaces the model after it is
  resolved, a cache-miss storm turns the request's cache reads into cache writes before rate limits
  (writes count towards ITPM), and a runaway reload loop buys after a served request.
"""

from __future__ import annotations

import threading
from collections import Counter
from dataclasses import replace
from decimal import Decimal

from sandbox.clock import NS_PER_DAY, Clock
from sandbox.deposits import DepositCap, DepositLimitExceeded
from sandbox.faults import Faults
from sandbox.ledger import Ledger
from sandbox.messages import ApiError, MessageRequest, Outcome
from sandbox.org import ApiKey, Organization
from sandbox.pricing import DatedPrice, PriceList, UnknownModelError
from sandbox.ratelimit import RateLimiter, RateLimits, rate_limit_headers
from sandbox.records import ChargeDims, Records, UsageDims
from sandbox.reload import AutoReload
from sandbox.request_checks import request_error
from sandbox.spend import SpendLimits
from sandbox.tiers import TierProfile

CREDIT_TOO_LOW = (
    "Your credit balance is too low to access the Anthropic API. "
    "Please go to Plans & Billing to upgrade or purchase credits."
)
OVERLOADED = ApiError("overloaded_error", "Overloaded")
OUTAGE = ApiError("api_error", "Internal server error")
BAD_KEY = ApiError("authentication_error", "invalid x-api-key")
# "This organization has been disabled." is the message third-party logs show (2026-01 to 07, no
# details); SDK 2.17 gives trust-and-safety holds `error_code: organization_on_hold` (with an optional
# `appeal_url`, not sent here) and says an organisation disabled for another reason gets no code.
DISABLED_MESSAGE = "This organization has been disabled."
ON_HOLD = ApiError("invalid_request_error", DISABLED_MESSAGE, {"error_code": "organization_on_hold"})
DISABLED = ApiError("invalid_request_error", DISABLED_MESSAGE)
_ZERO = Decimal(0)
# The organisation-wide limiter over all API usage (configured only where the tier sets figures).
ORG_WIDE = ("org-all",)
# %-formatting, not an f-string: a format spec in an f-string costs twice as much, once per request.
_REQUEST_ID = "req_011C%020x"


class World:
    """An organisation, its money and its limits, answering requests at the clock's current time."""

    def __init__(
        self,
        *,
        clock: Clock,
        org: Organization,
        prices: PriceList,
        tiers: TierProfile,
        tier: str,
        ledger: Ledger,
        reload: AutoReload,
        spend: SpendLimits,
        limiter: RateLimiter,
        faults: Faults,
        request_id_seed: int = 0,
        deposits: DepositCap | None = None,
    ) -> None:
        self.clock = clock
        self.org = org
        self.prices = prices
        self.tiers = tiers
        self.ledger = ledger
        self.reload = reload
        self.spend = spend
        self.limiter = limiter
        self.faults = faults
        self.deposits = deposits  # the historic tiers' cap on purchases per month (None: no cap)
        self.refused_deposits: list[DepositLimitExceeded] = []
        self.records = Records(self._describe)
        # Usage and charge dimensions are few and reused; building them per request is wasted work.
        self._dims: dict[tuple[str, str, str, str, str, str], tuple[UsageDims, ChargeDims]] = {}
        self.counts: Counter[str] = Counter()
        self.first_exhaustion_ns: int | None = None
        self.lock = threading.RLock()
        self._last_runaway_ns: int | None = None
        self._tier = tier
        self._tier_cap = tiers.tier(tier).monthly_cap
        self._org_wide = False  # whether the tier sets organisation-wide limits (set_tier decides)
        self._request_seq = request_id_seed << 40

    @property
    def tier(self) -> str:
        """The organisation's usage tier."""
        return self._tier

    def set_tier(self, tier: str) -> None:
        """Move the organisation to another tier of its profile (changes the cap and rate limits)."""
        with self.lock:
            self._tier_cap = self.tiers.tier(tier).monthly_cap
            self.spend.set_tier_cap(self._tier_cap)
            if self.deposits is not None:
                self.deposits.cap = self._tier_cap
            self._tier = tier
            levels = self.tiers.tier(tier)
            for model_class in self.tiers.model_classes():
                self.limiter.configure(("org", model_class), self.tiers.rate_limits(tier, model_class))
                if levels.fast_limits is not None:
                    self.limiter.configure(("fast", model_class), levels.fast_limits)
            self._org_wide = levels.organization_limits is not None
            self.limiter.configure(ORG_WIDE, levels.organization_limits or RateLimits(None, None, None))

    def top_up(self, key: str, amount: Decimal) -> None:
        """Buy credits by hand (a purchase: a lot that expires by the provider's rule).

        Under a deposit cap a purchase above this month's allowance raises `DepositLimitExceeded` and
        changes nothing; a replayed key is not counted twice.
        """
        with self.lock:
            now = self.clock.now_ns()
            capped = self.deposits if not self.ledger.knows(key) else None
            if capped is not None:
                capped.check(amount, now)
            self.ledger.grant(key, amount, now, kind="purchased", source="topup")
            if capped is not None:
                capped.record(amount, now)
            self.reload.check(now)

    def try_top_up(self, key: str, amount: Decimal) -> None:
        """`top_up` for scheduled purchases: a refusal by the deposit cap goes to `refused_deposits`."""
        try:
            self.top_up(key, amount)
        except DepositLimitExceeded as refusal:
            self.refused_deposits.append(refusal)

    def new_request_id(self) -> str:
        """A fresh `req_…` id for a request that does not go through `handle` (Admin API, control)."""
        with self.lock:
            self._request_seq += 1
            return _REQUEST_ID % self._request_seq

    def handle(self, request: MessageRequest) -> Outcome:
        """Decide one request at the current simulated time."""
        with self.lock:
            now = self.clock.now_ns()
            self._request_seq += 1
            outcome = self._decide(request, _REQUEST_ID % self._request_seq, now)
            self.counts[outcome.reason] += 1
            return outcome

    def _decide(self, request: MessageRequest, rid: str, now: int) -> Outcome:
        if self.faults.in_outage(now):
            return self._reject(request, rid, now, None, 500, "outage", OUTAGE)
        key = self.org.key_for_secret(request.api_key)
        if key is None:
            return self._reject(request, rid, now, None, 401, "auth", BAD_KEY)
        try:
            priced = self.prices.dated(request.model, now // NS_PER_DAY)
        except UnknownModelError:
            priced = None
        if priced is None or priced.retired:
            # A retired model is answered exactly as an unknown one (third-party captures, 2026).
            error = ApiError("not_found_error", f"model: {request.model}")
            return self._reject(request, rid, now, key, 404, "not_found", error)
        invalid = request_error(request, priced)
        if invalid is not None:
            error = ApiError("invalid_request_error", invalid)
            return self._reject(request, rid, now, key, 400, "invalid_request", error)
        model = priced.model
        if self.faults.on_hold:
            return self._reject(request, rid, now, key, 400, "on_hold", ON_HOLD)
        if self.faults.disabled:
            return self._reject(request, rid, now, key, 400, "disabled", DISABLED)
        faults = self.faults
        if faults.model_switches or faults.cache_storm_windows:  # incident faults only
            priced, request = self._incident(request, priced, now)
            model = priced.model
        self.reload.process_due(now)
        if self.ledger.available(now) <= _ZERO:
            if self.first_exhaustion_ns is None:
                self.first_exhaustion_ns = now
            error = ApiError("invalid_request_error", CREDIT_TOO_LOW)
            return self._reject(request, rid, now, key, 400, "credit", error)
        refusal = self.spend.check(key.workspace_id, now, self._tier_cap)
        if refusal is not None:
            error = ApiError(refusal.error_type, refusal.message, refusal.details)
            return self._reject(request, rid, now, key, refusal.status, refusal.reason, error)
        model_class = model.rate_limit_class
        scopes: tuple[tuple[str, ...], ...] = ()
        if request.service_tier != "batch":  # the Batch API has its own queue, not these limits
            if (
                request.speed == "fast"
                and priced.fast is not None
                and self.limiter.has_scope(("fast", model_class))
            ):
                scopes = (("fast", model_class),)  # fast mode's own limit, instead of the class's
            else:
                scopes = self._scopes(key, model_class)
            outcome = self._rate_limit(request, rid, now, key, model_class, scopes)
            if outcome is not None:
                return outcome
        if self.faults.overloaded(now):
            self.limiter.settle(rid, 0, now)
            return self._reject(request, rid, now, key, 529, "overload", OVERLOADED)
        return self._serve(request, rid, now, key, priced, model_class, scopes)

    def _incident(
        self, request: MessageRequest, priced: DatedPrice, now: int
    ) -> tuple[DatedPrice, MessageRequest]:
        switched = self.faults.switched_model(priced.model.id, now)
        if switched is not None:
            # Served and billed as the other model at its rates of the day (the switch is silent).
            priced = self.prices.dated(switched, now // NS_PER_DAY)
            request = replace(request, model=switched)
        if request.cache_read and self.faults.in_cache_storm(now):
            request = replace(
                request, cache_write_5m=request.cache_write_5m + request.cache_read, cache_read=0
            )
        return priced, request

    def _rate_limit(
        self,
        request: MessageRequest,
        rid: str,
        now: int,
        key: ApiKey,
        model_class: str,
        scopes: tuple[tuple[str, ...], ...],
    ) -> Outcome | None:
        counted = request.uncached_input + request.cache_write_5m + request.cache_write_1h
        # A class the tier profile does not know (a new model under the historic table) has no
        # limits configured, so the limiter admits it; its cache reads then count for nothing.
        if self.tiers.cache_reads.get(model_class, False):
            counted += request.cache_read
        admission = self.limiter.admit(rid, scopes, counted, request.max_tokens, now)
        if admission.allowed:
            return None
        message = self.limiter.rejection_message(admission, self.org.id, request.model)
        error = ApiError("rate_limit_error", message)
        reason = "rate_limit_permanent" if admission.permanent else "rate_limit"
        outcome = self._reject(request, rid, now, key, 429, reason, error)
        if not admission.permanent:
            outcome.retry_after_s = admission.retry_after_seconds
        outcome.model_class = model_class
        outcome.scopes = scopes
        return outcome

    @staticmethod
    def _dims_for(
        key: ApiKey, model_id: str, tier: str, window: str, geo: str, speed: str
    ) -> tuple[UsageDims, ChargeDims]:
        usage = UsageDims(key.id, key.workspace_id, model_id, tier, window, geo, speed, key.created_by, None)
        return usage, ChargeDims(key.workspace_id, model_id, tier, window, geo, speed)

    def _describe(self, model_id: str, token_type: str) -> str:
        return self.prices.resolve(model_id).description(token_type)

    def _scopes(self, key: ApiKey, model_class: str) -> tuple[tuple[str, ...], ...]:
        org_scope = ("org", model_class)
        scopes: tuple[tuple[str, ...], ...] = (org_scope,)
        if key.workspace_id is not None:
            ws_scope = ("ws", key.workspace_id, model_class)
            if self.limiter.has_scope(ws_scope):
                scopes = (org_scope, ws_scope)
        if self._org_wide:
            scopes += (ORG_WIDE,)
        return scopes

    def headers(self, outcome: Outcome) -> dict[str, str]:
        """The response headers the real API sends with this outcome: ids, rate limits, retry-after."""
        headers = {"request-id": outcome.request_id}
        if outcome.organization_id is not None:
            headers["anthropic-organization-id"] = outcome.organization_id
        if outcome.scopes:
            with self.lock:
                headers.update(rate_limit_headers(self.limiter, outcome.scopes, self.clock.now_ns()))
        if outcome.retry_after_s is not None:
            headers["retry-after"] = str(outcome.retry_after_s)
        return headers

    def _serve(
        self,
        request: MessageRequest,
        rid: str,
        now: int,
        key: ApiKey,
        priced: DatedPrice,
        model_class: str,
        scopes: tuple[tuple[str, ...], ...],
    ) -> Outcome:
        # This runs once per served request: locals instead of repeated attribute lookups, and the
        # price as plain amounts (the charge row) rather than a `Cost`.
        model = priced.model
        model_id = model.id
        faults = self.faults
        produced = request.output_tokens
        interrupted = False
        if request.stream:
            cut = faults.interruption(produced)
            if cut is not None:
                produced, interrupted = cut, True
        usage = request.usage(produced)
        tier = request.service_tier
        geo = request.inference_geo
        # A fast request on a model whose fast mode ended "back to standard" is served and billed standard.
        speed = "fast" if request.speed == "fast" and priced.fast is not None else "standard"
        amounts, total, window = priced.amounts(usage, tier, geo, speed)
        if not model.us_inference:
            geo = "not_available"  # the reports' value for models that take no inference_geo
        times = 2 if faults.duplicate_charge(now) else 1
        charged = total * times if times != 1 else total
        workspace_id = key.workspace_id
        if total > _ZERO:
            ledger = self.ledger
            ledger.charge_usage(f"charge:{rid}", total, now, rid)
            if times == 2:
                ledger.charge_usage(f"charge:{rid}:duplicate", total, now, rid)
            self.spend.record(workspace_id, charged, now)
        records = self.records
        shape = (key.id, model_id, tier, window, geo, speed)
        dims = self._dims.get(shape)
        if dims is None:
            dims = self._dims[shape] = self._dims_for(key, model_id, tier, window, geo, speed)
        records.add_usage(now, dims[0], usage)
        if times != 1:
            amounts = (
                amounts[0] * times,
                amounts[1] * times,
                amounts[2] * times,
                amounts[3] * times,
                amounts[4] * times,
                amounts[5] * times,
            )
        records.add_charge(now, dims[1], amounts)
        self.limiter.settle(rid, produced, now)
        self.reload.check(now)
        if faults.runaway_reloads and faults.runaway_reload_due(now, self._last_runaway_ns):
            self._last_runaway_ns = now
            self.reload.force(now)
        # Positional, in field order.
        outcome = Outcome(
            rid,
            200,
            "served",
            now,
            usage,
            charged,
            times,
            None,
            None,
            interrupted,
            self.org.id,
            workspace_id,
            model_class,
            scopes,
            key.id,
            model_id,
            request.stream,
            dims[0],
        )
        records.log(outcome)
        return outcome

    def _reject(
        self,
        request: MessageRequest,
        rid: str,
        now: int,
        key: ApiKey | None,
        status: int,
        reason: str,
        error: ApiError,
    ) -> Outcome:
        workspace_id = key.workspace_id if key is not None else None
        org_id = self.org.id if key is not None else None
        outcome = Outcome(
            rid,
            status,
            reason,
            now,
            error=error,
            organization_id=org_id,
            workspace_id=workspace_id,
            api_key_id=key.id if key is not None else None,
            model=request.model,
            stream=request.stream,
        )
        self.records.log(outcome)
        return outcome
