"""`/claude-dashboard`: a one-time sign-in link for the asker, never shareable; none without a secret."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from urllib.parse import parse_qs, urlsplit

import pytest
from pydantic import SecretStr

from billbot.access.links import LinkRefused, SignInLinks
from billbot.access.tokens import Signer
from billbot.app.command import Actor
from billbot.app.errors import explain
from billbot.app.grammar.answers import CommandError
from billbot.app.replies.model import Response
from billbot.app.services import Services
from billbot.app.table import BY_NAME, execute, parse

NOW = datetime(2026, 11, 22, 12, tzinfo=UTC)
WALL = datetime(2026, 12, 5, 9, 0, tzinfo=UTC)


class Label:
    label = "sandbox · simulated org 'demo'"


class Answers:
    data = Label()


def services(links: SignInLinks | None) -> Services:
    return Services(Answers(), None, None, None, sign_in=links.mint if links else None)  # type: ignore[arg-type]


def test_the_answer_is_a_link_for_the_asker_that_works_for_five_minutes() -> None:
    links = SignInLinks(Signer(SecretStr("k")), "https://billbot.example.com", clock=lambda: WALL)
    reply = execute(
        parse("/claude-dashboard", NOW), services(links), Actor("U123", admin=False, channel="C1"), NOW
    )
    assert isinstance(reply, Response)
    link, until = reply.facts
    assert link.label == "Sign-in link" and link.value.startswith("https://billbot.example.com/signin?token=")
    assert until.value == "09:05 UTC (5 minutes, once)"
    assert reply.source == Label.label and "do not forward it" in reply.notes[0]
    claim = links.check(parse_qs(urlsplit(link.value).query)["token"][0])
    assert (claim.user, claim.expires_at) == ("U123", WALL + timedelta(minutes=5))


def test_the_link_is_not_shareable_and_takes_no_words() -> None:
    invocation = parse("/claude-dashboard", NOW)
    assert not invocation.shareable
    assert BY_NAME["/claude-dashboard"].admin_only(invocation.query) is False
    with pytest.raises(CommandError, match="takes no words") as refused:
        parse("/claude-dashboard for everyone", NOW)
    assert refused.value.usage == "/claude-dashboard"


def test_without_a_session_secret_it_says_what_to_set() -> None:
    with pytest.raises(Exception) as failure:
        execute(parse("/claude-dashboard", NOW), services(None), Actor("U1", admin=False), NOW)
    message = explain(failure.value)
    assert message.kind == "refused" and "SLACK_SIGNING_SECRET or BILLBOT_SESSION_SECRET" in message.text


def test_a_link_expires_and_a_forged_one_is_refused() -> None:
    moments = [WALL]
    links = SignInLinks(Signer(SecretStr("k")), "http://localhost:3000/", clock=lambda: moments[-1])
    token = parse_qs(urlsplit(links.mint("U1").url).query)["token"][0]
    assert links.check(token).user == "U1"
    moments.append(WALL + timedelta(minutes=5))
    with pytest.raises(LinkRefused) as expired:
        links.check(token)
    assert expired.value.reason == "expired"
    other = SignInLinks(Signer(SecretStr("another secret")), "http://localhost:3000", clock=lambda: WALL)
    with pytest.raises(LinkRefused) as forged:
        other.check(token)
    assert forged.value.reason == "forged"
