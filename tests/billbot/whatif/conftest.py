"""One embedded demo sandbox for the what-if tests: the same data source every answer reads."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime

import pytest

from billbot.admin_api.billing import AdminBillingData
from billbot.runtime.source import open_source
from billbot.settings import Settings
from billbot.whatif.baseline import Baseline, fit_baseline


@pytest.fixture(scope="package")
def demo() -> Iterator[tuple[AdminBillingData, datetime]]:
    """The demo organisation through billbot's Admin API client, and the time there."""
    with open_source(Settings(), say=lambda _: None) as source:
        yield AdminBillingData(source), source.now()


@pytest.fixture(scope="package")
def baseline(demo: tuple[AdminBillingData, datetime]) -> Baseline:
    """The demo's baseline, fitted once."""
    data, now = demo
    return fit_baseline(data, now)
