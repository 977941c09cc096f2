"""The one wiring: everything a running billbot needs, built once from the settings, closed once.

`open_runtime(settings)` opens the data source, the report cache answers read it through, the balance
book, the web page's sign-in links and (on first use) the configured store and the ticket service;
`Runtime.services()` hands the command layer what its handlers use. Every entry point (`ask`,
`console`, `sync`, `serve`, `socket`, and the watch, what-if and drill workers) goes through it;
nothing else constructs these parts.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterator
from datetime import datetime
from functools import cached_property

import httpx
from sqlalchemy import Engine

from billbot.access.links import SignInLinks, links_for
from billbot.admin_api.billing import AdminBillingData
from billbot.admin_api.sandbox_state import SANDBOX_STATE
from billbot.admin_api.source import DataSource
from billbot.app.answers import Answers
from billbot.app.balance_book import BalanceBook
from billbot.app.data import BalanceRecord, BillingData
from billbot.app.replies.builders import sandbox_history_response
from billbot.app.replies.model import Response
from billbot.app.services import Services
from billbot.core.estimate import UsagePricer
from billbot.report_cache.cached import CachedBillingData
from billbot.report_cache.sync import FeedSync, Progress
from billbot.runtime.source import ReportCache, cache_key, open_cache_store, open_source
from billbot.runtime.tickets import ticket_service
from billbot.settings import Settings
from billbot.store.engine import make_engine
from billbot.store.migrate import migrate
from billbot.tickets.service import TicketService
from billbot.watch.gather import balance_view_from_state
from billbot.watch.inputs import BalanceView, CreditLot
from billbot.watch.service import WatchService
from sandbox.pricing import PriceList


class Runtime:
    """A running billbot's parts: settings, data source, report cache, store, balance book, tickets."""

    def __init__(self, settings: Settings, source: DataSource, stack: contextlib.ExitStack) -> None:
        self.settings = settings
        self.source = source
        self.now: Callable[[], datetime] = source.now
        self.demo_end = source.now()  # the embedded demo's history ends at its clock's start
        self._stack = stack
        org = None if source.kind == "embedded_sandbox" else source.client.me().id
        cache_engine = stack.enter_context(open_cache_store(source, lambda: self.store))
        self.reports = ReportCache(cache_engine, cache_key(source, org), source)
        self.live = AdminBillingData(source)
        self.data: BillingData = CachedBillingData(self.live, cache_engine, self.reports.key, source.now)
        self.book = None if source.simulated or org is None else BalanceBook(self.store, org, source.label)
        self.answers = Answers(
            self.data, UsagePricer(PriceList.default()), balance_record=self._balance_record
        )

    def _balance_record(self) -> BalanceRecord | None:
        return None if self.book is None else self.book.current(self.now())

    @cached_property
    def store(self) -> Engine:
        """The configured store (DATABASE_URL, else the user's SQLite file), migrated on first use."""
        url = self.settings.database_url
        engine = make_engine(url.get_secret_value() if url else None)
        self._stack.callback(engine.dispose)
        migrate(engine)
        return engine

    @cached_property
    def sign_in_links(self) -> SignInLinks | None:
        """The web page's one-time sign-in links (None without a session secret: no dashboard)."""
        return links_for(self.settings)

    @cached_property
    def tickets(self) -> TicketService:
        """The ticket service over the configured store; `TicketConfigError`/`ProfileError` if misnamed."""
        ledger_org = self.book.org_id if self.book is not None else None
        return ticket_service(self.settings, self.store, ledger_org)

    @cached_property
    def watch(self) -> WatchService:
        """The watch over the same data the answers read, keeping budgets and alerts in the store."""
        return WatchService.over(
            self.store, self.data, balance=self._balance_view, alert_channel=self.settings.alert_channel
        )

    def _balance_view(self, now: datetime) -> BalanceView | None:
        # A sandbox tells its exact lots and reloads; for Anthropic the estimate from the balance book.
        if self.source.simulated:
            return balance_view_from_state(self.source.client.get(SANDBOX_STATE))
        answer = self.answers.balance_estimate(now)
        if answer is None:
            return None
        lots = tuple(CreditLot(held.amount, held.expires_at, held.bought_at) for held in answer.expiring)
        record = self._balance_record()
        minimum = None if record is None else record.reload_threshold
        return BalanceView(answer.estimate, True, lots, minimum)

    def sandbox_history(self) -> Response:
        """A sandbox's purchases, reloads, expiries and promotions (none for Anthropic)."""
        return sandbox_history_response(self.live.sandbox_history() or [], self.data.label)

    def services(self) -> Services:
        """What the command handlers use."""
        return Services(
            answers=self.answers,
            book=self.book,
            sandbox_history=self.sandbox_history if self.source.simulated else None,
            tickets=lambda: self.tickets,
            provider=self.settings.provider,
            ticket_channel=self.settings.ticket_channel,
            sign_in=self.sign_in_links.mint if self.sign_in_links is not None else None,
            watch=lambda: self.watch,
        )

    def shareable_settings(self) -> Settings:
        """The settings another process needs to build the same runtime (the same demo end, if embedded)."""
        if self.source.kind != "embedded_sandbox" or self.settings.demo_at is not None:
            return self.settings
        return self.settings.model_copy(update={"demo_at": self.demo_end})

    def on_close(self, stop: Callable[[], None]) -> None:
        """Call `stop` when the runtime closes (background threads, servers), last started first."""
        self._stack.callback(stop)

    def sync(self, progress: Progress = lambda _: None) -> list[FeedSync]:
        """Bring the report cache up to date."""
        return self.reports.sync(self.now(), progress)


@contextlib.contextmanager
def open_runtime(
    settings: Settings, *, say: Callable[[str], None], transport: httpx.BaseTransport | None = None
) -> Iterator[Runtime]:
    """Build a runtime from the settings and close it afterwards; may raise `AdminApiError`.

    `transport` replaces the network for a key's source (tests put a sandbox or a fault script there).
    """
    with contextlib.ExitStack() as stack:
        source = stack.enter_context(open_source(settings, say=say, transport=transport))
        yield Runtime(settings, source, stack)
