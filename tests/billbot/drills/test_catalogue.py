"""The drill catalogue: the nine built-in drills, and a team's own drill from a file."""

from __future__ import annotations

from pathlib import Path

import pytest

from billbot.drills.catalogue import STEP_LABELS, DrillSpecError, builtin_drills, load_drill
from billbot.drills.grammar import DrillInputError
from sandbox.scenario import builtin_names

BUILT_IN = [
    "credit-exhaustion",
    "overcharge",
    "overload-burst",
    "rate-limit-storm",
    "reload-declined",
    "reseller-holds",
    "runaway-reload",
    "spend-limit",
    "tier-cap",
]

OWN_DRILL = """
name = "tiny-wallet"
title = "A tiny wallet"
summary = "one cent of credit"
begin = "1h"
duration = "2h"
right_actions = ["topup"]
runbook = ["balance", "topup"]

[scenario]
name = "tiny-wallet"
start = 2026-11-01T00:00:00Z
days = 1

[scenario.org]
name = "tiny"
tier = "Build"

[scenario.credits]
lots = [{ amount = "0.01", day = -1 }]

[scenario.traffic]
requests_per_day = 2000
models = [{ model = "claude-haiku-4-5", share = 1.0 }]
"""


def test_the_nine_built_in_drills_are_listed_and_load() -> None:
    assert builtin_drills() == BUILT_IN
    for name in BUILT_IN:
        spec = load_drill(name)
        assert spec.name == name and spec.title and spec.summary
        assert spec.duration_s > 0 and set(spec.runbook) <= set(STEP_LABELS)
        assert spec.load_scenario().days * 86_400 >= spec.begin_s + spec.duration_s, name


def test_every_named_scenario_ships_with_the_sandbox() -> None:
    named = {load_drill(name).scenario for name in BUILT_IN}
    assert named <= set(builtin_names())
    assert {"spend-limit", "tier-cap", "overload-burst", "reseller-holds"} <= set(builtin_names())


def test_a_teams_own_drill_with_an_inline_scenario(tmp_path: Path) -> None:
    path = tmp_path / "tiny.toml"
    path.write_text(OWN_DRILL, encoding="utf-8")
    spec = load_drill(str(path))
    assert spec.begin_s == 3600 and spec.duration_s == 7200 and spec.incident_s is None
    assert spec.load_scenario().org.name == "tiny"


def test_a_bad_drill_file_names_the_field(tmp_path: Path) -> None:
    path = tmp_path / "bad.toml"
    path.write_text(OWN_DRILL.replace('runbook = ["balance", "topup"]', 'runbook = ["pray"]'), "utf-8")
    with pytest.raises(DrillSpecError, match=r"bad.toml: runbook: .*unknown step"):
        load_drill(str(path))
    path.write_text(OWN_DRILL.replace('duration = "2h"', 'duration = "soon"'), "utf-8")
    with pytest.raises(DrillSpecError, match="duration"):
        load_drill(str(path))
    path.write_text(OWN_DRILL.replace("requests_per_day = 2000", "requests_per_day = -5"), "utf-8")
    with pytest.raises(DrillSpecError, match=r"scenario: .*traffic\.requests_per_day"):
        load_drill(str(path))


def test_an_unknown_drill_lists_the_built_in_ones() -> None:
    with pytest.raises(DrillInputError, match=r"no drill named 'fire-drill'.*credit-exhaustion"):
        load_drill("fire-drill")
