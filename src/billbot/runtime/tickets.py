"""The ticket service the settings name: the configured store, the provider profiles, the ledger.

Tickets are the team's records, so they always live in the configured store (`DATABASE_URL`, else
the SQLite file in the user's data dir) — also when answers come from the embedded sandbox, whose
report cache is thrown away with it. Outcomes feed the balance ledger only where billbot keeps one
(Anthropic: no balance API); a sandbox keeps its own balance.
"""

from __future__ import annotations

from sqlalchemy import Engine

from billbot.app.errors import TicketConfigError
from billbot.settings import Settings
from billbot.tickets.catalog import load_profiles
from billbot.tickets.service import TicketService


def ticket_service(settings: Settings, store: Engine, ledger_org: str | None) -> TicketService:
    """Tickets in `store`, judged by the profiles; `TicketConfigError` for an unknown provider."""
    profiles = load_profiles(settings.profiles_dir)
    if settings.provider not in profiles:
        known = ", ".join(sorted(profiles))
        raise TicketConfigError(f"BILLBOT_PROVIDER={settings.provider!r} is not a provider profile ({known})")
    return TicketService(store, profiles, ledger_org=ledger_org)
