"""Claude Code usage report rows: one per developer (or API key) per day (reference §1.6).

Unlike the cost report, `estimated_cost.amount` is an **integer** number of cents.
"""

from __future__ import annotations

from decimal import Decimal

from pydantic import Field

from billbot.admin_api.wire import UtcDatetime, WireModel


class CodeActor(WireModel):
    """A `user_actor` (with an email) or an `api_actor` (with an API key name)."""

    type: str
    email_address: str | None = None
    api_key_name: str | None = None

    @property
    def name(self) -> str:
        """Who it is, as a person would read it."""
        return self.email_address or self.api_key_name or self.type


class LinesOfCode(WireModel):
    """Lines added and removed."""

    added: int = 0
    removed: int = 0


class CoreMetrics(WireModel):
    """Sessions, lines, commits and pull requests."""

    num_sessions: int = 0
    lines_of_code: LinesOfCode = Field(default_factory=LinesOfCode)
    commits_by_claude_code: int = 0
    pull_requests_by_claude_code: int = 0


class ToolAction(WireModel):
    """Accepted and rejected proposals of one tool."""

    accepted: int = 0
    rejected: int = 0


class CodeTokens(WireModel):
    """Tokens by type for one model."""

    input: int = 0
    output: int = 0
    cache_read: int = 0
    cache_creation: int = 0


class EstimatedCost(WireModel):
    """An estimate in integer cents."""

    currency: str
    amount: int

    @property
    def dollars(self) -> Decimal:
        """The estimate in dollars."""
        return Decimal(self.amount).scaleb(-2)


class ModelBreakdown(WireModel):
    """One model's tokens and estimated cost."""

    model: str
    tokens: CodeTokens
    estimated_cost: EstimatedCost


class ClaudeCodeRow(WireModel):
    """One actor's Claude Code activity on one day."""

    date: UtcDatetime
    actor: CodeActor
    organization_id: str
    customer_type: str
    subscription_type: str | None = None
    terminal_type: str | None = None
    core_metrics: CoreMetrics = Field(default_factory=CoreMetrics)
    # Keyed by tool name (`edit_tool`, `write_tool`, …): new tools appear without a code change.
    tool_actions: dict[str, ToolAction] = Field(default_factory=dict)
    model_breakdown: list[ModelBreakdown] = Field(default_factory=list)

    @property
    def estimated_dollars(self) -> Decimal:
        """The day's estimated cost over all models."""
        return sum((item.estimated_cost.dollars for item in self.model_breakdown), Decimal(0))
