"""ID-cursor pagination (`before_id` / `after_id` / `limit` → `data`, `has_more`, `first_id`, `last_id`).

The Admin API lists API keys, workspaces and users this way. Items keep their creation order. An
`after_id` or `before_id` the list does not contain is a 400, as is giving both.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any, TypeVar

from sandbox.api.errors import invalid_request
from sandbox.api.params import Params, integer, single

T = TypeVar("T")
DEFAULT_LIMIT = 20
MAX_LIMIT = 1000


def id_page(
    items: Sequence[T], params: Params, item_id: Callable[[T], str], render: Callable[[T], dict[str, Any]]
) -> dict[str, Any]:
    """One page of `items` selected by the request's id cursor."""
    limit = integer(params, "limit", default=DEFAULT_LIMIT, low=1, high=MAX_LIMIT)
    after, before = single(params, "after_id"), single(params, "before_id")
    if after is not None and before is not None:
        raise invalid_request("before_id and after_id cannot both be given")
    ids = [item_id(item) for item in items]
    if after is not None:
        start = _position(ids, after, "after_id") + 1
        chosen, has_more = items[start : start + limit], start + limit < len(items)
    elif before is not None:
        end = _position(ids, before, "before_id")
        chosen, has_more = items[max(0, end - limit) : end], end - limit > 0
    else:
        chosen, has_more = items[:limit], limit < len(items)
    data = [render(item) for item in chosen]
    return {
        "data": data,
        "has_more": has_more,
        "first_id": item_id(chosen[0]) if chosen else None,
        "last_id": item_id(chosen[-1]) if chosen else None,
    }


def _position(ids: list[str], wanted: str, name: str) -> int:
    try:
        return ids.index(wanted)
    except ValueError:
        raise invalid_request(f"{name}: no item with id {wanted!r}") from None
