"""The page's one stylesheet (served at /static/dashboard.css) and its palette.

Colours are named once here; `TEXT_PAIRS` lists every text colour on the background it is shown on,
and a test holds each pair to WCAG AA contrast (4.5:1; chart marks to 3:1 against the panel). The
layout is a single column on a phone and a grid from about 48 rem; nothing needs JavaScript.
"""

from __future__ import annotations

PALETTE = {
    "page": "#f4f5f7",
    "panel": "#ffffff",
    "ink": "#1d2330",
    "muted": "#4a5263",
    "line": "#c9ced8",
    "accent": "#1f5fbf",
    "accent-ink": "#ffffff",
    "warn-bg": "#fff4e0",
    "warn-ink": "#6b3d00",
    "problem-bg": "#fde8e8",
    "problem-ink": "#8a1c1c",
    "bar": "#2f6fd0",
    "bar-estimate": "#7d5bc2",
    "band": "#f2c572",
    "forecast": "#8a5a00",
    "limit": "#b3261e",
}

# (text, background) pairs the page uses: each must reach 4.5:1.
TEXT_PAIRS = (
    ("ink", "page"),
    ("ink", "panel"),
    ("muted", "panel"),
    ("muted", "page"),
    ("accent", "panel"),
    ("accent", "page"),
    ("accent-ink", "accent"),
    ("warn-ink", "warn-bg"),
    ("problem-ink", "problem-bg"),
)
# Chart marks against the panel: non-text contrast of 3:1 (WCAG 1.4.11). The band is a shaded area
# behind the dashed forecast line, which carries the meaning; it is drawn with an outline.
MARK_COLOURS = ("bar", "bar-estimate", "forecast", "limit")


def stylesheet() -> str:
    """The CSS of every page."""
    colours = "".join(f"--{name}: {colour}; " for name, colour in PALETTE.items())
    return f":root {{ {colours}}}\n{_CSS.lstrip()}"


_CSS = """
*, *::before, *::after { box-sizing: border-box; }
html { font-size: 100%; -webkit-text-size-adjust: 100%; }
body { margin: 0; background: var(--page); color: var(--ink);
  font: 1rem/1.5 system-ui, -apple-system, "Segoe UI", Roboto, "DejaVu Sans", sans-serif; }
a { color: var(--accent); }
a:focus-visible, button:focus-visible, input:focus-visible, select:focus-visible,
[tabindex]:focus-visible { outline: 3px solid var(--accent); outline-offset: 2px; }
.skip { position: absolute; left: -999rem; }
.skip:focus { left: 1rem; top: 1rem; background: var(--panel); padding: .5rem; z-index: 1; }
.top { display: flex; flex-wrap: wrap; gap: .5rem 1rem; align-items: center; justify-content: space-between;
  padding: .75rem 1rem; background: var(--panel); border-bottom: 1px solid var(--line); }
.brand { margin: 0; font-weight: 700; font-size: 1.125rem; }
.who { margin: 0; display: flex; gap: .75rem; align-items: center; flex-wrap: wrap; color: var(--muted); }
.who form { margin: 0; }
main { padding: 1rem; max-width: 90rem; margin: 0 auto; }
h1 { font-size: 1.5rem; line-height: 1.25; margin: .25rem 0 1rem; }
h2 { font-size: 1.125rem; margin: 0; }
nav ul { list-style: none; display: flex; flex-wrap: wrap; gap: .5rem; padding: 0; margin: 0 0 .75rem; }
nav a { display: inline-block; padding: .375rem .75rem; border: 1px solid var(--line); border-radius: 1rem;
  background: var(--panel); text-decoration: none; min-height: 2.75rem; line-height: 2rem; }
nav a[aria-current="page"] { background: var(--accent); color: var(--accent-ink);
  border-color: var(--accent); }
.selectors { display: flex; flex-wrap: wrap; gap: .5rem 1rem; align-items: flex-end; margin: 0 0 1rem; }
.selectors div { display: flex; flex-direction: column; }
label { font-weight: 600; font-size: .875rem; }
input, select, button { font: inherit; min-height: 2.75rem; padding: .375rem .5rem; border-radius: .375rem;
  border: 1px solid var(--muted); background: var(--panel); color: var(--ink); }
button { background: var(--accent); color: var(--accent-ink); border-color: var(--accent); cursor: pointer;
  padding: .375rem 1rem; }
.panels { display: grid; gap: 1rem; grid-template-columns: 1fr; }
@media (min-width: 48rem) {
  .panels { grid-template-columns: repeat(2, minmax(0, 1fr)); }
  .panel.span-two, .panel.span-full { grid-column: 1 / -1; }
}
@media (min-width: 72rem) {
  .panels { grid-template-columns: repeat(3, minmax(0, 1fr)); }
  .panel.span-two { grid-column: span 2; }
}
.panel { background: var(--panel); border: 1px solid var(--line); border-radius: .5rem; padding: 1rem;
  min-width: 0; }
.subtitle { margin: .125rem 0 0; color: var(--muted); font-size: .875rem; }
.source { margin: .25rem 0 .75rem; color: var(--muted); font-size: .875rem; overflow-wrap: anywhere; }
.facts { display: grid; grid-template-columns: repeat(auto-fit, minmax(min(100%, 11rem), 1fr)); gap: .75rem;
  margin: 0 0 .75rem; }
.facts div { border-left: 3px solid var(--accent); padding-left: .5rem; }
.facts dt { font-size: .875rem; color: var(--muted); }
.facts dd { margin: 0; font-size: 1.25rem; font-weight: 700; overflow-wrap: break-word; }
.table-wrap { overflow-x: auto; margin: 0 0 .75rem; }
table { border-collapse: collapse; width: 100%; font-size: .9375rem; }
caption { text-align: left; font-weight: 600; padding: 0 0 .25rem; }
th, td { padding: .375rem .5rem; border-bottom: 1px solid var(--line); text-align: right;
  white-space: nowrap; }
th:first-child, td:first-child { text-align: left; white-space: normal; overflow-wrap: break-word;
  min-width: 8rem; }
thead th { font-size: .8125rem; color: var(--muted); }
tbody th { font-weight: 400; }
figure { margin: 0 0 .75rem; }
.chart { width: 100%; height: auto; display: block; }
.chart-narrow { display: none; }
@media (max-width: 36rem) { .chart-wide { display: none; } .chart-narrow { display: block; } }
.chart text { fill: var(--muted); font-size: 12px; font-family: inherit; }
.chart .grid { stroke: var(--line); stroke-width: 1; }
.chart .axis { stroke: var(--muted); stroke-width: 1; }
.chart .bar-0 { fill: var(--bar); }
.chart .bar-1 { fill: var(--bar-estimate); }
.chart .band { fill: var(--band); fill-opacity: .55; stroke: var(--forecast); stroke-width: 1; }
.chart .line { fill: none; stroke-width: 2.5; }
.chart .line-0 { stroke: var(--forecast); }
.chart .line-1 { stroke: var(--bar); }
.chart .line-2 { stroke: var(--bar-estimate); }
.chart .line-3 { stroke: var(--muted); }
.chart .dashed { stroke-dasharray: 6 4; }
.chart .limit { fill: none; stroke: var(--limit); stroke-width: 2; stroke-dasharray: 2 3; }
figcaption { font-size: .875rem; color: var(--muted); margin-top: .25rem; }
.legend { list-style: none; display: flex; flex-wrap: wrap; gap: .25rem 1rem; padding: 0; margin: .25rem 0;
  font-size: .875rem; }
.swatch { display: inline-block; width: .875rem; height: .875rem; margin-right: .375rem;
  vertical-align: -.125rem; border-radius: 2px; }
.swatch.bar-0 { background: var(--bar); }
.swatch.bar-1 { background: var(--bar-estimate); }
.swatch.band { background: var(--band); border: 1px solid var(--forecast); }
.swatch.line { height: .25rem; vertical-align: .2rem; }
.swatch.line-0 { background: var(--forecast); }
.swatch.line-1 { background: var(--bar); }
.swatch.line-2 { background: var(--bar-estimate); }
.swatch.line-3 { background: var(--muted); }
.swatch.limit { background: var(--limit); height: .25rem; vertical-align: .2rem; }
details { margin: 0 0 .75rem; }
summary { cursor: pointer; color: var(--accent); }
.warnings, .notes { padding-left: 1.25rem; margin: 0 0 .5rem; }
.warnings li { background: var(--warn-bg); color: var(--warn-ink); padding: .25rem .5rem;
  border-radius: .25rem;
  margin-bottom: .25rem; }
.notes { color: var(--muted); font-size: .875rem; }
.problem { background: var(--problem-bg); color: var(--problem-ink); padding: .5rem .75rem;
  border-radius: .375rem; margin: 0 0 .75rem; }
.problem code, .usage { overflow-wrap: anywhere; }
.admin { border-top: 1px solid var(--line); padding-top: .75rem; margin-top: .5rem; }
.admin form { display: flex; flex-wrap: wrap; gap: .5rem; align-items: flex-end; }
.admin form div { display: flex; flex-direction: column; }
.message { max-width: 40rem; margin: 2rem auto; background: var(--panel); border: 1px solid var(--line);
  border-radius: .5rem; padding: 1.5rem; }
footer { padding: 1rem; color: var(--muted); font-size: .875rem; max-width: 90rem; margin: 0 auto; }
@media print {
  body { background: #ffffff; }
  .top form, nav, .selectors, .admin, .skip { display: none; }
  .panel { break-inside: avoid; border-color: #999999; }
  .panels { grid-template-columns: 1fr; }
}
"""
