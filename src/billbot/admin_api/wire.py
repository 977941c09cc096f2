"""The base of billbot's Admin API wire models, and the field types they share.

Lenient where the API may grow (unknown fields are ignored, new enum values are kept as strings),
strict on types (no `"5"` for 5, no float for money). Times are aware and converted to UTC; cost
amounts arrive as decimal strings in cents and are read as `Decimal`, never through float.
"""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal, InvalidOperation
from typing import Annotated, Generic, TypeVar

from pydantic import AfterValidator, AwareDatetime, BaseModel, BeforeValidator, ConfigDict


class WireModel(BaseModel):
    """A frozen, type-strict model that ignores fields it does not know."""

    model_config = ConfigDict(extra="ignore", frozen=True, strict=True)


def _iso_time(value: object) -> object:
    # Strict models take only datetimes in Python mode; reading a decoded dict (e.g. from a cache)
    # should work as reading the JSON does, so an RFC 3339 string is parsed here, and nothing else.
    if isinstance(value, str):
        try:
            return datetime.fromisoformat(value)
        except ValueError:
            raise ValueError("expected an RFC 3339 time") from None
    return value


def _to_utc(moment: datetime) -> datetime:
    return moment.astimezone(UTC)


def _cents_string(value: object) -> Decimal:
    # The documented wire is a string ("123.78912"); a JSON number would have gone through float.
    if isinstance(value, Decimal):
        return value
    if not isinstance(value, str):
        raise ValueError("a cents amount must be a decimal string")
    try:
        amount = Decimal(value.strip())
    except InvalidOperation:
        raise ValueError("a cents amount must be a decimal string") from None
    if not amount.is_finite():
        raise ValueError("a cents amount must be finite")
    return amount


UtcDatetime = Annotated[AwareDatetime, BeforeValidator(_iso_time), AfterValidator(_to_utc)]
CentsString = Annotated[Decimal, BeforeValidator(_cents_string)]

ItemT = TypeVar("ItemT", bound=BaseModel)


class ReportPage(WireModel, Generic[ItemT]):
    """A report-cursor page (usage, cost, Claude Code): `has_more` and `next_page`."""

    data: list[ItemT]
    has_more: bool
    next_page: str | None = None


class IdPage(WireModel, Generic[ItemT]):
    """An id-cursor page (API keys, workspaces, users): next page is `after_id=last_id`."""

    data: list[ItemT]
    has_more: bool
    first_id: str | None = None
    last_id: str | None = None


class CursorPage(WireModel, Generic[ItemT]):
    """A page-cursor page without `has_more` (rate limits): done when `next_page` is null."""

    data: list[ItemT]
    next_page: str | None = None
