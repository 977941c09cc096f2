"""Wiring the ticket desk in the composition root: store, provider profiles, evidence, relay.

Tickets are the team's records, so they always live in the configured store (`DATABASE_URL`, else
the SQLite file in the user's data dir) — also when answers come from the embedded sandbox, whose
report cache is thrown away with it. Outcomes feed the balance ledger only where billbot keeps one
(Anthropic: no balance API); a sandbox keeps its own balance.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from slack_sdk import WebClient
from sqlalchemy import Engine

from billbot.settings import Settings
from billbot.slack.ticket_desk import TicketDesk
from billbot.slack.ticket_relay import TicketRelay
from billbot.sources import Source
from billbot.store.engine import make_engine
from billbot.store.migrate import migrate
from billbot.tickets.catalog import load_profiles
from billbot.tickets.evidence import sources_for
from billbot.tickets.files import TicketFiles
from billbot.tickets.service import TicketService


class TicketConfigError(ValueError):
    """The ticket settings name something that is not there (a provider profile, a profiles folder)."""


@contextmanager
def open_ticket_desk(settings: Settings, source: Source, client: WebClient) -> Iterator[TicketDesk]:
    """The ticket desk over the configured store; `TicketConfigError`/`ProfileError` for bad settings."""
    profiles = load_profiles(settings.profiles_dir)
    if settings.provider not in profiles:
        known = ", ".join(sorted(profiles))
        raise TicketConfigError(f"BILLBOT_PROVIDER={settings.provider!r} is not a provider profile ({known})")
    with _ticket_store(settings, source) as engine:
        ledger_org = source.book.org_id if source.book is not None else None
        service = TicketService(engine, profiles, ledger_org=ledger_org)
        organization = source.origin.label if source.book is None else source.book.org_id
        files = TicketFiles(
            service, sources_for(source.origin, source.data), organization=organization, now=source.now
        )
        relay = TicketRelay(service, client, source.now, files)
        yield TicketDesk(service, relay, settings.provider, settings.ticket_channel)


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
