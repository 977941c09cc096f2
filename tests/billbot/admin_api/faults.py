"""A fault-injecting httpx transport and virtual time, for the client's retry and pagination tests.

`FaultTransport(inner, [fault, None, fault, …])` answers the n-th request with the n-th scripted fault
(`None`: pass it to the real inner transport, e.g. the in-process sandbox); once the script runs out,
every request passes through. A fault is a function of the request and the inner transport, so it can
also spoil a real answer (truncate its body) or make virtual time pass (a stall before a timeout).
"""

from __future__ import annotations

import json
from collections import deque
from collections.abc import Callable, Iterable

import httpx

Fault = Callable[[httpx.Request, httpx.BaseTransport], httpx.Response]


class FakeTime:
    """A monotonic clock that advances only by `sleep` or `advance`; every sleep is recorded."""

    def __init__(self) -> None:
        self.now = 1_000.0
        self.sleeps: list[float] = []

    def clock(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.sleeps.append(seconds)
        self.now += seconds

    def advance(self, seconds: float) -> None:
        self.now += seconds


class FaultTransport(httpx.BaseTransport):
    """Serves scripted faults, then passes requests on; it does not close the inner transport."""

    def __init__(self, inner: httpx.BaseTransport, script: Iterable[Fault | None] = ()) -> None:
        self.inner = inner
        self.script: deque[Fault | None] = deque(script)
        self.requests: list[httpx.Request] = []

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        self.requests.append(request)
        fault = self.script.popleft() if self.script else None
        if fault is None:
            return self.inner.handle_request(request)
        return fault(request, self.inner)

    @property
    def paths(self) -> list[str]:
        """The path and query of every request received, in order."""
        return [f"{r.url.path}?{r.url.query.decode()}" if r.url.query else r.url.path for r in self.requests]


def status(
    code: int, error_type: str = "api_error", *, retry_after: str | None = None, message: str = "boom"
) -> Fault:
    """An Anthropic-shaped error response."""

    def fault(request: httpx.Request, inner: httpx.BaseTransport) -> httpx.Response:
        body = {
            "type": "error",
            "error": {"type": error_type, "message": message},
            "request_id": f"req_fault_{code}",
        }
        headers = {"request-id": f"req_fault_{code}"}
        if retry_after is not None:
            headers["retry-after"] = retry_after
        return httpx.Response(code, json=body, headers=headers)

    return fault


def html(code: int) -> Fault:
    """An error page from a proxy in front of the API: not JSON, no request-id."""

    def fault(request: httpx.Request, inner: httpx.BaseTransport) -> httpx.Response:
        return httpx.Response(code, text="<html><body>502 Bad Gateway</body></html>")

    return fault


def timeout(after: float = 0.0, time: FakeTime | None = None) -> Fault:
    """A read that stalls `after` virtual seconds, then times out."""

    def fault(request: httpx.Request, inner: httpx.BaseTransport) -> httpx.Response:
        if time is not None:
            time.advance(after)
        raise httpx.ReadTimeout("timed out", request=request)

    return fault


def refused() -> Fault:
    """No connection at all."""

    def fault(request: httpx.Request, inner: httpx.BaseTransport) -> httpx.Response:
        raise httpx.ConnectError("connection refused", request=request)

    return fault


def truncated() -> Fault:
    """The real answer, cut in half: a 200 whose JSON ends mid-way."""

    def fault(request: httpx.Request, inner: httpx.BaseTransport) -> httpx.Response:
        real = inner.handle_request(request)
        body = real.read()
        return httpx.Response(
            real.status_code,
            headers={"request-id": real.headers["request-id"]},
            content=body[: len(body) // 2],
        )

    return fault


def slow(seconds: float, time: FakeTime) -> Fault:
    """The real answer, after `seconds` of virtual time."""

    def fault(request: httpx.Request, inner: httpx.BaseTransport) -> httpx.Response:
        time.advance(seconds)
        return inner.handle_request(request)

    return fault


def body(value: object, code: int = 200) -> Fault:
    """A fixed JSON answer."""

    def fault(request: httpx.Request, inner: httpx.BaseTransport) -> httpx.Response:
        return httpx.Response(code, content=json.dumps(value).encode(), headers={"request-id": "req_fixed"})

    return fault
