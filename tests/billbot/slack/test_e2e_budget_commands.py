"""`/claude-budget` and `/claude-alerts` as Slack sends them: signed form posts, answers in the fake Slack.

A member is refused a change at the ack; an admin's budget, with the channel link an escaped command
carries, is saved and confirmed without a share button; the list and the alerts can be shared.
"""

from __future__ import annotations

import json
from collections.abc import Iterator

import pytest

from billbot.runtime import Runtime, open_runtime
from billbot.settings import Settings
from tests.billbot.slack.conftest import ADMIN, Served, serve_app, settle
from tests.billbot.slack.fake_slack import FakeSlack
from tests.billbot.slack.signed import command_form, post_signed


@pytest.fixture(scope="module")
def watched(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Runtime]:
    store = tmp_path_factory.mktemp("budgets") / "billbot.db"
    settings = Settings(ANTHROPIC_ADMIN_KEY=None, DATABASE_URL=f"sqlite:///{store}")
    with open_runtime(settings, say=lambda line: None) as runtime:
        yield runtime


@pytest.fixture
def served(fake: FakeSlack, watched: Runtime) -> Iterator[Served]:
    served, stop = serve_app(fake, watched.services(), watched)
    yield served
    stop()


def answer_text(posted: dict[str, object]) -> str:
    return json.dumps(posted["blocks"], ensure_ascii=False)


def test_budgets_are_changed_by_admins_and_read_by_everyone(served: Served, watched: Runtime) -> None:
    status, body = post_signed(served.url, command_form("/claude-budget", "set 100 daily"))
    assert status == 200 and "only billbot admins can change budgets" in json.loads(body)["text"]
    settle()
    assert served.fake.effects() == []
    text = "set 250 weekly workspace Production channel <#C0ALERTS|billing-alerts>"
    assert post_signed(served.url, command_form("/claude-budget", text, user=ADMIN))[0] == 200
    (saved,) = served.fake.wait_for("chat.postEphemeral", timeout=20)
    assert "Budget set: #1" in answer_text(saved) and saved["blocks"][-1]["type"] != "actions"
    [budget] = watched.watch.budgets.list()
    assert (budget.scope.name, budget.channel, budget.created_by) == ("Production", "C0ALERTS", ADMIN)
    assert post_signed(served.url, command_form("/claude-budget", ""))[0] == 200
    (_, listed) = served.fake.wait_for("chat.postEphemeral", count=2, timeout=20)
    assert "<#C0ALERTS>" in answer_text(listed)
    assert listed["blocks"][-1]["elements"][0]["value"] == "/claude-budget"  # shareable


def test_alerts_answer_with_a_share_button_and_bad_words_with_the_usage(served: Served) -> None:
    assert post_signed(served.url, command_form("/claude-alerts", "all"))[0] == 200
    (posted,) = served.fake.wait_for("chat.postEphemeral", timeout=20)
    assert "Alerts" in answer_text(posted)
    assert posted["blocks"][-1]["elements"][0]["value"] == "/claude-alerts all"
    status, body = post_signed(served.url, command_form("/claude-alerts", "mute 3"))
    assert status == 200 and "Usage: `/claude-alerts [active | all | ID" in json.loads(body)["text"]
