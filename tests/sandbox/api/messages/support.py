"""Helpers for the Messages handler tests: request bodies, sending them, reading SSE streams."""

from __future__ import annotations

import json
from decimal import Decimal
from typing import Any

import httpx

from sandbox.api.messages.handler import create_message
from sandbox.api.responses import WireResponse
from sandbox.build import Simulation
from sandbox.model.prompt_cache import PromptCache

CREDIT = '\n[credits]\nlots = [{ amount = "100", day = -1 }]\n'
MTOK = Decimal(1_000_000)


def body(text: str = "Hello", *, max_tokens: int = 10, **fields: Any) -> dict[str, Any]:
    """A minimal valid request body for Sonnet 5 with one user message."""
    return {
        "model": "claude-sonnet-5",
        "max_tokens": max_tokens,
        "messages": [{"role": "user", "content": text}],
    } | fields


def send(
    sim: Simulation,
    payload: dict[str, Any] | bytes,
    *,
    key: int = 1,
    bearer: bool = False,
    cache: PromptCache | None = None,
    extra_headers: dict[str, str] | None = None,
) -> WireResponse:
    """POST /v1/messages with the simulation's `key`-th API key (and any `extra_headers`)."""
    secret = sim.secrets[key]
    auth = {"Authorization": f"Bearer {secret}"} if bearer else {"X-Api-Key": secret}
    headers = httpx.Headers(auth | (extra_headers or {}))
    raw = payload if isinstance(payload, bytes) else json.dumps(payload).encode()
    return create_message(sim.world, headers, raw, cache=cache)


def balance(sim: Simulation) -> Decimal:
    """The ledger balance now."""
    return sim.world.ledger.balance(sim.clock.now_ns())


def events(response: WireResponse) -> list[tuple[str, dict[str, Any]]]:
    """A streamed response's events as (name, data), checking the `event:`/`data:` framing."""
    assert response.events is not None
    parsed = []
    for chunk in b"".join(response.events).decode().split("\n\n")[:-1]:
        event_line, data_line = chunk.split("\n")
        assert event_line.startswith("event: ") and data_line.startswith("data: ")
        parsed.append((event_line.removeprefix("event: "), json.loads(data_line.removeprefix("data: "))))
    return parsed


def streamed_text(stream: list[tuple[str, dict[str, Any]]]) -> str:
    """The text the content_block_delta events carry, concatenated."""
    return "".join(data["delta"]["text"] for name, data in stream if name == "content_block_delta")
