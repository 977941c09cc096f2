"""A reply as JSON and back, so a computed answer can wait in the store (a restart re-posts it)."""

from __future__ import annotations

import json
from decimal import Decimal
from typing import Any

from billbot.app.replies.chart import ChartSeries, SpendChart
from billbot.app.replies.model import Fact, Response, Table


def response_to_json(response: Response) -> str:
    """The reply as a JSON document (money and chart values as decimal strings)."""
    chart = response.chart
    body: dict[str, Any] = {
        "title": response.title,
        "source": response.source,
        "facts": [[fact.label, fact.value] for fact in response.facts],
        "tables": [
            {"header": list(t.header), "rows": [list(row) for row in t.rows]} for t in response.tables
        ],
        "notes": list(response.notes),
        "warnings": list(response.warnings),
        "chart": None
        if chart is None
        else {
            "title": chart.title,
            "categories": list(chart.categories),
            "series": [_series(s) for s in chart.series],
            "limit": None if chart.limit is None else _series(chart.limit),
            "y_label": chart.y_label,
        },
    }
    return json.dumps(body, sort_keys=True)


def response_from_json(text: str) -> Response:
    """The reply `response_to_json` wrote."""
    body = json.loads(text)
    chart = body["chart"]
    return Response(
        body["title"],
        body["source"],
        tuple(Fact(label, value) for label, value in body["facts"]),
        tuple(Table(tuple(t["header"]), tuple(tuple(row) for row in t["rows"])) for t in body["tables"]),
        tuple(body["notes"]),
        tuple(body["warnings"]),
        chart=None
        if chart is None
        else SpendChart(
            chart["title"],
            tuple(chart["categories"]),
            tuple(_read_series(s) for s in chart["series"]),
            None if chart["limit"] is None else _read_series(chart["limit"]),
            chart["y_label"],
        ),
    )


def _series(series: ChartSeries) -> dict[str, Any]:
    return {"name": series.name, "values": [str(value) for value in series.values]}


def _read_series(body: dict[str, Any]) -> ChartSeries:
    return ChartSeries(body["name"], tuple(Decimal(value) for value in body["values"]))
