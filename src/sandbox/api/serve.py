"""Serve the sandbox over HTTP with uvicorn, on a socket bound before start-up.

Binding first means `--port 0` works (the OS picks a free port) and the base URL printed is the one
actually listening. uvicorn handles SIGINT/SIGTERM: in-flight requests finish, then it stops.
"""

from __future__ import annotations

import socket
from collections.abc import Callable

import uvicorn

from sandbox.api.app import create_app
from sandbox.api.state import SandboxState


def bind(host: str, port: int) -> socket.socket:
    """A listening TCP socket on `host:port` (port 0: any free port)."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind((host, port))
    sock.listen(128)
    return sock


def base_url(sock: socket.socket) -> str:
    """The URL clients use to reach `sock`."""
    host, port = sock.getsockname()[:2]
    return f"http://[{host}]:{port}" if ":" in host else f"http://{host}:{port}"


def serve(state: SandboxState, sock: socket.socket, *, on_ready: Callable[[], None] | None = None) -> None:
    """Serve until interrupted; `on_ready` runs once the server accepts connections."""
    config = uvicorn.Config(create_app(state), log_level="warning", access_log=False, lifespan="off")
    server = uvicorn.Server(config)
    if on_ready is not None:
        original_startup = server.startup

        async def startup(sockets: list[socket.socket] | None = None) -> None:
            await original_startup(sockets)
            on_ready()

        server.startup = startup  # type: ignore[method-assign]
    server.run(sockets=[sock])
