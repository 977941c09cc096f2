"""Charts in Slack: the chart model as the native `data_visualization` block, and its fallback text."""

from __future__ import annotations

from typing import Any

from billbot.app.replies.chart import NAME_MAX, SERIES_MAX, TITLE_MAX, SpendChart, clip


def slack_block(chart: SpendChart, *, block_id: str = "whatif_spend") -> dict[str, Any]:
    """Slack's `data_visualization` line chart of the model, within the documented limits."""
    lines = [*chart.series, *([chart.limit] if chart.limit else [])][:SERIES_MAX]
    return {
        "type": "data_visualization",
        "block_id": block_id[:255],
        "title": clip(chart.title, TITLE_MAX),
        "chart": {
            "type": "line",
            "series": [
                {
                    "name": clip(s.name, NAME_MAX),
                    "data": [
                        {"label": label, "value": float(value)}
                        for label, value in zip(chart.categories, s.values, strict=False)
                    ],
                }
                for s in lines
            ],
            "axis_config": {
                "categories": list(chart.categories),
                "x_label": "Date (UTC)",
                "y_label": chart.y_label,
            },
        },
    }


def fallback_text(chart: SpendChart) -> str:
    """The chart in one line of text: where each line ends, and the limit."""
    ends = ", ".join(f"{s.name} ${s.values[-1]:,.2f}" for s in chart.series if s.values)
    limit = (
        f"; {chart.limit.name} ${chart.limit.values[0]:,.2f}" if chart.limit and chart.limit.values else ""
    )
    until = chart.categories[-1] if chart.categories else "the end"
    return f"{chart.title} (cumulative, by {until}): {ends}{limit}"
