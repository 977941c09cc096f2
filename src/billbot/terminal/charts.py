"""Charts in the terminal: the chart model as a compact text chart."""

from __future__ import annotations

from decimal import Decimal

from billbot.app.replies.chart import SpendChart


def terminal_chart(chart: SpendChart, *, height: int = 10) -> str:
    """A compact text chart: ░ the P10–P90 band, ● the scenario's P50, · the baseline's, ─ the limit."""
    values = [v for s in chart.series for v in s.values] + (list(chart.limit.values) if chart.limit else [])
    top = max(values, default=Decimal(1)) or Decimal(1)
    band_hi, median, band_lo, base = (s.values for s in chart.series)
    rows: list[str] = []
    for row in range(height, 0, -1):
        low, high = top * (row - 1) / height, top * row / height
        cells = []
        for i in range(len(chart.categories)):
            cell = " "
            if band_lo[i] < high and band_hi[i] >= low:
                cell = "░"
            if chart.limit is not None and low <= chart.limit.values[i] < high:
                cell = "─"
            if low <= base[i] < high:
                cell = "·"
            if low <= median[i] < high:
                cell = "●"
            cells.append(cell * 2)
        label = "$" + format(high, ",.0f")
        axis = f"{label:>11} │" if row in (height, 1) or row == height // 2 else " " * 12 + "│"
        rows.append(axis + "".join(cells))
    rows.append(" " * 12 + "└" + "─" * (2 * len(chart.categories)))
    first, last = (
        chart.categories[0] if chart.categories else "",
        chart.categories[-1] if chart.categories else "",
    )
    rows.append(" " * 13 + first + " " * max(1, 2 * len(chart.categories) - len(first) - len(last)) + last)
    legend = "● scenario P50  ░ P10–P90  · baseline P50"
    rows.append(" " * 13 + legend + (f"  ─ {chart.limit.name}" if chart.limit else ""))
    return "\n".join([chart.title, *rows])
