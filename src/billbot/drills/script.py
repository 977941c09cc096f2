"""An actions script: `[{"after": "5m", "do": "topup 500"}, …]`, each action at a time after the drill begins.

The same words a person types in the thread (`billbot.drills.grammar`); `"by"` names who acted
(default `script`). Actions are applied in time order; two at the same time in the file's order.
"""

from __future__ import annotations

import json
from dataclasses import dataclass

from billbot.drills.grammar import Action, DrillInputError, parse_action, parse_duration


@dataclass(frozen=True, slots=True)
class TimedAction:
    """An action `after_s` simulated seconds after the drill begins, taken by `by`."""

    after_s: int
    action: Action
    by: str = "script"


def parse_script(text: str) -> list[TimedAction]:
    """Read a JSON actions script; a `DrillInputError` names the entry and what is wrong."""
    try:
        raw = json.loads(text)
    except json.JSONDecodeError as exc:
        raise DrillInputError(f"the actions script is not JSON: {exc}") from None
    if not isinstance(raw, list):
        raise DrillInputError('the actions script must be a list like [{"after": "5m", "do": "topup 500"}]')
    actions = []
    for index, entry in enumerate(raw):
        if not isinstance(entry, dict) or set(entry) - {"after", "do", "by"} or "do" not in entry:
            raise DrillInputError(f'action {index + 1}: write {{"after": "5m", "do": "topup 500"}}')
        try:
            after = parse_duration(str(entry.get("after", "0s")))
            action = parse_action(str(entry["do"]))
        except DrillInputError as exc:
            raise DrillInputError(f"action {index + 1}: {exc}") from None
        actions.append(TimedAction(after, action, str(entry.get("by", "script"))))
    return sorted(actions, key=lambda timed: timed.after_s)
