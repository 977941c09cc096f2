"""The command table: every slash command billbot has, defined once (DESIGN.md 4.3).

Slack registers one listener per row, `billbot ask` and `billbot console` parse through it, and
`/claude-help` lists it, so a command added here exists everywhere. See docs/CONTRIBUTING.md
("Adding a command").
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from billbot.app import handlers
from billbot.app import watch as watch_commands
from billbot.app.command import Actor, Command, Invocation, Reply
from billbot.app.dashboard import dashboard
from billbot.app.grammar import answers as grammar
from billbot.app.grammar import tickets as ticket_grammar
from billbot.app.grammar.amounts import InputError
from billbot.app.grammar.answers import CommandError, HelpQuery
from billbot.app.grammar.dashboard import parse_dashboard
from billbot.app.grammar.watch import (
    ALERTS_USAGE,
    BUDGET_USAGE,
    AlertActionQuery,
    alerts_args,
    budget_args,
)
from billbot.app.replies.builders import help_response
from billbot.app.services import Services
from billbot.app.whatif import WHATIF_USAGE, parse_whatif, whatif
from billbot.core.periods import PeriodError
from billbot.drills.command import DRILL_USAGE, drill_command, parse_drill_command

HELP = "/claude-help"
DRILL_COMMAND = "/claude-drill"


def _help(services: Services, query: HelpQuery, actor: Actor, now: datetime) -> Reply:
    return help_response(services.label, tuple((command.usage, command.example) for command in COMMANDS))


FILING = ticket_grammar.FILING_ARGS
COMMANDS: tuple[Command[Any], ...] = (
    Command(
        "/claude-spend",
        "/claude-spend [PERIOD] [by model|workspace|type|key|description] [workspace NAME]",
        "/claude-spend 7d by model",
        grammar.parse_spend,
        handlers.spend,
    ),
    Command(
        "/claude-usage",
        "/claude-usage [PERIOD] [by model|key|workspace]",
        "/claude-usage mtd by key",
        grammar.parse_usage,
        handlers.usage,
    ),
    Command(
        "/claude-balance",
        "/claude-balance [topup AMOUNT [DATE] | set AMOUNT [AS-OF] | "
        "autoreload THRESHOLD TARGET|off | history]",
        "/claude-balance topup 500 2026-11-01",
        grammar.parse_balance,
        handlers.balance,
        admin_only=lambda query: query.changes_money,
        guards="change the balance records",
        shareable=lambda query: not query.changes_money,
    ),
    Command(
        "/claude-limits",
        "/claude-limits [MODEL]",
        "/claude-limits claude-sonnet-5",
        grammar.parse_limits,
        handlers.limits,
    ),
    Command(
        "/claude-dispute",
        f"/claude-dispute {FILING}",
        "/claude-dispute duplicate $12.50 req_011CSHoEeqs5C35K2UUqR7Fy",
        ticket_grammar.parse_dispute,
        handlers.file_ticket,
        shareable=lambda query: False,
        immediate=True,
    ),
    Command(
        "/claude-refund",
        f"/claude-refund {FILING}",
        "/claude-refund unused",
        ticket_grammar.parse_refund,
        handlers.file_ticket,
        shareable=lambda query: False,
        immediate=True,
    ),
    Command(
        "/claude-tickets",
        "/claude-tickets [open|all|ID]",
        "/claude-tickets open",
        ticket_grammar.parse_tickets,
        handlers.tickets,
        shareable=lambda query: False,
    ),
    Command(
        "/claude-budget",
        BUDGET_USAGE,
        "/claude-budget set 5000 monthly workspace Research",
        budget_args,
        watch_commands.budget,
        admin_only=lambda query: query.changes_money,
        guards="change budgets",
        shareable=lambda query: not query.changes_money,
    ),
    Command(
        "/claude-alerts",
        ALERTS_USAGE,
        "/claude-alerts snooze 12 period",
        alerts_args,
        watch_commands.alerts,
        # Anyone who may use billbot here may act on an alert, as its buttons allow (billbot.app.watch).
        shareable=lambda query: not isinstance(query, AlertActionQuery),
    ),
    Command(
        "/claude-whatif",
        WHATIF_USAGE,
        "/claude-whatif traffic x2 horizon 30d",
        parse_whatif,
        whatif,
        shareable=lambda query: False,
        public=True,
    ),
    Command(
        "/claude-dashboard",
        "/claude-dashboard",
        "/claude-dashboard",
        parse_dashboard,
        dashboard,
        shareable=lambda query: False,  # the link signs in as the asker: only they may see it
    ),
    Command(
        DRILL_COMMAND,
        DRILL_USAGE,
        "/claude-drill credit-exhaustion",
        parse_drill_command,
        drill_command,
        shareable=lambda query: False,
    ),
    Command(HELP, HELP, HELP, grammar.parse_help, _help),
)
BY_NAME = {command.name: command for command in COMMANDS}


def parse(text: str, now: datetime) -> Invocation:
    """`"/claude-spend 7d by model"` → the command and its query; anything else → `CommandError`."""
    words = text.split()
    if not words:
        raise CommandError("type a command, e.g. /claude-spend mtd", HELP)
    command = BY_NAME.get(words[0].lower())
    if command is None:
        raise CommandError(f"unknown command {words[0]!r}; try /claude-help", HELP)
    try:
        return Invocation(command, command.parse(words[1:], now), text.strip())
    except (InputError, PeriodError) as exc:
        raise CommandError(str(exc), command.usage) from None


def execute(invocation: Invocation, services: Services, actor: Actor, now: datetime) -> Reply:
    """Run a parsed, authorized command; input errors raised while handling carry its usage line."""
    try:
        return invocation.run(services, actor, now)
    except (InputError, PeriodError) as exc:
        raise CommandError(str(exc), invocation.command.usage) from None
