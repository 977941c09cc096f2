"""Query parameters as the real API reads them: single values, bracketed lists, ints and booleans.

Parameters arrive as multi-items (`[("limit", "20"), ("roles[]", "admin")]`). Every problem is a 400
`invalid_request_error` naming the parameter, never an exception the client cannot read.
"""

from __future__ import annotations

from collections.abc import Sequence

from sandbox.api.errors import invalid_request

Params = Sequence[tuple[str, str]]


def single(params: Params, name: str) -> str | None:
    """The one value of `name`, or None; given twice is an error."""
    values = [value for key, value in params if key == name]
    if len(values) > 1:
        raise invalid_request(f"{name}: expected a single value, got {len(values)}")
    return values[0] if values else None


def many(params: Params, name: str) -> list[str]:
    """Every value of the list parameter `name[]` (bracket notation, repeated)."""
    return [value for key, value in params if key == f"{name}[]"]


def integer(params: Params, name: str, *, default: int, low: int, high: int) -> int:
    """An integer within `[low, high]`, or `default` when absent."""
    raw = single(params, name)
    if raw is None:
        return default
    try:
        value = int(raw)
    except ValueError:
        raise invalid_request(f"{name}: expected an integer, got {raw!r}") from None
    if not low <= value <= high:
        raise invalid_request(f"{name}: must be between {low} and {high}, got {value}")
    return value


def boolean(params: Params, name: str, *, default: bool) -> bool:
    """`true`/`false` (any case), or `default` when absent."""
    raw = single(params, name)
    if raw is None:
        return default
    lowered = raw.lower()
    if lowered not in ("true", "false"):
        raise invalid_request(f"{name}: expected true or false, got {raw!r}")
    return lowered == "true"


def reject_unknown(params: Params, known: set[str]) -> None:
    """400 for a parameter this endpoint does not take (a typo should not be silently ignored)."""
    for key, _ in params:
        if key not in known:
            raise invalid_request(f"{key}: unknown query parameter")
