"""Block Kit from responses: Slack's limits hold even for oversized answers; tables are native first."""

from __future__ import annotations

from billbot.app.replies.model import Fact, Response, Table
from billbot.slack.blocks import MAX_BLOCKS, blocks_for, fallback_text


def big_response() -> Response:
    rows = tuple((f"key {n}" * 30, f"${n}.00", "1%") for n in range(300))
    return Response(
        title="Claude API spend · " + "x" * 400,
        source="sandbox · simulated org 'demo'",
        facts=tuple(Fact(f"fact {n}", "y" * 5000) for n in range(25)),
        tables=(Table(("", "Billed", "share"), rows), Table(("", "Billed", "share"), rows)),
        notes=tuple(f"note {n}" for n in range(15)),
        warnings=tuple("w" * 4000 for _ in range(60)),
    )


def test_an_oversized_answer_still_fits_every_limit() -> None:
    share = {
        "type": "actions",
        "elements": [
            {"type": "button", "action_id": "share", "text": {"type": "plain_text", "text": "Share"}}
        ],
    }
    blocks = blocks_for(big_response(), actions=[share])
    assert len(blocks) <= MAX_BLOCKS and blocks[-1] is share
    assert len(blocks[0]["text"]["text"]) <= 150
    for block in blocks:
        if block["type"] == "section" and "text" in block:
            assert len(block["text"]["text"]) <= 3000
        if block["type"] == "section" and "fields" in block:
            assert len(block["fields"]) <= 10 and all(len(f["text"]) <= 2000 for f in block["fields"])
        if block["type"] == "table":
            assert len(block["rows"]) <= 100
        if block["type"] == "context":
            assert len(block["elements"]) <= 10


def test_first_table_is_native_and_the_next_is_text() -> None:
    response = Response(
        "t",
        "s",
        tables=(Table(("model", "cost"), (("sonnet", "$1.00"),)), Table(("key", "cost"), (("k", "$2.00"),))),
    )
    blocks = blocks_for(response)
    native = next(b for b in blocks if b["type"] == "table")
    assert native["rows"][1] == [
        {"type": "raw_text", "text": "sonnet"},
        {"type": "raw_text", "text": "$1.00"},
    ]
    assert native["column_settings"] == [{"align": "left"}, {"align": "right"}]
    text_table = [b for b in blocks if b["type"] == "section" and "```" in b["text"]["text"]]
    assert len(text_table) == 1 and "$2.00" in text_table[0]["text"]["text"]


def test_fallback_text_carries_the_headline_figures() -> None:
    response = Response("Claude API spend · month to date", "s", (Fact("Billed", "$210.00"),))
    assert fallback_text(response) == "Claude API spend · month to date — Billed: $210.00"
