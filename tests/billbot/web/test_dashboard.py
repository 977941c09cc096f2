"""The dashboard over HTTP: the same answers as Slack, the source line on every panel, plain selectors,
an admin's top-up through the command layer with CSRF protection, and headers that lock the page down."""

from __future__ import annotations

import re

import httpx
import pytest

from billbot.app.command import Actor
from billbot.app.replies.model import Response
from billbot.app.table import execute, parse
from billbot.web.panels import PANELS, available
from tests.billbot.web.conftest import ADMIN, VIEWER, Web

SOURCE = "Source: sandbox · simulated org &#x27;demo&#x27;"


def answer(web: Web, text: str) -> Response:
    now = web.runtime.now()
    reply = execute(parse(text, now), web.runtime.services(), Actor(VIEWER, admin=False), now)
    assert isinstance(reply, Response)
    return reply


def panel(html: str, key: str) -> str:
    found = re.search(rf'<section class="panel[^"]*" id="panel-{key}".*?</section>', html, re.S)
    assert found, f"no panel {key}"
    return found.group(0)


def csrf(html: str) -> str:
    found = re.search(r'name="csrf" value="([^"]+)"', html)
    assert found
    return found.group(1)


def test_every_panel_has_its_source_line_and_the_answers_figures(web: Web) -> None:
    page = web.signed_in().get("/")
    assert page.status_code == 200
    html = page.text
    for key in ("balance", "limits", "spend", "by-model", "by-workspace", "by-key"):
        assert SOURCE in panel(html, key)
    assert "Source: billbot tickets" in panel(html, "tickets")
    spend = answer(web, "/claude-spend mtd")
    billed = spend.facts[0]  # whole days: the same whenever it is asked (the forecast moves with the clock)
    assert f"<dt>{billed.label}</dt><dd>{billed.value}</dd>" in panel(html, "spend")
    for fact in spend.facts[1:]:
        assert f"<dt>{fact.label}</dt><dd>" in panel(html, "spend")
    for name, amount, share in answer(web, "/claude-spend mtd by model").tables[0].rows:
        assert f'<th scope="row">{name}</th><td>{amount}</td><td>{share}</td>' in panel(html, "by-model")
    balance = panel(html, "balance")
    assert "Balance (simulated)" in balance and "expires" in balance  # the expiring lot
    tickets = panel(html, "tickets")
    assert "#1" in tickets and "#2" in tickets and "2026-11-25" in tickets  # a 7-day refund window
    assert '<svg class="chart chart-wide"' in panel(html, "spend") and "<desc" in panel(html, "spend")
    assert "Admin: record a top-up" not in html  # a viewer changes no money


def test_the_alerts_panel_waits_for_the_watchs_command() -> None:
    keys = [spec.key for spec in available({"/claude-spend", "/claude-balance"})]
    assert keys == ["balance", "spend", "by-model", "by-workspace", "by-key"]
    assert "alerts" in [spec.key for spec in available({"/claude-alerts"}, PANELS)]


def test_period_and_workspace_are_plain_query_parameters(web: Web) -> None:
    client = web.signed_in()
    html = client.get("/", params={"period": "7d", "workspace": "Production"}).text
    assert "<h1>Claude API dashboard · last 7 days · Production</h1>" in html
    scoped = answer(web, "/claude-spend 7d workspace Production").facts[0].value
    assert f"<dd>{scoped}</dd>" in panel(html, "spend")
    assert '<a href="/?period=7d&amp;workspace=Production" aria-current="page">' in html
    assert '<option value="Production" selected>' in html
    # The by-workspace panel lists every workspace whatever the scope: it is the scope's menu.
    assert "Staging" in panel(html, "by-workspace")


@pytest.mark.parametrize(
    ("period", "workspace", "said"),
    [
        ("someday", "", "unknown period &#x27;someday&#x27;: use today"),
        ("7d by key", "", "is not one period"),
        ("mtd", "Nowhere", "no workspace named &#x27;Nowhere&#x27;"),
        ("mtd", "<script>alert(1)</script>", "no workspace named"),
    ],
)
def test_bad_selections_say_so_and_still_show_a_page(
    web: Web, period: str, workspace: str, said: str
) -> None:
    page = web.signed_in().get("/", params={"period": period, "workspace": workspace})
    assert page.status_code == 200
    assert said in page.text
    assert "<script>" not in page.text
    assert SOURCE in panel(page.text, "balance")


def test_an_admins_top_up_goes_through_the_command_layer_with_a_csrf_token(web: Web) -> None:
    admin = web.signed_in(ADMIN)
    page = admin.get("/").text
    assert "Admin: record a top-up" in page
    token = csrf(page)
    assert admin.post("/balance", data={"amount": "500"}).status_code == 403  # no token
    assert admin.post("/balance", data={"amount": "500", "csrf": "forged"}).status_code == 403
    other_site = admin.post(
        "/balance", data={"amount": "500", "csrf": token}, headers={"origin": "https://evil.example"}
    )
    assert other_site.status_code == 403
    bad = admin.post("/balance", data={"amount": "lots", "csrf": token})
    assert bad.status_code == 400 and "Usage: <code>/claude-balance" in bad.text
    sneaky = admin.post("/balance", data={"amount": "500 set 0", "csrf": token})
    assert sneaky.status_code == 400
    done = admin.post("/balance", data={"amount": "500", "date": "2026-11-20", "csrf": token})
    assert (
        done.status_code == 200 and "A sandbox knows its balance exactly" in done.text
    )  # the handler's answer
    assert SOURCE in done.text


def test_a_viewer_may_not_record_a_top_up(web: Web) -> None:
    viewer = web.signed_in(VIEWER)
    refused = viewer.post("/balance", data={"amount": "500", "csrf": csrf(viewer.get("/").text)})
    assert refused.status_code == 403 and "only billbot admins can change the balance records" in refused.text


def test_pages_forbid_scripts_framing_caching_and_foreign_referrers(web: Web) -> None:
    client = web.signed_in()
    for response in (client.get("/"), web.client().get("/"), web.client().get(web.link())):
        headers = response.headers
        assert "default-src 'none'" in headers["content-security-policy"]
        assert "frame-ancestors 'none'" in headers["content-security-policy"]
        assert headers["x-frame-options"] == "DENY" and headers["x-content-type-options"] == "nosniff"
        assert headers["referrer-policy"] == "same-origin" and headers["cache-control"] == "no-store"
    css = client.get("/static/dashboard.css")
    assert css.status_code == 200 and css.headers["content-type"].startswith("text/css")
    assert client.get("/static/favicon.svg").headers["content-type"].startswith("image/svg+xml")


def test_slack_and_the_health_check_are_still_served_beside_the_page(web: Web) -> None:
    with httpx.Client(base_url=web.url) as client:
        assert client.get("/healthz").json() == {"ok": True}
        assert client.post("/slack/events", content=b"token=x").status_code == 401  # unsigned
