"""What-if runs asked for in Slack, in the store: claimed once, resumed after a restart, posted once.

A run is claimed by a request key before any work (a retried delivery or a second click on the same
button finds it and starts nothing), keeps its reply once computed (a restart re-posts it rather than
computing it again) and is marked posted last. `unfinished()` is what a restarted bot picks up.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Engine
from sqlalchemy.exc import IntegrityError
from sqlmodel import col, select

from billbot.store.session import session_scope
from billbot.store.tables.whatif import WhatIfRun

QUEUED, RUNNING, COMPUTED, POSTED, FAILED = "queued", "running", "computed", "posted", "failed"


class WhatIfRuns:
    """The what-if runs of one store."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine

    def claim(
        self, key: str, command: str, *, by: str, channel: str, thread_ts: str | None, now: datetime
    ) -> WhatIfRun | None:
        """Record a new run; None if this request key was claimed before (nothing to do twice)."""
        row = WhatIfRun(
            request_key=key[:255], command=command, requested_by=by, channel=channel,
            thread_ts=thread_ts, status=QUEUED, created_at=now,
        )  # fmt: skip
        try:
            with session_scope(self.engine) as session:
                session.add(row)
                session.flush()
                session.refresh(row)
        except IntegrityError:
            return None
        return row

    def get(self, run_id: int) -> WhatIfRun:
        """One run (`LookupError` if there is none)."""
        with session_scope(self.engine, read_only=True) as session:
            row = session.get(WhatIfRun, run_id)
        if row is None:
            raise LookupError(f"no what-if run {run_id}")
        return row

    def started(self, run_id: int, message_ts: str) -> None:
        """The run's message is in the channel; the work has begun."""
        self._update(run_id, status=RUNNING, message_ts=message_ts)

    def computed(self, run_id: int, reply: str, now: datetime) -> None:
        """The reply is computed (kept until it is posted)."""
        self._update(run_id, status=COMPUTED, reply=reply, finished_at=now)

    def posted(self, run_id: int) -> None:
        """The reply is in its thread: the run is done."""
        self._update(run_id, status=POSTED)

    def failed(self, run_id: int, now: datetime) -> None:
        """The run could not be computed (the user was told why)."""
        self._update(run_id, status=FAILED, finished_at=now)

    def unfinished(self) -> list[WhatIfRun]:
        """Runs claimed but not yet posted (nor failed), oldest first."""
        with session_scope(self.engine, read_only=True) as session:
            query = select(WhatIfRun).where(col(WhatIfRun.status).in_((QUEUED, RUNNING, COMPUTED)))
            return list(session.exec(query.order_by(col(WhatIfRun.id))).all())

    def _update(self, run_id: int, **values: object) -> None:
        with session_scope(self.engine) as session:
            row = session.get(WhatIfRun, run_id)
            if row is None:
                raise LookupError(f"no what-if run {run_id}")
            for name, value in values.items():
                setattr(row, name, value)
            session.add(row)
