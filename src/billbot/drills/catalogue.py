"""Drills as data: which scenario, when the drill begins, how long it lasts, what the runbook expects.

Built-in drills live in `billbot/drills/data/NAME.toml`; a user's own drill is any such file, given by
path. A drill names a sandbox scenario (built-in name or path) or carries one inline (`[scenario]`,
the sandbox's scenario format). Times are durations (`90s`, `5m`, `2h`, `1d`): `begin` after the
scenario's start, `incident` and `duration` after the drill begins. See docs/DRILLS.md.
"""

from __future__ import annotations

import tomllib
from decimal import Decimal
from importlib import resources
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from billbot.drills.grammar import DrillInputError, parse_duration
from sandbox.scenario import Scenario, ScenarioError, load_scenario

STEP_LABELS: dict[str, str] = {
    "balance": "confirm the balance",
    "topup": "buy credits (within the spend limit)",
    "card": "update the card so the payment goes through",
    "autoreload": "turn on or change auto-reload",
    "retry": "retry the failed requests",
    "backoff": "back off and retry with jitter",
    "batch": "batch what can wait",
    "tier": "request a higher tier",
    "limit": "raise or remove the spend limit",
    "move": "move traffic to another model",
    "pause": "pause the runaway key",
    "dispute": "file a billing dispute",
    "resolve": "declare the incident resolved",
}


class DrillSpecError(ValueError):
    """A drill file that cannot be used: which file and what is wrong."""


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class RecoverySpec(_Strict):
    """What "recovered" means for this drill."""

    # served: the incident's failures stop for `quiet_minutes`; reloads_quiet: no auto-reload purchase
    # for `quiet_minutes`; action: someone takes `action` (within `within` of the incident, if set).
    kind: Literal["served", "reloads_quiet", "action"] = "served"
    quiet_minutes: int = Field(default=15, ge=1, le=24 * 60)
    action: str | None = None
    within: str | None = None


class HoldSpec(_Strict):
    """A pre-authorisation hold opened when the drill begins (a reseller's frozen estimate)."""

    amount: Decimal = Field(gt=0)
    hours: float = Field(gt=0)


class DrillSpec(_Strict):
    """One drill file, validated."""

    name: str
    title: str
    summary: str = ""
    scenario: str | dict[str, Any]
    begin: str = "0s"
    duration: str = "6h"
    incident: str | None = None  # default: the first failed request
    failures: list[str] = ["credit"]  # the request log reasons that make this incident
    right_actions: list[str] = Field(min_length=1)
    runbook: list[str] = Field(min_length=1)
    runbook_source: str = "seed 001 §6"
    recovered: RecoverySpec = RecoverySpec()
    holds: list[HoldSpec] = []

    @field_validator("runbook", "right_actions")
    @classmethod
    def _known_steps(cls, steps: list[str]) -> list[str]:
        unknown = [step for step in steps if step not in STEP_LABELS]
        if unknown:
            raise ValueError(f"unknown step(s) {unknown}; one of {sorted(STEP_LABELS)}")
        return steps

    @field_validator("begin", "duration", "incident")
    @classmethod
    def _duration(cls, value: str | None) -> str | None:
        if value is not None:
            try:
                parse_duration(value)
            except DrillInputError as exc:
                raise ValueError(str(exc)) from None
        return value

    @property
    def begin_s(self) -> int:
        """When the drill begins, in seconds after the scenario's start."""
        return parse_duration(self.begin)

    @property
    def duration_s(self) -> int:
        """How long the drill lasts, in simulated seconds."""
        return parse_duration(self.duration)

    @property
    def incident_s(self) -> int | None:
        """When the incident starts after the drill begins (None: at the first failed request)."""
        return None if self.incident is None else parse_duration(self.incident)

    def load_scenario(self) -> Scenario:
        """The drill's sandbox scenario (by name or path, or inline)."""
        if isinstance(self.scenario, str):
            return load_scenario(self.scenario)
        try:  # the sandbox's own model: an inline scenario is validated exactly as a file is
            return Scenario.model_validate(self.scenario)
        except ValidationError as exc:
            first = exc.errors()[0]
            where = ".".join(str(part) for part in first["loc"])
            raise ScenarioError(f"drill {self.name} [scenario]", where, first["msg"]) from exc


def builtin_drills() -> list[str]:
    """Names of the drills shipped with billbot, sorted."""
    folder = resources.files("billbot.drills").joinpath("data")
    return sorted(p.name.removesuffix(".toml") for p in folder.iterdir() if p.name.endswith(".toml"))


def load_drill(name_or_path: str) -> DrillSpec:
    """A built-in drill by name, or a drill file by path."""
    if name_or_path in builtin_drills():
        text = resources.files("billbot.drills").joinpath("data", f"{name_or_path}.toml").read_text("utf-8")
        return parse_drill(text, source=f"{name_or_path}.toml")
    path = Path(name_or_path)
    if not path.is_file():
        known = ", ".join(builtin_drills())
        raise DrillInputError(f"no drill named {name_or_path!r} (built-in: {known}) and no such file")
    return parse_drill(path.read_text(encoding="utf-8"), source=str(path))


def parse_drill(text: str, *, source: str) -> DrillSpec:
    """Parse and validate a drill file, and check its scenario loads."""
    try:
        spec = DrillSpec.model_validate(tomllib.loads(text))
    except tomllib.TOMLDecodeError as exc:
        raise DrillSpecError(f"{source}: not valid TOML: {exc}") from exc
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(part) for part in first["loc"]) or "(top level)"
        raise DrillSpecError(f"{source}: {where}: {first['msg']}") from exc
    try:
        spec.load_scenario()
    except ScenarioError as exc:
        raise DrillSpecError(f"{source}: scenario: {exc}") from exc
    return spec
