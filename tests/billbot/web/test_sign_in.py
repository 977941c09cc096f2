"""Who gets in: no figure without a session; a link signs in once; reuse, expiry and forgery refused."""

from __future__ import annotations

import logging
import re
from datetime import UTC, datetime, timedelta

import httpx
import pytest
from pydantic import SecretStr
from starlette.responses import Response

from billbot.access.tokens import Signer
from billbot.settings import Settings
from billbot.web.sessions import COOKIE, Sessions
from tests.billbot.web.conftest import VIEWER, Web, token_of

FIGURE = re.compile(r"\$[\d,]+\.\d\d")


def assert_no_data(response: httpx.Response) -> None:
    """A page without a single figure, source line or workspace name."""
    assert not FIGURE.search(response.text), response.text
    for leak in ("sandbox", "Production", "claude-opus", "claude-sonnet", "Balance (simulated)", "#1"):
        assert leak not in response.text


def test_without_a_session_the_page_says_how_to_sign_in_and_shows_no_figure(web: Web) -> None:
    response = web.client().get("/")
    assert response.status_code == 401
    assert "Sign in to see the figures" in response.text and "/claude-dashboard" in response.text
    assert_no_data(response)
    assert web.client().get("/?period=7d&workspace=Production").status_code == 401


def test_a_link_opens_a_sign_in_button_and_signs_in_once(web: Web) -> None:
    link = web.link()
    client = web.client()
    opened = client.get(link)  # what a link preview would fetch too: it must not use the link up
    assert opened.status_code == 200 and f"signs you in as <strong>{VIEWER}</strong>" in opened.text
    assert_no_data(opened)
    assert client.get(link).status_code == 200  # still good: a GET never redeems it

    signed = client.post("/signin", data={"token": token_of(link)})
    assert signed.status_code == 303 and signed.headers["location"] == "/"
    cookie = signed.headers["set-cookie"]
    assert cookie.startswith(f"{COOKIE}=") and "HttpOnly" in cookie and "SameSite=lax" in cookie
    assert "Path=/" in cookie and "Secure" not in cookie  # plain http on localhost
    page = client.get("/")
    assert page.status_code == 200 and f"Signed in as {VIEWER}" in page.text
    assert FIGURE.search(page.text)

    again = web.client().post("/signin", data={"token": token_of(link)})
    assert again.status_code == 410 and "already used" in again.text
    assert "set-cookie" not in again.headers
    assert_no_data(again)
    reopened = web.client().get(link)
    assert reopened.status_code == 410 and "already used" in reopened.text


def test_an_expired_link_is_refused(web: Web) -> None:
    link = web.old_link(minted_ago=timedelta(minutes=6))
    for response in (web.client().get(link), web.client().post("/signin", data={"token": token_of(link)})):
        assert response.status_code == 410 and "expired" in response.text
        assert "set-cookie" not in response.headers
        assert_no_data(response)
    fresh_enough = web.old_link(minted_ago=timedelta(minutes=4))
    assert web.client().post("/signin", data={"token": token_of(fresh_enough)}).status_code == 303


@pytest.mark.parametrize("how", ["other user", "other secret", "truncated", "garbage", "empty", "session"])
def test_a_forged_link_is_refused(web: Web, how: str) -> None:
    token = token_of(web.link())
    mac = token.split(".")[1]
    forged = {
        "other user": web.signer().sign("sign-in", {"u": "UADMIN", "j": "x", "e": 1}).split(".")[0]
        + "."
        + mac,
        "other secret": Signer(SecretStr("not ours")).sign(
            "sign-in", {"u": "UADMIN", "j": "y", "e": 4102444800}
        ),
        "truncated": token[:-3],
        "garbage": "<script>alert(1)</script>",
        "empty": "",
        # A session cookie's token is signed by us, but for another purpose.
        "session": web.signer().sign("session", {"u": "UADMIN", "j": "z", "e": 4102444800}),
    }[how]
    for response in (
        web.client().get("/signin", params={"token": forged}),
        web.client().post("/signin", data={"token": forged}),
    ):
        assert response.status_code == 400 and "not valid" in response.text
        assert "set-cookie" not in response.headers and "<script>" not in response.text
        assert_no_data(response)


@pytest.mark.parametrize("how", ["altered", "other secret", "a link's token", "garbage"])
def test_a_forged_cookie_gets_a_clear_page_and_no_data(web: Web, how: str) -> None:
    good = web.signed_in().cookies[COOKIE]
    mac = good.split(".")[1]
    later = 4102444800
    cookie = {
        "altered": web.signer().sign("session", {"u": "UADMIN", "s": "s", "e": later}).split(".")[0]
        + "."
        + mac,
        "other secret": Signer(SecretStr("not ours")).sign("session", {"u": "UADMIN", "s": "s", "e": later}),
        "a link's token": token_of(web.link("UADMIN")),
        "garbage": "x.y",
    }[how]
    client = web.client()
    client.cookies.set(COOKIE, cookie)
    response = client.get("/")
    assert response.status_code == 401 and "could not be verified" in response.text
    assert f'{COOKIE}=""' in response.headers["set-cookie"] or "Max-Age=0" in response.headers["set-cookie"]
    assert_no_data(response)


def test_an_expired_session_is_refused(web: Web) -> None:
    then = datetime.now(UTC) - timedelta(hours=13)
    sessions = Sessions(web.signer(), secure=False, clock=lambda: then)
    starter = Response()
    sessions.start(VIEWER, starter)
    cookie = starter.headers["set-cookie"].split(";")[0].split("=", 1)[1]
    client = web.client()
    client.cookies.set(COOKIE, cookie)
    response = client.get("/")
    assert response.status_code == 401 and "session has ended" in response.text
    assert_no_data(response)


def test_a_sign_in_from_another_site_is_refused(web: Web) -> None:
    token = token_of(web.link())
    response = web.client().post("/signin", data={"token": token}, headers={"origin": "https://evil.example"})
    assert response.status_code == 403 and "set-cookie" not in response.headers
    assert web.client().post("/signin", data={"token": token}).status_code == 303  # still unused


def test_signing_out_needs_the_pages_token_and_clears_the_cookie(web: Web) -> None:
    client = web.signed_in()
    assert client.post("/signout", data={"csrf": "forged"}).status_code == 403
    page = client.get("/").text
    csrf = re.search(r'name="csrf" value="([^"]+)"', page)
    assert csrf is not None
    out = client.post("/signout", data={"csrf": csrf.group(1)})
    assert out.status_code == 200 and "Signed out" in out.text
    assert client.get("/").status_code == 401


def test_the_session_secret_survives_a_restart_and_is_never_logged(
    web: Web, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    client = web.signed_in()
    restarted = Settings(SLACK_SIGNING_SECRET=web.settings.slack_signing_secret.get_secret_value())  # type: ignore[union-attr]
    secret = restarted.web_session_secret()
    assert secret is not None and secret == web.settings.web_session_secret()
    assert Sessions(Signer(secret), secure=False).read(client.cookies[COOKIE]) is not None
    chosen = Settings(BILLBOT_SESSION_SECRET="a long random string of our own", SLACK_SIGNING_SECRET="x")
    assert chosen.web_session_secret() == SecretStr("a long random string of our own")
    assert "a long random string" not in repr(chosen) + str(chosen.model_dump())
    logged = "\n".join(r.getMessage() for r in caplog.records if r.name.startswith("billbot"))
    assert secret.get_secret_value() not in logged and client.cookies[COOKIE] not in logged
    assert "web sign-in for UVIEWER" in logged
