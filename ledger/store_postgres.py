"""The ledger's PostgreSQL recorder: eventsourcing's, plus seq, Merkle tree and checkpoints (see ledger.store)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any
from uuid import UUID

from eventsourcing.persistence import InterfaceError, OperationalError, StoredEvent
from eventsourcing.postgres import PostgresApplicationRecorder
from eventsourcing.utils import retry
from psycopg.sql import SQL, Identifier

from ledger.store import (
    CHECKPOINT_TABLE, COSIGNATURE_TABLE, EVENTS_TABLE, LOG_TABLE, TREE_TABLE, LedgerRecorder, LogRow, as_bytes,
    hash_of, refuse_second_genesis, stored_leaf,
)


class UnpipelinedRecorder(PostgresApplicationRecorder):
    """eventsourcing's recorder whose append transaction sends its statements one at a time.

    In psycopg's pipeline mode, which eventsourcing's ``insert_events`` uses, a large batch
    sometimes never completes: the server waits for the rest of a query that psycopg holds
    unsent while it waits for results (3 hangs in 10 appends of 10,000 events, measured here;
    psycopg issue 685 describes the pattern). A pipeline saves a few round trips per append.
    """

    @retry((InterfaceError, OperationalError), max_attempts=10, wait=0.2)  # as eventsourcing's own
    def insert_events(self, stored_events: Sequence[StoredEvent], **kwargs: Any) -> Sequence[int] | None:
        with self.datastore.get_connection() as conn, conn.transaction():
            with conn.cursor() as curs:
                self._insert_events(curs, stored_events, **kwargs)
            with conn.cursor() as curs:
                self._insert_stored_events(curs, stored_events, **kwargs)
                return self._fetch_ids_after_insert_events(curs, stored_events, **kwargs)


class LedgerPostgresRecorder(LedgerRecorder, UnpipelinedRecorder):
    """eventsourcing's PostgreSQL recorder that also writes each event's seq in the same transaction."""

    def __init__(self, datastore: Any, *, events_table_name: str = EVENTS_TABLE) -> None:
        super().__init__(datastore, events_table_name=events_table_name)
        schema = Identifier(self.datastore.schema)
        log = Identifier(LOG_TABLE)
        self.sql_create_statements.append(
            SQL(
                "CREATE TABLE IF NOT EXISTS {0}.{1} (seq bigint PRIMARY KEY, originator_id uuid NOT NULL, "
                "originator_version bigint NOT NULL, hash text NOT NULL)"
            ).format(schema, log)
        )
        self.sql_create_statements.append(
            SQL("CREATE INDEX IF NOT EXISTS {0} ON {1}.{2} (hash)").format(
                Identifier(f"{LOG_TABLE}_hash"), schema, log
            )
        )
        self.sql_create_statements.append(
            SQL("CREATE INDEX IF NOT EXISTS {0} ON {1}.{2} (originator_id, originator_version)").format(
                Identifier(f"{LOG_TABLE}_position"), schema, log
            )
        )
        for statement in (
            "CREATE TABLE IF NOT EXISTS {0}.{1} (level integer NOT NULL, idx bigint NOT NULL, "
            "hash bytea NOT NULL, PRIMARY KEY (level, idx))",
            "CREATE TABLE IF NOT EXISTS {0}.{2} (size bigint PRIMARY KEY, note text NOT NULL, signed_at text NOT NULL)",
            "CREATE TABLE IF NOT EXISTS {0}.{3} (size bigint NOT NULL, witness text NOT NULL, line text NOT NULL, "
            "PRIMARY KEY (size, witness))",
        ):
            self.sql_create_statements.append(SQL(statement).format(
                schema, Identifier(TREE_TABLE), Identifier(CHECKPOINT_TABLE), Identifier(COSIGNATURE_TABLE)))
        self._size = SQL("SELECT COALESCE(MAX(seq), 0) AS n FROM {0}.{1}").format(schema, log)
        self._insert_log = SQL(
            "INSERT INTO {0}.{1} (seq, originator_id, originator_version, hash) "
            "SELECT %s + t.n, t.oid, t.ver, t.h FROM "
            "unnest(%s::uuid[], %s::bigint[], %s::text[]) WITH ORDINALITY AS t(oid, ver, h, n)"
        ).format(schema, log)
        # A join from the few wanted positions, so the planner walks the primary key per position.
        self._select_nodes = SQL(
            "SELECT t.level, t.idx, t.hash FROM unnest(%s::integer[], %s::bigint[]) AS w(level, idx) "
            "JOIN {0}.{1} t ON t.level = w.level AND t.idx = w.idx"
        ).format(schema, Identifier(TREE_TABLE))
        self._select_leaves = SQL("SELECT seq, hash FROM {0}.{1} WHERE seq = ANY(%s::bigint[])").format(schema, log)
        self._insert_nodes = SQL(
            "INSERT INTO {0}.{1} (level, idx, hash) SELECT * FROM unnest(%s::integer[], %s::bigint[], %s::bytea[])"
        ).format(schema, Identifier(TREE_TABLE))
        self._schema = schema
        self._pending: tuple[int, list[str], list[tuple[int, int, bytes]]] = (0, [], [])

    def _insert_events(self, curs: Any, stored_events: Sequence[StoredEvent], **kwargs: Any) -> None:
        # Called first in the append transaction (UnpipelinedRecorder.insert_events): whatever
        # is raised here rolls the transaction back. So every check runs here, under the
        # EXCLUSIVE lock taken now (eventsourcing takes it again before inserting; a lock is
        # held once per transaction), so every writer reads MAX(seq) and the tree's right edge
        # in commit order.
        super()._insert_events(curs, stored_events, **kwargs)
        self._lock_table(curs)
        hashes = [hash_of(s.state) for s in stored_events]
        curs.execute(self._size)
        size = int(curs.fetchone()["n"])
        refuse_second_genesis(size, stored_events)
        self._pending = (size, hashes, self._grow_tree(curs, size, hashes))

    def _fetch_ids_after_insert_events(self, curs: Any, stored_events: Sequence[StoredEvent], **kwargs: Any) -> Any:
        super()._fetch_ids_after_insert_events(curs, stored_events, **kwargs)
        size, hashes, nodes = self._pending
        # Statements only from here: a failing one aborts the transaction, so it cannot commit.
        curs.execute(
            self._insert_log,
            (size, [s.originator_id for s in stored_events], [s.originator_version for s in stored_events], hashes),
        )
        if nodes:  # half of all single appends complete no inner node
            curs.execute(self._insert_nodes, ([n[0] for n in nodes], [n[1] for n in nodes], [n[2] for n in nodes]))
        return list(range(size + 1, size + len(stored_events) + 1))  # the seqs: our notification ids

    def _nodes(self, curs: Any, wanted: Sequence[tuple[int, int]]) -> dict[tuple[int, int], bytes]:
        out: dict[tuple[int, int], bytes] = {}
        leaves = [index + 1 for level, index in wanted if level == 0]  # from the log: stored_leaf
        inner = [w for w in wanted if w[0]]
        if leaves:
            curs.execute(self._select_leaves, (leaves,))
            for r in curs.fetchall():
                leaf = stored_leaf(r["hash"])
                if leaf is not None:
                    out[(0, int(r["seq"]) - 1)] = leaf
        if inner:
            curs.execute(self._select_nodes, ([w[0] for w in inner], [w[1] for w in inner]))
            out.update({(r["level"], r["idx"]): bytes(r["hash"]) for r in curs.fetchall()})
        return out

    # -- reading ---------------------------------------------------------------------------
    def _rows(self, sql: Any, params: Sequence[Any]) -> list[Any]:
        with self.datastore.get_connection() as conn, conn.cursor() as curs:
            curs.execute(sql, params)
            return list(curs.fetchall())

    def log_rows(self, after: int, limit: int, originator_id: UUID | None = None) -> list[LogRow]:
        where = SQL("AND l.originator_id = %s ") if originator_id is not None else SQL("")
        sql = SQL(
            "SELECT l.seq, l.hash, l.originator_id, l.originator_version, e.state FROM {0}.{1} l "
            "LEFT JOIN {0}.{2} e ON e.originator_id = l.originator_id "
            "AND e.originator_version = l.originator_version WHERE l.seq > %s {3}ORDER BY l.seq LIMIT %s"
        ).format(self._schema, Identifier(LOG_TABLE), Identifier(self.events_table_name), where)
        params: list[Any] = [after] + ([originator_id] if originator_id is not None else []) + [limit]
        return [
            LogRow(r["seq"], r["hash"], r["originator_id"].hex, r["originator_version"], as_bytes(r["state"]))
            for r in self._rows(sql, params)
        ]

    def log_positions(self, after: int, limit: int) -> list[tuple[int, str, bytes | None, str, int]]:
        """:meth:`log_rows` in the field order of ``ledger.verify_record.Position``."""
        return [(r.seq, r.hash, r.state, r.originator_id, r.version) for r in self.log_rows(after, limit)]

    def log_states(self, after: int, limit: int) -> list[tuple[int, bytes | None]]:
        """:meth:`log_rows` as (seq, stored state) only."""
        return [(r.seq, r.state) for r in self.log_rows(after, limit)]

    def log_size(self) -> int:
        sql = SQL("SELECT COALESCE(MAX(seq), 0) AS n FROM {0}.{1}").format(self._schema, Identifier(LOG_TABLE))
        return int(self._rows(sql, ())[0]["n"])

    def unlogged_events(self) -> list[tuple[UUID, int]]:
        sql = SQL(
            "SELECT e.originator_id, e.originator_version FROM {0}.{1} e LEFT JOIN {0}.{2} l "
            "ON e.originator_id = l.originator_id AND e.originator_version = l.originator_version "
            "WHERE l.seq IS NULL ORDER BY e.notification_id LIMIT 1000"
        ).format(self._schema, Identifier(self.events_table_name), Identifier(LOG_TABLE))
        return [(r["originator_id"], r["originator_version"]) for r in self._rows(sql, ())]

    def seq_of_hash(self, hash: str) -> int | None:
        sql = SQL("SELECT MIN(seq) AS s FROM {0}.{1} WHERE hash = %s").format(self._schema, Identifier(LOG_TABLE))
        return self._rows(sql, (hash,))[0]["s"]

    def tree_nodes(self, wanted: Sequence[tuple[int, int]]) -> dict[tuple[int, int], bytes]:
        with self.datastore.get_connection() as conn, conn.cursor() as curs:
            return self._nodes(curs, list(wanted))

    def _write(self, sql: Any, params: Sequence[Any]) -> None:
        with self.datastore.get_connection() as conn, conn.transaction(), conn.cursor() as curs:
            curs.execute(sql, params)

    def checkpoints(self) -> list[tuple[int, str]]:
        sql = SQL("SELECT size, note FROM {0}.{1} ORDER BY size").format(self._schema, Identifier(CHECKPOINT_TABLE))
        return [(int(r["size"]), r["note"]) for r in self._rows(sql, ())]

    def add_checkpoint(self, size: int, note: str, signed_at: str) -> None:
        self._write(SQL("INSERT INTO {0}.{1} VALUES (%s, %s, %s)").format(
            self._schema, Identifier(CHECKPOINT_TABLE)), (size, note, signed_at))

    def cosignatures(self) -> list[tuple[int, str, str]]:
        sql = SQL("SELECT size, witness, line FROM {0}.{1} ORDER BY size, witness").format(
            self._schema, Identifier(COSIGNATURE_TABLE))
        return [(int(r["size"]), r["witness"], r["line"]) for r in self._rows(sql, ())]

    def add_cosignature(self, size: int, witness: str, line: str) -> None:
        self._write(SQL("INSERT INTO {0}.{1} VALUES (%s, %s, %s)").format(
            self._schema, Identifier(COSIGNATURE_TABLE)), (size, witness, line))
