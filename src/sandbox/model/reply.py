"""What the simulated model answers: a deterministic length, stop reason, tool use and text.

Rules:
- The answer is fixed by the request's content seed (a hash of the body without `stream`), so the
  same request always gets the same answer, streamed or not, cached or not.
- Intended length: 16 + seed mod 1,009 output tokens (16 to 1,024). If that exceeds `max_tokens`, the
  answer stops at `max_tokens` with stop_reason "max_tokens"; otherwise "end_turn". Stop sequences
  are never produced, and thinking produces no thinking blocks (its tokens are not simulated).
- Web search: a request that lets the model search the web (a `web_search_…` server tool offered,
  `tool_choice` not "none"; `CreateBody.offers_web_search`) makes exactly one search, reported in
  `usage.server_tool_use` and billed; the answer holds no search-result blocks.
- The text is exactly 4 characters per output token, so the sandbox's own token rule (one token per
  four characters) counts it back to `output_tokens`. It starts "[sandbox] simulated response".
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final

MIN_OUTPUT: Final = 16
OUTPUT_SPREAD: Final = 1_009
LEAD: Final = "[sandbox] simulated response:"
_WORDS: Final = (
    "usage", "tokens", "credits", "cache", "invoice", "rate", "limit", "model", "workspace",
    "spend", "budget", "report", "balance", "request", "prompt", "output", "tier", "cost",
)  # fmt: skip


@dataclass(frozen=True, slots=True)
class Reply:
    """The simulated answer to one request."""

    output_tokens: int
    stop_reason: str
    web_search_requests: int
    seed: int

    def text(self, tokens: int | None = None) -> str:
        """The answer's text, or its first `tokens` tokens (what an interrupted stream delivered)."""
        return simulated_text(self.output_tokens if tokens is None else tokens, self.seed)


def simulated_reply(seed: int, *, max_tokens: int, web_search: bool) -> Reply:
    """The answer to the request with content seed `seed` (see the module rules)."""
    intended = MIN_OUTPUT + seed % OUTPUT_SPREAD
    output = min(intended, max_tokens)
    stop_reason = "max_tokens" if intended > max_tokens else "end_turn"
    return Reply(output, stop_reason, 1 if web_search else 0, seed)


def simulated_text(tokens: int, seed: int) -> str:
    """Exactly `4 * tokens` characters of filler text chosen by `seed`; a prefix of any longer one."""
    length = 4 * tokens
    parts = [LEAD]
    size = len(LEAD)
    state = seed
    while size < length:
        state = (state * 6364136223846793005 + 1442695040888963407) % 2**64
        word = " " + _WORDS[(state >> 33) % len(_WORDS)]
        parts.append(word)
        size += len(word)
    return "".join(parts)[:length]
