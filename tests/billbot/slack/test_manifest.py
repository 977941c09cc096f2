"""manifest.yml: valid against Slack's manifest schema (vendored, MIT), in step with the listeners."""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import jsonschema
import pytest
import yaml

from billbot.app.table import COMMANDS

ROOT = Path(__file__).resolve().parents[3]
SCHEMA = json.loads((Path(__file__).parent / "schema" / "slack-manifest.schema.1.0.0.json").read_text())


@pytest.fixture(scope="module")
def manifest() -> dict[str, Any]:
    loaded: dict[str, Any] = yaml.safe_load((ROOT / "manifest.yml").read_text())
    return loaded


def test_the_manifest_is_valid_against_slacks_schema(manifest: dict[str, Any]) -> None:
    jsonschema.Draft7Validator(SCHEMA).validate(manifest)


def test_the_socket_mode_variant_is_valid_too(manifest: dict[str, Any]) -> None:
    socket = copy.deepcopy(manifest)
    for command in socket["features"]["slash_commands"]:
        del command["url"]
    del socket["settings"]["event_subscriptions"]["request_url"]
    del socket["settings"]["interactivity"]["request_url"]
    socket["settings"]["socket_mode_enabled"] = True
    jsonschema.Draft7Validator(SCHEMA).validate(socket)


def test_the_validator_would_catch_a_broken_manifest(manifest: dict[str, Any]) -> None:
    broken = copy.deepcopy(manifest)
    broken["features"]["slash_commands"][0]["command"] = "claude-spend"
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.Draft7Validator(SCHEMA).validate(broken)


def test_every_command_has_a_listener_and_every_listener_is_in_the_manifest(manifest: dict[str, Any]) -> None:
    listed = {c["command"] for c in manifest["features"]["slash_commands"]}
    assert listed == {command.name for command in COMMANDS}


def test_commands_have_descriptions_and_hints_and_the_scopes_are_minimal(manifest: dict[str, Any]) -> None:
    for command in manifest["features"]["slash_commands"]:
        assert command["description"]
        assert command["command"] == "/claude-help" or command.get("usage_hint")
        assert command.get("url", "").endswith("/slack/events")
    # files:write: the evidence file and the claim packet are uploaded into a ticket's thread.
    # channels:read and groups:read: only members of a channel may act in its drills (conversations.members)
    assert manifest["oauth_config"]["scopes"]["bot"] == [
        "commands", "chat:write", "files:write", "channels:read", "groups:read"
    ]  # fmt: skip
    assert manifest["features"]["app_home"]["home_tab_enabled"] is True
    assert manifest["settings"]["event_subscriptions"]["bot_events"] == ["app_home_opened"]
    assert manifest["settings"]["interactivity"]["is_enabled"] is True
