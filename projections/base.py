"""One projection class per read model, shaped like eventsourcing's ``Projection`` (STYLE habit 9).

Each read model has a ``name``, a ``view`` (a :class:`TrackingView`: eventsourcing's
``TrackingRecorder`` over the ``projection_tracking`` table) and a ``process_event(record,
tracking)`` that dispatches on the record type. Unlike eventsourcing's runner, which commits
one tracking row per event (measured here at about 1,100 events/s), the
:class:`~projections.runner.Views` runner hands a model a whole batch of events and then calls
:meth:`ReadModel.flush` inside the one transaction that also moves the model's tracking
position: rows and position commit together or not at all.

Between batches a model may keep what it has learnt in memory (the state of each case, the
directory of actors). That memory is only trusted while this process is the one moving the
model's position; :meth:`ReadModel.reset` forgets it after a rollback or when the stored
position is not the one this process last committed.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any, ClassVar

from eventsourcing.persistence import Tracking, TrackingRecorder
from eventsourcing.projection import Projection
from sqlalchemy import Connection, Engine, Table, select
from sqlalchemy.dialects import postgresql, sqlite

from projections import tables as t
from projections.db import run
from projections.records import Record

APPLICATION_NAME = "exitledger"
"""The ``application_name`` of every :class:`Tracking`: the ledger application's name."""


class TrackingView(TrackingRecorder):
    """eventsourcing's ``TrackingRecorder`` for one read model, over ``projection_tracking``.

    ``insert_tracking`` moves the position in its own transaction (eventsourcing's per-event
    API, kept for compatibility); the runner moves it per batch with :meth:`advance`.
    """

    def __init__(self, engine: Engine, projection_name: str) -> None:
        self.engine = engine
        self.projection_name = projection_name

    def insert_tracking(self, tracking: Tracking) -> None:
        with self.engine.begin() as conn:
            current = self.position(conn, tracking.application_name)
            if tracking.notification_id <= current:
                raise ValueError(f"{self.projection_name} is already at {current}")
            self.advance(conn, current, tracking)

    def max_tracking_id(self, application_name: str) -> int | None:
        with self.engine.connect() as conn:
            seq = self.position(conn, application_name)
        return seq or None

    def position(self, conn: Connection, application_name: str = APPLICATION_NAME) -> int:
        """The last seq whose rows are committed (0: nothing yet)."""
        seq = conn.execute(
            select(t.tracking.c.seq).where(
                t.tracking.c.name == self.projection_name, t.tracking.c.application_name == application_name)
        ).scalar()
        return int(seq or 0)

    def advance(self, conn: Connection, expected: int, tracking: Tracking) -> bool:
        """Move the position from ``expected`` to ``tracking`` in ``conn``'s transaction.

        False (and nothing changed) when the stored position is not ``expected``: another
        process got there first. The update is the batch's first write, so on SQLite it takes
        the write lock and on PostgreSQL the row lock before any row is written.
        """
        return advance(conn, [self.projection_name], expected, tracking)

    def register(self, conn: Connection, layout: int) -> None:
        """Create the model's tracking row at 0 if it has none."""
        dialect = postgresql if conn.dialect.name == "postgresql" else sqlite
        conn.execute(
            dialect.insert(t.tracking)
            .values(name=self.projection_name, application_name=APPLICATION_NAME, seq=0, layout=layout)
            .on_conflict_do_nothing(index_elements=["name"])
        )


def advance(conn: Connection, names: Sequence[str], expected: int, tracking: Tracking) -> bool:
    """Move every model in ``names`` from ``expected`` to ``tracking``: all of them, or (when
    any stored position is not ``expected``) report False, the caller then rolling back."""
    marks = ", ".join("?" for _ in names)
    result = run(conn, f"UPDATE {t.tracking.name} SET seq = ? WHERE application_name = ? AND seq = ? "
                       f"AND name IN ({marks})",
                 (tracking.notification_id, tracking.application_name, expected, *names))
    return bool(result.rowcount == len(names))


class ReadModel(Projection[TrackingView]):
    """Base of the read models: dispatch on the record type, buffer rows, flush per batch."""

    name: str = ""
    layout: ClassVar[int] = 1
    """Version of the model's tables and row logic; a stored model of another layout is rebuilt."""
    tables: ClassVar[tuple[Table, ...]] = ()

    def __init__(self, view: TrackingView) -> None:
        super().__init__(view)
        self.conn: Connection | None = None
        self.fresh = False
        self._handlers: dict[str, Callable[[Record], None]] = {
            attr[4:]: getattr(self, attr) for attr in dir(type(self)) if attr.startswith("_on_")
        }
        self.reset()

    def process_event(self, domain_event: Record, tracking: Tracking) -> None:  # type: ignore[override]
        """Fold one record into the batch; rows reach the database at :meth:`flush`, with the
        position ``tracking`` (the runner passes the batch's last one, which is what commits)."""
        handler = self._handlers.get(domain_event.type)
        if handler is not None:
            handler(domain_event)

    def begin(self, conn: Connection, position: int) -> None:
        """A batch starts at ``position`` in ``conn``'s transaction; ``fresh`` when the model is
        empty (position 0), so a look-up that misses in memory needs no query."""
        self.conn = conn
        if position == 0:
            self.reset()
            self.fresh = True

    def flush(self, conn: Connection) -> None:
        """Write the batch's rows in ``conn``'s transaction (the runner commits)."""
        raise NotImplementedError

    def reset(self) -> None:
        """Forget everything held in memory: pending rows and cached state."""
        self.fresh = False

    def lookup(self, sql: str, params: Sequence[Any]) -> Any:
        """The first row of a look-up in the batch's transaction (``?`` placeholders), or None."""
        assert self.conn is not None, "a look-up outside a batch"
        return run(self.conn, sql, params).first()
