"""HTML of the page's parts: a reply as a panel, the selectors, the admin form, and the page around them.

Everything is escaped here (`esc`); no markup comes from a reply. Headings go h1 (the page) → h2 (a
panel); every table has a caption and header cells with scopes; every form field has a label; a chart
has a text summary, a legend and its figures in a table under "Figures by day".
"""

from __future__ import annotations

from collections.abc import Iterable
from html import escape
from urllib.parse import urlencode

from billbot.app.errors import UserMessage
from billbot.app.replies.model import Response, Table
from billbot.app.replies.plot import Plot
from billbot.core.money import usd
from billbot.web.panels import PERIODS, Panel, PanelSpec, Selection
from billbot.web.svg import NARROW, WIDE, chart_svg, legend_items, plot_of

STYLESHEET = "/static/dashboard.css"
ICON = "/static/favicon.svg"


def esc(text: object) -> str:
    """Text made safe for HTML content and attribute values."""
    return escape(str(text), quote=True)


def page(title: str, body: str, *, header: str = "") -> str:
    """A whole HTML document."""
    return (
        '<!doctype html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f"<title>{esc(title)}</title>\n"
        f'<link rel="stylesheet" href="{STYLESHEET}">\n<link rel="icon" href="{ICON}" type="image/svg+xml">\n'
        "</head>\n<body>\n"
        '<a class="skip" href="#main">Skip to the content</a>\n'
        f'<header class="top"><p class="brand">billbot</p>{header}</header>\n'
        f'<main id="main">\n{body}\n</main>\n</body>\n</html>\n'
    )


def message_page(title: str, paragraphs: Iterable[str], *, header: str = "") -> str:
    """A page that only says something (sign in, a refused link, a finished change)."""
    text = "".join(f"<p>{paragraph}</p>" for paragraph in paragraphs)
    return page(
        f"billbot · {title}", f'<div class="message"><h1>{esc(title)}</h1>{text}</div>', header=header
    )


def signed_in_header(user: str, csrf: str) -> str:
    """Who is signed in, and the sign-out button."""
    return (
        f'<div class="who"><span>Signed in as {esc(user)}</span>'
        f'<form method="post" action="/signout"><input type="hidden" name="csrf" value="{esc(csrf)}">'
        '<button type="submit">Sign out</button></form></div>'
    )


def selectors(selection: Selection, workspaces: list[str]) -> str:
    """The period links and the period/workspace form (plain GET: no script needed)."""
    links = []
    for period, label in PERIODS:
        query = urlencode(
            {"period": period, **({"workspace": selection.workspace} if selection.workspace else {})}
        )
        current = ' aria-current="page"' if period == selection.period else ""
        links.append(f'<li><a href="/?{esc(query)}"{current}>{esc(label)}</a></li>')
    options = ['<option value="">All workspaces</option>'] + [
        f'<option value="{esc(name)}"{_selected(name == selection.workspace)}>{esc(name)}</option>'
        for name in workspaces
    ]
    return (
        f'<nav aria-label="Period"><ul>{"".join(links)}</ul></nav>'
        '<form class="selectors" method="get" action="/">'
        '<div><label for="period">Period</label>'
        f'<input id="period" name="period" value="{esc(selection.period)}" '
        'aria-describedby="period-help" autocomplete="off" spellcheck="false"></div>'
        '<div><label for="workspace">Workspace</label>'
        f'<select id="workspace" name="workspace">{"".join(options)}</select></div>'
        '<div><button type="submit">Show</button></div>'
        '<p id="period-help" class="subtitle">today, yesterday, 7d, 30d, 90d, mtd, last-month, YYYY-MM or '
        "YYYY-MM-DD..YYYY-MM-DD</p></form>"
    )


def panel_html(panel: Panel, *, extra: str = "") -> str:
    """One panel: heading, source line, then the answer's parts (or what went wrong)."""
    spec = panel.spec
    key = esc(spec.key)
    wide = "" if spec.span == "one" else f" span-{spec.span}"
    head = f'<h2 id="panel-{key}-h">{esc(spec.heading)}</h2>'
    reply = panel.reply
    if isinstance(reply, UserMessage):
        body = problem(reply) + f'<p class="source">Command: <code>{esc(panel.command)}</code></p>'
    else:
        body = response_html(reply, spec, key)
    return (
        f'<section class="panel{wide}" id="panel-{key}" aria-labelledby="panel-{key}-h">'
        f"{head}{body}{extra}</section>"
    )


def response_html(response: Response, spec: PanelSpec, key: str) -> str:
    """A reply's parts, in the order every interface shows them."""
    parts = [
        f'<p class="subtitle">{esc(response.title)}</p>',
        f'<p class="source">Source: {esc(response.source)}</p>',
    ]
    if spec.facts and response.facts:
        facts = "".join(f"<div><dt>{esc(f.label)}</dt><dd>{esc(f.value)}</dd></div>" for f in response.facts)
        parts.append(f'<dl class="facts">{facts}</dl>')
    if spec.charts:
        plots = [*([plot_of(response.chart)] if response.chart is not None else []), *response.plots]
        parts += [chart_html(plot, f"{key}-chart-{index}") for index, plot in enumerate(plots)]
    several = len(response.tables) > 1  # then each table's own first header tells them apart
    parts += [
        table_html(table, spec.row_label, table.header[0] if several and table.header[0] else spec.heading)
        for table in response.tables
    ]
    if response.warnings:
        items = "".join(f"<li>{esc(w)}</li>" for w in response.warnings)
        parts.append(f'<ul class="warnings" aria-label="Warnings">{items}</ul>')
    if response.notes:
        items = "".join(f"<li>{esc(n)}</li>" for n in response.notes)
        parts.append(f'<ul class="notes" aria-label="Notes">{items}</ul>')
    return "".join(parts)


def table_html(table: Table, row_label: str, caption: str) -> str:
    """A table with a caption, column headers and row headers, scrollable sideways on a phone."""
    header = [table.header[0] or row_label, *table.header[1:]]
    head = "".join(f'<th scope="col">{esc(cell)}</th>' for cell in header)
    rows = "".join(
        f'<tr><th scope="row">{esc(row[0])}</th>{"".join(f"<td>{esc(cell)}</td>" for cell in row[1:])}</tr>'
        for row in table.rows
    )
    if not table.rows:
        rows = f'<tr><td colspan="{len(header)}">Nothing to show.</td></tr>'
    return (
        f'<div class="table-wrap" role="region" aria-label="{esc(caption)}" tabindex="0">'
        f"<table><caption>{esc(caption)}</caption>"
        f"<thead><tr>{head}</tr></thead><tbody>{rows}</tbody></table></div>"
    )


def chart_html(chart: Plot, chart_id: str) -> str:
    """A chart: the SVG, its legend, its summary, and its figures as a table."""
    legend = "".join(
        f'<li><span class="swatch {esc(css)}" aria-hidden="true"></span>{esc(name)}</li>'
        for css, name in legend_items(chart)
    )
    rows = []
    for index, category in enumerate(chart.categories):
        cells = [s.values[index] for s in chart.series]
        if all(cell is None for cell in cells):
            continue
        rows.append((category, *("" if cell is None else usd(cell) for cell in cells)))
    figures = table_html(Table(("Day", *(s.name for s in chart.series)), tuple(rows)), "Day", chart.title)
    return (
        f"<figure>{chart_svg(chart, chart_id, WIDE)}{chart_svg(chart, f'{chart_id}-narrow', NARROW)}"
        f'<ul class="legend" aria-label="Legend">{legend}</ul>'
        f"<figcaption>{esc(chart.summary)}</figcaption></figure>"
        f"<details><summary>Figures by day</summary>{figures}</details>"
    )


def problem(message: UserMessage) -> str:
    """What went wrong, as the command layer says it (with the usage line or the reference)."""
    text = esc(message.text)
    if message.usage:
        text += f'<br><span class="usage">Usage: <code>{esc(message.usage)}</code></span>'
    return f'<p class="problem" role="status">{text}</p>'


def topup_form(csrf: str) -> str:
    """Admins only: record a top-up through `/claude-balance topup` (CSRF-protected)."""
    return (
        '<div class="admin"><h3 class="subtitle">Admin: record a top-up</h3>'
        '<form method="post" action="/balance">'
        f'<input type="hidden" name="csrf" value="{esc(csrf)}">'
        '<div><label for="topup-amount">Amount (USD)</label>'
        '<input id="topup-amount" name="amount" inputmode="decimal" required></div>'
        '<div><label for="topup-date">Bought on (optional)</label>'
        '<input id="topup-date" name="date" type="date"></div>'
        '<div><button type="submit">Record top-up</button></div></form></div>'
    )


def _selected(chosen: bool) -> str:
    return " selected" if chosen else ""
