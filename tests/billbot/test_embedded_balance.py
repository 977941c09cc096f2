"""`/claude-balance history` on the embedded sandbox shows what happened to its money."""

from __future__ import annotations

from billbot.settings import Settings
from billbot.terminal.ask import ask


def test_balance_history_on_a_sandbox_lists_its_purchases_reloads_and_promotions() -> None:
    said: list[str] = []
    code = ask("/claude-balance history", Settings(), out=said.append, err=said.append)
    answer = said[-1]
    assert code == 0, answer
    assert "Claude API balance · history" in answer and "source: sandbox" in answer
    # The demo's card was declined once; the team then bought credits by hand; a promotion was granted.
    assert "auto-reload declined" in answer and "purchase" in answer and "promotion" in answer
    assert "A sandbox knows its balance exactly" not in answer
