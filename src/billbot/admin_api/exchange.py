"""One Admin API GET, retried under the policy until it answers, fails for good, or runs out of time.

The key travels only in the request's `x-api-key` header, added by an `httpx.Auth` at send time, so
the httpx client's default headers, this module's logs and every error it raises stay free of it.
Failures leave here typed (`billbot.admin_api.errors`), raised `from None`: an httpx exception keeps
the request, and with it the key, so it is not chained.
"""

from __future__ import annotations

import json
import logging
import random
from collections.abc import Callable, Generator, Mapping, Sequence
from dataclasses import dataclass

import httpx
from pydantic import SecretStr

from billbot.admin_api import errors
from billbot.admin_api.params import Param
from billbot.admin_api.retry import Deadline, RetryPolicy, retry_after_seconds, should_retry

ANTHROPIC_VERSION = "2023-06-01"
log = logging.getLogger("billbot.admin_api")


class AdminKeyAuth(httpx.Auth):
    """Adds `x-api-key` to each request as it is sent; its repr shows no key."""

    def __init__(self, key: SecretStr) -> None:
        self._key = key

    def auth_flow(self, request: httpx.Request) -> Generator[httpx.Request, httpx.Response, None]:
        """Set the header and send."""
        request.headers["x-api-key"] = self._key.get_secret_value()
        yield request

    def __repr__(self) -> str:
        return "AdminKeyAuth(key=SecretStr('**********'))"


@dataclass(frozen=True, slots=True)
class Answer:
    """A successful response: its body and request-id."""

    body: bytes
    status: int
    request_id: str | None
    what: str


class Exchange:
    """Sends GETs with retries, backoff and a deadline, mapping failures to typed errors."""

    def __init__(
        self,
        http: httpx.Client,
        policy: RetryPolicy,
        *,
        timeout: float,
        sleep: Callable[[float], None],
        rng: random.Random,
    ) -> None:
        self.http = http
        self.policy = policy
        self.timeout = timeout
        self.sleep = sleep
        self.rng = rng

    def get(
        self, path: str, params: Sequence[Param], deadline: Deadline, headers: Mapping[str, str] | None = None
    ) -> Answer:
        """The body of a 2xx answer to `GET path?params` (with extra `headers`), or a typed error."""
        what = f"GET {path}"
        retry = 0
        while True:
            if deadline.remaining() <= 0:
                raise errors.DeadlineExceeded(what, reason=f"the {deadline.seconds:g} s deadline passed")
            outcome, retry_after = self._attempt(what, path, params, deadline, headers)
            if isinstance(outcome, Answer):
                return outcome
            failure = outcome
            if retry >= self.policy.max_retries:
                raise failure
            wait = self.policy.wait(retry, retry_after, self.rng)
            if not deadline.allows(wait):
                reason = (
                    f"the {deadline.seconds:g} s deadline would pass during a {wait:.1f} s wait "
                    f"after {retry + 1} attempt(s)"
                )
                raise errors.DeadlineExceeded(what, reason=reason, last_failure=failure)
            retry += 1
            log.warning(
                "%s failed (%s); retry %d of %d in %.2f s",
                what, _short(failure), retry, self.policy.max_retries, wait,
            )  # fmt: skip
            self.sleep(wait)

    def _attempt(
        self,
        what: str,
        path: str,
        params: Sequence[Param],
        deadline: Deadline,
        headers: Mapping[str, str] | None,
    ) -> tuple[Answer | errors.AdminApiError, float | None]:
        timeout = httpx.Timeout(min(self.timeout, max(deadline.remaining(), 0.001)))
        try:
            response = self.http.get(path, params=list(params), timeout=timeout, headers=headers)
        except httpx.TransportError as exc:
            # Timeouts, refused and reset connections are all worth another try.
            log.debug("%s: no answer (%s)", what, type(exc).__name__)
            return errors.ConnectionFailed(what, message=_transport_reason(exc)), None
        request_id = response.headers.get("request-id")
        log.debug("%s → %d (request-id %s)", what, response.status_code, request_id)
        if response.is_success:
            return Answer(response.content, response.status_code, request_id, what), None
        failure = error_for(what, response)
        if not should_retry(response.status_code, response.headers):
            raise failure
        return failure, retry_after_seconds(response.headers)


def error_for(what: str, response: httpx.Response) -> errors.AdminApiError:
    """The typed error for a non-2xx response, from the documented error body when there is one."""
    error_type, message, body_request_id = _error_body(response.content)
    request_id = response.headers.get("request-id") or body_request_id
    status = response.status_code
    cls = errors.for_status(status)
    if cls is errors.RateLimited:
        return errors.RateLimited(
            what,
            status=status,
            error_type=error_type,
            message=message,
            request_id=request_id,
            retry_after=retry_after_seconds(response.headers),
        )
    return cls(what, status=status, error_type=error_type, message=message, request_id=request_id)


def _error_body(content: bytes) -> tuple[str | None, str | None, str | None]:
    # `{"type":"error","error":{"type":…,"message":…},"request_id":…}`; a proxy may send HTML instead.
    try:
        body = json.loads(content)
    except ValueError:
        return None, None, None
    if not isinstance(body, dict):
        return None, None, None
    error = body.get("error")
    request_id = body.get("request_id")
    request_id = request_id if isinstance(request_id, str) else None
    if not isinstance(error, dict):
        return None, None, request_id
    error_type, message = error.get("type"), error.get("message")
    return (
        error_type if isinstance(error_type, str) else None,
        message if isinstance(message, str) else None,
        request_id,
    )


def _transport_reason(exc: httpx.TransportError) -> str:
    if isinstance(exc, httpx.TimeoutException):
        return f"timed out ({type(exc).__name__})"
    return f"no answer ({type(exc).__name__})"


def _short(failure: errors.AdminApiError) -> str:
    if failure.status is None:
        return failure.message or type(failure).__name__
    return f"{failure.status}, request-id {failure.request_id or 'none'}"
