"""What the command layer knows of the web page's sign-in: a link minted for one person.

`billbot.access.links` mints them; the runtime hands the command layer a `SignIn` that does it, so
`/claude-dashboard` answers with a link without knowing how it is signed.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta


@dataclass(frozen=True, slots=True)
class SignInLink:
    """A one-time sign-in link for one Slack user, and when it stops working."""

    url: str
    expires_at: datetime
    valid_for: timedelta


SignIn = Callable[[str], SignInLink]
