"""The command tests that need billbot's whole wiring run it over a sandbox served in-process."""

from tests.billbot.report_cache.conftest import (  # noqa: F401 (fixtures, found by name)
    opened,
    scenario,
    state,
    wire,
)
