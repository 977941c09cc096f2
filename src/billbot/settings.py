"""billbot's settings, read once from the environment (DESIGN.md 4.2) by the runtime builder.

Secrets are `SecretStr`: their repr and str are masked, so a logged settings object leaks nothing.
`DATABASE_URL` is a secret too (it may carry a password). Nothing else reads the environment.
"""

from __future__ import annotations

import hashlib
import hmac
import re
from datetime import datetime, timedelta
from pathlib import Path
from typing import Annotated

from pydantic import Field, SecretStr, field_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

ANTHROPIC_API_URL = "https://api.anthropic.com"
SLACK_API_URL = "https://slack.com/api/"
# The web page's session secret, when not set, is derived from the signing secret under this label:
# stable across restarts and processes, and not the signing secret itself (which Slack also knows).
SESSION_SECRET_LABEL = b"billbot web session secret v1"
_DURATION = re.compile(r"^(\d+)\s*(s|m|h)?$")
_UNIT_SECONDS = {"s": 1, "m": 60, "h": 3600}


class Settings(BaseSettings):
    """Every environment variable billbot reads, with its default."""

    model_config = SettingsConfigDict(env_file=None, extra="ignore", frozen=True)

    anthropic_admin_key: SecretStr | None = Field(default=None, validation_alias="ANTHROPIC_ADMIN_KEY")
    anthropic_base_url: str = Field(default=ANTHROPIC_API_URL, validation_alias="ANTHROPIC_BASE_URL")
    slack_bot_token: SecretStr | None = Field(default=None, validation_alias="SLACK_BOT_TOKEN")
    slack_signing_secret: SecretStr | None = Field(default=None, validation_alias="SLACK_SIGNING_SECRET")
    slack_app_token: SecretStr | None = Field(default=None, validation_alias="SLACK_APP_TOKEN")
    slack_api_url: str = Field(default=SLACK_API_URL, validation_alias="SLACK_API_URL")
    database_url: SecretStr | None = Field(default=None, validation_alias="DATABASE_URL")
    admins: Annotated[frozenset[str], NoDecode] = Field(
        default=frozenset(), validation_alias="BILLBOT_ADMINS"
    )
    provider: str = Field(default="anthropic", validation_alias="BILLBOT_PROVIDER")
    ticket_channel: str | None = Field(default=None, validation_alias="BILLBOT_TICKET_CHANNEL")
    profiles_dir: Path | None = Field(default=None, validation_alias="BILLBOT_PROFILES_DIR")
    port: int = Field(default=3000, ge=1, le=65535, validation_alias="PORT")
    # The instant the embedded demo's history ends (tests, reproducible demos); unset: now.
    demo_at: datetime | None = Field(default=None, validation_alias="BILLBOT_DEMO_AT")
    channels: Annotated[frozenset[str], NoDecode] = Field(
        default=frozenset(), validation_alias="BILLBOT_CHANNELS"
    )
    # Where people reach `billbot serve` (sign-in links); unset: http://localhost:$PORT.
    public_url: str | None = Field(default=None, validation_alias="BILLBOT_PUBLIC_URL")
    # Signs the web page's sign-in links and session cookies; unset: derived from SLACK_SIGNING_SECRET.
    session_secret: SecretStr | None = Field(default=None, validation_alias="BILLBOT_SESSION_SECRET")
    # Where the watch posts alerts and the daily digest (a budget's own channel wins); unset: nowhere,
    # alerts are kept for App Home and /claude-alerts.
    alert_channel: str | None = Field(default=None, validation_alias="BILLBOT_ALERT_CHANNEL")
    # How often `serve`/`socket` run the watch ("10m", "1h", "90s" or minutes); "off" turns it off.
    watch_every: timedelta | None = Field(
        default=timedelta(minutes=10), validation_alias="BILLBOT_WATCH_EVERY"
    )
    # The UTC hour the daily digest goes to the alert channel; "off" turns it off.
    digest_hour: int | None = Field(default=9, ge=0, le=23, validation_alias="BILLBOT_DIGEST_HOUR")
    # Real seconds per simulated hour of a drill played in Slack (docs/DRILLS.md).
    drill_speed: float = Field(default=10.0, gt=0, le=3600, validation_alias="BILLBOT_DRILL_SPEED")

    @field_validator("admins", mode="before")
    @classmethod
    def _split_admins(cls, value: object) -> object:
        # "U123, U456" → {"U123", "U456"}: a comma list is how people write it in a Procfile or .env.
        if isinstance(value, str):
            return frozenset(part.strip() for part in value.split(",") if part.strip())
        return value

    @field_validator("channels", mode="before")
    @classmethod
    def _split_channels(cls, value: object) -> object:
        # BILLBOT_CHANNELS="C123,C456": commands run only there (unset: everywhere).
        return cls._split_admins(value)

    @field_validator("demo_at")
    @classmethod
    def _aware(cls, value: datetime | None) -> datetime | None:
        if value is not None and value.tzinfo is None:
            raise ValueError("BILLBOT_DEMO_AT needs a timezone, e.g. 2026-12-05T12:00:00Z")
        return value

    @field_validator("public_url")
    @classmethod
    def _web_url(cls, value: str | None) -> str | None:
        if value is not None and not value.startswith(("http://", "https://")):
            raise ValueError("BILLBOT_PUBLIC_URL must start with http:// or https://")
        return None if value is None else value.rstrip("/")

    @field_validator("watch_every", mode="before")
    @classmethod
    def _every(cls, value: object) -> object:
        # "10m" / "1h" / "90s" / "15" (minutes) / "off": how people write an interval in a Procfile.
        if not isinstance(value, str):
            return value
        text = value.strip().lower()
        if text in {"off", "never", "0"}:
            return None
        match = _DURATION.match(text)
        if match is None:
            raise ValueError("BILLBOT_WATCH_EVERY must be like 10m, 1h, 90s, a number of minutes, or off")
        seconds = int(match.group(1)) * _UNIT_SECONDS[match.group(2) or "m"]
        if seconds < 60:
            raise ValueError("BILLBOT_WATCH_EVERY must be at least one minute (the reports' finest bucket)")
        return timedelta(seconds=seconds)

    @field_validator("digest_hour", mode="before")
    @classmethod
    def _hour(cls, value: object) -> object:
        return None if isinstance(value, str) and value.strip().lower() in {"off", "never"} else value

    @field_validator(
        "ticket_channel", "alert_channel", "profiles_dir", "demo_at", "public_url", mode="before"
    )
    @classmethod
    def _blank_is_none(cls, value: object) -> object:
        return None if isinstance(value, str) and not value.strip() else value

    @field_validator(
        "anthropic_admin_key",
        "slack_bot_token",
        "slack_signing_secret",
        "slack_app_token",
        "database_url",
        "session_secret",
        mode="before",
    )
    @classmethod
    def _blank_is_unset(cls, value: object) -> object:
        # `ANTHROPIC_ADMIN_KEY=` in a .env means "not set", not "an empty key".
        return None if isinstance(value, str) and not value.strip() else value

    @property
    def uses_embedded_sandbox(self) -> bool:
        """No admin key: answers come from the embedded sandbox (the `demo` scenario)."""
        return self.anthropic_admin_key is None

    def is_admin(self, slack_user_id: str) -> bool:
        """Whether this Slack user may change money state (top-ups, budgets, ticket outcomes)."""
        return slack_user_id in self.admins

    @property
    def dashboard_url(self) -> str:
        """The web page's base URL, without a trailing slash (BILLBOT_PUBLIC_URL, else localhost:$PORT)."""
        return self.public_url or f"http://localhost:{self.port}"

    def web_session_secret(self) -> SecretStr | None:
        """BILLBOT_SESSION_SECRET, else an HMAC of SLACK_SIGNING_SECRET (stable over restarts), else None."""
        if self.session_secret is not None:
            return self.session_secret
        if self.slack_signing_secret is None:
            return None
        signing = self.slack_signing_secret.get_secret_value().encode()
        return SecretStr(hmac.new(signing, SESSION_SECRET_LABEL, hashlib.sha256).hexdigest())
