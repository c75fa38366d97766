"""The ledger's SQLite connections: eventsourcing's, with a real statement cache.

eventsourcing 9.5 opens SQLite with ``cached_statements=True`` (a cache of one statement), so each
append compiled its five statements again. ``ledger.store_sqlite`` swaps in a pool that differs
in that argument only; these tests pin both halves: the cache, and what must stay as it was.
"""

from __future__ import annotations

import sqlite3
from typing import Any

import pytest

from ledger import store_sqlite
from ledger.app import ExitLedger
from ledger.store import persistence_env
from tests.builders import province


def test_the_sqlite_url_names_the_ledgers_factory(tmp_path: Any) -> None:
    env = persistence_env(f"sqlite:///{tmp_path}/l.db")
    assert env["PERSISTENCE_MODULE"] == "ledger.store_sqlite:LedgerSQLiteFactory"


def test_connections_keep_prepared_statements(tmp_path: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    opened: list[dict[str, Any]] = []
    real = sqlite3.connect

    def connect(*args: Any, **kwargs: Any) -> sqlite3.Connection:
        opened.append(kwargs)
        return real(*args, **kwargs)

    monkeypatch.setattr(store_sqlite.sqlite3, "connect", connect)
    app = ExitLedger(f"sqlite:///{tmp_path}/l.db")
    try:
        assert isinstance(app.recorder, store_sqlite.LedgerSQLiteRecorder)
        assert isinstance(app.recorder.datastore.pool, store_sqlite.LedgerSQLiteConnectionPool)
        app.size()
        assert opened, "the ledger opened no SQLite connection"
        assert all(k["cached_statements"] == store_sqlite.STATEMENT_CACHE >= 8 for k in opened)
        # what eventsourcing's transactions rely on is unchanged: autocommit mode (its own BEGIN)
        assert all(k["isolation_level"] is None and k["uri"] is True for k in opened)
    finally:
        app.close()


def test_a_file_ledger_is_in_wal_mode_and_appends_through_the_pool(tmp_path: Any) -> None:
    p = province(f"sqlite:///{tmp_path}/l.db")
    try:
        size = p.app.size()
        assert size > 1
        assert isinstance(p.app.recorder, store_sqlite.LedgerSQLiteRecorder)
        with p.app.recorder.datastore.transaction(commit=False) as c:
            c.execute("PRAGMA journal_mode")
            row = c.fetchone()
            assert isinstance(row, sqlite3.Row) and row[0].lower() == "wal"
    finally:
        p.app.close()
    reopened = ExitLedger(f"sqlite:///{tmp_path}/l.db", create=False)
    try:
        assert reopened.size() == size
    finally:
        reopened.close()
