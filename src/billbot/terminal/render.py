"""A `Response` as plain text for the terminal: title, source, aligned facts and tables, notes."""

from __future__ import annotations

from billbot.responses.model import Response, Table


def render_text(response: Response) -> str:
    """The whole answer as text lines."""
    lines = [response.title, f"source: {response.source}"]
    if response.facts:
        width = max(len(fact.label) for fact in response.facts)
        lines += [f"  {fact.label:<{width}}  {fact.value}" for fact in response.facts]
    for table in response.tables:
        lines += ["", *render_table(table)]
    lines += [f"! {warning}" for warning in response.warnings]
    lines += [f"note: {note}" for note in response.notes]
    return "\n".join(lines)


def render_table(table: Table) -> list[str]:
    """A table as aligned text lines: text left, figures right."""
    rows = [table.header, *table.rows]
    widths = [max(len(row[column]) for row in rows) for column in range(len(table.header))]

    def line(row: tuple[str, ...]) -> str:
        cells = [row[0].ljust(widths[0])] + [
            cell.rjust(width) for cell, width in zip(row[1:], widths[1:], strict=True)
        ]
        return "  " + "  ".join(cells).rstrip()

    return [line(table.header), "  " + "  ".join("-" * width for width in widths), *map(line, table.rows)]
