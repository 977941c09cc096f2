"""`billbot serve`'s whole HTTP app served for real on 127.0.0.1, over the embedded sandbox (`demo`).

Built once per session as `billbot serve` builds it (`billbot.runtime.http.http_app`), except that
answers are computed in this process rather than in worker processes (the CLI test runs those). Its
store is a fresh SQLite file holding two tickets, so the tickets panel has rows with deadlines.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from urllib.parse import parse_qs, urlsplit

import httpx
import pytest

from billbot.access.links import SignInLinks
from billbot.access.tokens import Signer
from billbot.app.command import Actor, Reply
from billbot.app.table import execute, parse
from billbot.runtime import Runtime, open_runtime
from billbot.runtime.http import http_app
from billbot.settings import Settings
from billbot.slack.server import uvicorn_server
from sandbox.api.serve import base_url, bind
from tests.billbot.slack.fake_slack import FakeSlack
from tests.billbot.slack.signed import SECRET, TOKEN

ADMIN, VIEWER = "UADMIN", "UVIEWER"
TICKETS = (
    "/claude-refund unused 40 at 2026-11-18T09:00Z provider claudeapi-cheap credits we no longer need",
    "/claude-dispute overcharge 12.50 at 2026-11-20T10:00Z provider claudeapi-com charged twice",
)


@dataclass
class Web:
    """The served app: its URL, runtime and settings, and ways to sign in."""

    url: str
    runtime: Runtime
    settings: Settings
    fake: FakeSlack  # the Slack Web API the app posts to
    clients: list[httpx.Client] = field(default_factory=list)

    def link(self, user: str = VIEWER) -> str:
        """A fresh sign-in link, as /claude-dashboard mints it."""
        links = self.runtime.sign_in_links
        assert links is not None
        return links.mint(user).url

    def old_link(self, user: str = VIEWER, minted_ago: timedelta = timedelta(minutes=6)) -> str:
        """A link minted `minted_ago` (with the same secret): expired after five minutes."""
        signer = self.signer()
        then = datetime.now(UTC) - minted_ago
        return SignInLinks(signer, self.url, clock=lambda: then).mint(user).url

    def signer(self) -> Signer:
        """The signer of this app's links and cookies."""
        secret = self.settings.web_session_secret()
        assert secret is not None
        return Signer(secret)

    def client(self) -> httpx.Client:
        """A browser-like client: keeps cookies, follows no redirect by itself, sends its Origin.

        Closed after the test (`closed_clients`)."""
        client = httpx.Client(base_url=self.url, headers={"origin": self.url}, timeout=30)
        self.clients.append(client)
        return client

    def signed_in(self, user: str = VIEWER) -> httpx.Client:
        """A client that followed a fresh link and pressed "Sign in"."""
        client = self.client()
        response = client.post("/signin", data={"token": token_of(self.link(user))})
        assert response.status_code == 303, response.text
        return client


def token_of(link: str) -> str:
    """The token in a sign-in link."""
    return parse_qs(urlsplit(link).query)["token"][0]


def in_process(runtime: Runtime) -> Callable[[str, Actor], Reply]:
    """Answer command lines in this process, over the runtime's services."""

    def answer(text: str, actor: Actor) -> Reply:
        now = runtime.now()
        return execute(parse(text, now), runtime.services(), actor, now)

    return answer


@pytest.fixture(scope="session")
def web(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Web]:
    fake = FakeSlack()
    sock = bind("127.0.0.1", 0)
    url = base_url(sock)
    settings = Settings(
        ANTHROPIC_ADMIN_KEY=None, SLACK_BOT_TOKEN=TOKEN, SLACK_SIGNING_SECRET=SECRET, SLACK_API_URL=fake.url,
        DATABASE_URL=f"sqlite:///{tmp_path_factory.mktemp('web') / 'billbot.db'}", BILLBOT_ADMINS=ADMIN,
        BILLBOT_PUBLIC_URL=url,
    )  # fmt: skip
    with open_runtime(settings, say=lambda _: None) as runtime:
        answer = in_process(runtime)
        for text in TICKETS:  # filed as from a terminal: no form, straight into the store
            answer(text, Actor("UFILER", admin=False, channel="C1"))
        ready = threading.Event()
        server = uvicorn_server(http_app(runtime, answer=answer), on_ready=ready.set)
        thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
        thread.start()
        assert ready.wait(20), "the app did not start"
        try:
            yield Web(url, runtime, settings, fake)
        finally:
            server.should_exit = True
            thread.join(10)
            sock.close()
            fake.close()


@pytest.fixture(autouse=True)
def closed_clients(request: pytest.FixtureRequest) -> Iterator[None]:
    """Close the clients a test opened (an open socket is a ResourceWarning, an error here)."""
    yield
    if "web" in request.fixturenames:
        web: Web = request.getfixturevalue("web")
        while web.clients:
            web.clients.pop().close()
