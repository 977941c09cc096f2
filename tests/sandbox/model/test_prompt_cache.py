"""Prompt caching through POST /v1/messages: writes, reads, expiry and refresh on the world's clock."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from sandbox.clock import NS_PER_MINUTE, NS_PER_SECOND
from sandbox.model.prompt_cache import PromptCache
from tests.sandbox.api.messages.support import CREDIT, MTOK, balance, body, send
from tests.sandbox.conftest import WorldFactory

# A 5,000-character system prompt: 4 (request) + 3 (system) + 1,250 = 1,257 tokens up to its
# breakpoint; the user turn "Hi" adds 3 + 1 = 4 uncached tokens.
PREFIX, REST = 1257, 4


def cached_body(ttl: str = "5m", text: str = "Hi") -> dict[str, Any]:
    """A request whose long system prompt is marked cacheable."""
    system = [{"type": "text", "text": "s" * 5000, "cache_control": {"type": "ephemeral", "ttl": ttl}}]
    return body(text, system=system)


def split(usage: dict[str, Any]) -> tuple[int, int, int, int]:
    """(uncached, 5m writes, 1h writes, reads) of a response's usage."""
    created = usage["cache_creation"]
    assert usage["cache_creation_input_tokens"] == sum(created.values())
    return (
        usage["input_tokens"],
        created["ephemeral_5m_input_tokens"],
        created["ephemeral_1h_input_tokens"],
        usage["cache_read_input_tokens"],
    )


def usage_of(sim: Any, payload: dict[str, Any], **options: Any) -> tuple[int, int, int, int]:
    response = send(sim, payload, **options)
    assert response.status == 200 and response.body is not None
    return split(response.body["usage"])


def test_first_call_writes_second_reads_and_expiry_writes_again(make_sim: WorldFactory) -> None:
    sim = make_sim(CREDIT)
    assert usage_of(sim, cached_body()) == (REST, PREFIX, 0, 0)
    sim.clock.advance(4 * NS_PER_MINUTE)
    assert usage_of(sim, cached_body(text="Hello there")) == (
        3 + 3,
        0,
        0,
        PREFIX,
    )  # "Hello there": 3 + 3 tokens
    sim.clock.advance(4 * NS_PER_MINUTE)  # 8 minutes after the write, 4 after the refreshing read
    assert usage_of(sim, cached_body()) == (REST, 0, 0, PREFIX)
    sim.clock.advance(5 * NS_PER_MINUTE + NS_PER_SECOND)
    assert usage_of(sim, cached_body()) == (REST, PREFIX, 0, 0)


def test_cache_writes_and_reads_are_billed_at_their_rates(make_sim: WorldFactory) -> None:
    sim = make_sim(CREDIT)
    send(sim, cached_body())
    after_write = balance(sim)
    assert Decimal(100) - after_write == (REST * 2 + PREFIX * Decimal("2.50") + 10 * 10) / MTOK
    send(sim, cached_body())
    assert after_write - balance(sim) == (REST * 2 + PREFIX * Decimal("0.20") + 10 * 10) / MTOK


def test_one_hour_ttl_writes_1h_and_outlives_five_minutes(make_sim: WorldFactory) -> None:
    sim = make_sim(CREDIT)
    assert usage_of(sim, cached_body("1h")) == (REST, 0, PREFIX, 0)
    sim.clock.advance(59 * NS_PER_MINUTE)
    assert usage_of(sim, cached_body("1h")) == (REST, 0, 0, PREFIX)
    sim.clock.advance(60 * NS_PER_MINUTE)
    assert usage_of(sim, cached_body("1h")) == (REST, 0, PREFIX, 0)


def test_a_longer_breakpoint_reads_the_cached_prefix_and_writes_the_rest(make_sim: WorldFactory) -> None:
    sim = make_sim(CREDIT)
    send(sim, cached_body())
    longer = cached_body()
    longer["messages"] = [
        {
            "role": "user",
            "content": [{"type": "text", "text": "u" * 400, "cache_control": {"type": "ephemeral"}}],
        }
    ]
    assert usage_of(sim, longer) == (0, 3 + 100, 0, PREFIX)


def test_prefixes_below_1024_tokens_are_not_cached(make_sim: WorldFactory) -> None:
    sim = make_sim(CREDIT)
    short = body(system=[{"type": "text", "text": "s" * 400, "cache_control": {"type": "ephemeral"}}])
    assert usage_of(sim, short) == usage_of(sim, short) == (4 + 3 + 100 + 3 + 2, 0, 0, 0)


def test_caches_are_per_workspace_and_per_model(make_sim: WorldFactory) -> None:
    sim = make_sim(CREDIT)
    send(sim, cached_body())
    assert usage_of(sim, cached_body(), key=0) == (REST, PREFIX, 0, 0)  # the Default workspace
    assert usage_of(sim, cached_body() | {"model": "claude-opus-5"}) == (REST, PREFIX, 0, 0)
    assert usage_of(sim, cached_body()) == (REST, 0, 0, PREFIX)


def test_a_refused_request_caches_nothing(make_sim: WorldFactory) -> None:
    sim = make_sim(CREDIT + "\n[faults]\noverload_windows = [{ day = 0, hours = 1 }]\n")
    assert send(sim, cached_body()).status == 529
    sim.clock.advance(60 * NS_PER_MINUTE)
    assert usage_of(sim, cached_body()) == (REST, PREFIX, 0, 0)


def test_top_level_cache_control_caches_the_whole_prompt(make_sim: WorldFactory) -> None:
    sim = make_sim(CREDIT)
    whole = body("w" * 5000, cache_control={"type": "ephemeral"})
    assert usage_of(sim, whole) == (0, 4 + 3 + 1250, 0, 0)
    assert usage_of(sim, whole) == (0, 0, 0, 4 + 3 + 1250)


def test_a_cache_passed_in_is_the_one_used(make_sim: WorldFactory) -> None:
    sim = make_sim(CREDIT)
    mine = PromptCache()
    send(sim, cached_body(), cache=mine)
    assert len(mine) == 1
    assert usage_of(sim, cached_body()) == (REST, PREFIX, 0, 0)  # the world's own cache was empty
    assert usage_of(sim, cached_body(), cache=mine) == (REST, 0, 0, PREFIX)


def test_misused_cache_control_is_400(make_sim: WorldFactory) -> None:
    sim = make_sim(CREDIT)
    mark = {"type": "ephemeral"}
    five = [{"type": "text", "text": f"block {i}", "cache_control": mark} for i in range(5)]
    response = send(sim, body(system=five))
    assert response.status == 400 and response.body is not None
    assert response.body["error"]["message"] == (
        "A maximum of 4 blocks with cache_control may be provided. Found 5."
    )
    order = [
        {"type": "text", "text": "a", "cache_control": {"type": "ephemeral", "ttl": "5m"}},
        {"type": "text", "text": "b", "cache_control": {"type": "ephemeral", "ttl": "1h"}},
    ]
    response = send(sim, body(system=order))
    assert response.status == 400 and response.body is not None
    assert "ttl='1h'" in response.body["error"]["message"]
