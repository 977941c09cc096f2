"""`PUT /sandbox/v1/balance`: set the balance exactly, up by a purchase or down by an adjustment."""

from __future__ import annotations

from decimal import Decimal

import httpx


def balance(body: dict[str, object]) -> Decimal:
    return Decimal(str(body["balance"]["balance_usd"]))  # type: ignore[index]


def test_the_balance_is_set_exactly_both_ways(admin: httpx.Client) -> None:
    raised = admin.put("/sandbox/v1/balance", json={"amount": "812.25"})
    assert raised.status_code == 200 and balance(raised.json()) == Decimal("812.25")
    cut = admin.put("/sandbox/v1/balance", json={"amount": "0"})
    assert cut.status_code == 200 and balance(cut.json()) == 0
    debt = admin.put("/sandbox/v1/balance", json={"amount": "-3"})
    assert balance(debt.json()) == Decimal(-3)


def test_an_adjustment_is_not_usage(admin: httpx.Client) -> None:
    before = admin.get("/v1/organizations/cost_report", params={"starting_at": "2026-11-10T00:00:00Z"}).json()
    admin.put("/sandbox/v1/balance", json={"amount": "1"})
    after = admin.get("/v1/organizations/cost_report", params={"starting_at": "2026-11-10T00:00:00Z"}).json()
    assert before == after


def test_a_float_amount_is_refused(admin: httpx.Client) -> None:
    response = admin.put("/sandbox/v1/balance", json={"amount": 1.5})
    assert response.status_code == 400 and "decimal string" in response.json()["error"]["message"]
