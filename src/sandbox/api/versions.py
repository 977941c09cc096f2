"""`anthropic-version`: the API versions the sandbox answers, and what 2026-10-21 changed.

`2026-10-21` is the first version since `2023-06-01` (Python SDK 2.0.0 and later send it); `2023-06-01`
still works, and a request without the header is answered as `2023-06-01` (newer generated reference
pages list the header as optional). Any other value is a 400 (the sandbox's wording: the reference
gives no message). Under 2026-10-21 (reference addendum §4):
- Messages: `temperature`, `top_p` and `top_k` are refused, even at their defaults ("temperature: Extra
  inputs are not permitted", as reported); a `document` block in an `assistant` message and a `text`
  block with non-empty `citations` in a `user` message (also inside a `search_result`) are 400s.
- Admin API: rate-limit entries lose the deprecated `group_type` copy of `group.type`, API keys lose
  `workspace_id` (read `scope`).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Final

from sandbox.api.errors import invalid_request

INITIAL: Final = "2023-01-01"
LEGACY: Final = "2023-06-01"
CURRENT: Final = "2026-10-21"
VERSIONS: Final = (INITIAL, LEGACY, CURRENT)


def api_version(headers: Mapping[str, str]) -> str:
    """The version a request asks for (`2023-06-01` when it names none); an unknown one is a 400."""
    raw = headers.get("anthropic-version")
    if raw is None:
        return LEGACY
    version = raw.strip()
    if version not in VERSIONS:
        raise invalid_request(
            f"anthropic-version: {version!r} is not a version; use one of {', '.join(VERSIONS)}"
        )
    return version


def is_current(version: str) -> bool:
    """Whether the request speaks 2026-10-21 (the version with the differences above)."""
    return version == CURRENT
