"""The Home dashboard builder: the nearest limit, what needs attention, failed parts, Slack's limits."""

from __future__ import annotations

from datetime import UTC, datetime

from billbot.app.replies.model import Fact, Response, Table
from billbot.slack.home_view import MAX_HOME_BLOCKS, home_view

NOW = datetime(2026, 11, 23, 9, 30, tzinfo=UTC)
BALANCE = Response(
    "Claude API balance",
    "src",
    (Fact("Balance (estimate)", "$900.00"), Fact("Runway", "until 2027-01-10")),
    warnings=("$400.00 bought 2025-12-01 expires 2026-12-01",),
)
SPEND = Response(
    "Claude API spend · month to date", "src", (Fact("Billed", "$210.00"), Fact("vs Oct", "+3%"))
)


def limits(*rows: tuple[str, str, str, str]) -> Response:
    return Response(
        "Claude API limits · tier 2", "src", (), (Table(("Monthly limit", "limit", "mtd", "on"), rows),)
    )


def text_of(view: dict[str, object]) -> str:
    return str(view)


def test_the_nearest_limit_is_the_one_reached_first() -> None:
    view = home_view(
        BALANCE,
        SPEND,
        limits(
            ("Organisation limit", "$5,000.00", "$210.00 (4%)", "not this month"),
            ("Workspace Research", "$300.00", "$210.00 (70%)", "2026-11-27"),
            ("Tier cap (2)", "$500.00", "$210.00 (42%)", "2026-11-29"),
        ),
        updated=NOW,
    )
    text = text_of(view)
    assert (
        "*Nearest limit*\\nWorkspace Research: $300.00, month to date $210.00 (70%); reached on 2026-11-27"
        in text
    )
    assert ":hourglass: Tier cap (2) ($500.00) will be reached on 2026-11-29" in text
    assert ":warning: $400.00 bought 2025-12-01 expires 2026-12-01" in text
    assert "Balance (estimate)" in text and "$210.00" in text and "updated 2026-11-23 09:30 UTC" in text


def test_a_failed_part_is_a_sentence_and_an_empty_attention_list_says_so() -> None:
    quiet = Response("Claude API balance", "src", (Fact("Balance (estimate)", "$900.00"),))
    view = home_view(quiet, SPEND, limits(("Org", "$9.00", "$1.00 (11%)", "not this month")), updated=NOW)
    assert "Nothing needs attention." in text_of(view)
    failed = home_view("no balance recorded yet", SPEND, "The source failed (ref ab12cd34).", updated=NOW)
    text = text_of(failed)
    assert "no balance recorded yet" in text and ":grey_question: The source failed (ref ab12cd34)." in text


def test_a_huge_dashboard_stays_within_the_home_tab_limits() -> None:
    many = Response(
        "b", "src", tuple(Fact(f"Balance {n}", "x" * 5000) for n in range(40)), warnings=("w" * 5000,) * 200
    )
    view = home_view(many, many, limits(*[("L", "$1", "$2 (200%)", "reached")] * 500), updated=NOW)
    blocks = view["blocks"]
    assert isinstance(blocks, list) and len(blocks) <= MAX_HOME_BLOCKS
    for block in blocks:
        for field in block.get("fields", []):
            assert len(field["text"]) <= 2000
        assert len(block.get("fields", [])) <= 10
        if "text" in block and block["type"] == "section":
            assert len(block["text"]["text"]) <= 3000
