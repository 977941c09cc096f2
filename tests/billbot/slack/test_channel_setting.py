"""BILLBOT_CHANNELS: an optional allowlist of channel IDs, written as a comma list."""

from __future__ import annotations

import pytest

from billbot.settings import Settings


def test_channels_are_a_comma_list_and_default_to_everywhere(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("BILLBOT_CHANNELS", raising=False)
    assert Settings().channels == frozenset()
    monkeypatch.setenv("BILLBOT_CHANNELS", "C01BILLING, C02FINANCE,,")
    assert Settings().channels == frozenset({"C01BILLING", "C02FINANCE"})
