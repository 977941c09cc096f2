"""Token counts: immutable, never negative, checked where they enter (a request or a usage)."""

from __future__ import annotations

import pytest

from sandbox.messages import MessageRequest
from sandbox.tokens import TokenUsage


def test_a_negative_count_is_refused_by_name() -> None:
    with pytest.raises(ValueError, match="cache_read must be >= 0, got -1"):
        TokenUsage(10, 0, 0, -1, 5)


def test_a_usage_cannot_be_changed() -> None:
    usage = TokenUsage(10, output=5)
    with pytest.raises(AttributeError):
        usage.output = 6  # type: ignore[misc]
    assert usage == TokenUsage(10, 0, 0, 0, 5, 0)
    assert usage.total_input == 10
    assert repr(usage).startswith("TokenUsage(uncached_input=10,")


def test_a_request_with_a_negative_count_is_refused_by_name() -> None:
    with pytest.raises(ValueError, match="web_search_requests must be >= 0, got -2"):
        MessageRequest("sk", "claude-haiku-4-5", 10, 100, 50, web_search_requests=-2)


def test_a_request_reports_at_most_the_output_it_would_produce() -> None:
    request = MessageRequest("sk", "claude-haiku-4-5", 10, 100, 50, cache_read=7)
    assert request.usage(20) == TokenUsage(10, 0, 0, 7, 20, 0)
    with pytest.raises(ValueError, match=r"within \[0, 50\], got 51"):
        request.usage(51)
    with pytest.raises(ValueError, match="got -1"):
        request.usage(-1)
