"""Test-wide settings: no developer's environment leaks in; property tests are repeatable under CI."""

from __future__ import annotations

import os
from collections.abc import Iterator

import pytest
from hypothesis import settings

# Locally hypothesis explores new examples each run and finds new bugs; the CI gate must be repeatable,
# so it replays a fixed, derandomised set (a failure there is then a real regression).
settings.register_profile("ci", derandomize=True, deadline=None, print_blob=True)
settings.register_profile("dev", deadline=None)
settings.load_profile("ci" if os.environ.get("CI") else "dev")

# The embedded demo ends where the scenario file says, so figures in tests do not move with the date
# (tests of "the demo ends now" unset it and freeze the wall clock instead).
DEMO_AT = "2026-11-22T00:00:00Z"
OWN_PREFIXES = ("BILLBOT_", "SLACK_", "ANTHROPIC_")


@pytest.fixture(scope="session", autouse=True)
def _no_developer_environment() -> Iterator[None]:
    """No test reads the developer's own BILLBOT_*, SLACK_* or ANTHROPIC_* variables (or DATABASE_URL)."""
    with pytest.MonkeyPatch.context() as patch:
        for name in list(os.environ):
            # BILLBOT_TEST_*: the test run's own settings (the PostgreSQL server .ci/run starts).
            own = name.startswith(OWN_PREFIXES) and not name.startswith("BILLBOT_TEST_")
            if own or name in ("DATABASE_URL", "PORT"):
                patch.delenv(name)
        patch.setenv("BILLBOT_DEMO_AT", DEMO_AT)
        yield
