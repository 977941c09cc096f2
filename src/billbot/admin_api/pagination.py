"""The Admin API's three pagination styles, each followed to the end (reference §1.3).

- report cursor: send `page=<next_page>` while `has_more` (usage, cost, Claude Code);
- id cursor: send `after_id=<last_id>` while `has_more` (API keys, workspaces, users);
- page cursor: send `page=<next_page>` until it is null, no `has_more` (rate limits).

A list is returned only when the last page has arrived. If a later page fails, or the server breaks
the protocol (more pages promised without a cursor, a cursor repeated), `IncompleteResult` is raised
with the items so far as `partial`. A failure on the first page is raised as it is: nothing arrived.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Generic, TypeVar

from pydantic import BaseModel

from billbot.admin_api.errors import AdminApiError, IncompleteResult
from billbot.admin_api.wire import CursorPage, IdPage, ReportPage

T = TypeVar("T", bound=BaseModel)
PageT = TypeVar("PageT")
MAX_PAGES = 10_000


class _Walk(Generic[T]):
    """The pages of one listing so far."""

    def __init__(self, what: str) -> None:
        self.what = what
        self.items: list[T] = []
        self.pages = 0
        self.cursors: set[str] = set()

    def fetch(self, fetch: Callable[[str | None], PageT], cursor: str | None) -> PageT:
        if self.pages >= MAX_PAGES:
            raise self.incomplete(None, f"it passed the limit of {MAX_PAGES} pages")
        try:
            page = fetch(cursor)
        except AdminApiError as exc:
            if self.pages == 0:
                raise
            raise self.incomplete(exc, f"page {self.pages + 1} failed: {str(exc).rstrip('.')}") from exc
        self.pages += 1
        return page

    def next_cursor(self, cursor: str | None, promised: str) -> str:
        if not cursor:
            raise self.incomplete(None, f"the API said there is more but gave no {promised}")
        if cursor in self.cursors:
            raise self.incomplete(None, f"the API repeated the {promised} of an earlier page")
        self.cursors.add(cursor)
        return cursor

    def incomplete(self, cause: AdminApiError | None, reason: str) -> IncompleteResult:
        return IncompleteResult(self.what, pages=self.pages, partial=self.items, cause=cause, reason=reason)


def follow_report(what: str, fetch: Callable[[str | None], ReportPage[T]]) -> list[T]:
    """Every item of a report-cursor listing; `fetch(page)` gets one page (None: the first)."""
    walk: _Walk[T] = _Walk(what)
    cursor: str | None = None
    while True:
        page = walk.fetch(fetch, cursor)
        walk.items.extend(page.data)
        if not page.has_more:
            return walk.items
        cursor = walk.next_cursor(page.next_page, "next_page")


def follow_ids(what: str, fetch: Callable[[str | None], IdPage[T]]) -> list[T]:
    """Every item of an id-cursor listing; `fetch(after_id)` gets one page (None: the first)."""
    walk: _Walk[T] = _Walk(what)
    after: str | None = None
    while True:
        page = walk.fetch(fetch, after)
        walk.items.extend(page.data)
        if not page.has_more:
            return walk.items
        after = walk.next_cursor(page.last_id if page.data else None, "last_id")


def follow_pages(what: str, fetch: Callable[[str | None], CursorPage[T]]) -> list[T]:
    """Every item of a page-cursor listing without `has_more`; done when `next_page` is null."""
    walk: _Walk[T] = _Walk(what)
    cursor: str | None = None
    while True:
        page = walk.fetch(fetch, cursor)
        walk.items.extend(page.data)
        if page.next_page is None:
            return walk.items
        cursor = walk.next_cursor(page.next_page, "next_page")
