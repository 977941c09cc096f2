"""The pure ticket domain: its transition table says what a ticket may do next, and it imports no I/O."""

from __future__ import annotations

import subprocess
import sys

import pytest

from billbot.tickets.domain.model import Status
from billbot.tickets.domain.transitions import (
    FILED,
    TRANSITIONS,
    Action,
    next_status,
    outcome_action,
    refusal,
    reopen_action,
)

IO_LIBRARIES = ("sqlalchemy", "sqlmodel", "httpx", "slack_sdk", "slack_bolt", "starlette", "uvicorn")
UNRESOLVED = [s for s in Status if not s.resolved]
RESOLVED = [s for s in Status if s.resolved]


def test_the_domain_imports_no_io_library() -> None:
    probe = (
        "import importlib, pkgutil, sys\n"
        "import billbot.tickets.domain as domain\n"
        "for module in pkgutil.iter_modules(domain.__path__):\n"
        "    importlib.import_module(f'billbot.tickets.domain.{module.name}')\n"
        f"print(sorted({{m.split('.')[0] for m in sys.modules}} & set({IO_LIBRARIES!r})))\n"
    )
    loaded = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True)
    assert loaded.stdout.strip() == "[]"


def test_a_filed_ticket_is_open_and_goes_to_the_provider_once() -> None:
    assert FILED is Status.OPEN
    assert next_status(Status.OPEN, Action.SUBMIT) is Status.SUBMITTED
    assert next_status(Status.SUBMITTED, Action.SUBMIT) is None
    assert next_status(Status.ANSWERED, Action.SUBMIT) is None


@pytest.mark.parametrize("status", UNRESOLVED)
def test_an_unresolved_ticket_takes_an_answer_and_any_outcome(status: Status) -> None:
    assert next_status(status, Action.RECORD_ANSWER) is Status.ANSWERED
    for outcome in RESOLVED:
        action = outcome_action(outcome)
        assert action is not None
        assert next_status(status, action) is outcome
    assert next_status(status, Action.REOPEN) is None and next_status(status, Action.REOPEN_SENT) is None


@pytest.mark.parametrize("status", RESOLVED)
def test_a_resolved_ticket_only_reopens_to_where_its_claim_stood(status: Status) -> None:
    allowed = {action for (state, action) in TRANSITIONS if state is status}
    assert allowed == {Action.ADD_EVIDENCE, Action.REOPEN, Action.REOPEN_SENT}
    assert next_status(status, reopen_action(submitted=True)) is Status.SUBMITTED
    assert next_status(status, reopen_action(submitted=False)) is Status.OPEN


def test_evidence_never_changes_the_status() -> None:
    assert all(next_status(status, Action.ADD_EVIDENCE) is status for status in Status)


def test_every_refusal_is_a_sentence_naming_the_ticket() -> None:
    assert outcome_action(Status.ANSWERED) is None
    for action in Action:
        assert refusal(action, 7, Status.DENIED).startswith("ticket #7 ")
    said = refusal(Action.SUBMIT, 7, Status.ANSWERED)
    assert said == "ticket #7 is answered, not open: it was submitted already"
