"""Ticket Block Kit within Slack's limits: the header of every profile × category, and the modals."""

from __future__ import annotations

import json
from datetime import timedelta
from decimal import Decimal
from pathlib import Path

import pytest

from billbot.app.replies.tickets import ticket_response
from billbot.slack.blocks import blocks_for
from billbot.slack.tickets.views import (
    answer_modal,
    evidence_modal,
    filing_modal,
    header_actions,
    resolve_modal,
)
from billbot.store.engine import make_engine
from billbot.store.migrate import migrate
from billbot.tickets.catalog import load_profiles
from billbot.tickets.domain.model import Category, TicketKind
from billbot.tickets.service import TicketService
from tests.billbot.tickets.conftest import NOW, make_claim

AGGREGATE_LIMIT = 12_000  # Slack rejects ~13.2k characters of blocks (msg_blocks_too_long)


@pytest.fixture
def service(tmp_path: Path) -> TicketService:
    engine = make_engine(f"sqlite:///{tmp_path / 'views.db'}")
    migrate(engine)
    return TicketService(engine, load_profiles())


@pytest.mark.parametrize("provider", sorted(load_profiles()))
@pytest.mark.parametrize("category", list(Category))
def test_the_header_of_the_largest_ticket_fits_slack(
    service: TicketService, provider: str, category: Category
) -> None:
    claim = make_claim(
        provider=provider, category=category, amount=Decimal("123456.78"), description="d" * 3000,
        request_ids=tuple(f"req_011C{n:024d}" for n in range(40)), transaction_at=NOW - timedelta(days=45),
    )  # fmt: skip
    ticket, _ = service.file(claim, submission_key="big", by="U1", channel_id="C1")
    blocks = blocks_for(
        ticket_response(ticket, service.assessment(ticket, NOW), NOW), actions=[header_actions(ticket)]
    )
    assert len(blocks) <= 50 and len(json.dumps(blocks)) < AGGREGATE_LIMIT
    for block in blocks:
        if block["type"] == "section" and "text" in block:
            assert len(block["text"]["text"]) <= 3000
        if block["type"] == "context":
            assert len(block["elements"]) <= 10
    assert blocks[-1]["elements"][0]["action_id"] == "ticket_submitted"


def test_modals_fit_slack(service: TicketService) -> None:
    ticket, _ = service.file(make_claim(), submission_key="m", by="U1", channel_id="C1")
    providers = {pid: p.name for pid, p in load_profiles().items()}
    views = [
        filing_modal(TicketKind.DISPUTE, providers, "claudeapi-com", "C1", {"description": "x" * 5000}),
        filing_modal(TicketKind.REFUND, providers, "nobody", "C1", {}),
        evidence_modal(ticket, {}),
        answer_modal(ticket),
        resolve_modal(ticket),
    ]
    for view in views:
        assert all(len(view[key]["text"]) <= 24 for key in ("title", "submit", "close"))
        assert len(view["private_metadata"]) <= 3000 and len(view["blocks"]) <= 100
        for block in view["blocks"]:
            initial = block["element"].get("initial_value", "")
            assert len(initial) <= 3000
