"""The answers service over the sandbox's wire, in-process: figures equal what the sandbox charged."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from decimal import Decimal
from pathlib import Path

import pytest
from pydantic import SecretStr

from billbot.admin_api.billing import AdminBillingData
from billbot.admin_api.source import open_data_source
from billbot.app.answers import Answers, UnknownWorkspace
from billbot.core.estimate import UsagePricer
from billbot.terminal.render import render_text
from sandbox.api.app import create_app
from sandbox.api.state import SandboxState, ServeOptions
from sandbox.api.transport import SandboxTransport
from sandbox.clock import to_ns
from sandbox.pricing import PriceList
from tests.billbot.app.support import answer

KEY = "sk-ant-admin01-service-test"
SCENARIO = """
name = "svc"
start = 2026-11-01T00:00:00Z
days = 10
[org]
name = "svc"
tier = "Build"
workspaces = [{ name = "Apps", keys = 2 }]
[credits]
lots = [{ amount = "900", day = -30 }]
[traffic]
requests_per_day = 200
models = [{ model = "claude-sonnet-5", share = 1.0, input_median = 3000, output_median = 300 }]
"""


@pytest.fixture
def sandbox(tmp_path: Path) -> Iterator[tuple[Answers, SandboxState]]:
    path = tmp_path / "svc.toml"
    path.write_text(SCENARIO)
    state = SandboxState(ServeOptions(str(path), speed=0, admin_keys=(KEY,)))
    transport = SandboxTransport(create_app(state))
    with open_data_source(SecretStr(KEY), "http://sandbox", transport=transport) as source:
        yield Answers(AdminBillingData(source), UsagePricer(PriceList.default())), state


def charged(state: SandboxState, start: datetime, end: datetime) -> Decimal:
    lines = state.world.records.cost_lines(to_ns(start), to_ns(end))
    return sum((amount for _, _, amount in lines), Decimal(0))


def test_month_to_date_billed_is_what_the_sandbox_charged(sandbox: tuple[Answers, SandboxState]) -> None:
    answers, state = sandbox
    now = state.clock.now()
    text = render_text(answer(answers, "/claude-spend mtd by workspace", now))
    billed = charged(state, datetime(2026, 11, 1, tzinfo=UTC), datetime(2026, 11, 11, tzinfo=UTC))
    assert f"${billed.quantize(Decimal('0.01')):,}" in text
    assert "Apps" in text and "Default workspace" in text


def test_balance_is_the_sandbox_balance_labelled_simulated(sandbox: tuple[Answers, SandboxState]) -> None:
    answers, state = sandbox
    now = state.clock.now()
    text = render_text(answer(answers, "/claude-balance", now))
    exact = state.world.ledger.balance(state.clock.now_ns())
    assert f"Balance (simulated)  ${exact.quantize(Decimal('0.01')):,}" in text


def test_an_unknown_workspace_names_the_real_ones(sandbox: tuple[Answers, SandboxState]) -> None:
    answers, state = sandbox
    now = state.clock.now()
    with pytest.raises(UnknownWorkspace, match="the workspaces are: Default, Apps"):
        answer(answers, "/claude-spend workspace Nope", now)
