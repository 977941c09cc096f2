"""Signed tokens: a small JSON payload, its purpose and an HMAC-SHA256, as one URL- and cookie-safe string.

    <base64url(json payload)>.<base64url(hmac(key, purpose + "." + payload))>

The purpose ("sign-in", "session", "csrf") is part of what is signed, so a token minted for one use
is refused for another (a sign-in link is not a session cookie). Verification compares in constant
time and never says more than "forged or malformed"; expiry is the caller's check against its clock.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import json
from typing import Any

from pydantic import SecretStr

MAX_TOKEN_CHARS = 2048  # anything longer is not one of ours


class BadToken(ValueError):
    """A token that is not one we signed for this purpose (forged, altered, truncated or mangled)."""


class Signer:
    """Signs and verifies tokens with one secret key."""

    def __init__(self, secret: SecretStr) -> None:
        self._key = hashlib.sha256(b"billbot web tokens|" + secret.get_secret_value().encode()).digest()

    def __repr__(self) -> str:
        return "Signer(key=**********)"

    def sign(self, purpose: str, payload: dict[str, Any]) -> str:
        """The token carrying `payload` for `purpose`."""
        body = _encode(json.dumps(payload, separators=(",", ":"), sort_keys=True).encode())
        return f"{body}.{self._mac(purpose, body)}"

    def verify(self, purpose: str, token: str) -> dict[str, Any]:
        """The payload of a token we signed for `purpose`; `BadToken` for anything else."""
        if len(token) > MAX_TOKEN_CHARS or not token.isascii() or token.count(".") != 1:
            raise BadToken("not a billbot token")
        body, mac = token.split(".")
        if not hmac.compare_digest(mac, self._mac(purpose, body)):
            raise BadToken("the signature does not match")
        try:
            payload = json.loads(_decode(body))
        except (ValueError, binascii.Error) as exc:  # signed by us, so only a bug gets here
            raise BadToken("the payload does not parse") from exc
        if not isinstance(payload, dict):
            raise BadToken("the payload is not an object")
        return payload

    def mac(self, purpose: str, message: str) -> str:
        """A keyed digest of `message` for `purpose` (e.g. a session's CSRF token)."""
        return self._mac(purpose, message)

    def _mac(self, purpose: str, body: str) -> str:
        digest = hmac.new(self._key, f"{purpose}.{body}".encode(), hashlib.sha256).digest()
        return _encode(digest)


def _encode(raw: bytes) -> str:
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode("ascii")


def _decode(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))
