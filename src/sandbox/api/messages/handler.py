"""`POST /v1/messages` and `POST /v1/messages/count_tokens`: transport-neutral handlers.

The app passes the request's headers (a case-insensitive mapping) and raw body, and turns the
returned `WireResponse` into HTTP (JSON, or `text/event-stream` when `events` is set).

Order of checks: a missing key is 401 before anything else; a body that does not validate is 400,
unless the key is unknown (then 401: the real API authenticates before it reads the body); what only
the headers and body can tell (an explicit `inference_geo` on a model older than Claude 4.6, fast mode
without the beta header a model needs) is 400 next; a valid body goes to `World.handle`, which applies
the admission order (outage, key, model, the request against its model, hold, credit, spend limits,
tier cap, rate limits, overload) and bills what it serves. The prompt cache is planned before the
world decides and changes only when the request is served.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Final

from sandbox.api.auth import presented_key
from sandbox.api.betas import betas_of
from sandbox.api.errors import WireError, authentication_failed, invalid_request, not_found
from sandbox.api.messages.parse import check_version_rules, parse_count, parse_create
from sandbox.api.messages.prompt import measure_prompt
from sandbox.api.messages.response import JSON_TYPE, early_error, outcome_response
from sandbox.api.messages.stream import stream_response
from sandbox.api.responses import WireResponse
from sandbox.api.versions import api_version, is_current
from sandbox.clock import NS_PER_DAY
from sandbox.messages import MessageRequest
from sandbox.model.prompt_cache import PromptCache, Scope, prompt_cache_for
from sandbox.model.reply import simulated_reply
from sandbox.pricing import DatedPrice, UnknownModelError
from sandbox.request_checks import geo_refusal
from sandbox.world import World

MISSING_KEY: Final = "x-api-key header is required"
FAST_MODE_BETA: Final = "fast-mode-2026-02-01"


def create_message(
    world: World, headers: Mapping[str, str], body: bytes, *, cache: PromptCache | None = None
) -> WireResponse:
    """Decide and answer one Messages request; `cache` defaults to the one kept beside `world`."""
    key = presented_key(headers)
    if key is None:
        return early_error(world, authentication_failed(MISSING_KEY))
    betas = betas_of(headers)
    try:
        version = api_version(headers)
        parsed, seed = parse_create(body)
        if is_current(version):
            check_version_rules(parsed)
        prompt = measure_prompt(parsed)
        priced = _dated(world, parsed.model)
        if priced is not None:
            _check_for_model(parsed.model, priced, parsed.inference_geo, parsed.speed, betas)
    except WireError as error:
        return early_error(world, _unless_unknown_key(world, key, error))
    reply = simulated_reply(seed, max_tokens=parsed.max_tokens, web_search=parsed.offers_web_search())
    geo = parsed.inference_geo or "global"
    cache = cache if cache is not None else prompt_cache_for(world)
    with cache.lock:
        now = world.clock.now_ns()
        plan = cache.plan(_scope(world, key, parsed.model), prompt, now)
        request = MessageRequest(
            key,
            parsed.model,
            plan.uncached,
            parsed.max_tokens,
            reply.output_tokens,
            cache_write_5m=plan.write_5m,
            cache_write_1h=plan.write_1h,
            cache_read=plan.read,
            web_search_requests=reply.web_search_requests,
            service_tier="standard",  # "auto" and "standard_only" both mean standard here
            inference_geo=geo,
            stream=parsed.stream,
            speed=parsed.speed or "standard",
            extended_context=priced is not None
            and priced.model.context is not None
            and priced.model.context.extended_beta in betas,
        )
        outcome = world.handle(request)
        if outcome.served:
            cache.commit(plan, now)
    speed_asked = parsed.speed is not None
    if parsed.stream:
        return stream_response(world, outcome, reply, speed_asked=speed_asked)
    return outcome_response(world, outcome, reply, speed_asked=speed_asked)


def count_tokens(world: World, headers: Mapping[str, str], body: bytes) -> WireResponse:
    """The prompt's input tokens by the sandbox's rule, `{"input_tokens": N}`; free, and not cached."""
    key = presented_key(headers)
    if key is None:
        return early_error(world, authentication_failed(MISSING_KEY))
    api_key = world.org.key_for_secret(key)
    if api_key is None:
        return early_error(world, authentication_failed())
    try:
        api_version(headers)
        parsed = parse_count(body)
        total = measure_prompt(parsed).total
    except WireError as error:
        return early_error(world, error)
    if _dated(world, parsed.model) is None:
        return early_error(world, not_found(f"model: {parsed.model}"))
    headers_out = {
        "request-id": world.new_request_id(),
        "anthropic-organization-id": world.org.id,
        "content-type": JSON_TYPE,
    }
    return WireResponse(200, {"input_tokens": total}, headers_out)


def _dated(world: World, model: str) -> DatedPrice | None:
    """The model as priced today on the world's clock; None when unknown or retired (the world's 404)."""
    try:
        priced = world.prices.dated(model, world.clock.now_ns() // NS_PER_DAY)
    except UnknownModelError:
        return None
    return None if priced.retired else priced


def _check_for_model(
    model: str, priced: DatedPrice, inference_geo: str | None, speed: str | None, betas: frozenset[str]
) -> None:
    # An explicit `inference_geo`, even "global", is a 400 on a model that takes none (data residency
    # docs: "Requests with inference_geo on legacy models return a 400 error").
    if inference_geo is not None and not priced.model.inference_geo_supported:
        raise invalid_request(geo_refusal(model))
    fast = priced.fast
    if speed == "fast" and fast is not None and fast.requires_beta and FAST_MODE_BETA not in betas:
        raise invalid_request(
            f"speed: fast mode on {model} requires the anthropic-beta header {FAST_MODE_BETA}"
        )


def _unless_unknown_key(world: World, key: str, error: WireError) -> WireError:
    return error if world.org.key_for_secret(key) is not None else authentication_failed()


def _scope(world: World, key: str, model: str) -> Scope | None:
    api_key = world.org.key_for_secret(key)
    try:
        model_id = world.prices.resolve(model).id
    except UnknownModelError:
        return None  # the world will answer 404; nothing is cached
    if api_key is None:
        return None
    return (world.org.id, api_key.workspace_id or "default", model_id)
