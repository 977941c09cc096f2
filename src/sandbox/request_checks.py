"""A Messages request checked against its model on its day: context window, output ceiling, inference_geo
and fast mode. Each refusal is a 400 `invalid_request_error`; the world applies them right after it has
found the model (an unknown or retired model is a 404 first).
"""

from __future__ import annotations

from sandbox.messages import MessageRequest
from sandbox.pricing import DatedPrice


def request_error(request: MessageRequest, priced: DatedPrice) -> str | None:
    """Why a request is invalid for its model on its day (a 400 message), or None when it is valid.

    The prompt-size and max-tokens messages are the real API's; the inference_geo and fast-mode ones are
    the sandbox's (the reference gives only the status).
    """
    model = priced.model
    window = priced.extended_window if request.extended_context else priced.window
    if window is not None:
        total = request.uncached_input + request.cache_write_5m + request.cache_write_1h + request.cache_read
        if total > window:
            return f"prompt is too long: {total} tokens > {window} maximum"
    if priced.max_output is not None and request.max_tokens > priced.max_output:
        return (
            f"max_tokens: {request.max_tokens} > {priced.max_output}, which is the maximum allowed number "
            f"of output tokens for {request.model}"
        )
    if request.inference_geo != "global" and not model.us_inference:
        return geo_refusal(request.model)
    if request.speed == "fast":
        return fast_refusal(request.model, priced, request.service_tier)
    return None


def geo_refusal(model: str) -> str:
    """The 400 for `inference_geo` on a model older than Claude 4.6."""
    return (
        f"inference_geo: not supported for model {model}; data residency controls start with Claude Opus 4.6"
    )


def fast_refusal(model: str, priced: DatedPrice, service_tier: str) -> str | None:
    """Why a fast-mode request is refused for `model` on its day, or None when it is served."""
    if service_tier == "batch":
        return "speed: fast mode is not available on the Message Batches API"
    if priced.fast is not None or priced.fast_falls_back:
        return None
    ended = [rule.when.until for rule in priced.model.fast_modes if rule.when.ended(priced.day)]
    if ended and ended[-1] is not None:
        return f"speed: fast mode for {model} ended on {ended[-1].isoformat()}"
    return f"speed: fast mode is not available for model {model}"
