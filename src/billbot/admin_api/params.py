"""Query parameters as the Admin API reads them: bracketed repeated lists, RFC 3339 UTC times, dates.

`group_by=("model", "workspace_id")` becomes `group_by[]=model&group_by[]=workspace_id`, the SDK's
`array_format="brackets"`. Naive datetimes are refused: every time billbot sends is an instant in UTC.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import UTC, date, datetime

Param = tuple[str, str]
ParamValue = str | int | bool | date | datetime | Sequence[str] | None

# The usage report's list filters (reference §1.4); `context_window` is singular on the wire.
USAGE_FILTERS = frozenset(
    {
        "api_key_ids",
        "workspace_ids",
        "models",
        "account_ids",
        "service_account_ids",
        "service_tiers",
        "context_window",
        "inference_geos",
        "speeds",
    }
)


def rfc3339(moment: datetime) -> str:
    """An aware datetime as RFC 3339 in UTC with a `Z`, at full precision."""
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise ValueError(f"naive datetime {moment.isoformat()}: give an aware UTC datetime")
    return moment.astimezone(UTC).isoformat().replace("+00:00", "Z")


def encode(params: Mapping[str, ParamValue]) -> list[Param]:
    """Encode a mapping of parameters; None is omitted, sequences repeat with `[]`."""
    pairs: list[Param] = []
    for name, value in params.items():
        if value is None:
            continue
        if isinstance(value, str | int | bool | date):  # datetime is a date too
            pairs.append((name, _scalar(value)))
            continue
        key = name if name.endswith("[]") else f"{name}[]"
        pairs.extend((key, _scalar(item)) for item in value)
    return pairs


def check_filters(filters: Mapping[str, Sequence[str]], allowed: frozenset[str], method: str) -> None:
    """Refuse filter names the endpoint does not have, as Python refuses an unknown keyword."""
    unknown = sorted(set(filters) - allowed)
    if unknown:
        raise TypeError(f"{method}() got unknown filter(s) {', '.join(unknown)}; known: {sorted(allowed)}")
    for name, values in filters.items():
        if isinstance(values, str):
            raise TypeError(f"{method}(): filter {name} takes a sequence of strings, not one string")


def _scalar(value: object) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, datetime):
        return rfc3339(value)
    if isinstance(value, date):
        return value.isoformat()
    return str(value)
