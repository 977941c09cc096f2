"""The fixture's `AsyncAnthropic` client under pytest-asyncio (strict mode: async tests are marked)."""

from __future__ import annotations

import asyncio

import anthropic
import pytest

from sandbox.testing import AnthropicSandbox


@pytest.mark.asyncio
async def test_the_async_client_is_served_in_process(anthropic_sandbox: AnthropicSandbox) -> None:
    message = await anthropic_sandbox.async_client.messages.create(
        model="claude-opus-5-5", max_tokens=100, messages=[{"role": "user", "content": "hello"}]
    )
    assert message.model == "claude-opus-5-5" and message.content


@pytest.mark.asyncio
async def test_concurrent_requests_are_each_decided_and_billed_once(
    anthropic_sandbox: AnthropicSandbox,
) -> None:
    client = anthropic_sandbox.async_client
    calls = [
        client.messages.create(
            model="claude-sonnet-5", max_tokens=50, messages=[{"role": "user", "content": f"q{n}"}]
        )
        for n in range(8)
    ]
    answers = await asyncio.gather(*calls)
    assert len({answer.id for answer in answers}) == 8
    assert len(anthropic_sandbox.requests(outcome="served")) == 8


@pytest.mark.asyncio
@pytest.mark.anthropic_sandbox(scenario="credit-exhaustion", seed=1)
async def test_async_code_meets_the_credit_error(anthropic_sandbox: AnthropicSandbox) -> None:
    with pytest.raises(anthropic.BadRequestError, match="credit balance is too low"):
        for _ in range(1_000):
            await anthropic_sandbox.async_client.messages.create(
                model="claude-sonnet-5", max_tokens=200, messages=[{"role": "user", "content": "go"}]
            )


@pytest.mark.asyncio
async def test_an_async_stream_interrupted_by_an_overload_raises(anthropic_sandbox: AnthropicSandbox) -> None:
    anthropic_sandbox.faults(interrupt_probability=1.0)
    client = anthropic_sandbox.async_client
    with pytest.raises(anthropic.APIStatusError):
        async with client.messages.stream(
            model="claude-sonnet-5", max_tokens=500, messages=[{"role": "user", "content": "story"}]
        ) as stream:
            async for _ in stream.text_stream:
                pass
    assert anthropic_sandbox.requests()[0]["interrupted"]
