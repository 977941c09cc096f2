"""What a ticket modal carries in its `private_metadata`, typed: written and read in this one place.

Slack hands `private_metadata` back untouched, but a submission can be forged (anyone holding the
signing secret) or come from a modal opened by another version of billbot. Parsing is strict — the
fields billbot writes and nothing else — and anything else is a `MetadataError` the listener turns
into a clear refusal, never a `KeyError` in a job. Ticket ids (here and in button values) are bounded
to what the store can hold.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any, TypeVar

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from billbot.tickets.domain.model import TicketKind

MAX_TICKET_ID = 2**63 - 1  # the largest id SQLite and PostgreSQL store (a signed 64-bit integer)
METADATA_CHARS = 3000  # Slack's limit for `private_metadata`
TICKET_ID = re.compile(r"^[1-9][0-9]{0,18}$")


class MetadataError(ValueError):
    """A modal's metadata that is missing, malformed or not what billbot wrote."""


class ModalMetadata(BaseModel):
    """Context a modal carries between opening and submission (unknown keys are refused)."""

    model_config = ConfigDict(extra="forbid", frozen=True, strict=True)


class FilingFormMetadata(ModalMetadata):
    """The filing form: what is filed, where the command came from, and how to reach the filer."""

    kind: TicketKind = Field(strict=False)  # JSON carries the enum's value
    channel: str = Field(default="", max_length=32)
    # The command's response URL: it reaches the filer even where the bot is not a channel member.
    response_url: str = Field(default="", max_length=1000)


class TicketFollowupMetadata(ModalMetadata):
    """A follow-up modal (evidence, answer, resolve): the ticket it changes."""

    ticket: int = Field(gt=0, le=MAX_TICKET_ID)


M = TypeVar("M", bound=ModalMetadata)


def dump_metadata(metadata: ModalMetadata) -> str:
    """The `private_metadata` string for a modal (fields left at their defaults are left out)."""
    text = metadata.model_dump_json(exclude_defaults=True)
    if len(text) > METADATA_CHARS:
        raise MetadataError(f"modal metadata of {len(text)} characters exceeds Slack's {METADATA_CHARS}")
    return text


def metadata_of(view: Mapping[str, Any], model: type[M]) -> M:
    """The submitted view's metadata as `model`, or a `MetadataError` saying what is wrong."""
    raw = view.get("private_metadata")
    if not isinstance(raw, str) or not raw:
        raise MetadataError(f"{view.get('callback_id')!s}: the modal carries no metadata")
    try:
        return model.model_validate_json(raw)
    except ValidationError as error:
        problems = "; ".join(_problem(item) for item in error.errors(include_url=False))
        raise MetadataError(f"{view.get('callback_id')!s}: unreadable metadata ({problems})") from None


def ticket_id_of(value: object) -> int | None:
    """A ticket id from a button value: a positive integer the store can hold, else None."""
    text = str(value)
    if not TICKET_ID.match(text) or int(text) > MAX_TICKET_ID:
        return None
    return int(text)


def _problem(item: Mapping[str, Any]) -> str:
    where = ".".join(str(part) for part in item["loc"]) or "metadata"
    return f"{where}: {item['msg']}"
