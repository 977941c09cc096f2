"""Ticket fixtures: the store's (a SQLite file, and PostgreSQL where a server is given) and claims."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from typing import Any

import pytest
from sqlalchemy import Engine

from billbot.tickets.catalog import load_profiles
from billbot.tickets.domain.model import Category, Claim, TicketKind
from billbot.tickets.service import TicketService
from tests.billbot.store.conftest import (  # noqa: F401  (fixtures shared with the store tests)
    bare_engine,
    engine,
    postgres_admin,
    postgres_schema_url,
    postgres_url,
    store_url,
)

NOW = datetime(2026, 11, 20, 12, 0, tzinfo=UTC)
ORG = "org-tickets"


@pytest.fixture
def service(engine: Engine) -> TicketService:  # noqa: F811  (the imported fixture)
    return TicketService(engine, load_profiles(), ledger_org=ORG)


def make_claim(**changes: Any) -> Claim:
    """A claudeapi-com duplicate-charge dispute of $12.50 from 10 days ago, filed now."""
    base: dict[str, Any] = {
        "kind": TicketKind.DISPUTE,
        "category": Category.DUPLICATE_CHARGE,
        "provider": "claudeapi-com",
        "transaction_at": NOW - timedelta(days=10),
        "filed_at": NOW,
        "amount": Decimal("12.50"),
        "request_ids": ("req_011CDuplicate",),
        "description": "charged twice for one call",
    }
    return Claim(**(base | changes))


@pytest.fixture
def claim_factory() -> Callable[..., Claim]:
    return make_claim
