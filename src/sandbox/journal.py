"""The ledger's append-only journal and the values its operations return.

Each journal entry is one double-entry event: postings over named accounts whose amounts sum to zero.
A posting adds its (signed) amount to its account, so money entering from outside shows as a negative
"@world" and money earned as a positive "revenue". The customer's balance is the sum of the "credit"
(free lot amounts), "holds" (earmarked lot amounts) and "debt" (negative: what is owed) accounts.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Final, Literal

from sandbox.money import ZERO

WORLD: Final = "@world"
CREDIT: Final = "credit"
HOLDS: Final = "holds"
REVENUE: Final = "revenue"
BREAKAGE: Final = "breakage"
DEBT: Final = "debt"
CUSTOMER_ACCOUNTS: Final = (CREDIT, HOLDS, DEBT)

Operation = Literal["grant", "charge", "hold", "settle", "void", "clawback", "expire_lot", "expire_hold"]
HoldStatus = Literal["open", "settled", "voided", "expired"]
Posting = tuple[str, Decimal]


@dataclass(frozen=True, slots=True)
class JournalEntry:
    """One double-entry event, with the parameters needed to replay it."""

    seq: int
    at_ns: int
    op: Operation
    key: str
    postings: tuple[Posting, ...]
    amount: Decimal | None = None
    target: str = ""  # the lot or hold the entry created or acted on
    ref: str = ""
    kind: str = ""
    source: str = ""
    expires_at_ns: int | None = None

    def total(self) -> Decimal:
        """Sum of the postings (zero for every well-formed entry)."""
        return sum((amount for _, amount in self.postings), ZERO)


@dataclass(frozen=True, slots=True)
class Charge:
    """What a charge (or a settled hold) took: from which lots, and how much became debt."""

    key: str
    amount: Decimal
    at_ns: int
    drawn: tuple[tuple[str, Decimal], ...]
    to_debt: Decimal
    ref: str = ""
    hold_id: str = ""


@dataclass(frozen=True, slots=True)
class Hold:
    """A view of a hold: the amount earmarked, on which lots, and how it resolved."""

    id: str
    amount: Decimal
    created_at_ns: int
    expires_at_ns: int
    earmarks: tuple[tuple[str, Decimal], ...]
    status: HoldStatus = "open"
    resolved_at_ns: int | None = None


@dataclass(frozen=True, slots=True)
class Expiry:
    """An amount that expired: a lot's free remainder to breakage, or a hold released in full."""

    kind: Literal["lot", "hold"]
    id: str
    amount: Decimal
    due_ns: int
    at_ns: int


@dataclass(frozen=True, slots=True)
class Clawback:
    """A lot whose payment failed: what was left of it removed, what had been consumed made debt."""

    key: str
    lot_id: str
    removed: Decimal
    to_debt: Decimal
    at_ns: int


@dataclass(slots=True)
class PostingSet:
    """Accumulates postings for one entry, netting repeated accounts."""

    amounts: dict[str, Decimal] = field(default_factory=dict)

    def move(self, source: str, destination: str, amount: Decimal) -> None:
        """Move `amount` from one account to another."""
        if amount:
            self.amounts[source] = self.amounts.get(source, ZERO) - amount
            self.amounts[destination] = self.amounts.get(destination, ZERO) + amount

    def postings(self) -> tuple[Posting, ...]:
        """Non-zero postings in a stable (account name) order."""
        return tuple((account, amount) for account, amount in sorted(self.amounts.items()) if amount)


class LedgerError(Exception):
    """Base class of every ledger failure."""


class InvalidAmount(LedgerError, ValueError):
    """An amount that is not a positive (or, where allowed, zero) finite Decimal."""

    def __init__(self, amount: object, *, allow_zero: bool = False) -> None:
        bound = ">= 0" if allow_zero else "> 0"
        super().__init__(f"amount must be a finite Decimal {bound}, got {amount!r}")
        self.amount = amount


class InvalidLotLabel(LedgerError, ValueError):
    """A lot kind or source that is not one of the known labels."""

    def __init__(self, field_name: str, value: object) -> None:
        super().__init__(f"unknown lot {field_name} {value!r}")
        self.field_name = field_name
        self.value = value


class InsufficientCredit(LedgerError):
    """A hold asked for more than is available."""

    def __init__(self, requested: Decimal, available: Decimal) -> None:
        super().__init__(f"hold of {requested} exceeds available credit {available}")
        self.requested = requested
        self.available = available


class InvalidHoldExpiry(LedgerError, ValueError):
    """A hold whose expiry is not after the time it is placed."""

    def __init__(self, expires_at_ns: int, now_ns: int) -> None:
        super().__init__(f"hold expiry {expires_at_ns} must be after now {now_ns}")
        self.expires_at_ns = expires_at_ns
        self.now_ns = now_ns


class UnknownHold(LedgerError, KeyError):
    """No hold has this id."""

    def __init__(self, hold_id: str) -> None:
        super().__init__(f"no hold {hold_id!r}")
        self.hold_id = hold_id


class UnknownLot(LedgerError, KeyError):
    """No lot has this id."""

    def __init__(self, lot_id: str) -> None:
        super().__init__(f"no lot {lot_id!r}")
        self.lot_id = lot_id


class HoldAlreadyResolved(LedgerError):
    """A hold that was already settled, voided or expired was asked to resolve again."""

    def __init__(self, hold_id: str, resolution: HoldStatus) -> None:
        super().__init__(f"hold {hold_id!r} is already {resolution}")
        self.hold_id = hold_id
        self.resolution = resolution


class LotAlreadyClawedBack(LedgerError):
    """A lot's credit was already clawed back (under another key)."""

    def __init__(self, lot_id: str) -> None:
        super().__init__(f"lot {lot_id!r} was already clawed back")
        self.lot_id = lot_id


class IdempotencyConflict(LedgerError):
    """An idempotency key reused with a different operation or different parameters."""

    def __init__(self, key: str, first: tuple[object, ...], now: tuple[object, ...]) -> None:
        super().__init__(f"idempotency key {key!r} was first used for {first}, not {now}")
        self.key = key
        self.first = first
        self.now = now
