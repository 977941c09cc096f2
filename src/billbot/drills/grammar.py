"""What a person types in a drill thread (or a script's `"do"`), read into an `Action`.

Words, case-insensitive: `topup 500`, `autoreload 50 300` / `autoreload off`, `card update`,
`limit 5000` / `limit off`, `tier 3` / `tier Scale`, `move 50% claude-opus-5 to claude-sonnet-5`,
`batch on` / `batch off`, `pause key NAME`, `backoff`, `balance`, `retry`, `dispute`, `resolve`,
`stop`. Input that is none of these raises `DrillInputError` with the sentence to show.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from typing import Literal

from billbot.app.grammar.amounts import InputError, parse_amount

ActionKind = Literal[
    "topup", "autoreload", "card", "limit", "tier", "move", "batch", "pause", "backoff", "balance",
    "retry", "dispute", "resolve", "stop",
]  # fmt: skip
ACTIONS_USAGE = (
    "topup 500 | autoreload 50 300 | autoreload off | card update | limit 5000 | limit off | tier 3 | "
    "move 50% claude-opus-5 to claude-sonnet-5 | batch on | pause key NAME | backoff | balance | retry | "
    "dispute | resolve | stop"
)
_DURATION = re.compile(r"(?:(\d+)d)?(?:(\d+)h)?(?:(\d+)m)?(?:(\d+)s)?")
_SHARE = re.compile(r"(\d{1,3})%")
_Reader = Callable[[str, list[str]], "Action"]


class DrillInputError(ValueError):
    """An action or script a drill cannot take; the message says which word and why."""


@dataclass(frozen=True, slots=True)
class Action:
    """One thing the team does to the drill's world; only the fields of its kind are set."""

    kind: ActionKind
    text: str
    amount: Decimal | None = None  # topup, limit (None: off), autoreload minimum
    target: Decimal | None = None  # autoreload target
    enabled: bool = True  # autoreload off, batch off
    tier: str = ""
    share: int = 0  # move: percent of the model's traffic
    model: str = ""  # move: from
    to: str = ""  # move: to
    key: str = ""  # pause: the key's name


def parse_action(text: str) -> Action:
    """Read one typed action (see the module docstring for the words)."""
    words = text.split()
    if not words:
        raise DrillInputError("say what to do, e.g. `topup 500`")
    verb, rest = words[0].lower(), words[1:]
    reader = _READERS.get(verb)
    if reader is None:
        raise DrillInputError(f"{words[0]!r} is not a drill action")
    return reader(" ".join(words), rest)


def parse_duration(text: str) -> int:
    """`90s`, `5m`, `2h`, `1h30m`, `1d` (or plain seconds) as whole seconds."""
    cleaned = text.strip().lower()
    if cleaned.isdigit():
        return int(cleaned)
    match = _DURATION.fullmatch(cleaned)
    if not cleaned or match is None:
        raise DrillInputError(f"{text!r} is not a duration; write it like 5m, 2h or 1h30m")
    days, hours, minutes, seconds = (int(part or 0) for part in match.groups())
    return ((days * 24 + hours) * 60 + minutes) * 60 + seconds


def _money(word: str) -> Decimal:
    try:
        return parse_amount(word)
    except InputError as exc:
        raise DrillInputError(str(exc)) from None


def _no_more(text: str, rest: list[str], expected: int) -> None:
    if len(rest) != expected:
        raise DrillInputError(f"{text!r}: expected {expected} word(s) after the action")


def _topup(text: str, rest: list[str]) -> Action:
    _no_more(text, rest, 1)
    return Action("topup", text, amount=_money(rest[0]))


def _autoreload(text: str, rest: list[str]) -> Action:
    if [w.lower() for w in rest] == ["off"]:
        return Action("autoreload", text, enabled=False)
    if len(rest) != 2:
        raise DrillInputError(f"{text!r}: write `autoreload MINIMUM TARGET` or `autoreload off`")
    minimum, target = _money(rest[0]), _money(rest[1])
    if target <= minimum:
        raise DrillInputError(f"{text!r}: the target must be above the minimum")
    return Action("autoreload", text, amount=minimum, target=target)


def _card(text: str, rest: list[str]) -> Action:
    if [w.lower() for w in rest] not in (["update"], ["updated"], []):
        raise DrillInputError(f"{text!r}: write `card update`")
    return Action("card", text)


def _limit(text: str, rest: list[str]) -> Action:
    _no_more(text, rest, 1)
    if rest[0].lower() in ("off", "none", "remove"):
        return Action("limit", text, amount=None)
    return Action("limit", text, amount=_money(rest[0]))


def _tier(text: str, rest: list[str]) -> Action:
    if not rest:
        raise DrillInputError(f"{text!r}: name the tier, e.g. `tier 3` or `tier Scale`")
    return Action("tier", text, tier=" ".join(rest))


def _move(text: str, rest: list[str]) -> Action:
    words = [w for w in rest if w.lower() not in ("to", "from", "of")]
    share = _SHARE.fullmatch(words[0]) if words else None
    if share is None or len(words) != 3 or not 0 < int(share.group(1)) <= 100:
        raise DrillInputError(f"{text!r}: write `move 50% claude-opus-5 to claude-sonnet-5`")
    return Action("move", text, share=int(share.group(1)), model=words[1], to=words[2])


def _batch(text: str, rest: list[str]) -> Action:
    choice = [w.lower() for w in rest]
    if choice not in (["on"], ["off"], []):
        raise DrillInputError(f"{text!r}: write `batch on` or `batch off`")
    return Action("batch", text, enabled=choice != ["off"])


def _pause(text: str, rest: list[str]) -> Action:
    if rest and rest[0].lower() == "key":
        rest = rest[1:]
    if not rest:
        raise DrillInputError(f"{text!r}: name the key, e.g. `pause key App key 1`")
    return Action("pause", text, key=" ".join(rest))


def _bare(kind: ActionKind) -> _Reader:
    def read(text: str, rest: list[str]) -> Action:
        _no_more(text, rest, 0)
        return Action(kind, text)

    return read


_READERS: dict[str, _Reader] = {
    "topup": _topup,
    "buy": _topup,
    "autoreload": _autoreload,
    "card": _card,
    "limit": _limit,
    "tier": _tier,
    "move": _move,
    "batch": _batch,
    "pause": _pause,
    "backoff": _bare("backoff"),
    "balance": _bare("balance"),
    "retry": _bare("retry"),
    "dispute": _bare("dispute"),
    "resolve": _bare("resolve"),
    "stop": _bare("stop"),
}
