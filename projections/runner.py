"""Keeping the read models current: catch up from the log in batches, rebuild from zero, report.

A catch-up reads the log from the lowest position of any model (``iter_log``, seq order),
parses each record once, hands it to every model that has not seen it, and then — in **one
transaction per batch** — moves each model's tracking position (the batch's first write, a
compare-and-set from the position it started at) and writes the batch's rows. A catch-up
killed half-way therefore leaves whole batches behind it, and the next one resumes after the
last committed batch: no row is duplicated or missing. If another process moved a position
first, the compare-and-set fails, the batch rolls back, and the catch-up starts over from the
positions now stored. With more than one batch to go, a batch commits in a second thread
while the next page of the log is read and parsed; the next batch's transaction begins only
once that commit has succeeded.

When nothing is new a catch-up costs one query (the log's ``MAX(seq)``) once this process has
seen the positions; the first one in a process also reads the tracking table.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from concurrent.futures import Future, ThreadPoolExecutor, wait
from itertools import islice
from typing import Any, NamedTuple

from eventsourcing.persistence import Tracking
from sqlalchemy import Connection, Engine, RootTransaction, func, inspect, select, update
from sqlalchemy.exc import DBAPIError

from ledger.collecting import paused_collection
from ledger.errors import StoreError
from ledger.store import iter_log
from projections import tables as t
from projections.actors import ActorActivity, ActorDirectory
from projections.base import APPLICATION_NAME, ReadModel, TrackingView, advance
from projections.case_payloads import CasePayloads
from projections.case_status import CaseStatus
from projections.db import make_engine, run
from projections.figures import Figures
from projections.records import Record, parse
from projections.timeline import Timeline

DEFAULT_BATCH = 5000
_POSITIONS = f"SELECT name, seq, layout FROM {t.tracking.name} WHERE application_name = ?"
_RETRIES = 5


def _parsed_batches(recorder: Any, after: int, batch: int) -> Iterator[list[Record]]:
    log = iter_log(recorder, after=after, batch=batch)
    while chunk := list(islice(log, batch)):
        yield [parse(row) for row in chunk]


class _Written(NamedTuple):
    """A batch's rows and positions, written in ``tx`` on ``conn``: committing in the
    committer thread (``commit``), or to be committed by the caller (``commit`` is None)."""

    conn: Connection
    tx: RootTransaction
    commit: Future[None] | None
    last: int
    active: list[ReadModel]


class PositionMoved(Exception):
    """Another process committed a batch of this model first."""


class Views:
    """The read models of one ledger, in the ledger's database.

    ``ledger`` is an open :class:`~ledger.app.ExitLedger` (its ``recorder`` and ``size()``);
    ``url`` the same ``--db`` URL it was opened with.
    """

    def __init__(self, ledger: Any, url: str, *, engine: Engine | None = None) -> None:
        self.ledger = ledger
        self.engine = engine if engine is not None else make_engine(url)
        directory = ActorDirectory(self._view(ActorDirectory.name))
        self.models: list[ReadModel] = [
            directory,  # first: the others look signers up in it, within the same batch
            CaseStatus(self._view(CaseStatus.name)),
            Figures(self._view(Figures.name), directory),
            ActorActivity(self._view(ActorActivity.name), directory),
            Timeline(self._view(Timeline.name)),
            CasePayloads(self._view(CasePayloads.name)),
        ]
        self._seen: dict[str, int] = {}  # each model's position as this process last saw or set it

    def _view(self, name: str) -> TrackingView:
        return TrackingView(self.engine, name)

    def close(self) -> None:
        self.engine.dispose()

    def __enter__(self) -> Views:
        return self

    def __exit__(self, *_exc: Any) -> None:
        self.close()

    # -- positions -------------------------------------------------------------------------
    def positions(self) -> dict[str, int]:
        """Each model's stored position, after creating missing tables and rebuilding (from
        position 0) any model whose stored layout is not this code's."""
        for attempt in range(2):
            try:
                return self._prepare()
            except DBAPIError:  # a concurrent first run created the same tables
                if attempt:
                    raise
        raise AssertionError("unreachable")

    def _prepare(self) -> dict[str, int]:
        stored = self._stored()
        if stored is None or any(stored.get(m.name, (0, None))[1] != m.layout for m in self.models):
            with self.engine.begin() as conn:
                if not inspect(conn).has_table(t.tracking.name):
                    t.tracking.create(conn)
                stored = {r.name: (int(r.seq), r.layout) for r in run(conn, _POSITIONS, (APPLICATION_NAME,))}
                for model in self.models:
                    seq, layout = stored.get(model.name, (0, None))
                    if layout is None:
                        for table in model.tables:
                            table.create(conn, checkfirst=True)
                        model.view.register(conn, model.layout)
                    elif layout != model.layout:
                        self._empty(conn, model)
                        seq = 0
                    stored[model.name] = (seq, model.layout)
        return {m.name: stored[m.name][0] for m in self.models}

    def _stored(self) -> dict[str, tuple[int, int]] | None:
        """(seq, layout) of each model with a tracking row; None if there is no tracking table."""
        try:
            with self.engine.connect() as conn:
                return {r.name: (int(r.seq), r.layout) for r in run(conn, _POSITIONS, (APPLICATION_NAME,))}
        except DBAPIError:
            return None

    def _empty(self, conn: Any, model: ReadModel) -> None:
        """Drop and recreate ``model``'s tables and put it back at 0, in ``conn``'s transaction.

        The tracking row is written first so the transaction (and SQLite's write lock) is
        open before the DDL: the tables and the position change together or not at all.
        """
        conn.execute(update(t.tracking).where(t.tracking.c.name == model.name).values(seq=0, layout=model.layout))
        for table in model.tables:
            table.drop(conn, checkfirst=True)
            table.create(conn)
        model.reset()
        self._seen[model.name] = 0

    # -- catching up -----------------------------------------------------------------------
    def catch_up(self, *, batch: int = DEFAULT_BATCH) -> int:
        """Bring every model up to the log's head; returns the number of events read."""
        head = self.ledger.size()
        if len(self._seen) == len(self.models) and min(self._seen.values()) >= head:
            return 0  # positions only ever move forward, so ours are a lower bound
        for _ in range(_RETRIES):
            try:
                return self._run(batch, head)
            except PositionMoved:
                continue
        raise StoreError("the read models kept moving under this catch-up; run the command again")

    def _run(self, batch: int, head: int) -> int:
        stored = self.positions()
        for model in self.models:
            if self._seen.get(model.name) != stored[model.name]:
                model.reset()  # what it holds in memory was learnt at another position
        self._seen = dict(stored)
        after = min(stored.values())
        read, pending = 0, None
        with paused_collection(), ThreadPoolExecutor(1, thread_name_prefix="exitledger-commit") as committer:
            # More than one batch to go: each commits in the committer thread while this one reads
            # and parses the next page of the log (SQLite and PostgreSQL commit without the GIL).
            overlap = committer if head - after > batch else None
            try:
                for records in _parsed_batches(self.ledger.recorder, after, batch):
                    if pending is not None:
                        self._settle(pending)
                        pending = None
                    pending = self._write(records, overlap)
                    read += len(records)
                if pending is not None:
                    self._settle(pending)
            except BaseException:
                if pending is not None:
                    self._abandon(pending)
                raise
        return read

    def apply(self, records: Sequence[Record]) -> None:
        """Fold one batch of consecutive records into every model that has not seen them and
        commit rows and positions together; on any error nothing of the batch is kept."""
        written = self._write(records, None)
        try:
            self._settle(written)
        except BaseException:
            self._abandon(written)
            raise

    def _write(self, records: Sequence[Record], committer: ThreadPoolExecutor | None) -> _Written:
        """Move the positions, fold and write ``records`` in a new transaction, and start its
        commit in ``committer`` (if given); on an error roll back, forget, raise."""
        last = records[-1].seq
        active = [m for m in self.models if self._seen[m.name] < last]
        conn = self.engine.connect()
        try:
            tx = conn.begin()
            for model in self.models:
                model.begin(conn, self._seen[model.name])
            groups: dict[int, list[str]] = {}
            for model in active:
                groups.setdefault(self._seen[model.name], []).append(model.name)
            for expected, names in groups.items():
                if not advance(conn, names, expected, Tracking(APPLICATION_NAME, last)):
                    raise PositionMoved(", ".join(names))
            self._fold(records, active)
            for model in active:
                model.flush(conn)
        except BaseException:
            conn.close()  # rolls back
            self._forget()
            raise
        finally:
            for model in self.models:
                model.conn = None
        return _Written(conn, tx, committer.submit(tx.commit) if committer else None, last, active)

    def _settle(self, written: _Written) -> None:
        """Commit ``written`` (or wait for its commit); only then do its models stand at its last seq."""
        if written.commit is None:
            written.tx.commit()
        else:
            written.commit.result()
        written.conn.close()
        for model in written.active:
            self._seen[model.name] = written.last

    def _abandon(self, written: _Written) -> None:
        """After an error: wait for a running commit (it may or may not have committed), close,
        and forget what the models hold, so the next catch-up starts from the stored positions."""
        if written.commit is not None:
            wait([written.commit])  # never close a connection under a running commit
        written.conn.close()
        self._forget()

    def _forget(self) -> None:
        for model in self.models:
            model.reset()
        self._seen = {}

    def _fold(self, records: Sequence[Record], active: list[ReadModel]) -> None:
        # Every event of the batch is committed at the batch's last position, so that is the
        # Tracking the models are given (one object per batch, not one per event and model).
        tracking = Tracking(APPLICATION_NAME, records[-1].seq)
        first = records[0].seq
        if all(self._seen[m.name] < first for m in active):  # the usual case: all start before the batch
            handlers = [m.process_event for m in active]
            for record in records:
                for handle in handlers:
                    handle(record, tracking)
            return
        for record in records:
            for model in active:
                if record.seq > self._seen[model.name]:
                    model.process_event(record, tracking)

    # -- rebuilding and reporting --------------------------------------------------------------
    def rebuild(self, names: Iterable[str] | None = None, *, batch: int = DEFAULT_BATCH) -> int:
        """Drop the models (all, or those named), replay the log from zero; events read."""
        chosen = self._chosen(names)
        self.positions()
        with self.engine.begin() as conn:
            for model in chosen:
                self._empty(conn, model)
        self._seen = {}
        return self.catch_up(batch=batch)

    def _chosen(self, names: Iterable[str] | None) -> list[ReadModel]:
        if names is None:
            return list(self.models)
        wanted = set(names)
        unknown = wanted - {m.name for m in self.models}
        if unknown:
            from ledger.errors import InputError

            raise InputError(f"no read model {', '.join(sorted(unknown))}; known: "
                             f"{', '.join(m.name for m in self.models)}")
        return [m for m in self.models if m.name in wanted]

    def status(self) -> list[dict[str, Any]]:
        """Each model's position against the log head, without catching up."""
        head = self.ledger.size()
        stored = self.positions()
        out = []
        with self.engine.connect() as conn:
            for model in self.models:
                rows = {table.name: int(conn.execute(select(func.count()).select_from(table)).scalar() or 0)
                        for table in model.tables}
                out.append({"name": model.name, "seq": stored[model.name], "head": head,
                            "behind": max(head - stored[model.name], 0), "layout": model.layout, "rows": rows})
        return out
