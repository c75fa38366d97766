"""``timeline``: every event of every stream with its decision date beside its recording time,
and, for the steps of a case, the window and deadline of DOMAIN.md (:mod:`projections.deadlines`).

A pure function of each record and its stream name (the case year is in the name), so this
model keeps no state between events.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import Connection

from projections import tables as t
from projections.base import ReadModel
from projections.db import bulk_insert
from projections.deadlines import DUE, lag_days, timing
from projections.records import Record, county_of


COLUMNS = ("seq", "stream", "version", "type", "actor", "decided_on", "recorded_at", "lag_days", "recorded_late",
           "hash", "window_from", "deadline", "status")
UNDATED = COLUMNS[:10]
"""The columns of a step without a deadline (most events): its row binds no NULL window."""


def row_of(r: Record) -> tuple[Any, ...]:
    """The event's timeline row: ``UNDATED`` columns, plus the window, deadline and status for
    a step of a case that has a deadline (see :mod:`projections.deadlines`)."""
    case = county_of(r.stream) if r.type in DUE else None
    if case is None:  # most events: no deadline, only the lag
        return (r.seq, r.stream, r.version, r.type, r.actor, r.decided_on, r.recorded_at,
                lag_days(r.decided_on, r.recorded_at), 0, r.hash)
    when = timing(r.type, case[1], r.decided_on, r.recorded_at)
    return (r.seq, r.stream, r.version, r.type, r.actor, r.decided_on, r.recorded_at, when.lag_days,
            int(when.recorded_late), r.hash, when.window_from, when.deadline, when.status)


class Timeline(ReadModel):
    """The ``timeline`` read model."""

    name = "timeline"
    tables = (t.timeline,)

    def reset(self) -> None:
        super().reset()
        self._undated: list[tuple[Any, ...]] = []
        self._dated: list[tuple[Any, ...]] = []

    def process_event(self, domain_event: Record, tracking: Any) -> None:  # type: ignore[override]
        row = row_of(domain_event)
        (self._undated if len(row) == len(UNDATED) else self._dated).append(row)

    def flush(self, conn: Connection) -> None:
        bulk_insert(conn, t.timeline, UNDATED, self._undated)
        bulk_insert(conn, t.timeline, COLUMNS, self._dated)
        self._undated, self._dated = [], []
