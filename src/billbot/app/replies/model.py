"""A renderer-neutral answer: a title, a source line, facts, tables, notes, perhaps a chart, and plots.

Builders turn domain answers into a `Response`; the Slack renderer makes Block Kit of it, the terminal
renderer plain text and the web page HTML, so all say the same thing. `chart` (`replies.chart`) is
drawn by every interface; `plots` (`replies.plot`: bars, gaps, bands, long x axes) where an interface
can draw any plot (the web page), each with a one-sentence summary of what it shows.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from billbot.app.replies.chart import SpendChart
from billbot.app.replies.plot import Plot


@dataclass(frozen=True, slots=True)
class Fact:
    """A labelled value, e.g. ("Billed", "$1,234.56")."""

    label: str
    value: str


@dataclass(frozen=True, slots=True)
class Table:
    """A small table: header and rows of equal length (the first column is text, the rest figures)."""

    header: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]


@dataclass(frozen=True, slots=True)
class Response:
    """One answer to one command."""

    title: str
    source: str
    facts: tuple[Fact, ...] = ()
    tables: tuple[Table, ...] = ()
    notes: tuple[str, ...] = ()
    warnings: tuple[str, ...] = field(default=())
    chart: SpendChart | None = None
    plots: tuple[Plot, ...] = ()
