"""A `Response` as Block Kit, within Slack's limits, with a plain-text fallback for notifications.

Limits (reference/slack.md §6-7): 50 blocks per message, header text 150 chars, section text 3,000,
section fields 10 × 2,000, context 10 elements, table block 100 rows × 20 cells. The first table uses
the native `table` block; further tables (Slack shows one table per message) are monospaced text.
Anything too long is cut with a visible "…" rather than rejected by Slack.
"""

from __future__ import annotations

from typing import Any

from billbot.app.replies.model import Response, Table
from billbot.app.replies.text import table_lines
from billbot.slack.charts import fallback_text as chart_text
from billbot.slack.charts import slack_block as chart_block

MAX_BLOCKS = 50
HEADER_CHARS = 150
SECTION_CHARS = 3000
FIELD_CHARS = 2000
MAX_FIELDS = 10
MAX_TABLE_ROWS = 100
MAX_TABLE_CELLS = 20

Block = dict[str, Any]


def blocks_for(response: Response, *, actions: list[Block] | None = None) -> list[Block]:
    """Header, source, facts, tables, warnings and notes — then `actions` (e.g. "share in channel")."""
    blocks: list[Block] = [
        {"type": "header", "text": {"type": "plain_text", "text": _cut(response.title, HEADER_CHARS)}},
        _context(f"source: {response.source}"),
    ]
    facts = [{"type": "mrkdwn", "text": _cut(f"*{f.label}*\n{f.value}", FIELD_CHARS)} for f in response.facts]
    for start in range(0, len(facts), MAX_FIELDS):
        blocks.append({"type": "section", "fields": facts[start : start + MAX_FIELDS]})
    for index, table in enumerate(response.tables):
        blocks.append(_native_table(table) if index == 0 else _text_table(table))
    if response.chart is not None:
        blocks.append(chart_block(response.chart))
    for warning in response.warnings:
        blocks.append(_section(f":warning: {warning}"))
    if response.notes:
        blocks.append(_context(*response.notes))
    tail = actions or []
    return blocks[: MAX_BLOCKS - len(tail)] + tail


def fallback_text(response: Response) -> str:
    """The notification text Slack shows where blocks cannot be (`text=` beside `blocks=`)."""
    facts = "; ".join(f"{fact.label}: {fact.value}" for fact in response.facts[:3])
    text = f"{response.title} — {facts}" if facts else response.title
    if response.chart is not None:  # a client that cannot draw the chart still says what it shows
        text = f"{text}\n{chart_text(response.chart)}"
    return _cut(text, SECTION_CHARS)


def _native_table(table: Table) -> Block:
    columns = min(len(table.header), MAX_TABLE_CELLS)
    rows = [table.header, *table.rows][:MAX_TABLE_ROWS]
    return {
        "type": "table",
        "column_settings": [{"align": "left"}] + [{"align": "right"}] * (columns - 1),
        "rows": [[{"type": "raw_text", "text": cell or " "} for cell in row[:columns]] for row in rows],
    }


def _text_table(table: Table) -> Block:
    return _section("```\n" + "\n".join(table_lines(table)) + "\n```")


def _section(text: str) -> Block:
    return {"type": "section", "text": {"type": "mrkdwn", "text": _cut(text, SECTION_CHARS)}}


def _context(*texts: str) -> Block:
    return {
        "type": "context",
        "elements": [{"type": "mrkdwn", "text": _cut(t, FIELD_CHARS)} for t in texts[:10]],
    }


def _cut(text: str, limit: int) -> str:
    if len(text) <= limit:
        return text
    closing = "\n```" if text.endswith("```") else ""
    return text[: limit - 1 - len(closing)] + "…" + closing
