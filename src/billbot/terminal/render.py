"""A `Response` as plain text for the terminal: title, source, aligned facts and tables, notes."""

from __future__ import annotations

from billbot.app.replies.model import Response
from billbot.app.replies.text import table_lines
from billbot.terminal.charts import terminal_chart


def render_text(response: Response) -> str:
    """The whole answer as text lines."""
    lines = [response.title, f"source: {response.source}"]
    if response.facts:
        width = max(len(fact.label) for fact in response.facts)
        lines += [f"  {fact.label:<{width}}  {fact.value}" for fact in response.facts]
    for table in response.tables:
        lines += ["", *table_lines(table)]
    if response.chart is not None:
        lines += ["", terminal_chart(response.chart)]
    lines += [f"! {warning}" for warning in response.warnings]
    lines += [f"note: {note}" for note in response.notes]
    return "\n".join(lines)
