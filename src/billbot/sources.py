"""The data source an answer reads, opened once from the settings: `billbot ask`, `console`, `sync`, Slack.

`open_data_source` picks the embedded sandbox, a sandbox at a URL or Anthropic; its client is read
through the report cache (`billbot.cache`) of the store. Anthropic and a remote sandbox use the
configured store (`DATABASE_URL`, else the SQLite file in the user's data dir), where `billbot sync`
keeps the cache and admins' balance records live. The embedded sandbox is rebuilt on every start and
its clock restarts with it, so its cache is a throw-away SQLite file that lives as long as the source.
"""

from __future__ import annotations

import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime

import httpx
from sqlalchemy import Engine

from billbot.admin_api.billing import AdminBillingData
from billbot.admin_api.source import DataSource, open_data_source, safe_url
from billbot.balance_book import BalanceBook
from billbot.cache.cached import CachedBillingData
from billbot.cache.sync import FeedSync, Progress, sync_reports
from billbot.core.estimate import UsagePricer
from billbot.data import BillingData
from billbot.service import Answers
from billbot.settings import Settings
from billbot.store.engine import make_engine
from billbot.store.migrate import migrate
from sandbox.pricing import PriceList

EMBEDDED_NOTICE = "no ANTHROPIC_ADMIN_KEY: answering from the embedded sandbox (simulated org 'demo')…"


@dataclass(frozen=True)
class Source:
    """An opened source: the data answers read, the time there, the balance book, and the cache."""

    data: BillingData
    now: Callable[[], datetime]
    book: BalanceBook | None
    origin: DataSource
    engine: Engine
    cache_key: str

    def sync(self, progress: Progress = lambda _: None) -> list[FeedSync]:
        """Bring this source's report cache up to date."""
        return sync_reports(self.origin.client, self.engine, self.cache_key, self.now(), progress)


def answers_for(source: Source) -> Answers:
    """The answers service over an opened source, reading admins' balance records from its book."""
    book = source.book
    return Answers(
        source.data,
        UsagePricer(PriceList.default()),
        balance_record=(lambda: book.current(source.now())) if book is not None else (lambda: None),
    )


@contextmanager
def open_source(
    settings: Settings, *, say: Callable[[str], None], transport: httpx.BaseTransport | None = None
) -> Iterator[Source]:
    """The data source the settings name, closed afterwards; may raise `AdminApiError` while probing.

    `transport` replaces the network for a key's source (tests put a sandbox or a fault script there).
    """
    if settings.uses_embedded_sandbox:
        say(EMBEDDED_NOTICE)
    with (
        open_data_source(
            settings.anthropic_admin_key, settings.anthropic_base_url, transport=transport
        ) as origin,
        _store(settings, origin) as engine,
    ):
        org = None if origin.kind == "embedded_sandbox" else origin.client.me().id
        key = _cache_key(origin, org)
        book = None if origin.simulated or org is None else BalanceBook(engine, org, origin.label)
        data = CachedBillingData(AdminBillingData(origin), engine, key, origin.now)
        yield Source(data, origin.now, book, origin, engine, key)


def _cache_key(origin: DataSource, org: str | None) -> str:
    """`anthropic:org_…`, `sandbox@http://host:port:org_…`, or `embedded`: one organisation of one API."""
    if org is None:
        return "embedded"
    if origin.kind == "anthropic":
        return f"anthropic:{org}"
    return f"sandbox@{safe_url(origin.client.base_url)}:{org}"


@contextmanager
def _store(settings: Settings, origin: DataSource) -> Iterator[Engine]:
    with tempfile.TemporaryDirectory(prefix="billbot-cache-") as scratch:
        if origin.kind == "embedded_sandbox":
            url: str | None = f"sqlite:///{scratch}/cache.db"
        else:
            url = settings.database_url.get_secret_value() if settings.database_url else None
        engine = make_engine(url)
        try:
            migrate(engine)
            yield engine
        finally:
            engine.dispose()
