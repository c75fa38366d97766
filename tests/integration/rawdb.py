"""Raw SQL on a ledger's own tables, as someone with database access (an attacker) runs it.

Works on both backends from the same ``db_url`` the tests use: ``sqlite:///PATH`` or
``postgresql://…?schema=NAME`` (the schema becomes the ``search_path``). SQL is written once
with ``?`` placeholders and ``{events}`` for the events table, whose name differs by backend.
Stream ids go in and come out as :class:`uuid.UUID`, whatever the column type.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any
from urllib.parse import parse_qs, urlsplit, urlunsplit
from uuid import UUID

LOG = "exitledger_log"


@dataclass(frozen=True)
class Row:
    """One log position joined with its stored event, straight from the tables."""

    seq: int
    originator_id: UUID
    version: int
    hash: str
    state: bytes | None


class RawDB:
    """One autocommit connection to the database behind ``url``; use as a context manager."""

    def __init__(self, url: str) -> None:
        parts = urlsplit(url)
        self.is_sqlite = parts.scheme.startswith("sqlite")
        if self.is_sqlite:
            self.events = "stored_events"
            self._conn: Any = sqlite3.connect(url.split("://", 1)[1][1:], isolation_level=None)
        else:
            import psycopg

            self.events = "exitledger_events"
            schema = parse_qs(parts.query)["schema"][0]
            self._conn = psycopg.connect(urlunsplit(parts._replace(query="")), autocommit=True)
            self._conn.execute(f'SET search_path TO "{schema}"')

    def __enter__(self) -> RawDB:
        return self

    def __exit__(self, *exc: object) -> None:
        self._conn.close()

    def run(self, sql: str, *params: Any) -> list[tuple[Any, ...]]:
        """Execute one statement; ``?`` placeholders, ``{events}`` and ``{log}`` table names."""
        sql = sql.format(events=self.events, log=LOG)
        if not self.is_sqlite:
            sql = sql.replace("?", "%s")
        cursor = self._conn.execute(sql, [self.db_value(p) for p in params])
        return list(cursor.fetchall()) if cursor.description else []

    def db_value(self, value: Any) -> Any:
        """How a Python value is written: SQLite keeps stream ids as 32 hex digits."""
        return value.hex if self.is_sqlite and isinstance(value, UUID) else value

    def count(self, table: str) -> int:
        return int(self.run(f"SELECT COUNT(*) FROM {table}")[0][0])

    def rows(self) -> list[Row]:
        """Every log row in seq order with the state stored at its (stream id, version)."""
        return [
            Row(seq, _uuid(oid), version, hash_, None if state is None else bytes(state))
            for seq, oid, version, hash_, state in self.run(
                "SELECT l.seq, l.originator_id, l.originator_version, l.hash, e.state FROM {log} l "
                "LEFT JOIN {events} e ON e.originator_id = l.originator_id "
                "AND e.originator_version = l.originator_version ORDER BY l.seq"
            )
        ]

    def set_state(self, originator_id: UUID, version: int, state: bytes) -> None:
        self.run("UPDATE {events} SET state = ? WHERE originator_id = ? AND originator_version = ?",
                 state, originator_id, version)

    def set_log_hash(self, seq: int, hash_: str) -> None:
        self.run("UPDATE {log} SET hash = ? WHERE seq = ?", hash_, seq)

    def delete_event(self, originator_id: UUID, version: int) -> None:
        self.run("DELETE FROM {events} WHERE originator_id = ? AND originator_version = ?", originator_id, version)

    def delete_log(self, seq: int) -> None:
        self.run("DELETE FROM {log} WHERE seq = ?", seq)

    def insert(self, seq: int, originator_id: UUID, version: int, topic: str, state: bytes, hash_: str) -> None:
        """Store an event and its log row, bypassing the ledger entirely."""
        self.run("INSERT INTO {events} (originator_id, originator_version, topic, state) VALUES (?, ?, ?, ?)",
                 originator_id, version, topic, state)
        self.run("INSERT INTO {log} (seq, originator_id, originator_version, hash) VALUES (?, ?, ?, ?)",
                 seq, originator_id, version, hash_)


def _uuid(value: Any) -> UUID:
    return value if isinstance(value, UUID) else UUID(value)


def counts(url: str) -> tuple[int, int]:
    """(stored events, log rows): what a refused or rolled-back append must leave unchanged."""
    with RawDB(url) as db:
        return db.count(db.events), db.count(LOG)


def snapshot(url: str) -> Sequence[Row]:
    with RawDB(url) as db:
        return db.rows()
