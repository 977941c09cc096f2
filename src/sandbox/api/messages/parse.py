"""From request bytes to a validated Messages body, or a 400 with a message like the real API's.

Messages follow the real API's forms where third-party logs show them: "The request body is not valid
JSON: …", "FIELD.PATH: <pydantic message>" (only the first problem is reported),
"messages: at least one message is required", "messages: text content blocks must be non-empty".
Other wordings (a body that is not an object) are the sandbox's own. Limits that depend on the model
(context window, max output tokens, fast mode, inference_geo) are checked once the model is known
(`sandbox.request_checks`).
"""

from __future__ import annotations

import hashlib
import json
from typing import Any, Final, TypeVar

from pydantic import ValidationError

from sandbox.api.errors import WireError, invalid_request
from sandbox.api.messages.request import CreateBody, PromptBody

# The real API's Messages request size limit (32 MB); above it the answer is 413.
MAX_BODY_BYTES: Final = 32 * 1024 * 1024
# Deeper JSON than this is refused up front; pydantic's serialiser stops not far above it.
MAX_DEPTH: Final = 100

Body = TypeVar("Body", bound=PromptBody)


def parse_create(body: bytes) -> tuple[CreateBody, int]:
    """A `POST /v1/messages` body and the request's content seed (stable across `stream`)."""
    raw = _decode(body)
    parsed = _validate(CreateBody, raw)
    _check_prompt(parsed)
    budget = getattr(parsed.thinking, "budget_tokens", None)
    if budget is not None and parsed.max_tokens <= budget:
        raise invalid_request("max_tokens must be greater than thinking.budget_tokens")
    return parsed, content_seed(raw)


def check_version_rules(parsed: CreateBody) -> None:
    """What `anthropic-version: 2026-10-21` refuses (see `sandbox.api.versions`)."""
    for name in ("temperature", "top_p", "top_k"):
        if getattr(parsed, name) is not None:
            raise invalid_request(f"{name}: Extra inputs are not permitted")
    for index, message in enumerate(parsed.messages):
        for position, block in enumerate(message.content):
            where = f"messages.{index}.content.{position}"
            if message.role == "assistant" and block.type == "document":
                raise invalid_request(f"{where}: document blocks are not allowed in assistant messages")
            if message.role == "user" and _cites(block):
                raise invalid_request(f"{where}: text blocks in user messages cannot carry citations")


def _cites(block: object) -> bool:
    """Whether a user block is text with citations, itself or inside a `search_result`."""
    if getattr(block, "type", None) == "text":
        return bool(getattr(block, "citations", None))
    if getattr(block, "type", None) == "search_result":
        content = getattr(block, "content", None) or []
        return any(
            isinstance(part, dict) and part.get("type") == "text" and part.get("citations")
            for part in content
        )
    return False


def parse_count(body: bytes) -> PromptBody:
    """A `POST /v1/messages/count_tokens` body."""
    parsed = _validate(PromptBody, _decode(body))
    _check_prompt(parsed)
    return parsed


def content_seed(raw: dict[str, Any]) -> int:
    """A 64-bit number fixed by the request's content; `stream` does not change it."""
    content = {name: value for name, value in raw.items() if name != "stream"}
    canonical = json.dumps(content, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return int.from_bytes(hashlib.sha256(canonical.encode("utf-8")).digest()[:8], "big")


def _reject_constant(name: str) -> Any:
    raise ValueError(f"{name} is not a valid JSON value")


def _decode(body: bytes) -> dict[str, Any]:
    if len(body) > MAX_BODY_BYTES:
        raise WireError(413, "request_too_large", "Request exceeds the maximum allowed number of bytes.")
    try:
        raw = json.loads(body.decode("utf-8"), parse_constant=_reject_constant)
        # A lone surrogate (`"\ud800"`) parses in Python but is not text; the real API refuses it.
        json.dumps(raw, ensure_ascii=False).encode("utf-8")
    except (UnicodeDecodeError, UnicodeEncodeError) as exc:
        raise invalid_request(f"The request body is not valid JSON: {exc.reason}") from exc
    except RecursionError:
        raise invalid_request(f"The request body is nested more than {MAX_DEPTH} levels deep.") from None
    except ValueError as exc:
        raise invalid_request(f"The request body is not valid JSON: {exc}") from exc
    if not isinstance(raw, dict):
        raise invalid_request("The request body must be a JSON object.")
    if _too_deep(raw):
        raise invalid_request(f"The request body is nested more than {MAX_DEPTH} levels deep.")
    return raw


def _too_deep(raw: object) -> bool:
    stack: list[tuple[object, int]] = [(raw, 1)]
    while stack:
        value, depth = stack.pop()
        if depth > MAX_DEPTH:
            return True
        if isinstance(value, dict):
            stack.extend((item, depth + 1) for item in value.values())
        elif isinstance(value, list):
            stack.extend((item, depth + 1) for item in value)
    return False


def _validate(model: type[Body], raw: dict[str, Any]) -> Body:
    try:
        return model.model_validate(raw)
    except ValidationError as exc:
        first = exc.errors(include_url=False)[0]
        path = ".".join(str(part) for part in first["loc"])
        raise invalid_request(f"{path}: {first['msg']}" if path else first["msg"]) from None


def _check_prompt(parsed: PromptBody) -> None:
    messages = parsed.messages
    if not messages:
        raise invalid_request("messages: at least one message is required")
    roles = [message.role for message in messages if message.role != "system"]
    if roles and roles[0] != "user":
        raise invalid_request('messages: first message must use the "user" role')
    last = len(messages) - 1
    for index, message in enumerate(messages):
        if not message.content and not (index == last and message.role == "assistant"):
            raise invalid_request(
                f"messages.{index}: all messages must have non-empty content except for the optional "
                "final assistant message"
            )
        for block in message.content:
            if block.type == "text" and not getattr(block, "text", ""):
                raise invalid_request("messages: text content blocks must be non-empty")
    if any(not block.text for block in parsed.system):
        raise invalid_request("system: text content blocks must be non-empty")
