"""The ticket domain: what a refund or dispute claim is, and what a provider's policy says about it.

Pure data, no I/O. A `Claim` is what the user filed (from the modal) plus the evidence added since;
`assess` (in `billbot.tickets.domain.policy`) turns a claim and a `ProviderProfile` into an `Assessment`:
the deadline, the evidence checklist (present / missing) and eligibility notes, each quoting the
clause it comes from. The claim packet and the Slack thread render these; nothing here knows Slack.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal
from enum import StrEnum


class TicketKind(StrEnum):
    """`/claude-refund` files a refund, `/claude-dispute` a dispute of a charge."""

    REFUND = "refund"
    DISPUTE = "dispute"


class Category(StrEnum):
    """What went wrong (the modal's first choice)."""

    DUPLICATE_CHARGE = "duplicate_charge"
    CHARGED_BUT_FAILED = "charged_but_failed"
    OVERCHARGE = "overcharge"  # an overcharge or billing error
    NOT_CREDITED = "not_credited"  # paid, but the credits never arrived
    SLA_CREDIT = "sla_credit"  # an SLA breach credit
    UNUSED_BALANCE = "unused_balance"  # a refund of the unused balance
    OTHER = "other"


CATEGORY_LABELS: dict[Category, str] = {
    Category.DUPLICATE_CHARGE: "Duplicate charge",
    Category.CHARGED_BUT_FAILED: "Charged but the call failed",
    Category.OVERCHARGE: "Overcharge or billing error",
    Category.NOT_CREDITED: "Paid but credits not credited",
    Category.SLA_CREDIT: "SLA breach credit",
    Category.UNUSED_BALANCE: "Refund of the unused balance",
    Category.OTHER: "Other",
}


class Status(StrEnum):
    """Where a ticket stands. `RESOLVED_*` are final until reopened."""

    OPEN = "open"  # filed in billbot, not yet sent to the provider
    SUBMITTED = "submitted"  # sent to the provider
    ANSWERED = "answered"  # the provider replied; awaiting a resolution
    REFUNDED = "refunded"
    CREDITED = "credited"
    DENIED = "denied"

    @property
    def resolved(self) -> bool:
        """Whether the ticket is closed with an outcome."""
        return self in (Status.REFUNDED, Status.CREDITED, Status.DENIED)


@dataclass(frozen=True, slots=True)
class Evidence:
    """One piece of evidence: its kind (a profile's evidence id, e.g. `request_id`) and its value."""

    kind: str
    value: str
    added_by: str = ""
    automatic: bool = False  # gathered by billbot rather than typed by a person


@dataclass(frozen=True, slots=True)
class Claim:
    """What was filed: the modal's fields and the evidence added since."""

    kind: TicketKind
    category: Category
    provider: str  # a profile id: `anthropic`, `claudeapi-com`, `claudeapi-cheap`, or a user's own
    transaction_at: datetime  # when the disputed charge or top-up happened (aware UTC)
    filed_at: datetime  # when the ticket was opened in billbot (aware UTC)
    amount: Decimal | None = None  # USD
    request_ids: tuple[str, ...] = ()
    description: str = ""
    evidence_links: tuple[str, ...] = ()
    evidence: tuple[Evidence, ...] = ()
    submitted_at: datetime | None = None  # when it was marked sent to the provider
    # Facts some clauses need: the most recent top-up (reseller expiry), whether Pro limits were used.
    last_topup_at: datetime | None = None
    pro_limits_used: bool | None = None


@dataclass(frozen=True, slots=True)
class Clause:
    """A provider's rule, quoted: where it comes from and its words."""

    ref: str  # e.g. "Service Delivery Terms §11"
    quote: str
    source: str = ""  # a URL or document name


@dataclass(frozen=True, slots=True)
class ChecklistItem:
    """One piece of evidence the provider asks for, and whether the claim has it."""

    kind: str
    label: str
    present: bool
    clause: Clause | None = None


@dataclass(frozen=True, slots=True)
class Note:
    """An eligibility note; `severity` is `info`, `warning` or `blocker`."""

    text: str
    clause: Clause | None = None
    severity: str = "info"


@dataclass(frozen=True, slots=True)
class Assessment:
    """What the policy says about a claim at `now`."""

    provider: str
    provider_name: str
    deadline: datetime | None  # None: the provider sets no window
    late: bool  # the deadline has passed (relative to the submission, else to `now`)
    checklist: tuple[ChecklistItem, ...] = ()
    notes: tuple[Note, ...] = ()
    remedies: tuple[str, ...] = field(default=())  # what the provider may grant: refund, credit, correction

    @property
    def missing(self) -> tuple[ChecklistItem, ...]:
        """Checklist items the claim does not have yet."""
        return tuple(item for item in self.checklist if not item.present)
