"""Tables as aligned monospaced lines: the terminal's tables, and Slack's second and later tables."""

from __future__ import annotations

from billbot.app.replies.model import Table


def table_lines(table: Table) -> list[str]:
    """A table as aligned text lines: text left, figures right."""
    rows = [table.header, *table.rows]
    widths = [max(len(row[column]) for row in rows) for column in range(len(table.header))]

    def line(row: tuple[str, ...]) -> str:
        cells = [row[0].ljust(widths[0])] + [
            cell.rjust(width) for cell, width in zip(row[1:], widths[1:], strict=True)
        ]
        return "  " + "  ".join(cells).rstrip()

    return [line(table.header), "  " + "  ".join("-" * width for width in widths), *map(line, table.rows)]
