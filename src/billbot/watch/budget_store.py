"""The `Budgets` service: list, set and remove budgets in the store, scope names resolved to ids.

`set` with the scope and period of an existing budget replaces that budget (one monthly budget per
workspace, not a pile of them); `remove` of an unknown id is a `BudgetNotFound`. Names are matched
case-insensitively against the organisation's workspaces, keys and models (`ScopeNames`); a name that
matches nothing is a `ScopeNotFound` listing what would.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime
from typing import cast

from sqlalchemy import Engine
from sqlmodel import col, select

from billbot.app.grammar.watch import BudgetSetQuery
from billbot.store.session import session_scope
from billbot.store.tables import WatchBudgetRow
from billbot.watch.budgets import Budget
from billbot.watch.periods import BudgetPeriod
from billbot.watch.scope import DEFAULT_WORKSPACE_ID, ORGANIZATION, Scope, ScopeKind


class BudgetNotFound(LookupError):
    """No budget has that id."""

    def __init__(self, budget_id: int) -> None:
        super().__init__(f"there is no budget #{budget_id} (`/claude-budget list` shows them)")
        self.budget_id = budget_id


class ScopeNotFound(ValueError):
    """A workspace, key or model name that matches nothing; the message lists what would."""


@dataclass(frozen=True, slots=True)
class ScopeNames:
    """The organisation's workspaces and keys (id → name) and the models it uses."""

    workspaces: dict[str, str] = field(default_factory=dict)
    keys: dict[str, str] = field(default_factory=dict)
    models: tuple[str, ...] = ()


def resolve_scope(kind: ScopeKind, name: str | None, names: ScopeNames) -> Scope:
    """The scope a `/claude-budget set` names."""
    if kind == "organization":
        return ORGANIZATION
    wanted = (name or "").strip().lower()
    if kind == "workspace":
        choices = {**names.workspaces, DEFAULT_WORKSPACE_ID: "Default workspace"}
    elif kind == "api_key":
        choices = dict(names.keys)
    else:
        choices = {model: model for model in names.models}
    if kind == "workspace" and wanted == "default":
        wanted = DEFAULT_WORKSPACE_ID
    for ident, label in sorted(choices.items()):
        if wanted in (ident.lower(), label.lower()):
            return Scope(kind, ident, label)
    known = ", ".join(sorted(choices.values())) or "none"
    word = {"workspace": "workspace", "api_key": "API key", "model": "model"}[kind]
    raise ScopeNotFound(f"no {word} named {name!r} (known: {known})")


class Budgets:
    """Budgets kept in one store."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine

    def list(self) -> list[Budget]:
        """Every budget, oldest first."""
        with session_scope(self.engine, read_only=True) as session:
            rows = session.exec(select(WatchBudgetRow).order_by(col(WatchBudgetRow.id)))
            return [_budget(row) for row in rows]

    def get(self, budget_id: int) -> Budget:
        """One budget; `BudgetNotFound` if there is none with that id."""
        with session_scope(self.engine, read_only=True) as session:
            row = session.get(WatchBudgetRow, budget_id)
            if row is None:
                raise BudgetNotFound(budget_id)
            return _budget(row)

    def set(self, query: BudgetSetQuery, *, names: ScopeNames, by: str, now: datetime) -> tuple[Budget, bool]:
        """Save what `/claude-budget set` asked for; (the budget, whether it is new rather than replaced)."""
        scope = resolve_scope(query.scope_kind, query.scope_name, names)
        budget = Budget(
            scope, query.amount, query.period, query.thresholds, query.forecast, query.channel, created_by=by
        )
        return self.save(budget, now=now)

    def save(self, budget: Budget, *, now: datetime) -> tuple[Budget, bool]:
        """Add `budget`, or replace the one with its scope and period; (stored budget, whether new)."""
        with session_scope(self.engine) as session:
            row = session.exec(
                select(WatchBudgetRow).where(
                    WatchBudgetRow.scope_kind == budget.scope.kind,
                    col(WatchBudgetRow.scope_id).is_(None)
                    if budget.scope.id is None
                    else WatchBudgetRow.scope_id == budget.scope.id,
                    WatchBudgetRow.period == budget.period,
                )
            ).first()
            created = row is None
            row = row or WatchBudgetRow(
                scope_kind=budget.scope.kind, amount=budget.amount, period=budget.period, thresholds="",
                created_at=now,
            )  # fmt: skip
            row.scope_id, row.scope_name = budget.scope.id, budget.scope.name
            row.amount, row.thresholds = budget.amount, ",".join(str(t) for t in budget.thresholds)
            row.forecast, row.channel_id, row.created_by = budget.forecast, budget.channel, budget.created_by
            session.add(row)
            session.flush()
            return _budget(row), created

    def remove(self, budget_id: int) -> Budget:
        """Delete a budget (its alerts stay in the history); `BudgetNotFound` if it is not there."""
        with session_scope(self.engine) as session:
            row = session.get(WatchBudgetRow, budget_id)
            if row is None:
                raise BudgetNotFound(budget_id)
            budget = _budget(row)
            session.delete(row)
            return budget

    def by_id(self, budgets: Iterable[Budget] | None = None) -> dict[int, Budget]:
        """Budgets by id (of `budgets`, or of the store)."""
        return {b.id: b for b in (budgets if budgets is not None else self.list()) if b.id is not None}


def _budget(row: WatchBudgetRow) -> Budget:
    scope = Scope(cast(ScopeKind, row.scope_kind), row.scope_id, row.scope_name)
    return Budget(
        scope=ORGANIZATION if scope.kind == "organization" else scope,
        amount=row.amount,
        period=cast(BudgetPeriod, row.period),
        thresholds=tuple(int(t) for t in row.thresholds.split(",") if t),
        forecast=row.forecast,
        channel=row.channel_id,
        id=row.id,
        created_by=row.created_by,
    )
