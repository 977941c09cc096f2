"""A fake Slack Socket Mode endpoint on 127.0.0.1, served by the `websockets` library.

It says `hello` to the client, sends the envelopes a test gives it, and records what the app sends
back (acks). Enough for slack_sdk's built-in Socket Mode client, which bolt's handler uses.
"""

from __future__ import annotations

import json
import queue
import threading
import time
from typing import Any

from websockets.exceptions import ConnectionClosed
from websockets.sync.server import Server, ServerConnection, serve


class FakeSocketMode:
    def __init__(self) -> None:
        self.outbox: queue.Queue[dict[str, Any]] = queue.Queue()
        self.received: list[dict[str, Any]] = []
        self.lock = threading.Lock()
        self.closed = threading.Event()
        self.server: Server = serve(self._session, "127.0.0.1", 0)
        self.url = f"ws://127.0.0.1:{self.server.socket.getsockname()[1]}/link"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def send(self, envelope: dict[str, Any]) -> None:
        self.outbox.put(envelope)

    def wait_for_ack(self, envelope_id: str, timeout: float = 10.0) -> dict[str, Any]:
        end = time.monotonic() + timeout
        while time.monotonic() < end:
            with self.lock:
                for message in self.received:
                    if message.get("envelope_id") == envelope_id:
                        return message
            time.sleep(0.01)
        raise AssertionError(f"no ack for {envelope_id}; got {self.received}")

    def close(self) -> None:
        self.closed.set()
        self.server.shutdown()
        self.thread.join(timeout=5)

    def _session(self, connection: ServerConnection) -> None:
        connection.send(json.dumps({"type": "hello", "num_connections": 1}))
        try:
            while not self.closed.is_set():
                self._forward_outbox(connection)
                try:
                    message = connection.recv(timeout=0.02)
                except TimeoutError:
                    continue
                with self.lock:
                    self.received.append(json.loads(message))
        except ConnectionClosed:
            return
        finally:
            connection.close()

    def _forward_outbox(self, connection: ServerConnection) -> None:
        while True:
            try:
                connection.send(json.dumps(self.outbox.get_nowait()))
            except queue.Empty:
                return
