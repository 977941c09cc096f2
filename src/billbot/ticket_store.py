"""The ticket service the settings name: the configured store, the provider profiles, the ledger.

Tickets are the team's records, so they always live in the configured store (`DATABASE_URL`, else
the SQLite file in the user's data dir) — also when answers come from the embedded sandbox, whose
report cache is thrown away with it. Outcomes feed the balance ledger only where billbot keeps one
(Anthropic: no balance API); a sandbox keeps its own balance.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy import Engine

from billbot.settings import Settings
from billbot.sources import Source
from billbot.store.engine import make_engine
from billbot.store.migrate import migrate
from billbot.tickets.catalog import load_profiles
from billbot.tickets.service import TicketService


class TicketConfigError(ValueError):
    """The ticket settings name something that is not there (a provider profile, a profiles folder)."""


@contextmanager
def open_ticket_service(settings: Settings, source: Source) -> Iterator[TicketService]:
    """Tickets in the configured store, judged by the profiles; `TicketConfigError`/`ProfileError`."""
    profiles = load_profiles(settings.profiles_dir)
    if settings.provider not in profiles:
        known = ", ".join(sorted(profiles))
        raise TicketConfigError(f"BILLBOT_PROVIDER={settings.provider!r} is not a provider profile ({known})")
    with _ticket_store(settings, source) as engine:
        ledger_org = source.book.org_id if source.book is not None else None
        yield TicketService(engine, profiles, ledger_org=ledger_org)


@contextmanager
def _ticket_store(settings: Settings, source: Source) -> Iterator[Engine]:
    if source.origin.kind != "embedded_sandbox":
        yield source.engine  # the configured store already, migrated by the source
        return
    engine = make_engine(settings.database_url.get_secret_value() if settings.database_url else None)
    try:
        migrate(engine)
        yield engine
    finally:
        engine.dispose()
