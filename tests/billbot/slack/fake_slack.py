"""A fake Slack Web API on 127.0.0.1: records every call, answers `ok: true`, fails on demand.

Slack's Web API is the boundary billbot does not own, so it is faked here (DESIGN.md §6). `fail_once`
makes the next call to a method answer 429 with `Retry-After`, or `ok: false` with an error; `hold`
makes calls to a method hang unanswered and unrecorded (Slack never got them), as when the app dies
mid-call. File uploads (`files_upload_v2`'s three steps) are accepted, their bytes kept as `upload`.
"""

from __future__ import annotations

import json
import threading
import time
import urllib.parse
from collections.abc import Callable
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any


class FakeSlack:
    """`url` is the Web API base (…/api/), `hook` a response URL; `calls` holds (method, body, at)."""

    def __init__(self) -> None:
        self.calls: list[tuple[str, dict[str, Any], float]] = []
        self.lock = threading.Lock()
        self.failures: dict[str, list[tuple[int, dict[str, Any], dict[str, str]]]] = {}
        self.held: set[str] = set()
        self.holding = threading.Event()  # set while a held call is hanging
        self.released = threading.Event()
        self.serial = 0
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args: Any) -> None:
                pass

            def do_POST(self) -> None:
                raw = self.rfile.read(int(self.headers.get("Content-Length") or 0))
                fake._record(self, raw)

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.root = f"http://127.0.0.1:{self.server.server_port}"
        self.url = f"{self.root}/api/"
        self.hook = f"{self.root}/hooks/T1/1/abc"
        self.socket_url: str | None = None  # what apps.connections.open hands out
        # conversations.members: the members of each channel (a channel not listed: Slack's
        # `missing_scope`, what a bot token without channels:read gets)
        self.members: dict[str, list[str]] = {}
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def fail_once(self, method: str, status: int, body: dict[str, Any], headers: dict[str, str]) -> None:
        """The next call to `method` gets this answer instead of `ok: true`."""
        with self.lock:
            self.failures.setdefault(method, []).append((status, body, headers))

    def hold(self, method: str) -> None:
        """Calls to `method` hang unanswered (and are not recorded) until `close`."""
        with self.lock:
            self.held.add(method)

    def methods(self) -> list[str]:
        with self.lock:
            return [method for method, _, _ in self.calls]

    def effects(self) -> list[str]:
        """Every method called except `auth.test` (Bolt's own identity check on the first request)."""
        return [method for method in self.methods() if method != "auth.test"]

    def wait_for(self, method: str, count: int = 1, timeout: float = 10.0) -> list[dict[str, Any]]:
        """The bodies of the first `count` calls to `method`, waiting for them to arrive."""
        end = time.monotonic() + timeout
        while time.monotonic() < end:
            with self.lock:
                hits = [body for m, body, _ in self.calls if m == method]
            if len(hits) >= count:
                return hits
            time.sleep(0.01)
        raise AssertionError(f"{count}× {method} expected; saw {self.methods()}")

    def wait_until(
        self, method: str, match: Callable[[dict[str, Any]], bool], timeout: float = 10.0
    ) -> dict[str, Any]:
        """The first call to `method` whose body `match`es, waiting for it (other calls may come first)."""
        end = time.monotonic() + timeout
        while time.monotonic() < end:
            with self.lock:
                hits = [body for m, body, _ in self.calls if m == method and match(body)]
            if hits:
                return hits[0]
            time.sleep(0.01)
        raise AssertionError(f"no {method} matching; saw {self.bodies(method)}")

    def bodies(self, method: str) -> list[dict[str, Any]]:
        with self.lock:
            return [body for m, body, _ in self.calls if m == method]

    def close(self) -> None:
        self.released.set()
        self.server.shutdown()
        self.server.server_close()

    def _record(self, handler: BaseHTTPRequestHandler, raw: bytes) -> None:
        path = handler.path.split("?")[0]
        method = "response_url" if path.startswith("/hooks/") else path.rsplit("/", 1)[-1]
        with self.lock:
            held = method in self.held
        if held:
            self.holding.set()
            self.released.wait(30)
            handler.close_connection = True
            return
        if path.startswith("/upload/"):
            with self.lock:
                self.calls.append(("upload", {"file_id": method, "content": raw.decode()}, time.monotonic()))
            handler.send_response(200)
            handler.send_header("Content-Length", "2")
            handler.end_headers()
            handler.wfile.write(b"OK")
            return
        if "json" in handler.headers.get("Content-Type", ""):
            body = json.loads(raw or b"{}")
        else:
            body = {k: v[0] for k, v in urllib.parse.parse_qs(raw.decode()).items()}
        for name in ("blocks", "view"):
            if isinstance(body.get(name), str):
                body[name] = json.loads(body[name])
        with self.lock:
            self.calls.append((method, body, time.monotonic()))
            queued = self.failures.get(method)
            status, answer, headers = queued.pop(0) if queued else (200, self._answer(method, body), {})
        data = json.dumps(answer).encode()
        handler.send_response(status)
        handler.send_header("Content-Type", "application/json; charset=utf-8")
        handler.send_header("Content-Length", str(len(data)))
        for name, value in headers.items():
            handler.send_header(name, value)
        handler.end_headers()
        handler.wfile.write(data)

    def _answer(self, method: str, body: dict[str, Any]) -> dict[str, Any]:
        if method == "auth.test":
            return {"ok": True, "team_id": "T1", "user_id": "UBOT", "bot_id": "B1", "team": "t"}
        if method == "conversations.members":
            members = self.members.get(str(body.get("channel")))
            if members is None:
                return {"ok": False, "error": "missing_scope", "needed": "channels:read"}
            return {"ok": True, "members": members, "response_metadata": {"next_cursor": ""}}
        if method == "apps.connections.open" and self.socket_url:
            return {"ok": True, "url": self.socket_url}
        if method in ("chat.postMessage", "chat.postEphemeral"):
            self.serial += 1  # under self.lock: each message its own, increasing ts
            return {"ok": True, "channel": body.get("channel"), "ts": f"{int(time.time())}.{self.serial:06d}"}
        if method == "files.getUploadURLExternal":
            self.serial += 1
            file_id = f"F{self.serial}"
            return {"ok": True, "file_id": file_id, "upload_url": f"{self.root}/upload/{file_id}"}
        if method == "files.completeUploadExternal":
            files = body.get("files")
            listed = json.loads(files) if isinstance(files, str) else files or []
            return {"ok": True, "files": [{"id": f["id"], "title": f.get("title", "")} for f in listed]}
        return {"ok": True}
