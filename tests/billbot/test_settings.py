"""Settings from the environment: defaults, parsing, and secrets that never show."""

from __future__ import annotations

from pathlib import Path

import pytest

from billbot.settings import ANTHROPIC_API_URL, Settings

SECRET = "sk-ant-admin01-PLANTED-settings-secret"


@pytest.fixture(autouse=True)
def clean_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in (
        "ANTHROPIC_ADMIN_KEY", "ANTHROPIC_BASE_URL", "SLACK_BOT_TOKEN", "SLACK_SIGNING_SECRET",
        "SLACK_APP_TOKEN", "SLACK_API_URL", "DATABASE_URL", "BILLBOT_ADMINS", "BILLBOT_PROVIDER",
        "BILLBOT_TICKET_CHANNEL", "PORT",
    ):  # fmt: skip
        monkeypatch.delenv(name, raising=False)


def test_defaults_use_the_embedded_sandbox() -> None:
    settings = Settings()
    assert settings.uses_embedded_sandbox
    assert settings.anthropic_base_url == ANTHROPIC_API_URL
    assert (settings.port, settings.provider, settings.admins) == (3000, "anthropic", frozenset())


def test_admins_are_a_comma_list_and_blank_keys_mean_unset(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("BILLBOT_ADMINS", "U01ABC, U02DEF,,")
    monkeypatch.setenv("ANTHROPIC_ADMIN_KEY", "  ")
    settings = Settings()
    assert settings.admins == frozenset({"U01ABC", "U02DEF"})
    assert settings.is_admin("U02DEF") and not settings.is_admin("U03XYZ")
    assert settings.uses_embedded_sandbox


def test_secrets_never_show_in_repr_or_str(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ANTHROPIC_ADMIN_KEY", SECRET)
    monkeypatch.setenv("DATABASE_URL", "postgresql+psycopg://bot:hunter2@db/billbot")
    settings = Settings()
    assert not settings.uses_embedded_sandbox
    assert settings.anthropic_admin_key is not None
    assert settings.anthropic_admin_key.get_secret_value() == SECRET
    shown = repr(settings) + str(settings) + str(settings.model_dump())
    assert SECRET not in shown and "hunter2" not in shown


def test_a_bad_port_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PORT", "99999")
    with pytest.raises(ValueError, match="PORT"):
        Settings()


def test_ticket_settings_read_the_channel_and_the_profiles_folder(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("BILLBOT_TICKET_CHANNEL", "C0TICKETS")
    monkeypatch.setenv("BILLBOT_PROFILES_DIR", str(tmp_path))
    monkeypatch.setenv("BILLBOT_PROVIDER", "claudeapi-com")
    settings = Settings()
    assert (settings.ticket_channel, settings.profiles_dir, settings.provider) == (
        "C0TICKETS", tmp_path, "claudeapi-com",
    )  # fmt: skip
    monkeypatch.setenv("BILLBOT_TICKET_CHANNEL", " ")
    monkeypatch.setenv("BILLBOT_PROFILES_DIR", "")
    blank = Settings()
    assert (blank.ticket_channel, blank.profiles_dir) == (None, None)


@pytest.mark.parametrize(
    ("written", "minutes"), [("10m", 10), ("1h", 60), ("90s", 1.5), ("15", 15), (" 2H ", 120)]
)
def test_the_watch_interval_is_written_as_people_write_it(
    monkeypatch: pytest.MonkeyPatch, written: str, minutes: float
) -> None:
    monkeypatch.setenv("BILLBOT_WATCH_EVERY", written)
    every = Settings().watch_every
    assert every is not None and every.total_seconds() == minutes * 60


def test_the_watch_runs_every_ten_minutes_unless_turned_off(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("BILLBOT_WATCH_EVERY", raising=False)
    default = Settings()
    assert default.watch_every is not None and default.watch_every.total_seconds() == 600
    assert (default.digest_hour, default.alert_channel) == (9, None)
    monkeypatch.setenv("BILLBOT_WATCH_EVERY", "off")
    monkeypatch.setenv("BILLBOT_DIGEST_HOUR", "off")
    monkeypatch.setenv("BILLBOT_ALERT_CHANNEL", " ")
    off = Settings()
    assert (off.watch_every, off.digest_hour, off.alert_channel) == (None, None, None)


@pytest.mark.parametrize(("name", "value"), [("BILLBOT_WATCH_EVERY", "30s"), ("BILLBOT_WATCH_EVERY", "soon"),
                                             ("BILLBOT_DIGEST_HOUR", "25")])  # fmt: skip
def test_a_bad_watch_setting_names_the_variable(
    monkeypatch: pytest.MonkeyPatch, name: str, value: str
) -> None:
    monkeypatch.setenv(name, value)
    with pytest.raises(ValueError, match=name):
        Settings()
