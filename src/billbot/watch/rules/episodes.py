"""Periods of rules whose condition is an episode rather than a calendar period (anomalies, balance).

An episode's alert is keyed by the hour it began; while its alert still fires, later findings reuse
that key (the inputs' `active` map), so an episode that spans midnight keeps one alert.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime

from billbot.watch.periods import floor_hour
from billbot.watch.scope import Scope


def episode_key(active: Mapping[tuple[str, str], str], rule: str, scope: Scope, onset: datetime) -> str:
    """The period key of `rule`'s episode on `scope`: the firing alert's, else the onset hour's."""
    return active.get((rule, scope.key)) or f"{floor_hour(onset):%Y-%m-%dT%H:00}"
