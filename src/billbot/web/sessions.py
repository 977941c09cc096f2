"""The page's session: a signed, HTTP-only, `SameSite=Lax` cookie naming the Slack user, for a day.

The cookie is a signed token (purpose "session") with the user, a random session id and an expiry;
nothing is kept on the server, so any web process reads it and a restart keeps it (the secret is
stable: `Settings.web_session_secret`). A forged or altered cookie, or an expired one, signs nobody in.
Forms that change something carry the session's CSRF token, a keyed digest of its id.
"""

from __future__ import annotations

import hmac
import secrets
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Literal

from starlette.responses import Response

from billbot.access.tokens import BadToken, Signer

COOKIE = "billbot_session"
SESSION_TTL = timedelta(hours=12)
PURPOSE = "session"


class SessionRefused(Exception):
    """A session cookie that signs nobody in: forged (or altered) or expired."""

    def __init__(self, reason: Literal["forged", "expired"]) -> None:
        super().__init__(reason)
        self.reason = reason


@dataclass(frozen=True, slots=True)
class Session:
    """A signed-in Slack user: who, the session's id, and when it ends."""

    user: str
    session_id: str
    expires_at: datetime


class Sessions:
    """Starts, reads and ends sessions; `secure` cookies where the page is served over HTTPS."""

    def __init__(
        self,
        signer: Signer,
        *,
        secure: bool,
        clock: Callable[[], datetime] = lambda: datetime.now(UTC),
        ttl: timedelta = SESSION_TTL,
    ) -> None:
        self.signer = signer
        self.secure = secure
        self.clock = clock
        self.ttl = ttl

    def start(self, user: str, response: Response) -> Session:
        """A new session for `user`, its cookie set on `response`."""
        expires = self.clock() + self.ttl
        session = Session(
            user, secrets.token_urlsafe(16), datetime.fromtimestamp(int(expires.timestamp()), UTC)
        )
        value = self.signer.sign(
            PURPOSE, {"u": session.user, "s": session.session_id, "e": int(expires.timestamp())}
        )
        response.set_cookie(
            COOKIE, value, max_age=int(self.ttl.total_seconds()), path="/", secure=self.secure,
            httponly=True, samesite="lax",
        )  # fmt: skip
        return session

    def read(self, cookie: str | None) -> Session | None:
        """The session a cookie carries; None without one; `SessionRefused` if forged or expired."""
        if not cookie:
            return None
        try:
            payload = self.signer.verify(PURPOSE, cookie)
            session = Session(
                str(payload["u"]), str(payload["s"]), datetime.fromtimestamp(int(payload["e"]), UTC)
            )
        except (BadToken, KeyError, TypeError, ValueError, OverflowError):
            raise SessionRefused("forged") from None
        if self.clock() >= session.expires_at:
            raise SessionRefused("expired")
        return session

    def end(self, response: Response) -> None:
        """Clear the session cookie on `response`."""
        response.delete_cookie(COOKIE, path="/", secure=self.secure, httponly=True, samesite="lax")

    def csrf_token(self, session: Session) -> str:
        """The token this session's forms carry."""
        return self.signer.mac("csrf", session.session_id)

    def csrf_ok(self, session: Session, token: str | None) -> bool:
        """Whether a submitted form carries this session's token."""
        return token is not None and token.isascii() and hmac.compare_digest(token, self.csrf_token(session))
