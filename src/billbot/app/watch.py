"""The watch's commands: `/claude-budget` (everyone reads, admins change) and `/claude-alerts`.

Both run over `Services.watch`, the one `WatchService` of this billbot (budgets and alerts in the
store). `set` resolves the scope's name against the organisation's own workspaces, keys and models,
read from the same data the answers read. Acting on an alert (acknowledge, snooze, "expected" / "not
expected") is open to anyone who may run billbot in the channel, as the alert's buttons are: it moves
no money, it is recorded with who did it and shown on the alert, and a snooze ends by itself (a day,
or the alert's period). Changing budgets is for admins only, like the balance records.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime, timedelta

from billbot.app.command import Actor, Reply
from billbot.app.data import BillingData
from billbot.app.errors import Unavailable
from billbot.app.grammar.watch import (
    AlertActionQuery,
    AlertShowQuery,
    AlertsQuery,
    BudgetListQuery,
    BudgetQuery,
    BudgetRemoveQuery,
)
from billbot.app.replies.watch import (
    alert_action_response,
    alert_response,
    alerts_response,
    budget_removed_response,
    budget_saved_response,
    budgets_response,
)
from billbot.app.services import Services
from billbot.watch.budget_store import ScopeNames
from billbot.watch.scope import ScopeKind
from billbot.watch.service import WatchService
from sandbox.pricing import PriceList, UnknownModelError

NO_WATCH = "The watch needs the store: billbot was started without one (see docs/WATCH.md)."
# A model budget may name any priced model, or one the organisation used lately (a newer one).
MODELS_SEEN = timedelta(days=31)


def budget(services: Services, query: BudgetQuery, actor: Actor, now: datetime) -> Reply:
    """`/claude-budget [list | set … | remove ID]`."""
    watch = _watch(services)
    if isinstance(query, BudgetListQuery):
        return budgets_response(watch.budgets.list(), services.label)
    if isinstance(query, BudgetRemoveQuery):
        return budget_removed_response(watch.budgets.remove(query.budget_id), services.label)
    names = scope_names(services.answers.data, query.scope_kind, now)
    if query.scope_kind == "model" and query.scope_name:
        query = replace(query, scope_name=reported_model(query.scope_name, names.models))
    saved, created = watch.budgets.set(query, names=names, by=actor.user, now=now)
    return budget_saved_response(saved, created, services.label)


def alerts(services: Services, query: AlertsQuery, actor: Actor, now: datetime) -> Reply:
    """`/claude-alerts [active | all | ID | ack ID | snooze ID [1d|period] | expected ID | unexpected ID]`."""
    watch = _watch(services)
    if isinstance(query, AlertShowQuery):
        return alert_response(watch.alert(query.alert_id), services.label)
    if isinstance(query, AlertActionQuery):
        changed = watch.act(query, by=actor.user, now=now)
        return alert_action_response(changed, query.action, services.label)
    active_only = query.which == "active"
    listed = watch.alerts(active_only=active_only)
    return alerts_response(listed, active_only=active_only, source=services.label)


def scope_names(data: BillingData, kind: ScopeKind, now: datetime) -> ScopeNames:
    """The names a budget of `kind` may be set on (only the kind asked for is read from the source)."""
    if kind == "workspace":
        return ScopeNames(workspaces=data.workspace_names())
    if kind == "api_key":
        return ScopeNames(keys=data.key_names())
    if kind == "model":
        today = now.replace(hour=0, minute=0, second=0, microsecond=0)
        used = data.usage(today - MODELS_SEEN, today, "1d", ["model"])
        seen = {entry.model for entry in used if entry.model}
        return ScopeNames(models=tuple(sorted(seen | set(PriceList.default().models))))
    return ScopeNames()


def reported_model(name: str, models: tuple[str, ...]) -> str:
    """The model id usage reports for `name` (an alias such as claude-haiku-4-5 names its dated id)."""
    if name.lower() in (model.lower() for model in models):
        return name
    try:
        return PriceList.default().resolve(name).id
    except UnknownModelError:
        return name  # the budget store says it is unknown, with the names it knows


def _watch(services: Services) -> WatchService:
    if services.watch is None:
        raise Unavailable(NO_WATCH)
    return services.watch()
