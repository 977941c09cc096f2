"""Drills played in Slack, in the store: claimed once, each action applied once, scored, listed.

A run is claimed by its request key before anything is posted; an action is claimed by its own key
(the click's or the reply's) before it is applied, so a retried click finds it and applies nothing.
`finish` keeps the scorecard; `history` lists finished runs, newest first.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Engine
from sqlalchemy.exc import IntegrityError
from sqlmodel import col, select

from billbot.drills.scorecard import Scorecard
from billbot.store.session import session_scope
from billbot.store.tables.drills import DrillAction, DrillRun

RUNNING, FINISHED, INTERRUPTED, FAILED = "running", "finished", "interrupted", "failed"


class DrillRuns:
    """The drill runs of one store."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine

    def claim(
        self, key: str, drill: str, seed: int, *, by: str, channel: str, now: datetime
    ) -> DrillRun | None:
        """Record a new run; None if this request key was claimed before."""
        row = DrillRun(
            request_key=key[:255], drill=drill, seed=seed, channel=channel, started_by=by, status=RUNNING,
            created_at=now,
        )  # fmt: skip
        return row if self._insert(row) else None

    def get(self, run_id: int) -> DrillRun:
        """One run (`LookupError` if there is none)."""
        with session_scope(self.engine, read_only=True) as session:
            row = session.get(DrillRun, run_id)
        if row is None:
            raise LookupError(f"no drill run {run_id}")
        return row

    def started(self, run_id: int, message_ts: str) -> None:
        """The drill's headline is in the channel: its thread."""
        self._update(run_id, message_ts=message_ts)

    def take(self, run_id: int, key: str, *, by: str, text: str, now: datetime) -> bool:
        """Claim an action once; False if this key was taken before (a retried click)."""
        row = DrillAction(run_id=run_id, request_key=key[:255], taken_by=by, text=text, created_at=now)
        return self._insert(row)

    def actions(self, run_id: int) -> list[DrillAction]:
        """The actions claimed in a run, in order."""
        with session_scope(self.engine, read_only=True) as session:
            query = select(DrillAction).where(col(DrillAction.run_id) == run_id).order_by(col(DrillAction.id))
            return list(session.exec(query).all())

    def finish(self, run_id: int, card: Scorecard, now: datetime) -> None:
        """Keep the scorecard: the run is done."""
        self._update(
            run_id, status=FINISHED, finished_at=now, ended_by=card.record.ended_by,
            requests_failed=card.requests_failed, dollars_lost_usd=str(card.dollars_lost_usd),
            time_to_detect_s=card.time_to_detect_s, time_to_first_action_s=card.time_to_first_action_s,
            time_to_recover_s=card.time_to_recover_s, scorecard=card.to_json(),
        )  # fmt: skip

    def ended(self, run_id: int, status: str, now: datetime) -> None:
        """The run ended without a scorecard (`interrupted` by a restart, or `failed`)."""
        self._update(run_id, status=status, finished_at=now)

    def unfinished(self) -> list[DrillRun]:
        """Runs still marked running (a stopped bot left them), oldest first."""
        with session_scope(self.engine, read_only=True) as session:
            query = select(DrillRun).where(col(DrillRun.status) == RUNNING).order_by(col(DrillRun.id))
            return list(session.exec(query).all())

    def history(self, channel: str | None = None, limit: int = 15) -> list[DrillRun]:
        """Finished runs (in `channel`, if given), newest first."""
        with session_scope(self.engine, read_only=True) as session:
            query = select(DrillRun).where(col(DrillRun.status) == FINISHED)
            if channel is not None:
                query = query.where(col(DrillRun.channel) == channel)
            return list(session.exec(query.order_by(col(DrillRun.id).desc()).limit(limit)).all())

    def _insert(self, row: DrillRun | DrillAction) -> bool:
        try:
            with session_scope(self.engine) as session:
                session.add(row)
                session.flush()
                session.refresh(row)
        except IntegrityError:
            return False
        return True

    def _update(self, run_id: int, **values: object) -> None:
        with session_scope(self.engine) as session:
            row = session.get(DrillRun, run_id)
            if row is None:
                raise LookupError(f"no drill run {run_id}")
            for name, value in values.items():
                setattr(row, name, value)
            session.add(row)
