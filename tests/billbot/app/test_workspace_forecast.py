"""The month-end forecast of one workspace runs on that workspace's recent days, not the organisation's."""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal

import pytest

from billbot.app.command import TERMINAL_OPERATOR
from billbot.app.replies.model import Response
from billbot.app.replies.plot import Plot
from billbot.app.table import execute, parse
from billbot.runtime import Runtime, open_runtime
from billbot.settings import Settings


@pytest.fixture(scope="module")
def demo() -> Iterator[Runtime]:
    with open_runtime(Settings(ANTHROPIC_ADMIN_KEY=None), say=lambda _: None) as runtime:
        yield runtime


def chart(demo: Runtime, text: str) -> Plot:
    now = demo.now()
    reply = execute(parse(text, now), demo.services(), TERMINAL_OPERATOR, now)
    assert isinstance(reply, Response)
    (drawn,) = reply.plots
    return drawn


def recent(drawn: Plot) -> list[Decimal]:
    """The last seven billed days (Nov 15-21: the demo ends on the 22nd)."""
    billed = [value for value in drawn.series[0].values if value is not None]
    return billed[-7:]


@pytest.mark.parametrize("scope", [" workspace Staging", " workspace Production"])
def test_the_forecast_band_is_the_lowest_and_highest_of_the_recent_days_kept(
    demo: Runtime, scope: str
) -> None:
    drawn = chart(demo, f"/claude-spend mtd{scope}")
    days = recent(drawn)
    assert drawn.band is not None
    ahead = [value for value in drawn.band.low if value is not None]
    assert ahead and set(ahead) == {min(days)}
    assert {value for value in drawn.band.high if value is not None} == {max(days)}
    burn = {value for value in drawn.series[-1].values if value is not None}
    assert burn == {sum(days, Decimal(0)) / 7}


def test_a_workspaces_forecast_is_its_own_not_the_organisations_engine_forecast(demo: Runtime) -> None:
    now = demo.now()
    reply = execute(
        parse("/claude-spend mtd workspace Staging", now), demo.services(), TERMINAL_OPERATOR, now
    )
    assert isinstance(reply, Response)
    forecast = {fact.label: fact.value for fact in reply.facts}["Month-end forecast (estimate)"]
    assert "P10" not in forecast  # the organisation's P10–P90 band would be far above Staging's month


def test_the_organisations_chart_draws_the_engines_forecast_of_its_headline(demo: Runtime) -> None:
    now = demo.now()
    reply = execute(parse("/claude-spend mtd", now), demo.services(), TERMINAL_OPERATOR, now)
    assert isinstance(reply, Response)
    headline = {fact.label: fact.value for fact in reply.facts}["Month-end forecast (estimate)"]
    (drawn,) = reply.plots
    assert "P10" in headline and f"month-end forecast {headline}" in drawn.summary
    assert drawn.band is not None and any(value is not None for value in drawn.band.high)


def test_a_small_workspace_forecasts_far_below_the_organisation(demo: Runtime) -> None:
    organisation, staging = (
        chart(demo, "/claude-spend mtd"),
        chart(demo, "/claude-spend mtd workspace Staging"),
    )
    assert max(recent(staging)) * 5 < min(recent(organisation))
