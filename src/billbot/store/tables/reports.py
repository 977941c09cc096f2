"""The cache of synced report buckets, so answers need not page the whole Admin API each time.

A row is one result of one bucket, keyed by everything that identifies it: the source (which API and
organisation, e.g. `anthropic:org_…` or `sandbox:demo`), the bucket width and start, the group-by
signature (the sorted, comma-joined `group_by[]` of the request, "" for none) and the dimension values.
The key is the primary key, so re-syncing a bucket updates its row (an upsert, see `billbot.store.upsert`)
and can never duplicate it.

Dimensions are never NULL: "" stands for the API's null. A NULL would defeat the key (SQL treats NULLs as
distinct in a unique index), and the group-by signature in the key keeps "not grouped by" (dimension
absent from the signature) apart from "grouped, value null" (e.g. the Default workspace).
Token counts are BIGINT; amounts are Money in US dollars (the wire's cents converted at the edge).
"""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal

from sqlalchemy import BigInteger, String
from sqlmodel import Field

from billbot.store.tables.base import StoreModel
from billbot.store.types import Money, UtcDateTime

USAGE_DIMENSIONS = ("api_key_id", "workspace_id", "model", "service_tier", "context_window", "inference_geo")
COST_GROUP_BY = ("description", "workspace_id")
"""What the cost report can group by; grouping by description also fills in the other cost dimensions."""
COST_DIMENSIONS = (
    "workspace_id",
    "description",
    "cost_type",
    "model",
    "token_type",
    "service_tier",
    "context_window",
    "inference_geo",
)


class UsageBucket(StoreModel, table=True):
    """Tokens of one usage-report result in `[starting_at, ending_at)`."""

    __tablename__ = "usage_bucket"

    source: str = Field(primary_key=True, sa_type=String(200))
    bucket_width: str = Field(primary_key=True, sa_type=String(4))
    starting_at: datetime = Field(primary_key=True, sa_type=UtcDateTime)
    group_by: str = Field(primary_key=True, sa_type=String(200))
    api_key_id: str = Field(default="", primary_key=True, sa_type=String(128))
    workspace_id: str = Field(default="", primary_key=True, sa_type=String(128))
    model: str = Field(default="", primary_key=True, sa_type=String(128))
    service_tier: str = Field(default="", primary_key=True, sa_type=String(32))
    context_window: str = Field(default="", primary_key=True, sa_type=String(32))
    inference_geo: str = Field(default="", primary_key=True, sa_type=String(32))
    ending_at: datetime = Field(sa_type=UtcDateTime, nullable=False)
    uncached_input_tokens: int = Field(default=0, sa_type=BigInteger, nullable=False)
    cache_creation_5m_tokens: int = Field(default=0, sa_type=BigInteger, nullable=False)
    cache_creation_1h_tokens: int = Field(default=0, sa_type=BigInteger, nullable=False)
    cache_read_input_tokens: int = Field(default=0, sa_type=BigInteger, nullable=False)
    output_tokens: int = Field(default=0, sa_type=BigInteger, nullable=False)
    web_search_requests: int = Field(default=0, sa_type=BigInteger, nullable=False)
    fetched_at: datetime = Field(sa_type=UtcDateTime, nullable=False)


class CostBucket(StoreModel, table=True):
    """The billed amount of one cost-report result of the day `[starting_at, ending_at)`."""

    __tablename__ = "cost_bucket"

    source: str = Field(primary_key=True, sa_type=String(200))
    bucket_width: str = Field(primary_key=True, sa_type=String(4))
    starting_at: datetime = Field(primary_key=True, sa_type=UtcDateTime)
    group_by: str = Field(primary_key=True, sa_type=String(200))
    workspace_id: str = Field(default="", primary_key=True, sa_type=String(128))
    description: str = Field(default="", primary_key=True, sa_type=String(200))
    cost_type: str = Field(default="", primary_key=True, sa_type=String(32))
    model: str = Field(default="", primary_key=True, sa_type=String(128))
    token_type: str = Field(default="", primary_key=True, sa_type=String(64))
    service_tier: str = Field(default="", primary_key=True, sa_type=String(32))
    context_window: str = Field(default="", primary_key=True, sa_type=String(32))
    inference_geo: str = Field(default="", primary_key=True, sa_type=String(32))
    ending_at: datetime = Field(sa_type=UtcDateTime, nullable=False)
    amount: Decimal = Field(sa_type=Money, nullable=False)
    currency: str = Field(default="USD", sa_type=String(8), nullable=False)
    fetched_at: datetime = Field(sa_type=UtcDateTime, nullable=False)
