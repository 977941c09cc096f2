"""In-process transports for the official `anthropic` SDK, which speaks `httpx2` (SDK 1.x and later).

The same as `sandbox.api.transport`, for httpx2: `SdkTransport` serves a synchronous `httpx2.Client`
by running httpx2's ASGI transport on an event loop in a helper thread; `sdk_async_transport` is
httpx2's own ASGI transport for `httpx2.AsyncClient`. No socket is opened. A streamed (SSE) body
arrives whole, which the SDK reads as a stream all the same. httpx2 is imported here only, so the rest
of the sandbox runs where the SDK is not installed.
"""

from __future__ import annotations

from types import TracebackType

import anyio.from_thread
import httpx2
from starlette.types import ASGIApp


def sdk_async_transport(app: ASGIApp) -> httpx2.AsyncBaseTransport:
    """For `httpx2.AsyncClient(transport=…)` under `anthropic.AsyncAnthropic(http_client=…)`."""
    # A sandbox bug must reach the client as the 500 body a server would send, not as an exception.
    return httpx2.ASGITransport(app=app, raise_app_exceptions=False)


class SdkTransport(httpx2.BaseTransport):
    """For `httpx2.Client(transport=SdkTransport(app))` under `anthropic.Anthropic(http_client=…)`."""

    def __init__(self, app: ASGIApp) -> None:
        self._inner = sdk_async_transport(app)
        self._portal_context = anyio.from_thread.start_blocking_portal()
        self._portal = self._portal_context.__enter__()
        self._closed = False

    def handle_request(self, request: httpx2.Request) -> httpx2.Response:
        """Send one request through the app and return its complete response."""
        content = request.read()
        status, headers, body = self._portal.call(self._send, request, content)
        return httpx2.Response(status, headers=headers, content=body, request=request)

    async def _send(self, request: httpx2.Request, content: bytes) -> tuple[int, httpx2.Headers, bytes]:
        inner = httpx2.Request(request.method, request.url, headers=request.headers, content=content)
        response = await self._inner.handle_async_request(inner)
        body = await response.aread()
        await response.aclose()
        # The body is decoded here once; drop the encoding header so it is not decoded again.
        headers = httpx2.Headers([(k, v) for k, v in response.headers.items() if k != "content-encoding"])
        return response.status_code, headers, body

    def close(self) -> None:
        """Stop the helper thread's event loop (once)."""
        if not self._closed:
            self._closed = True
            self._portal_context.__exit__(None, None, None)

    def __exit__(
        self,
        exc_type: type[BaseException] | None = None,
        exc_value: BaseException | None = None,
        traceback: TracebackType | None = None,
    ) -> None:
        self.close()
