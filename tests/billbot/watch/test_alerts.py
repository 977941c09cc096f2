"""The alert lifecycle: once per level per period, updates in place, recovery after firing, snoozes."""

from __future__ import annotations

from datetime import timedelta
from typing import Literal

from hypothesis import settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, precondition, rule

from billbot.watch.alerts import (
    Alert,
    Post,
    acknowledge,
    give_feedback,
    observe,
    snooze,
    snooze_until,
    tuning_from,
)
from billbot.watch.lifecycle import active_periods, apply_findings
from billbot.watch.scope import ORGANIZATION
from tests.billbot.watch.support import START, finding

T0 = START
MINUTE = timedelta(minutes=1)


def test_a_first_finding_opens_the_alert_with_one_post() -> None:
    step = observe(None, finding(500), T0)
    assert step.alert is not None and step.alert.status == "firing"
    assert step.posts == (Post("open", "open", "something happened"),)


def test_a_higher_level_posts_once_and_the_same_data_changes_nothing() -> None:
    opened = observe(None, finding(500), T0).alert
    up = observe(opened, finding(800, message="80% now"), T0 + 10 * MINUTE)
    assert [p.once_key for p in up.posts] == ["level:800"]
    assert up.alert is not None and up.alert.version == 2
    again = observe(up.alert, finding(800, message="80% now"), T0 + 20 * MINUTE)
    assert again.posts == () and again.alert is not None and again.alert.version == 2
    lower = observe(again.alert, finding(500, message="back to 50%"), T0 + 30 * MINUTE)
    assert lower.posts == () and lower.alert is not None and lower.alert.version == 3  # updated in place


def test_catching_up_posts_the_level_reached_not_the_ones_skipped() -> None:
    step = observe(None, finding(1000), T0)
    assert [p.once_key for p in step.posts] == ["open"]
    assert step.alert is not None and step.alert.fired_rank == 1000


def test_recovery_waits_for_its_rule_then_posts_and_a_return_reopens() -> None:
    opened = observe(None, finding(0, rule="anomaly", period="2026-10-05T13:00"), T0).alert
    early = observe(opened, None, T0 + 30 * MINUTE)
    assert early.alert == opened and early.posts == ()
    gone = observe(opened, None, T0 + 61 * MINUTE)
    assert gone.alert is not None and gone.alert.status == "recovered"
    assert [p.once_key for p in gone.posts] == ["recovered:1"]
    back = observe(gone.alert, finding(0, rule="anomaly", period="2026-10-05T13:00"), T0 + 2 * 60 * MINUTE)
    assert back.alert is not None and back.alert.status == "firing"
    assert [p.once_key for p in back.posts] == ["reopened:1"]


def test_after_its_period_an_alert_closes_quietly() -> None:
    opened = observe(None, finding(500, period_end=T0 + 60 * MINUTE), T0).alert
    closed = observe(opened, None, T0 + 61 * MINUTE)
    assert closed.alert is not None and closed.alert.status == "closed" and closed.posts == ()


def test_a_snooze_holds_posts_and_mutes_new_alerts_of_the_same_rule_and_scope() -> None:
    opened = observe(None, finding(500), T0).alert
    assert opened is not None
    quiet = snooze(opened, snooze_until(opened, "day", T0), "U1", T0)
    assert quiet.version == opened.version + 1
    assert observe(quiet, finding(800), T0 + MINUTE).posts == ()
    assert observe(quiet, finding(800), T0 + timedelta(days=1, minutes=1)).posts != ()
    alerts = {quiet.key: quiet}
    next_period = finding(500, period="2026-12")
    changes = apply_findings(alerts, [next_period], T0 + 2 * MINUTE)
    [change] = [c for c in changes if c.key == next_period.alert_key]
    assert change.after is not None and change.posts == () and not change.after.opened_posted
    [old] = [c for c in changes if c.key == quiet.key]
    assert old.after is not None and old.after.status == "recovered" and old.posts == ()  # snoozed: quiet
    [later] = apply_findings({change.key: change.after}, [next_period], T0 + timedelta(days=2))
    assert [p.once_key for p in later.posts] == ["open"]  # the mute ended: it is posted now


def test_acknowledge_and_feedback_are_recorded_once_and_feedback_tunes_later_runs() -> None:
    opened = observe(None, finding(0, rule="anomaly", scope=ORGANIZATION), T0).alert
    assert opened is not None
    acked = acknowledge(opened, "U1", T0)
    assert acknowledge(acked, "U2", T0) is acked and acked.acknowledged_by == "U1"
    expected = give_feedback(acked, "expected", "U1", T0)
    assert give_feedback(expected, "expected", "U2", T0) is expected
    assert tuning_from([expected], T0 + timedelta(days=1)).factor("anomaly", "organization") == 1.5
    assert tuning_from([expected], T0 + timedelta(days=31)).factor("anomaly", "organization") == 1
    assert active_periods({expected.key: expected}) == {("anomaly", "organization"): "2026-11"}


class Lifecycle(RuleBasedStateMachine):
    """Random findings, absences, snoozes and clock steps for one alert key: the posting rules hold."""

    def __init__(self) -> None:
        super().__init__()
        self.now = T0
        self.alert: Alert | None = None
        self.posts: list[tuple[Post, bool]] = []  # (post, was the alert firing before it)
        self.level_ranks: list[int] = []
        self.recovered_since_open = 0

    @rule(
        rank=st.sampled_from([None, 0, 500, 800, 995, 1000]),
        minutes=st.integers(min_value=0, max_value=180),
        rule_name=st.sampled_from(["budget", "anomaly"]),
    )
    def see(self, rank: int | None, minutes: int, rule_name: str) -> None:
        self.now += timedelta(minutes=minutes)
        if self.alert is not None:
            rule_name = self.alert.finding.rule
        before = self.alert
        found = None if rank is None else finding(rank, rule=rule_name, message=f"at {rank}")
        step = observe(before, found, self.now)
        firing_before = before is not None and before.status == "firing"
        for post in step.posts:
            self.posts.append((post, firing_before))
            if before is not None and before.snoozed(self.now):
                raise AssertionError("posted while snoozed")
            if post.once_key.startswith("level:"):
                self.level_ranks.append(int(post.once_key.split(":")[1]))
        self.alert = step.alert
        # Running again at the same instant with the same data owes nothing and shows nothing new.
        if step.alert is not None:
            again = observe(step.alert, found, self.now)
            assert again.posts == () and again.alert is not None and again.alert.version == step.alert.version

    @precondition(lambda self: self.alert is not None)
    @rule(how=st.sampled_from(["day", "period"]))
    def snooze_it(self, how: Literal["day", "period"]) -> None:
        assert self.alert is not None
        self.alert = snooze(self.alert, snooze_until(self.alert, how, self.now), "U1", self.now)

    @invariant()
    def one_opening_and_one_post_per_level(self) -> None:
        keys = [post.once_key for post, _ in self.posts]
        assert keys.count("open") <= 1
        assert len(keys) == len(set(keys))
        assert self.level_ranks == sorted(set(self.level_ranks))

    @invariant()
    def recovery_only_after_firing_and_reopening_only_after_recovery(self) -> None:
        recoveries = reopenings = 0
        for post, firing_before in self.posts:
            if post.once_key.startswith("recovered:"):
                assert firing_before
                recoveries += 1
            if post.once_key.startswith("reopened:"):
                assert not firing_before
                reopenings += 1
                assert reopenings <= recoveries + 1
        if self.alert is not None:
            assert self.alert.recoveries >= recoveries


TestLifecycle = Lifecycle.TestCase
TestLifecycle.settings = settings(max_examples=150, stateful_step_count=40, deadline=None)
