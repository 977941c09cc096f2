"""The balance book on a real SQLite file: admins' records come back as the estimate's inputs."""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal
from pathlib import Path

from billbot.app.balance_book import BalanceBook
from billbot.app.grammar.answers import BalanceQuery
from billbot.store.engine import make_engine
from billbot.store.migrate import migrate
from billbot.terminal.render import render_text
from tests.billbot.app.support import parse_query

NOW = datetime(2026, 11, 22, 12, tzinfo=UTC)


def book(tmp_path: Path) -> BalanceBook:
    engine = make_engine(f"sqlite:///{tmp_path / 'billbot.db'}")
    migrate(engine)
    return BalanceBook(engine, "org-1", "Anthropic Admin API")


def record(balance_book: BalanceBook, text: str) -> str:
    query = parse_query(text, NOW)
    assert isinstance(query, BalanceQuery)
    return render_text(balance_book.record(query, by="U01ADMIN", now=NOW))


def test_nothing_recorded_means_no_estimate(tmp_path: Path) -> None:
    assert book(tmp_path).current(NOW) is None


def test_anchor_topups_and_reload_come_back_for_the_estimate(tmp_path: Path) -> None:
    balance_book = book(tmp_path)
    assert "Balance set to $1,200.00" in record(balance_book, "/claude-balance set 1200 2026-11-01")
    assert "Recorded a top-up of $500.00 on 2026-11-10" in record(
        balance_book, "/claude-balance topup 500 2026-11-10"
    )
    record(balance_book, "/claude-balance topup 300 2026-01-05")  # before the anchor: a lot, not new money
    assert "below $100.00, buy up to $400.00" in record(balance_book, "/claude-balance autoreload 100 400")
    current = balance_book.current(NOW)
    assert current is not None
    assert (current.anchor, current.anchored_at) == (Decimal("1200"), datetime(2026, 11, 1, tzinfo=UTC))
    assert sorted(p.amount for p in current.purchases) == [Decimal("300"), Decimal("500")]
    assert current.reload_threshold == Decimal("100")


def test_history_lists_newest_first_with_who_recorded_it(tmp_path: Path) -> None:
    balance_book = book(tmp_path)
    record(balance_book, "/claude-balance set 50")
    record(balance_book, "/claude-balance autoreload off")
    text = render_text(balance_book.history())
    assert text.index("autoreload_setting") < text.index("anchor")
    assert "U01ADMIN" in text and "off" in text
