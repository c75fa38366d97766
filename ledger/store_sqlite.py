"""The ledger's SQLite recorder: eventsourcing's, plus seq, Merkle tree and checkpoints (see ledger.store)."""

from __future__ import annotations

import sqlite3
from collections.abc import Sequence
from itertools import chain
from typing import Any
from uuid import UUID

from eventsourcing.persistence import InterfaceError, StoredEvent
from eventsourcing.sqlite import (
    SQLITE3_DEFAULT_LOCK_TIMEOUT, SQLiteApplicationRecorder, SQLiteConnection, SQLiteConnectionPool, SQLiteFactory,
)
from eventsourcing.utils import Environment, EnvType

from ledger.store import (
    CHECKPOINT_TABLE, COSIGNATURE_TABLE, EVENTS_TABLE, LOG_TABLE, TREE_TABLE, LedgerRecorder, LogRow, as_bytes,
    hash_of, refuse_second_genesis, stored_leaf,
)


STATEMENT_CACHE = 64
"""Prepared statements each connection keeps. eventsourcing opens its connections with
``cached_statements=True``, a cache of one statement, so an append — BEGIN, the event insert,
MAX(seq), the log and tree inserts — compiled every statement again each time: a fifth of a
single append's time, measured (``benchmarks.run --only 2``)."""


class LedgerSQLiteConnectionPool(SQLiteConnectionPool):
    """eventsourcing's SQLite connection pool, with a statement cache of :data:`STATEMENT_CACHE`.

    Only the ``cached_statements`` argument differs from eventsourcing 9.5's
    ``_create_connection``; the rest (URI names, autocommit mode so that eventsourcing's explicit
    BEGIN starts each transaction, the lock timeout, WAL for files, ``sqlite3.Row``) is kept."""

    def _create_connection(self) -> SQLiteConnection:
        try:
            c = sqlite3.connect(
                database=self.db_name, uri=True, check_same_thread=False, isolation_level=None,
                cached_statements=STATEMENT_CACHE, timeout=self.lock_timeout or SQLITE3_DEFAULT_LOCK_TIMEOUT,
            )
        except (sqlite3.Error, TypeError) as e:
            raise InterfaceError(e) from e
        if not self.is_sqlite_memory_mode and not self.is_journal_mode_wal:
            if c.execute("PRAGMA journal_mode;").fetchone()[0].lower() != "wal":
                c.execute("PRAGMA journal_mode=WAL;")
                self.journal_mode_was_changed_to_wal = True
            self.is_journal_mode_wal = True
        c.row_factory = sqlite3.Row
        return SQLiteConnection(sqlite_conn=c, max_age=self.max_age)


class LedgerSQLiteFactory(SQLiteFactory):
    """eventsourcing's SQLite factory whose datastore pools :class:`LedgerSQLiteConnectionPool`
    connections (``PERSISTENCE_MODULE`` names this class; see ``ledger.store.persistence_env``)."""

    def __init__(self, env: Environment | EnvType | None):
        super().__init__(env)
        theirs = self.datastore.pool  # built by SQLiteDatastore from the same settings, still unused
        self.datastore.pool = LedgerSQLiteConnectionPool(db_name=theirs.db_name, lock_timeout=theirs.lock_timeout)
        theirs.close()


class LedgerSQLiteRecorder(LedgerRecorder, SQLiteApplicationRecorder):
    """eventsourcing's SQLite recorder that also writes each event's seq in the same transaction."""

    def construct_create_table_statements(self) -> list[str]:
        return [
            *super().construct_create_table_statements(),
            f"CREATE TABLE IF NOT EXISTS {LOG_TABLE} ("
            "seq INTEGER PRIMARY KEY, originator_id TEXT NOT NULL, "
            "originator_version INTEGER NOT NULL, hash TEXT NOT NULL)",
            f"CREATE INDEX IF NOT EXISTS {LOG_TABLE}_hash ON {LOG_TABLE} (hash)",
            f"CREATE INDEX IF NOT EXISTS {LOG_TABLE}_position ON {LOG_TABLE} (originator_id, originator_version)",
            f"CREATE TABLE IF NOT EXISTS {TREE_TABLE} (level INTEGER NOT NULL, idx INTEGER NOT NULL, "
            "hash BLOB NOT NULL, PRIMARY KEY (level, idx)) WITHOUT ROWID",
            f"CREATE TABLE IF NOT EXISTS {CHECKPOINT_TABLE} (size INTEGER PRIMARY KEY, note TEXT NOT NULL, "
            "signed_at TEXT NOT NULL)",
            f"CREATE TABLE IF NOT EXISTS {COSIGNATURE_TABLE} (size INTEGER NOT NULL, witness TEXT NOT NULL, "
            "line TEXT NOT NULL, PRIMARY KEY (size, witness))",
        ]

    def _insert_events(self, c: Any, stored_events: Sequence[StoredEvent], **kwargs: Any) -> Sequence[int] | None:
        # Our own bulk insert, not eventsourcing's execute per row for its rowid: seq is our position.
        _insert_rows(c, self.events_table_name, 4, [(_hex(s.originator_id), s.originator_version, s.topic, s.state)
                                                     for s in stored_events])
        # The insert above took SQLite's write lock: MAX(seq) and the tree cannot move under us.
        hashes = [hash_of(s.state) for s in stored_events]
        c.execute(f"SELECT COALESCE(MAX(seq), 0) FROM {LOG_TABLE}")
        size = c.fetchone()[0]
        refuse_second_genesis(size, stored_events)
        _insert_rows(c, LOG_TABLE, 4, [(size + i, _hex(s.originator_id), s.originator_version, h)
                                       for i, (s, h) in enumerate(zip(stored_events, hashes), start=1)])
        _insert_rows(c, TREE_TABLE, 3, self._grow_tree(c, size, hashes))
        return list(range(size + 1, size + len(stored_events) + 1))  # the seqs: our notification ids

    @staticmethod
    def _nodes(c: Any, wanted: Sequence[tuple[int, int]]) -> dict[tuple[int, int], bytes]:
        # Point look-ups on the primary key: SQLite answers a row-value IN (VALUES …) with a
        # scan of the whole tree, which made proofs and appends grow with the log.
        out = {}
        for level, index in wanted:
            if level == 0:  # a leaf: from the log (ledger.store.stored_leaf)
                c.execute(f"SELECT hash FROM {LOG_TABLE} WHERE seq = ?", (index + 1,))
                row = c.fetchone()
                leaf = stored_leaf(row[0]) if row is not None else None
                if leaf is not None:
                    out[(0, index)] = leaf
                continue
            c.execute(f"SELECT hash FROM {TREE_TABLE} WHERE level = ? AND idx = ?", (level, index))
            row = c.fetchone()
            if row is not None:
                out[(level, index)] = bytes(row[0])
        return out

    # -- reading ---------------------------------------------------------------------------
    _LOG_AFTER = (f"FROM {LOG_TABLE} l LEFT JOIN {EVENTS_TABLE} e ON e.originator_id = l.originator_id "
                  "AND e.originator_version = l.originator_version WHERE l.seq > ? ")
    """The log after a seq with each position's stored event, if any (the readings below)."""

    def _tuples(self, sql: str, params: Sequence[Any]) -> list[tuple[Any, ...]]:
        """Rows as plain tuples, not ``sqlite3.Row``: these read every row of the log (verify,
        export, rebuilds), and indexing a Row cost a worker ~1 µs of the ~70 it spends per event."""
        with self.datastore.transaction(commit=False) as c:
            c.sqlite_cursor.row_factory = None
            c.execute(sql, params)
            return c.fetchall()

    def log_rows(self, after: int, limit: int, originator_id: UUID | None = None) -> list[LogRow]:
        sql = f"SELECT l.seq, l.hash, l.originator_id, l.originator_version, e.state {self._LOG_AFTER}"
        params: list[Any] = [after]
        if originator_id is not None:
            sql += "AND l.originator_id = ? "
            params.append(originator_id.hex)
        sql += "ORDER BY l.seq LIMIT ?"
        params.append(limit)
        return [LogRow(seq, hash_, originator_id, version, state if type(state) is bytes else as_bytes(state))
                for seq, hash_, originator_id, version, state in self._tuples(sql, params)]

    def log_positions(self, after: int, limit: int) -> list[tuple[int, str, bytes | None, str, int]]:
        """:meth:`log_rows` as the verifier's workers take them: plain tuples in the field order
        of ``ledger.verify_record.Position`` (seq, hash, state, originator_id, version)."""
        rows = self._tuples(f"SELECT l.seq, l.hash, e.state, l.originator_id, l.originator_version "
                            f"{self._LOG_AFTER}ORDER BY l.seq LIMIT ?", (after, limit))
        return [r if type(r[2]) is bytes else (r[0], r[1], as_bytes(r[2]), r[3], r[4]) for r in rows]

    def log_states(self, after: int, limit: int) -> list[tuple[int, bytes | None]]:
        """:meth:`log_rows` as (seq, stored state) only: what an export writes out."""
        rows = self._tuples(f"SELECT l.seq, e.state {self._LOG_AFTER}ORDER BY l.seq LIMIT ?", (after, limit))
        return [r if type(r[1]) is bytes else (r[0], as_bytes(r[1])) for r in rows]

    def _scalar(self, sql: str, params: Sequence[Any] = ()) -> Any:
        with self.datastore.transaction(commit=False) as c:
            c.execute(sql, params)
            row = c.fetchone()
            return None if row is None else row[0]

    def log_size(self) -> int:
        return int(self._scalar(f"SELECT COALESCE(MAX(seq), 0) FROM {LOG_TABLE}"))

    def unlogged_events(self) -> list[tuple[UUID, int]]:
        with self.datastore.transaction(commit=False) as c:
            c.execute(
                f"SELECT e.originator_id, e.originator_version FROM {EVENTS_TABLE} e "
                f"LEFT JOIN {LOG_TABLE} l ON e.originator_id = l.originator_id "
                "AND e.originator_version = l.originator_version WHERE l.seq IS NULL "
                "ORDER BY e.rowid LIMIT 1000"
            )
            return [(UUID(r[0]), r[1]) for r in c.fetchall()]

    def seq_of_hash(self, hash: str) -> int | None:
        return self._scalar(f"SELECT MIN(seq) FROM {LOG_TABLE} WHERE hash = ?", (hash,))

    def tree_nodes(self, wanted: Sequence[tuple[int, int]]) -> dict[tuple[int, int], bytes]:
        with self.datastore.transaction(commit=False) as c:
            return self._nodes(c, list(wanted))

    def checkpoints(self) -> list[tuple[int, str]]:
        with self.datastore.transaction(commit=False) as c:
            c.execute(f"SELECT size, note FROM {CHECKPOINT_TABLE} ORDER BY size")
            return [(r[0], r[1]) for r in c.fetchall()]

    def add_checkpoint(self, size: int, note: str, signed_at: str) -> None:
        with self.datastore.transaction(commit=True) as c:
            c.execute(f"INSERT INTO {CHECKPOINT_TABLE} VALUES (?, ?, ?)", (size, note, signed_at))

    def cosignatures(self) -> list[tuple[int, str, str]]:
        with self.datastore.transaction(commit=False) as c:
            c.execute(f"SELECT size, witness, line FROM {COSIGNATURE_TABLE} ORDER BY size, witness")
            return [(r[0], r[1], r[2]) for r in c.fetchall()]

    def add_cosignature(self, size: int, witness: str, line: str) -> None:
        with self.datastore.transaction(commit=True) as c:
            c.execute(f"INSERT INTO {COSIGNATURE_TABLE} VALUES (?, ?, ?)", (size, witness, line))


def _hex(originator_id: UUID | str) -> str:
    """How the events and log tables hold an aggregate id (the ledger's ids are UUIDs)."""
    return originator_id.hex if isinstance(originator_id, UUID) else originator_id


ROWS_PER_INSERT = 64
"""Rows per INSERT statement of an append: binding, stepping and resetting a statement per row
cost a quarter of the SQLite work of a 10,000-event batch (instructions counted).

The statements are ``INSERT OR ROLLBACK``: a constraint failure ends the whole transaction, as
the append wants anyway (all or nothing). A plain multi-row INSERT may abort half-way, so SQLite
keeps a statement journal for it, writing the prior content of every page a statement touches
first: 90 MB of journal for a 10,000-event batch, more than the statements saved."""


def _insert_rows(c: Any, table: str, width: int, rows: Sequence[Sequence[Any]]) -> None:
    """Insert ``rows`` of ``width`` values into ``table`` in order, :data:`ROWS_PER_INSERT` a statement."""
    group = "(" + ",".join("?" * width) + ")"
    whole = len(rows) - len(rows) % ROWS_PER_INSERT
    values = list(chain.from_iterable(rows))
    if whole:
        step = ROWS_PER_INSERT * width
        c.executemany(f"INSERT OR ROLLBACK INTO {table} VALUES " + ",".join([group] * ROWS_PER_INSERT),
                      [values[i : i + step] for i in range(0, whole * width, step)])
    if whole < len(rows):
        c.execute(f"INSERT OR ROLLBACK INTO {table} VALUES " + ",".join([group] * (len(rows) - whole)), values[whole * width :])
