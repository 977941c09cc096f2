"""The answers' grammar (DESIGN.md 4.3): a command's words in, a typed query out, or one `InputError`.

    /claude-spend [PERIOD] [by model|workspace|type|key|description] [workspace NAME]
    /claude-usage [PERIOD] [by model|key|workspace]
    /claude-balance | topup AMOUNT [DATE] | set AMOUNT [AS-OF] | autoreload THRESHOLD TARGET|off | history
    /claude-limits [MODEL]
    /claude-help

The command table (`billbot.app.table`) names each parser with its usage line, so Slack, the terminal
and any later interface accept and refuse exactly the same input.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from typing import Literal

from billbot.app.grammar.amounts import InputError, parse_amount, parse_day
from billbot.core.periods import Period, parse_period

SPEND_DIMENSIONS = ("model", "workspace", "type", "key", "description")
USAGE_DIMENSIONS = ("model", "key", "workspace")


class CommandError(ValueError):
    """Input a command cannot take: the message, and the command's usage line to show with it."""

    def __init__(self, message: str, usage: str) -> None:
        super().__init__(message)
        self.usage = usage


@dataclass(frozen=True, slots=True)
class SpendQuery:
    period: Period
    by: str | None = None
    workspace: str | None = None


@dataclass(frozen=True, slots=True)
class UsageQuery:
    period: Period
    by: str | None = None


@dataclass(frozen=True, slots=True)
class BalanceQuery:
    action: Literal["show", "topup", "set", "autoreload", "history"] = "show"
    amount: Decimal | None = None
    at: datetime | None = None
    threshold: Decimal | None = None
    target: Decimal | None = None

    @property
    def changes_money(self) -> bool:
        """Whether only an admin may run it."""
        return self.action in ("topup", "set", "autoreload")


@dataclass(frozen=True, slots=True)
class LimitsQuery:
    model: str | None = None


@dataclass(frozen=True, slots=True)
class HelpQuery:
    pass


Query = SpendQuery | UsageQuery | BalanceQuery | LimitsQuery | HelpQuery


def _split_period(args: list[str], now: datetime) -> tuple[Period, list[str]]:
    if args and args[0].lower() not in ("by", "workspace"):
        return parse_period(args[0], now), args[1:]
    return parse_period(None, now), args


def _take_by(args: list[str], allowed: tuple[str, ...]) -> tuple[str | None, list[str]]:
    if not args or args[0].lower() != "by":
        return None, args
    if len(args) < 2 or args[1].lower() not in allowed:
        got = args[1] if len(args) > 1 else "nothing"
        raise InputError(f"'by' takes one of {', '.join(allowed)}, got {got!r}")
    return args[1].lower(), args[2:]


def parse_spend(args: list[str], now: datetime) -> SpendQuery:
    """`/claude-spend` words → `SpendQuery`."""
    period, rest = _split_period(args, now)
    by, rest = _take_by(rest, SPEND_DIMENSIONS)
    workspace = None
    if rest and rest[0].lower() == "workspace":
        workspace = " ".join(rest[1:]).strip("\"'") or None
        if workspace is None:
            raise InputError("'workspace' needs a workspace name")
        rest = []
    if rest:
        raise InputError(f"unexpected {' '.join(rest)!r}")
    return SpendQuery(period, by, workspace)


def parse_usage(args: list[str], now: datetime) -> UsageQuery:
    """`/claude-usage` words → `UsageQuery`."""
    period, rest = _split_period(args, now)
    by, rest = _take_by(rest, USAGE_DIMENSIONS)
    if rest:
        raise InputError(f"unexpected {' '.join(rest)!r}")
    return UsageQuery(period, by)


def parse_balance(args: list[str], now: datetime) -> BalanceQuery:
    """`/claude-balance` words → `BalanceQuery` (show, a record to make, or history)."""
    if not args:
        return BalanceQuery()
    action, rest = args[0].lower(), args[1:]
    if action == "history" and not rest:
        return BalanceQuery("history")
    if action in ("topup", "set") and 1 <= len(rest) <= 2:
        amount = parse_amount(rest[0], allow_negative=action == "set", allow_zero=action == "set")
        at = parse_day(rest[1], now=now) if len(rest) == 2 else now
        return BalanceQuery("topup" if action == "topup" else "set", amount=amount, at=at)
    if action == "autoreload" and rest == ["off"]:
        return BalanceQuery("autoreload")
    if action == "autoreload" and len(rest) == 2:
        threshold, target = parse_amount(rest[0], allow_zero=True), parse_amount(rest[1])
        if target <= threshold:
            raise InputError(f"the target ({target}) must be above the threshold ({threshold})")
        return BalanceQuery("autoreload", threshold=threshold, target=target)
    raise InputError(f"cannot understand {' '.join(args)!r}")


def parse_limits(args: list[str], now: datetime) -> LimitsQuery:
    """`/claude-limits` words → `LimitsQuery`."""
    if len(args) > 1:
        raise InputError(f"one model at most, got {' '.join(args)!r}")
    return LimitsQuery(args[0] if args else None)


def parse_help(args: list[str], now: datetime) -> HelpQuery:
    """`/claude-help` takes no words that matter."""
    return HelpQuery()
