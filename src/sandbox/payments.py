"""Payment models for auto-reload: whether a card charge succeeds, is declined, or fails later.

A late failure is a payment that looked successful (credit is granted) but fails after
`fails_after_ns` (a chargeback or a bank reversal), so the credit is clawed back then.
Every model is deterministic: randomness comes only from its own seeded `random.Random`.
"""

from __future__ import annotations

import random
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Literal, Protocol

PaymentStatus = Literal["succeeded", "declined", "late_failure"]


class InvalidPaymentScript(ValueError):
    """A scripted outcome name or parameter that cannot be used."""

    def __init__(self, detail: str) -> None:
        super().__init__(detail)
        self.detail = detail


@dataclass(frozen=True, slots=True)
class PaymentOutcome:
    """The result of one payment attempt."""

    status: PaymentStatus
    reason: str = ""
    fails_after_ns: int | None = None

    @classmethod
    def succeeded(cls) -> PaymentOutcome:
        """The payment went through."""
        return cls("succeeded")

    @classmethod
    def declined(cls, reason: str = "card_declined") -> PaymentOutcome:
        """The payment was refused at once; no credit may be granted."""
        return cls("declined", reason)

    @classmethod
    def late_failure(cls, fails_after_ns: int) -> PaymentOutcome:
        """The payment looks successful now and fails `fails_after_ns` later."""
        if fails_after_ns < 0:
            raise InvalidPaymentScript(f"fails_after_ns must be >= 0, got {fails_after_ns}")
        return cls("late_failure", fails_after_ns=fails_after_ns)


SUCCEEDED = PaymentOutcome.succeeded()


class PaymentModel(Protocol):
    """Anything that decides how a payment attempt goes."""

    def attempt(self, amount: Decimal, now_ns: int) -> PaymentOutcome:
        """Try to take `amount` at `now_ns`."""
        ...


class AlwaysSucceeds:
    """Every payment goes through."""

    def attempt(self, amount: Decimal, now_ns: int) -> PaymentOutcome:
        """Succeed."""
        return SUCCEEDED


class DeclinesWithProbability:
    """Each payment is declined with probability `p`, from its own seeded generator."""

    def __init__(self, p: float, *, seed: int, reason: str = "card_declined") -> None:
        if not 0.0 <= p <= 1.0:
            raise InvalidPaymentScript(f"decline probability must be in [0, 1], got {p}")
        self.p = p
        self.reason = reason
        self._random = random.Random(seed)

    def attempt(self, amount: Decimal, now_ns: int) -> PaymentOutcome:
        """Decline with probability `p`, else succeed."""
        if self._random.random() < self.p:
            return PaymentOutcome.declined(self.reason)
        return SUCCEEDED


class LateFailure:
    """Every payment looks successful and fails `fails_after_ns` later."""

    def __init__(self, fails_after_ns: int) -> None:
        self._outcome = PaymentOutcome.late_failure(fails_after_ns)

    def attempt(self, amount: Decimal, now_ns: int) -> PaymentOutcome:
        """A late failure."""
        return self._outcome


class Scripted:
    """Outcomes consumed in order; once the script is exhausted, `then` every time."""

    def __init__(self, outcomes: Iterable[PaymentOutcome], then: PaymentOutcome = SUCCEEDED) -> None:
        self._script = list(outcomes)
        self._next = 0
        self.then = then

    @classmethod
    def from_names(cls, names: Sequence[str], *, late_failure_after_ns: int | None = None) -> Scripted:
        """A script from "succeed" | "decline" | "late_failure" names; payments succeed afterwards."""
        return cls(_outcome_named(name, late_failure_after_ns) for name in names)

    def attempt(self, amount: Decimal, now_ns: int) -> PaymentOutcome:
        """The next scripted outcome."""
        if self._next >= len(self._script):
            return self.then
        outcome = self._script[self._next]
        self._next += 1
        return outcome


def _outcome_named(name: str, late_failure_after_ns: int | None) -> PaymentOutcome:
    if name == "succeed":
        return SUCCEEDED
    if name == "decline":
        return PaymentOutcome.declined()
    if name == "late_failure":
        if late_failure_after_ns is None:
            raise InvalidPaymentScript("a late_failure in the script needs late_failure_after_ns")
        return PaymentOutcome.late_failure(late_failure_after_ns)
    raise InvalidPaymentScript(f"unknown payment outcome {name!r}; expected succeed, decline or late_failure")
