"""A provider profile: one provider's refund, dispute and balance rules, read from a TOML file.

Every rule points at a named clause (`[clauses.<key>]`: the provider's words, quoted verbatim), so
whatever billbot says about a claim can show where it comes from. The file format is described in
docs/PROVIDERS.md; `billbot.tickets.catalog` reads the files, `billbot.tickets.domain.policy` applies them.
"""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from typing import Annotated, Literal

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, model_validator

from billbot.tickets.domain.model import Category, Clause, TicketKind

Severity = Literal["info", "warning", "blocker"]
# Claim facts a rule may depend on; `billbot.tickets.domain.policy` evaluates them (True, False or unknown).
Condition = Literal["pro_limits_unused"]
# Claim fields that provide a piece of evidence without it being added by hand.
EvidenceField = Literal["transaction_at", "request_ids", "evidence_links"]


def _decimal_string(value: object) -> object:
    # TOML numbers with a fraction are floats; money and percentages must not pass through float.
    if isinstance(value, float):
        raise ValueError(f'write decimals as strings (e.g. "{value}"), not TOML floats')
    if isinstance(value, str | int):
        try:
            return Decimal(str(value).strip())
        except InvalidOperation:
            raise ValueError(f"{value!r} is not a decimal number") from None
    return value


DecimalString = Annotated[Decimal, BeforeValidator(_decimal_string)]


class Spec(BaseModel):
    """A frozen part of a profile that rejects unknown keys (a typo is an error, not a silent no-op)."""

    model_config = ConfigDict(extra="forbid", frozen=True)


class ClauseSpec(Spec):
    """A provider's rule in its own words: `ref` (section), `quote` (verbatim), `source` (document)."""

    ref: str = Field(min_length=1)
    quote: str = Field(min_length=1)
    source: str = ""


class Scoped(Spec):
    """A rule that applies to some categories and kinds (empty: to all)."""

    categories: tuple[Category, ...] = ()
    kinds: tuple[TicketKind, ...] = ()

    def applies(self, category: Category, kind: TicketKind) -> bool:
        """Whether this rule covers a claim of this category and kind."""
        return (not self.categories or category in self.categories) and (not self.kinds or kind in self.kinds)


class WindowSpec(Scoped):
    """A claim window: `days` after the transaction, counted by UTC date or as elapsed time."""

    days: int = Field(gt=0)
    # "date": until the end (23:59:59.999999 UTC) of the `days`-th day after the transaction's date;
    # "instant": until exactly `days` × 24 hours after the transaction.
    basis: Literal["date", "instant"] = "date"
    clause: str
    # The provider treats a claim without complete evidence as no claim at all.
    requires_evidence: bool = False


class EvidenceSpec(Scoped):
    """A piece of evidence the provider asks for; `from_field` says which claim field provides it."""

    kind: str = Field(min_length=1)
    label: str = Field(min_length=1)
    clause: str | None = None
    from_field: EvidenceField | None = None


class RuleSpec(Scoped):
    """An eligibility note; with a `condition`: `otherwise` when it is false, `unknown` when unknown."""

    text: str = Field(min_length=1)
    severity: Severity = "info"
    clause: str | None = None
    remedies: tuple[str, ...] = ()
    condition: Condition | None = None
    otherwise: str = ""
    otherwise_severity: Severity = "blocker"
    unknown: str = ""

    @model_validator(mode="after")
    def _conditional_texts(self) -> RuleSpec:
        if self.condition is not None and not (self.otherwise and self.unknown):
            raise ValueError("a rule with a condition needs both `otherwise` and `unknown` texts")
        return self


class ExpirySpec(Spec):
    """When unspent credit expires: `years`/`days` after the purchase or the last top-up, or never."""

    after: Literal["purchase", "last_topup", "never"]
    years: int = Field(default=0, ge=0)
    days: int = Field(default=0, ge=0)
    reminder_days_before: int | None = Field(default=None, gt=0)
    # False: gift and promotional credit keeps the expiry of its own grant (later top-ups do not extend it).
    promotional_extended: bool = True
    clause: str

    @model_validator(mode="after")
    def _period(self) -> ExpirySpec:
        if (self.after == "never") != (self.years == 0 and self.days == 0):
            raise ValueError('`years` or `days` is needed unless `after` is "never" (and then neither)')
        return self


class SlaSpec(Spec):
    """A monthly uptime target and the credit (a share of the month's net spend) when it is missed."""

    uptime_target: DecimalString = Field(gt=0, le=100)  # percent
    credit_percent: DecimalString = Field(gt=0, le=100)
    due_day_of_next_month: int = Field(ge=1, le=28)
    automatic: bool
    pro_only: bool = False
    maintenance_notice_hours: int | None = Field(default=None, gt=0)
    clause: str

    @property
    def target_fraction(self) -> Decimal:
        """The uptime target as a fraction (99.5 % → 0.995)."""
        return self.uptime_target / 100

    @property
    def rate(self) -> Decimal:
        """The credit as a fraction of the month's net spend (1 % → 0.01)."""
        return self.credit_percent / 100


class LiabilitySpec(Spec):
    """A liability cap: the larger of the fees of the last `months_of_fees` months and `floor` USD."""

    months_of_fees: int = Field(gt=0)
    floor: DecimalString = Field(ge=0)
    clause: str


class ChangesSpec(Spec):
    """Material changes to the terms take effect `notice_days` after the notice."""

    notice_days: int = Field(ge=0)
    clause: str


class ProviderProfile(Spec):
    """One provider's rules, as validated from its TOML file."""

    id: str = Field(pattern=r"^[a-z0-9][a-z0-9-]*$")
    name: str = Field(min_length=1)
    source: str = ""  # the default source of the clauses
    contact: str = ""
    admission: Literal["charge_after", "pre_authorised"]
    categories: tuple[Category, ...]  # what the provider's terms give a remedy for
    clauses: dict[str, ClauseSpec]
    windows: tuple[WindowSpec, ...] = ()
    evidence: tuple[EvidenceSpec, ...] = ()
    rules: tuple[RuleSpec, ...] = ()
    expiry: ExpirySpec
    sla: SlaSpec | None = None
    liability: LiabilitySpec | None = None
    changes: ChangesSpec | None = None

    @model_validator(mode="after")
    def _clauses_exist(self) -> ProviderProfile:
        for where, key in self._clause_refs():
            if key is not None and key not in self.clauses:
                known = ", ".join(sorted(self.clauses)) or "none"
                raise ValueError(f"{where}: no clause {key!r} in [clauses] (defined: {known})")
        return self

    def _clause_refs(self) -> list[tuple[str, str | None]]:
        refs: list[tuple[str, str | None]] = []
        refs += [(f"windows.{i}.clause", w.clause) for i, w in enumerate(self.windows)]
        refs += [(f"evidence.{i}.clause", e.clause) for i, e in enumerate(self.evidence)]
        refs += [(f"rules.{i}.clause", r.clause) for i, r in enumerate(self.rules)]
        refs.append(("expiry.clause", self.expiry.clause))
        for name in ("sla", "liability", "changes"):
            part = getattr(self, name)
            if part is not None:
                refs.append((f"{name}.clause", part.clause))
        return refs

    def clause(self, key: str) -> Clause:
        """The named clause as the domain's `Clause` (its source defaulting to the profile's)."""
        spec = self.clauses[key]
        return Clause(ref=spec.ref, quote=spec.quote, source=spec.source or self.source)

    def accepts(self, category: Category) -> bool:
        """Whether the provider's terms give a remedy for this category."""
        return category in self.categories
