"""The ack floor: a bolt app whose only listener acks, behind billbot's own Starlette adapter.

Run as a process by `slack_benchmarks.slack_ack_loopback` beside `billbot serve`, on 127.0.0.1; prints
"floor listening on URL" when ready and serves until terminated. Whatever billbot's acks cost above
this app's is billbot's own doing.
"""

from __future__ import annotations

import os
import re
from concurrent.futures import ThreadPoolExecutor
from typing import Any

from slack_bolt import Ack, App
from slack_sdk import WebClient

from billbot.slack.server import create_asgi, uvicorn_server
from sandbox.api.serve import base_url, bind


def main() -> None:
    """Serve the bare app on a free loopback port."""
    secret = os.environ["SLACK_SIGNING_SECRET"]
    # The fake Slack of the benchmark answers auth.test, as it does for billbot: nothing leaves loopback.
    client = WebClient(token=os.environ["SLACK_BOT_TOKEN"], base_url=os.environ["SLACK_API_URL"])
    app = App(
        client=client,
        signing_secret=secret,
        token_verification_enabled=False,
        process_before_response=False,
        listener_executor=ThreadPoolExecutor(max_workers=16),
    )

    @app.command(re.compile(r"^/claude-"))
    def ack_only(ack: Ack, command: dict[str, Any]) -> None:
        ack()

    sock = bind("127.0.0.1", 0)
    url = base_url(sock)
    ready = lambda: print(f"floor listening on {url}", flush=True)  # noqa: E731
    server = uvicorn_server(create_asgi(app, secret), on_ready=ready)
    server.run(sockets=[sock])


if __name__ == "__main__":
    main()
