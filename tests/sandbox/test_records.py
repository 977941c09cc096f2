"""Records: usage lands in its UTC minute, cost in its UTC day, and every request can be found by id."""

from __future__ import annotations

from decimal import Decimal

from sandbox.clock import NS_PER_DAY, NS_PER_MINUTE, NS_PER_SECOND
from sandbox.messages import Outcome
from sandbox.records import OUTPUT, REQUESTS, ChargeDims, CostDims, Records, UsageDims
from sandbox.tokens import TokenUsage

DAY = 20_000 * NS_PER_DAY
DIMS = UsageDims(
    "apikey_1", None, "claude-sonnet-5", "standard", "0-200k", "global", "standard", "user_1", None
)
LINE = CostDims(
    None,
    "Claude Sonnet 5 Usage - Input Tokens",
    "tokens",
    "claude-sonnet-5",
    "uncached_input_tokens",
    "standard",
    "0-200k",
    "global",
)


def _describe(model: str, token_type: str) -> str:
    return f"{model} {token_type}"


def test_requests_in_one_minute_share_a_row() -> None:
    records = Records(_describe)
    usage = TokenUsage(uncached_input=10, output=5)
    records.add_usage(DAY + 1 * NS_PER_SECOND, DIMS, usage)
    records.add_usage(DAY + 59 * NS_PER_SECOND, DIMS, usage)
    records.add_usage(DAY + NS_PER_MINUTE, DIMS, usage)
    rows = sorted(records.usage_rows(DAY, DAY + NS_PER_DAY))
    assert [(minute - DAY, row[OUTPUT], row[REQUESTS]) for minute, _, row in rows] == [
        (0, 10, 2),
        (NS_PER_MINUTE, 5, 1),
    ]


def test_row_window_is_half_open() -> None:
    records = Records(_describe)
    records.add_usage(DAY + NS_PER_MINUTE, DIMS, TokenUsage(uncached_input=1))
    assert list(records.usage_rows(DAY, DAY + NS_PER_MINUTE)) == []
    assert len(list(records.usage_rows(DAY + NS_PER_MINUTE, DAY + 2 * NS_PER_MINUTE))) == 1


def test_cost_lines_sum_per_day_exactly() -> None:
    records = Records(_describe)
    records.add_cost(DAY + 5, LINE, Decimal("0.1"))
    records.add_cost(DAY + NS_PER_DAY - 1, LINE, Decimal("0.2"))
    records.add_cost(DAY + NS_PER_DAY, LINE, Decimal("1"))
    assert [amount for _, _, amount in records.cost_lines(DAY, DAY + NS_PER_DAY)] == [Decimal("0.3")]
    assert records.total_cost() == Decimal("1.3")


def test_request_log_finds_by_id() -> None:
    records = Records(_describe)
    record = Outcome("req_1", 400, "credit", DAY, api_key_id="apikey_1", model="claude-sonnet-5")
    records.log(record)
    assert records.find("req_1") is record
    assert records.find("req_2") is None


def test_charges_expand_into_cost_lines_per_token_type_and_merge_web_search() -> None:
    records = Records(_describe)
    sonnet = ChargeDims("wrkspc_1", "claude-sonnet-5", "standard", "0-200k", "global")
    haiku = sonnet._replace(model="claude-haiku-4-5")
    zero = Decimal(0)
    records.add_charge(DAY, sonnet, (Decimal("0.3"), zero, zero, zero, Decimal("1.5"), Decimal("0.01")))
    records.add_charge(DAY + 9, sonnet, (Decimal("0.1"), zero, zero, zero, zero, zero))
    records.add_charge(DAY + 9, haiku, (zero, zero, zero, Decimal("0.02"), zero, Decimal("0.01")))
    lines = {
        (line.description, line.cost_type): amount for _, line, amount in records.cost_lines(DAY, DAY + 10)
    }
    assert lines == {
        ("claude-sonnet-5 uncached_input_tokens", "tokens"): Decimal("0.4"),
        ("claude-sonnet-5 output_tokens", "tokens"): Decimal("1.5"),
        ("claude-haiku-4-5 cache_read_input_tokens", "tokens"): Decimal("0.02"),
        ("Web Search Usage", "web_search"): Decimal("0.02"),
    }
    assert records.total_cost() == Decimal("1.94")
