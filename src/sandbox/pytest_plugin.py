"""The sandbox as a pytest plugin (entry point `pytest11`, installed with billbot).

A fixture `anthropic_sandbox` gives each test its own simulated Anthropic organisation
(`sandbox.testing.AnthropicSandbox`), configured by the marker
`@pytest.mark.anthropic_sandbox(scenario="credit-exhaustion", seed=1, end=None, analytics=None)`
(default: a fresh organisation with $100 of credit). Nothing heavy is imported until a test asks for
the fixture, so the plugin costs other test suites nothing. Usage: docs/TESTING-WITH-THE-SANDBOX.md.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

import pytest

if TYPE_CHECKING:
    from sandbox.testing import AnthropicSandbox

MARKER = "anthropic_sandbox"
_OPTIONS = ("scenario", "seed", "end", "analytics")


def pytest_configure(config: pytest.Config) -> None:
    """Register the marker, so `--strict-markers` suites accept it."""
    config.addinivalue_line(
        "markers",
        f"{MARKER}(scenario=None, seed=0, end=None, analytics=None): the world of the anthropic_sandbox "
        "fixture: a built-in scenario name or a scenario file (default: a fresh funded organisation), "
        "its seed, the instant its history ends, and AnalyticsOptions",
    )


@pytest.fixture
def anthropic_sandbox(request: pytest.FixtureRequest) -> Iterator[AnthropicSandbox]:
    """A simulated Anthropic organisation for this test, with in-process SDK clients (see the module)."""
    from sandbox.testing import AnthropicSandbox

    sandbox = AnthropicSandbox(**_marker_options(request))
    try:
        yield sandbox
    finally:
        sandbox.close()


def _marker_options(request: pytest.FixtureRequest) -> dict[str, Any]:
    marker = request.node.get_closest_marker(MARKER)
    if marker is None:
        return {}
    options = dict(marker.kwargs)
    if marker.args:
        if len(marker.args) > 1 or "scenario" in options:
            raise pytest.UsageError(f"@pytest.mark.{MARKER}: give the scenario once, e.g. scenario='demo'")
        options["scenario"] = marker.args[0]
    unknown = sorted(set(options) - set(_OPTIONS))
    if unknown:
        raise pytest.UsageError(
            f"@pytest.mark.{MARKER}: unknown option(s) {unknown}; known: {list(_OPTIONS)}"
        )
    return options
