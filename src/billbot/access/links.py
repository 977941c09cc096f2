"""One-time sign-in links: minted for a Slack user by `/claude-dashboard`, redeemed once on the page.

A link is a signed token (`billbot.access.tokens`, purpose "sign-in") carrying the user, a random
link id and its expiry, a few minutes after minting by the wall clock (`LINK_TTL`). It is refused when
forged or altered, once expired, and once used: redeeming records the link id in the store
(`billbot.access.used_links`), so a link works once whichever web process gets it.
"""

from __future__ import annotations

import secrets
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Literal
from urllib.parse import urlencode

from billbot.access.tokens import BadToken, Signer
from billbot.app.sign_in import SignInLink
from billbot.settings import Settings

LINK_TTL = timedelta(minutes=5)
SIGN_IN_PATH = "/signin"
PURPOSE = "sign-in"
Refusal = Literal["forged", "expired", "used"]


class LinkRefused(Exception):
    """A sign-in link that does not sign anyone in: forged (or altered), expired, or already used."""

    def __init__(self, reason: Refusal) -> None:
        super().__init__(reason)
        self.reason: Refusal = reason


@dataclass(frozen=True, slots=True)
class LinkClaim:
    """What a valid link says: who it signs in, its id, and when it stops working."""

    user: str
    link_id: str
    expires_at: datetime


class SignInLinks:
    """Mints and checks sign-in links with one signer, against the wall clock."""

    def __init__(
        self,
        signer: Signer,
        base_url: str,
        *,
        clock: Callable[[], datetime] = lambda: datetime.now(UTC),
        ttl: timedelta = LINK_TTL,
    ) -> None:
        self.signer = signer
        self.base_url = base_url.rstrip("/")
        self.clock = clock
        self.ttl = ttl

    def mint(self, user: str) -> SignInLink:
        """A fresh link for `user`, valid for `ttl` from now."""
        expires = self.clock() + self.ttl
        payload = {"u": user, "j": secrets.token_urlsafe(12), "e": int(expires.timestamp())}
        token = self.signer.sign(PURPOSE, payload)
        url = f"{self.base_url}{SIGN_IN_PATH}?{urlencode({'token': token})}"
        return SignInLink(url, datetime.fromtimestamp(int(expires.timestamp()), UTC), self.ttl)

    def check(self, token: str) -> LinkClaim:
        """The claim of a link we signed, not expired (used or not: `UsedLinks`); else `LinkRefused`."""
        try:
            payload = self.signer.verify(PURPOSE, token)
            claim = LinkClaim(
                str(payload["u"]), str(payload["j"]), datetime.fromtimestamp(int(payload["e"]), UTC)
            )
        except (BadToken, KeyError, TypeError, ValueError, OverflowError):
            raise LinkRefused("forged") from None
        if self.clock() >= claim.expires_at:
            raise LinkRefused("expired")
        return claim


def links_for(settings: Settings) -> SignInLinks | None:
    """The sign-in links of the page at `settings.dashboard_url`; None without a session secret."""
    secret = settings.web_session_secret()
    return None if secret is None else SignInLinks(Signer(secret), settings.dashboard_url)
