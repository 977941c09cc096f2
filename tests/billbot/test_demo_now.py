"""The embedded default ends now: today's data on the first `billbot ask`, real-time actions line up."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from freezegun import freeze_time

from billbot.runtime import open_runtime
from billbot.runtime.slack import slack_app
from billbot.settings import Settings
from billbot.slack.server import EVENTS_PATH
from billbot.terminal.ask import ask
from tests.billbot.slack.conftest import run_app
from tests.billbot.slack.fake_slack import FakeSlack
from tests.billbot.slack.signed import SECRET, TOKEN, post_signed
from tests.billbot.slack.ticket_support import choice, moment, text, values, view_submission


@pytest.fixture
def unpinned(monkeypatch: pytest.MonkeyPatch) -> None:
    """The demo's end is not pinned (the test suite pins it): it ends at the wall clock's now."""
    monkeypatch.delenv("BILLBOT_DEMO_AT")


@pytest.mark.usefixtures("unpinned")
@pytest.mark.parametrize("today", ["2026-12-05 10:30:00", "2027-03-01 00:20:00"])
def test_ask_on_the_embedded_default_says_cost_through_yesterday(today: str) -> None:
    said: list[str] = []
    with freeze_time(today):
        code = ask("/claude-spend 7d", Settings(), out=said.append, err=said.append)
    yesterday = (datetime.fromisoformat(today) - timedelta(days=1)).date().isoformat()
    answer = "\n".join(said)
    assert code == 0, answer
    assert f"cost through {yesterday}" in answer and f"(through {yesterday})" in answer


@pytest.mark.usefixtures("unpinned")
def test_the_same_instant_gives_the_same_demo() -> None:
    answers = []
    for _ in range(2):
        said: list[str] = []
        with freeze_time("2026-12-05 10:30:00"):
            assert ask("/claude-usage today by model", Settings(), out=said.append, err=said.append) == 0
        answers.append(said[-1])
    assert answers[0] == answers[1] and "Claude API usage" in answers[0]


@pytest.fixture
def fake() -> Iterator[FakeSlack]:
    fake = FakeSlack()
    yield fake
    fake.close()


@pytest.mark.usefixtures("unpinned")
def test_a_ticket_for_a_charge_an_hour_ago_is_accepted_from_the_slack_form(
    fake: FakeSlack, tmp_path: Path
) -> None:
    settings = Settings(
        SLACK_BOT_TOKEN=TOKEN, SLACK_SIGNING_SECRET=SECRET, SLACK_API_URL=fake.url,
        DATABASE_URL=f"sqlite:///{tmp_path / 'billbot.db'}", BILLBOT_TICKET_CHANNEL="CTICKETS",
    )  # fmt: skip
    with open_runtime(settings, say=lambda _: None) as runtime:
        root, stop = run_app(slack_app(runtime))
        try:
            state = values(
                category=choice("overcharge"), provider=choice("anthropic"),
                when=moment(datetime.now(UTC) - timedelta(hours=1)), amount=text("12.50"),
                requests=text(""), description=text("Charged more than usage explains"), links=text(""),
            )  # fmt: skip
            body = view_submission("ticket_file", state, {"kind": "dispute", "channel": "C1"}, view_id="V1")
            assert post_signed(root + EVENTS_PATH, body) == (200, "")  # no error beside the field
            header = fake.wait_for("chat.postMessage", timeout=20)[0]
            assert header["channel"] == "CTICKETS"
        finally:
            stop()
