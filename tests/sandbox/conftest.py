"""Shared helpers: build a small world from inline scenario TOML and send it requests."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from sandbox.build import Simulation, build_simulation
from sandbox.messages import MessageRequest
from sandbox.scenario import parse_scenario

BASE = """
name = "t"
start = 2026-11-10T00:00:00Z
[org]
name = "t"
tier = "Scale"
workspaces = [{ name = "Apps", keys = 1 }]
[traffic]
requests_per_day = 0
models = [{ model = "claude-sonnet-5", share = 1.0 }]
"""

# An organisation on the historic Tier 1-4 profile (Tier 1: $100 a month of spend and of deposits).
HISTORIC = """
name = "historic"
start = 2026-01-20T00:00:00Z
days = 1
[org]
name = "historic"
tier_profile = "historic"
tier = "Tier 1"
workspaces = [{ name = "Apps", keys = 1 }]
[traffic]
requests_per_day = 0
models = [{ model = "claude-sonnet-4-5", share = 1.0 }]
"""

WorldFactory = Callable[..., Simulation]


@pytest.fixture
def make_sim() -> WorldFactory:
    """Build a simulation from BASE plus extra TOML (tables appended after it)."""

    def build(extra: str = "", *, seed: int = 0, replace: dict[str, str] | None = None) -> Simulation:
        text = BASE
        for old, new in (replace or {}).items():
            text = text.replace(old, new)
        return build_simulation(parse_scenario(text + extra, source="t.toml"), seed=seed)

    return build


def request(
    sim: Simulation, *, key: int = 1, model: str = "claude-sonnet-5", **fields: object
) -> MessageRequest:
    """A request from the simulation's `key`-th API key (0 = the Default workspace's key)."""
    values: dict[str, object] = {"uncached_input": 1000, "max_tokens": 1000, "output_tokens": 100} | fields
    return MessageRequest(sim.secrets[key], model, **values)  # type: ignore[arg-type]
