"""Opening the data source the settings name, and the report cache answers read it through.

Three names, three things: the **data source** (`admin_api.source.DataSource`: the embedded sandbox,
a sandbox at a URL, or Anthropic, with its client and clock), the **report cache** (`ReportCache`:
complete buckets kept in a store, brought up to date by `billbot sync`), and the **wiring**
(`billbot.runtime.Runtime`, which holds both). Anthropic and a remote sandbox keep their cache in the
configured store; the embedded sandbox is rebuilt on every start, so its cache is a throw-away SQLite
file that lives as long as the source.
"""

from __future__ import annotations

import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime

import httpx
from sqlalchemy import Engine

from billbot.admin_api.source import DataSource, open_data_source, safe_url
from billbot.report_cache.sync import FeedSync, Progress, sync_reports
from billbot.runtime.embedded import embedded_source
from billbot.settings import Settings
from billbot.store.engine import make_engine
from billbot.store.migrate import migrate

EMBEDDED_NOTICE = "no ANTHROPIC_ADMIN_KEY: answering from the embedded sandbox (simulated org 'demo')…"


@dataclass(frozen=True)
class ReportCache:
    """Where one organisation's synced report buckets live: a store and the key they are filed under."""

    engine: Engine
    key: str
    source: DataSource

    def sync(self, now: datetime, progress: Progress = lambda _: None) -> list[FeedSync]:
        """Bring the cache up to date with the source."""
        return sync_reports(self.source.client, self.engine, self.key, now, progress)


@contextmanager
def open_source(
    settings: Settings,
    *,
    say: Callable[[str], None],
    transport: httpx.BaseTransport | None = None,
) -> Iterator[DataSource]:
    """The data source the settings name, closed afterwards; may raise `AdminApiError` while probing."""
    if settings.anthropic_admin_key is None:
        say(EMBEDDED_NOTICE)
        source = embedded_source(settings.demo_at)
    else:
        key, url = settings.anthropic_admin_key, settings.anthropic_base_url
        source = open_data_source(key, url, transport=transport)
    with source:
        yield source


@contextmanager
def open_cache_store(source: DataSource, store: Callable[[], Engine]) -> Iterator[Engine]:
    """The store the report cache lives in: the configured one, or a scratch file for the embedded demo."""
    if source.kind != "embedded_sandbox":
        yield store()
        return
    with tempfile.TemporaryDirectory(prefix="billbot-cache-") as scratch:
        engine = make_engine(f"sqlite:///{scratch}/cache.db")
        try:
            migrate(engine)
            yield engine
        finally:
            engine.dispose()


def cache_key(source: DataSource, org: str | None) -> str:
    """`anthropic:org_…`, `sandbox@http://host:port:org_…`, or `embedded`: one organisation of one API."""
    if org is None:
        return "embedded"
    if source.kind == "anthropic":
        return f"anthropic:{org}"
    return f"sandbox@{safe_url(source.client.base_url)}:{org}"
