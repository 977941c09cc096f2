"""The what-if lever grammar: `traffic x2 · move 50% claude-opus-5 to claude-sonnet-5 · horizon 30d …`.

Levers are words starting with a keyword; several combine in one line (commas optional). Bad input
raises `LeverError` with the usage line and an example, never anything else. Pure: no I/O, no clock.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from datetime import date
from decimal import Decimal, InvalidOperation

USAGE = (
    "usage: /claude-whatif LEVER… — traffic xN · growth N%/week · move N% MODEL to MODEL · cache N% · "
    "batch N% · output xN · autoreload MIN TARGET | autoreload off · decline reloads · topup AMOUNT DATE · "
    "limit AMOUNT | limit workspace NAME AMOUNT · tier NAME · price MODEL xN · horizon Nd · runs N · seed N"
)
EXAMPLE = "example: /claude-whatif traffic x2 move 50% claude-opus-5 to claude-sonnet-5 horizon 30d"
MAX_RUNS = 10_000
MAX_HORIZON_DAYS = 365


class LeverError(ValueError):
    """A lever that cannot be read: what was wrong, the usage line and an example."""

    def __init__(self, problem: str) -> None:
        super().__init__(f"{problem}\n{USAGE}\n{EXAMPLE}")
        self.problem = problem
        self.usage = USAGE
        self.example = EXAMPLE


@dataclass(frozen=True, slots=True)
class Move:
    """Move a share of one model's requests to another model."""

    share: Decimal
    source: str
    target: str


@dataclass(frozen=True, slots=True)
class Levers:
    """Every lever of one what-if; None (or empty) means "as the baseline has it"."""

    traffic: Decimal | None = None
    growth_per_week: Decimal | None = None
    moves: tuple[Move, ...] = ()
    cache_ratio: Decimal | None = None
    batch_share: Decimal | None = None
    output: Decimal | None = None
    autoreload: tuple[Decimal, Decimal] | None = None
    autoreload_off: bool = False
    decline_reloads: bool = False
    topups: tuple[tuple[Decimal, date], ...] = ()
    organization_limit: Decimal | None = None
    workspace_limits: dict[str, Decimal] = field(default_factory=dict)
    tier: str | None = None
    prices: dict[str, Decimal] = field(default_factory=dict)
    horizon_days: int | None = None
    runs: int | None = None
    seed: int | None = None
    words: tuple[str, ...] = ()  # the levers as given, normalised, for the answer's headline

    @property
    def changes_anything(self) -> bool:
        """Whether any lever changes the organisation (not just runs, seed or horizon)."""
        plain = replace(self, horizon_days=None, runs=None, seed=None, words=())
        return plain != Levers()


_KEYWORDS = (
    "traffic", "growth", "move", "cache", "batch", "output", "autoreload", "decline", "topup", "limit",
    "tier", "price", "horizon", "runs", "seed",
)  # fmt: skip
_TIERS = ("Evaluation", "Start", "Build", "Scale", "Custom", "Tier 1", "Tier 2", "Tier 3", "Tier 4")


def parse_levers(text: str) -> Levers:
    """Read a line of levers; raises `LeverError` naming the first problem."""
    tokens = text.replace(",", " ").replace(";", " ").split()
    if not tokens:
        raise LeverError("no lever given")
    levers = Levers()
    words: list[str] = []
    i = 0
    while i < len(tokens):
        keyword = tokens[i].lower()
        if keyword not in _KEYWORDS:
            raise LeverError(f"unknown lever {tokens[i]!r}")
        end = i + 1
        while end < len(tokens) and not _starts_lever(tokens, i, end):
            end += 1
        args = tokens[i + 1 : end]
        levers = _PARSERS[keyword](levers, args)
        words.append(" ".join([keyword, *args]))
        i = end
    return replace(levers, words=tuple(words))


def _starts_lever(tokens: list[str], start: int, index: int) -> bool:
    if tokens[index].lower() not in _KEYWORDS:
        return False
    # A workspace name may hold a keyword ("limit workspace Batch jobs 500"): it runs to the amount.
    named = (
        tokens[start].lower() == "limit" and index > start + 1 and tokens[start + 1].lower() == "workspace"
    )
    return not (named and not any(_is_number(t) for t in tokens[start + 2 : index]))


def _is_number(text: str) -> bool:
    try:
        Decimal(text.lstrip("$").replace(",", ""))
    except InvalidOperation:
        return False
    return True


def _number(text: str, what: str) -> Decimal:
    cleaned = text.strip().lstrip("$").replace(",", "")
    try:
        value = Decimal(cleaned)
    except InvalidOperation:
        raise LeverError(f"{what}: {text!r} is not a number") from None
    if not value.is_finite():
        raise LeverError(f"{what}: {text!r} is not a number")
    return value


def _factor(text: str, what: str) -> Decimal:
    if not text.lower().startswith("x"):
        raise LeverError(f"{what}: write a factor as x2 or x0.5, got {text!r}")
    value = _number(text[1:], what)
    if value <= 0 or value > 1000:
        raise LeverError(f"{what}: the factor must be above 0 and at most 1000, got {text!r}")
    return value


def _percent(text: str, what: str, *, signed: bool = False) -> Decimal:
    if not text.endswith("%"):
        raise LeverError(f"{what}: write a share as 60%, got {text!r}")
    value = _number(text[:-1], what)
    low = Decimal(-100) if signed else Decimal(0)
    if value < low or value > (Decimal(1000) if signed else Decimal(100)):
        raise LeverError(f"{what}: {text!r} is out of range")
    return value / 100


def _amount(text: str, what: str) -> Decimal:
    value = _number(text, what)
    if value < 0:
        raise LeverError(f"{what}: an amount cannot be negative, got {text!r}")
    return value


def _count(args: list[str], n: int, form: str) -> None:
    if len(args) != n:
        raise LeverError(f"expected {form}")


def _traffic(levers: Levers, args: list[str]) -> Levers:
    _count(args, 1, "traffic xN, e.g. traffic x2")
    return replace(levers, traffic=_factor(args[0], "traffic"))


def _growth(levers: Levers, args: list[str]) -> Levers:
    _count(args, 1, "growth N%/week, e.g. growth 10%/week")
    match = re.fullmatch(r"(-?[0-9.]+%)/(week|day)", args[0].lower())
    if match is None:
        raise LeverError(f"growth: write it as 10%/week, got {args[0]!r}")
    rate = _percent(match.group(1), "growth", signed=True)
    weekly = rate if match.group(2) == "week" else (1 + rate) ** 7 - 1
    return replace(levers, growth_per_week=weekly)


def _move(levers: Levers, args: list[str]) -> Levers:
    if len(args) != 4 or args[2].lower() != "to":
        raise LeverError("expected move N% MODEL to MODEL, e.g. move 50% claude-opus-5 to claude-sonnet-5")
    move = Move(_percent(args[0], "move"), args[1], args[3])
    if move.source == move.target:
        raise LeverError("move: the two models are the same")
    return replace(levers, moves=(*levers.moves, move))


def _cache(levers: Levers, args: list[str]) -> Levers:
    _count(args, 1, "cache N% (the cache hit ratio), e.g. cache 60%")
    return replace(levers, cache_ratio=_percent(args[0], "cache"))


def _batch(levers: Levers, args: list[str]) -> Levers:
    _count(args, 1, "batch N% (share of requests on the Batch API), e.g. batch 30%")
    return replace(levers, batch_share=_percent(args[0], "batch"))


def _output(levers: Levers, args: list[str]) -> Levers:
    _count(args, 1, "output xN, e.g. output x1.5")
    return replace(levers, output=_factor(args[0], "output"))


def _autoreload(levers: Levers, args: list[str]) -> Levers:
    if len(args) == 1 and args[0].lower() == "off":
        return replace(levers, autoreload=None, autoreload_off=True)
    if len(args) != 2:
        raise LeverError("expected autoreload MIN TARGET or autoreload off, e.g. autoreload 100 500")
    minimum, target = _amount(args[0], "autoreload"), _amount(args[1], "autoreload")
    if target <= minimum:
        raise LeverError(f"autoreload: the target {target} must be above the minimum {minimum}")
    return replace(levers, autoreload=(minimum, target), autoreload_off=False)


def _decline(levers: Levers, args: list[str]) -> Levers:
    if [a.lower() for a in args] != ["reloads"]:
        raise LeverError("expected decline reloads")
    return replace(levers, decline_reloads=True)


def _topup(levers: Levers, args: list[str]) -> Levers:
    _count(args, 2, "topup AMOUNT DATE, e.g. topup 1000 2026-12-15")
    amount = _amount(args[0], "topup")
    try:
        when = date.fromisoformat(args[1])
    except ValueError:
        raise LeverError(f"topup: {args[1]!r} is not a date (YYYY-MM-DD)") from None
    return replace(levers, topups=(*levers.topups, (amount, when)))


def _limit(levers: Levers, args: list[str]) -> Levers:
    if len(args) == 1:
        return replace(levers, organization_limit=_amount(args[0], "limit"))
    if len(args) >= 3 and args[0].lower() == "workspace":
        name = " ".join(args[1:-1])
        limits = {**levers.workspace_limits, name: _amount(args[-1], "limit workspace")}
        return replace(levers, workspace_limits=limits)
    raise LeverError(
        "expected limit AMOUNT or limit workspace NAME AMOUNT, e.g. limit workspace Research 500"
    )


def _tier(levers: Levers, args: list[str]) -> Levers:
    name = " ".join(args)
    for tier in _TIERS:
        if tier.lower() == name.lower():
            return replace(levers, tier=tier)
    raise LeverError(f"tier: unknown tier {name!r}; one of {', '.join(_TIERS)}")


def _price(levers: Levers, args: list[str]) -> Levers:
    _count(args, 2, "price MODEL xN, e.g. price claude-opus-5 x0.8")
    return replace(levers, prices={**levers.prices, args[0]: _factor(args[1], "price")})


def _horizon(levers: Levers, args: list[str]) -> Levers:
    _count(args, 1, "horizon Nd, e.g. horizon 30d")
    match = re.fullmatch(r"([0-9]+)d", args[0].lower())
    if match is None or not 1 <= int(match.group(1)) <= MAX_HORIZON_DAYS:
        raise LeverError(f"horizon: write a number of days from 1 to {MAX_HORIZON_DAYS}, e.g. 30d")
    return replace(levers, horizon_days=int(match.group(1)))


def _runs(levers: Levers, args: list[str]) -> Levers:
    _count(args, 1, "runs N, e.g. runs 1000")
    if not args[0].isdigit() or not 1 <= int(args[0]) <= MAX_RUNS:
        raise LeverError(f"runs: a whole number from 1 to {MAX_RUNS:,}, got {args[0]!r}")
    return replace(levers, runs=int(args[0]))


def _seed(levers: Levers, args: list[str]) -> Levers:
    _count(args, 1, "seed N, e.g. seed 3")
    if not args[0].isdigit():
        raise LeverError(f"seed: a whole number, got {args[0]!r}")
    return replace(levers, seed=int(args[0]))


_PARSERS = {
    "traffic": _traffic, "growth": _growth, "move": _move, "cache": _cache, "batch": _batch,
    "output": _output, "autoreload": _autoreload, "decline": _decline, "topup": _topup, "limit": _limit,
    "tier": _tier, "price": _price, "horizon": _horizon, "runs": _runs, "seed": _seed,
}  # fmt: skip
