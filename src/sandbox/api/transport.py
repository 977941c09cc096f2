"""In-process httpx transports to the sandbox app: the same handlers as over HTTP, with no socket.

`async_transport(app)` is httpx's own ASGI transport. `SandboxTransport` serves a synchronous
`httpx.Client`: it runs that ASGI transport on an event loop in a helper thread (an anyio blocking
portal), so the app sees exactly what a server would hand it. A streamed (SSE) body arrives whole.
"""

from __future__ import annotations

from types import TracebackType

import anyio.from_thread
import httpx
from starlette.types import ASGIApp


def async_transport(app: ASGIApp) -> httpx.AsyncBaseTransport:
    """For `httpx.AsyncClient(transport=…, base_url="http://sandbox")`."""
    # A sandbox bug must reach the client as the 500 body a server would send, not as an exception.
    return httpx.ASGITransport(app=app, raise_app_exceptions=False)


class SandboxTransport(httpx.BaseTransport):
    """For `httpx.Client(transport=SandboxTransport(app), base_url="http://sandbox")`; close it after."""

    def __init__(self, app: ASGIApp) -> None:
        self._inner = async_transport(app)
        self._portal_context = anyio.from_thread.start_blocking_portal()
        self._portal = self._portal_context.__enter__()

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        """Send one request through the app and return its complete response."""
        content = request.read()
        status, headers, body = self._portal.call(self._send, request, content)
        return httpx.Response(status, headers=headers, content=body, request=request)

    async def _send(self, request: httpx.Request, content: bytes) -> tuple[int, httpx.Headers, bytes]:
        inner = httpx.Request(request.method, request.url, headers=request.headers, content=content)
        response = await self._inner.handle_async_request(inner)
        body = await response.aread()
        await response.aclose()
        # The body is decoded here once; drop the encoding header so it is not decoded again.
        headers = httpx.Headers([(k, v) for k, v in response.headers.items() if k != "content-encoding"])
        return response.status_code, headers, body

    def close(self) -> None:
        """Stop the helper thread's event loop."""
        self._portal_context.__exit__(None, None, None)

    def __exit__(
        self,
        exc_type: type[BaseException] | None = None,
        exc_value: BaseException | None = None,
        traceback: TracebackType | None = None,
    ) -> None:
        self.close()
