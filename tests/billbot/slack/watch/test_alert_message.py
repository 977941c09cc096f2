"""The alert message as Block Kit (pure): severity, figures, estimate label, evidence, buttons, link."""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import UTC, datetime
from decimal import Decimal

from billbot.slack.blocks import MAX_BLOCKS
from billbot.slack.watch.message import DisputeLink, alert_id_of, alert_message
from billbot.watch.alert_store import StoredAlert
from billbot.watch.alerts import Alert
from billbot.watch.findings import Finding
from billbot.watch.scope import ORGANIZATION

NOW = datetime(2026, 11, 15, 9, tzinfo=UTC)
ACTIONS = ("acknowledge", "snooze_day", "snooze_period", "expected", "not_expected")
BUDGET = Finding(
    "budget", ORGANIZATION, "warning", "2026-11/budget-1", Decimal("850"),
    "Organisation has spent $850.00 of its $1,000.00 monthly budget (85%) (estimate: usage × price list)",
    figures=(("Budget", "$1,000.00"), ("Spent", "$850.00")), evidence=("Budget #1: $1,000.00 monthly",),
    level="80%", rank=800, basis="estimate",
)  # fmt: skip
RECONCILIATION = Finding(
    "reconciliation", ORGANIZATION, "critical", "2026-11-10", Decimal("12.28"),
    "The bill for Tue 10 Nov is $12.28 more than usage × the price list explains",
    figures=(("Billed", "$24.56"), ("Usage × price list", "$12.28"), ("Difference", "$12.28")),
    evidence=("claude-sonnet-5 input: billed $20.00, expected $10.00 (+$10.00)",), basis="billed",
)  # fmt: skip


def stored(finding: Finding, **changes: object) -> StoredAlert:
    alert = replace(Alert(finding, "firing", NOW, NOW, finding.rank, True), **changes)  # type: ignore[arg-type]
    return StoredAlert(7, alert, "CALERTS", "1.1", alert.version, alert.version)


def buttons(blocks: list[dict[str, object]]) -> list[str]:
    elements = blocks[-1]["elements"]
    assert isinstance(elements, list)
    return [e["action_id"] for e in elements]


def test_a_budget_alert_says_how_bad_what_the_figures_are_and_that_they_are_an_estimate() -> None:
    text, blocks = alert_message(stored(BUDGET), "sandbox")
    shown = json.dumps(blocks, ensure_ascii=False)
    assert text.startswith(":warning: Warning: #7 Organisation has spent $850.00")
    assert blocks[0]["type"] == "header" and "#7 Organisation has spent" in shown
    assert ":warning: Warning · budget · Organisation" in shown
    assert "*Spent*\\n$850.00" in shown and "Estimate: usage × price list" in shown
    assert "Budget #1: $1,000.00 monthly" in shown
    assert buttons(blocks) == [f"watch_{a}" for a in ACTIONS]
    assert all(e["value"] == "7" for e in blocks[-1]["elements"])
    assert len(blocks) <= MAX_BLOCKS


def test_a_reconciliation_alert_offers_a_dispute_until_one_is_drafted_then_links_it() -> None:
    _, blocks = alert_message(stored(RECONCILIATION), "sandbox")
    assert buttons(blocks)[-1] == "watch_dispute" and "Critical" in json.dumps(blocks)
    assert "Estimate" not in json.dumps(blocks)  # billed figures
    _, drafted = alert_message(stored(RECONCILIATION), "sandbox", DisputeLink(3, "CTICKETS", "https://x/p1"))
    assert "watch_dispute" not in buttons(drafted)
    assert "Dispute drafted: <https://x/p1|ticket #3>" in json.dumps(drafted)
    no_link = DisputeLink(3, "CTICKETS").mrkdwn()
    assert no_link == "ticket #3 in <#CTICKETS> (`/claude-tickets 3`)"


def test_once_acknowledged_the_button_is_gone_and_the_status_says_who() -> None:
    _, blocks = alert_message(stored(BUDGET, acknowledged_by="U7", acknowledged_at=NOW), "sandbox")
    assert "watch_acknowledge" not in buttons(blocks)
    assert "acknowledged by <@U7>" in json.dumps(blocks)


def test_only_a_positive_id_the_store_can_hold_names_an_alert() -> None:
    assert alert_id_of("42") == 42
    assert [alert_id_of(v) for v in ("0", "-1", "x", "", "9" * 20, "1.5", None)] == [None] * 7
