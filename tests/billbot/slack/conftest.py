"""The Slack app served for real on 127.0.0.1 (uvicorn in a thread) against a fake Slack Web API.

Answers come from the real answers service over the embedded sandbox (`demo`), read through the same
Admin API wire and `AdminBillingData` adapter as `billbot ask` uses; it is built once per session.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

import pytest
from slack_bolt import App

from billbot.app.services import Services
from billbot.runtime import Runtime, open_runtime
from billbot.settings import Settings
from billbot.slack.app import create_app
from billbot.slack.dedupe import Deliveries
from billbot.slack.server import EVENTS_PATH, create_asgi, uvicorn_server
from sandbox.api.serve import base_url, bind
from tests.billbot.slack.fake_slack import FakeSlack
from tests.billbot.slack.signed import SECRET, TOKEN

ADMIN = "UADMIN"


@pytest.fixture(scope="session")
def demo() -> Iterator[Runtime]:
    with open_runtime(Settings(ANTHROPIC_ADMIN_KEY=None), say=lambda line: None) as runtime:
        yield runtime


@dataclass
class Served:
    fake: FakeSlack
    url: str
    root: str
    deliveries: Deliveries


def serve_app(
    fake: FakeSlack,
    services: Callable[[], Services] | Services,
    demo: Runtime,
    **env: Any,
) -> tuple[Served, Callable[[], None]]:
    settings = Settings(
        ANTHROPIC_ADMIN_KEY=None,
        SLACK_BOT_TOKEN=TOKEN,
        SLACK_SIGNING_SECRET=SECRET,
        SLACK_API_URL=fake.url,
        BILLBOT_ADMINS=ADMIN,
        **env,
    )
    deliveries = Deliveries()
    app = create_app(settings, services, now=demo.now, deliveries=deliveries)
    root, stop = run_app(app)
    return Served(fake, root + EVENTS_PATH, root, deliveries), stop


def run_app(app: App) -> tuple[str, Callable[[], None]]:
    """Serve `app` for real (uvicorn on 127.0.0.1, a free port, in a thread): its root URL and a stop."""
    sock = bind("127.0.0.1", 0)
    ready = threading.Event()
    server = uvicorn_server(create_asgi(app, SECRET), on_ready=ready.set)
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    assert ready.wait(10), "the app did not start"

    def stop() -> None:
        server.should_exit = True
        thread.join(10)
        sock.close()

    return base_url(sock), stop


@pytest.fixture
def fake() -> Iterator[FakeSlack]:
    fake = FakeSlack()
    yield fake
    fake.close()


@pytest.fixture
def served(fake: FakeSlack, demo: Runtime) -> Iterator[Served]:
    served, stop = serve_app(fake, demo.services(), demo)
    yield served
    stop()


def settle(seconds: float = 0.3) -> None:
    """Give background jobs time to make any (unwanted) further call."""
    time.sleep(seconds)
