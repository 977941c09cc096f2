"""The chart model and its renderers: Slack's data_visualization block within its limits, text, terminal."""

from __future__ import annotations

from billbot.slack.charts import fallback_text, slack_block
from billbot.terminal.charts import terminal_chart
from billbot.whatif.baseline import Baseline
from billbot.whatif.chart import spend_chart
from billbot.whatif.levers import parse_levers
from billbot.whatif.result import run_whatif


def test_the_slack_block_keeps_within_the_documented_limits(baseline: Baseline) -> None:
    result = run_whatif(
        baseline,
        parse_levers("traffic x3 tier Build limit workspace Research 500"),
        runs=20,
        seed=2,
        now=baseline.end,
    )
    block = slack_block(spend_chart(result))
    assert block["type"] == "data_visualization" and len(block["title"]) <= 50
    chart = block["chart"]
    categories = chart["axis_config"]["categories"]
    assert chart["type"] == "line" and 1 <= len(categories) <= 20 and len(set(categories)) == len(categories)
    assert all(1 <= len(label) <= 20 for label in categories)
    names = [series["name"] for series in chart["series"]]
    assert 1 <= len(names) <= 6 and len(set(names)) == len(names) and all(len(n) <= 20 for n in names)
    for series in chart["series"]:
        assert [point["label"] for point in series["data"]] == categories
    assert "Build cap" in names


def test_the_curves_climb_and_the_fallback_names_where_they_end(baseline: Baseline) -> None:
    result = run_whatif(baseline, parse_levers("traffic x2"), runs=20, seed=2, now=baseline.end)
    chart = spend_chart(result)
    p50 = chart.series[1].values
    assert list(p50) == sorted(p50) and p50[0] >= result.scenario.month_to_date
    text = fallback_text(chart)
    assert "Scenario P50" in text and "Baseline P50" in text and "Scale cap" in text
    drawn = terminal_chart(chart)
    assert "●" in drawn and "scenario P50" in drawn and len(drawn.splitlines()) <= 16
