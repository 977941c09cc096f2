"""What a person types in a drill thread, and scripts of timed actions: read exactly, refused clearly."""

from __future__ import annotations

from decimal import Decimal

import pytest

from billbot.app.errors import explain
from billbot.drills.grammar import ACTIONS_USAGE, DrillInputError, parse_action, parse_duration
from billbot.drills.script import parse_script


@pytest.mark.parametrize(
    ("text", "kind", "fields"),
    [
        ("topup 500", "topup", {"amount": Decimal(500)}),
        ("buy $1,250.50", "topup", {"amount": Decimal("1250.50")}),
        ("autoreload 50 300", "autoreload", {"amount": Decimal(50), "target": Decimal(300), "enabled": True}),
        ("autoreload off", "autoreload", {"enabled": False}),
        ("card update", "card", {}),
        ("limit 5000", "limit", {"amount": Decimal(5000)}),
        ("limit off", "limit", {"amount": None}),
        ("tier 3", "tier", {"tier": "3"}),
        ("tier Scale", "tier", {"tier": "Scale"}),
        (
            "move 50% claude-opus-5 to claude-sonnet-5",
            "move",
            {"share": 50, "model": "claude-opus-5", "to": "claude-sonnet-5"},
        ),
        ("batch on", "batch", {"enabled": True}),
        ("batch off", "batch", {"enabled": False}),
        ("pause key App key 1", "pause", {"key": "App key 1"}),
        ("backoff", "backoff", {}),
        ("Balance", "balance", {}),
        ("retry", "retry", {}),
        ("dispute", "dispute", {}),
        ("resolve", "resolve", {}),
        ("stop", "stop", {}),
    ],
)
def test_every_action_reads_as_typed(text: str, kind: str, fields: dict[str, object]) -> None:
    action = parse_action(text)
    assert action.kind == kind and action.text == text
    for name, value in fields.items():
        assert getattr(action, name) == value


@pytest.mark.parametrize(
    ("text", "says"),
    [
        ("", "say what to do"),
        ("panic", "'panic' is not a drill action"),
        ("topup lots", "is not an amount"),
        ("topup -5", "must not be negative"),
        ("topup", "expected 1 word"),
        ("autoreload 300 50", "target must be above the minimum"),
        ("autoreload 50", "autoreload MINIMUM TARGET"),
        ("move half opus to sonnet", "move 50%"),
        ("move 150% a to b", "move 50%"),
        ("batch maybe", "batch on"),
        ("pause key", "name the key"),
        ("stop now", "expected 0 word"),
    ],
)
def test_bad_input_says_what_is_wrong(text: str, says: str) -> None:
    with pytest.raises(DrillInputError, match=says):
        parse_action(text)


def test_a_drill_input_error_is_a_usage_message_with_the_actions() -> None:
    message = explain(DrillInputError("'panic' is not a drill action"))
    assert message.kind == "usage" and message.usage == ACTIONS_USAGE
    assert message.text == "'panic' is not a drill action"


@pytest.mark.parametrize(
    ("text", "seconds"), [("90s", 90), ("5m", 300), ("2h", 7200), ("1h30m", 5400), ("1d", 86400), ("45", 45)]
)
def test_durations(text: str, seconds: int) -> None:
    assert parse_duration(text) == seconds


@pytest.mark.parametrize("text", ["", "5 minutes", "m", "-5m"])
def test_bad_durations(text: str) -> None:
    with pytest.raises(DrillInputError, match="not a duration"):
        parse_duration(text)


def test_a_script_is_sorted_by_time_and_keeps_who_acted() -> None:
    script = parse_script(
        '[{"after": "6m", "do": "autoreload 50 300", "by": "ana"}, {"after": "5m", "do": "topup 500"}]'
    )
    assert [(t.after_s, t.action.kind, t.by) for t in script] == [
        (300, "topup", "script"),
        (360, "autoreload", "ana"),
    ]


@pytest.mark.parametrize(
    ("text", "says"),
    [
        ("{", "not JSON"),
        ('{"after": "5m"}', "must be a list"),
        ('[{"after": "5m"}]', "action 1"),
        ('[{"after": "5m", "do": "topup 5", "extra": 1}]', "action 1"),
        ('[{"after": "soon", "do": "topup 5"}]', "action 1: 'soon' is not a duration"),
        (
            '[{"after": "1m", "do": "topup 5"}, {"after": "2m", "do": "fly"}]',
            "action 2: 'fly' is not a drill action",
        ),
    ],
)
def test_a_bad_script_names_the_entry(text: str, says: str) -> None:
    with pytest.raises(DrillInputError, match=says):
        parse_script(text)
