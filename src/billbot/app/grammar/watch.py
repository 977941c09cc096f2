"""The watch's slash-command grammar: text in, a typed query out, or one specific error with the usage.

    /claude-budget [list]
    /claude-budget set AMOUNT [daily|weekly|monthly] [org | workspace NAME | key NAME | model NAME]
                   [at 50,80,100] [no-forecast] [channel <#C…>]
    /claude-budget remove ID
    /claude-alerts [active | all | ID]
    /claude-alerts ack ID | snooze ID [1d|period] | expected ID | unexpected ID

Names may contain spaces ("workspace Support Bot", "key Production key 2") and run to the next keyword;
quotes work too. A channel is a Slack channel link (`<#C0123|alerts>`, what Slack sends for `#alerts`
when the command escapes channels) or a channel id. Scope names are resolved to ids by the service,
which knows the organisation's workspaces, keys and models. The command table calls
`budget_args` and `alerts_args` (its words, as the table splits them); tests and buttons may call
`parse_budget` and `parse_alerts` with the text.
"""

from __future__ import annotations

import html
import re
import shlex
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from typing import Literal

from billbot.app.grammar.amounts import InputError, parse_amount
from billbot.app.grammar.answers import CommandError
from billbot.watch.budgets import DEFAULT_THRESHOLDS, MAX_THRESHOLD
from billbot.watch.periods import BudgetPeriod
from billbot.watch.scope import ScopeKind

BUDGET_USAGE = (
    "/claude-budget [list | set AMOUNT [daily|weekly|monthly] [org|workspace NAME|key NAME|model NAME] "
    "[at 50,80,100] [no-forecast] [channel #CHANNEL] | remove ID]"
)
ALERTS_USAGE = (
    "/claude-alerts [active | all | ID | ack ID | snooze ID [1d|period] | expected ID | unexpected ID]"
)
_PERIODS: dict[str, BudgetPeriod] = {
    "daily": "day", "day": "day", "per-day": "day",
    "weekly": "week", "week": "week", "per-week": "week",
    "monthly": "month", "month": "month", "per-month": "month",
}  # fmt: skip
_SCOPES: dict[str, ScopeKind] = {
    "org": "organization", "organization": "organization", "organisation": "organization",
    "workspace": "workspace", "key": "api_key", "api-key": "api_key", "model": "model",
}  # fmt: skip
_OPTION_WORDS = frozenset({"at", "thresholds", "no-forecast", "forecast", "channel", "in"})
_CHANNEL_LINK = re.compile(r"<#([CG][A-Z0-9]+)(?:\|[^>]*)?>")
_CHANNEL_ID = re.compile(r"[CG][A-Z0-9]{6,}")
_ID = re.compile(r"#?(\d{1,9})")
AlertAction = Literal["acknowledge", "snooze_day", "snooze_period", "expected", "not_expected"]


class WatchCommandError(CommandError):
    """Input `/claude-budget` or `/claude-alerts` cannot take; carries the usage line to show."""


@dataclass(frozen=True, slots=True)
class BudgetListQuery:
    """`/claude-budget` or `/claude-budget list`."""

    changes_money = False


@dataclass(frozen=True, slots=True)
class BudgetSetQuery:
    """`/claude-budget set …`: the scope by kind and name, resolved later by the service."""

    amount: Decimal
    period: BudgetPeriod = "month"
    scope_kind: ScopeKind = "organization"
    scope_name: str | None = None
    thresholds: tuple[int, ...] = DEFAULT_THRESHOLDS
    forecast: bool = True
    channel: str | None = None
    changes_money = True


@dataclass(frozen=True, slots=True)
class BudgetRemoveQuery:
    """`/claude-budget remove ID`."""

    budget_id: int
    changes_money = True


BudgetQuery = BudgetListQuery | BudgetSetQuery | BudgetRemoveQuery


@dataclass(frozen=True, slots=True)
class AlertsListQuery:
    """`/claude-alerts [active|all]`."""

    which: Literal["active", "all"] = "active"


@dataclass(frozen=True, slots=True)
class AlertShowQuery:
    """`/claude-alerts ID`."""

    alert_id: int


@dataclass(frozen=True, slots=True)
class AlertActionQuery:
    """`/claude-alerts ack|snooze|expected|unexpected ID`: what the alert's buttons do."""

    action: AlertAction
    alert_id: int


AlertsQuery = AlertsListQuery | AlertShowQuery | AlertActionQuery


def parse_budget(text: str) -> BudgetQuery:
    """The `/claude-budget` query `text` asks for; `WatchCommandError` says what is wrong."""
    words = _split(text, BUDGET_USAGE)
    if not words or words == ["list"]:
        return BudgetListQuery()
    verb, rest = words[0].lower(), words[1:]
    if verb == "list":
        raise WatchCommandError(f"`list` takes nothing after it (got {' '.join(rest)!r})", BUDGET_USAGE)
    if verb in ("remove", "delete", "rm"):
        if len(rest) != 1:
            raise WatchCommandError("`remove` takes one budget id, e.g. `remove 3`", BUDGET_USAGE)
        return BudgetRemoveQuery(_id(rest[0], BUDGET_USAGE))
    if verb == "set":
        return _parse_set(rest)
    raise WatchCommandError(f"unknown action {words[0]!r}: use list, set or remove", BUDGET_USAGE)


def parse_alerts(text: str) -> AlertsQuery:
    """The `/claude-alerts` query `text` asks for; `WatchCommandError` says what is wrong."""
    words = [word.lower() for word in _split(text, ALERTS_USAGE)]
    if not words or words == ["active"]:
        return AlertsListQuery("active")
    if words == ["all"]:
        return AlertsListQuery("all")
    if len(words) == 1 and _ID.fullmatch(words[0]):
        return AlertShowQuery(_id(words[0], ALERTS_USAGE))
    verb, rest = words[0], words[1:]
    if verb in ("ack", "acknowledge") and len(rest) == 1:
        return AlertActionQuery("acknowledge", _id(rest[0], ALERTS_USAGE))
    if verb == "snooze" and len(rest) in (1, 2):
        how = rest[1] if len(rest) == 2 else "1d"
        if how not in ("1d", "day", "period"):
            raise WatchCommandError(f"snooze for `1d` or until the next `period`, not {how!r}", ALERTS_USAGE)
        action: AlertAction = "snooze_period" if how == "period" else "snooze_day"
        return AlertActionQuery(action, _id(rest[0], ALERTS_USAGE))
    if verb == "expected" and len(rest) == 1:
        return AlertActionQuery("expected", _id(rest[0], ALERTS_USAGE))
    if verb in ("unexpected", "not-expected") and len(rest) == 1:
        return AlertActionQuery("not_expected", _id(rest[0], ALERTS_USAGE))
    raise WatchCommandError(f"cannot read {text.strip()!r}", ALERTS_USAGE)


def budget_args(args: list[str], now: datetime) -> BudgetQuery:
    """The command table's `/claude-budget` parser: the words after the command."""
    return parse_budget(" ".join(args))


def alerts_args(args: list[str], now: datetime) -> AlertsQuery:
    """The command table's `/claude-alerts` parser: the words after the command."""
    return parse_alerts(" ".join(args))


def _parse_set(words: list[str]) -> BudgetSetQuery:
    if not words:
        raise WatchCommandError("`set` needs an amount, e.g. `set 5000 monthly`", BUDGET_USAGE)
    amount = _amount(words[0])
    period: BudgetPeriod = "month"
    kind: ScopeKind = "organization"
    name: str | None = None
    thresholds, forecast, channel = DEFAULT_THRESHOLDS, True, None
    index = 1
    if index < len(words) and words[index].lower() in _PERIODS:
        period = _PERIODS[words[index].lower()]
        index += 1
    if index < len(words) and words[index].lower() == "for":
        index += 1
    if index < len(words) and words[index].lower() in _SCOPES:
        kind = _SCOPES[words[index].lower()]
        index += 1
        if kind != "organization":
            name, index = _name(words, index, kind)
    while index < len(words):
        word = words[index].lower()
        if word in ("at", "thresholds") and index + 1 < len(words):
            thresholds, index = _thresholds(words[index + 1]), index + 2
        elif word == "no-forecast":
            forecast, index = False, index + 1
        elif word == "forecast":
            index += 1
        elif word in ("channel", "in") and index + 1 < len(words):
            channel, index = _channel(words[index + 1]), index + 2
        else:
            raise WatchCommandError(f"unexpected {words[index]!r} in `set`", BUDGET_USAGE)
    return BudgetSetQuery(amount, period, kind, name, thresholds, forecast, channel)


def _split(text: str, usage: str) -> list[str]:
    try:
        return shlex.split(text.strip())
    except ValueError:
        raise WatchCommandError("a quote is not closed", usage) from None


def _amount(word: str) -> Decimal:
    try:
        return parse_amount(word)
    except InputError as exc:
        raise WatchCommandError(str(exc), BUDGET_USAGE) from None


def _name(words: list[str], index: int, kind: ScopeKind) -> tuple[str, int]:
    taken: list[str] = []
    while index < len(words) and words[index].lower() not in _OPTION_WORDS:
        taken.append(words[index])
        index += 1
    if not taken:
        word = {"workspace": "workspace", "api_key": "key", "model": "model"}[kind]
        raise WatchCommandError(f"`{word}` needs a name, e.g. `{word} Research`", BUDGET_USAGE)
    # Slack escapes &, < and > in an escaped command's text ("R&D" arrives as "R&amp;D").
    return html.unescape(" ".join(taken)), index


def _thresholds(word: str) -> tuple[int, ...]:
    parts = [part.strip().rstrip("%") for part in word.split(",") if part.strip()]
    if not parts or not all(part.isdigit() for part in parts):
        raise WatchCommandError(f"thresholds are percentages like `50,80,100`, not {word!r}", BUDGET_USAGE)
    values = sorted({int(part) for part in parts})
    if values[0] < 1 or values[-1] > MAX_THRESHOLD:
        raise WatchCommandError(f"thresholds must be from 1 to {MAX_THRESHOLD} percent", BUDGET_USAGE)
    return tuple(values)


def _channel(word: str) -> str:
    if match := _CHANNEL_LINK.fullmatch(word):
        return match.group(1)
    if _CHANNEL_ID.fullmatch(word):
        return word
    raise WatchCommandError(
        f"{word!r} is not a channel: pick it with # so Slack sends its link, or give its id (C…)",
        BUDGET_USAGE,
    )


def _id(word: str, usage: str) -> int:
    match = _ID.fullmatch(word)
    if not match:
        raise WatchCommandError(f"{word!r} is not an id (a number such as 3)", usage)
    return int(match.group(1))
