"""A large batch (``exitledger import``) takes the append path's fast lanes — signatures made in a
helper process, rows inserted in bulk — and stores exactly what appending the same entries one
at a time stores: the same envelopes under the same seqs, and the same Merkle tree nodes."""

from __future__ import annotations

import sqlite3
from contextlib import closing
from datetime import datetime, timezone
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from eventsourcing.persistence import IntegrityError

from ledger.app import Entry, ExitLedger
from ledger.batch_signing import Signing
from ledger.store import StaleState
from ledger.store_sqlite import ROWS_PER_INSERT, _insert_rows
from ledger.verify import verify_store
from tests.builders import Province, StepClock, province

from .rawdb import RawDB, snapshot

CASES = (("340828", "340800", "岳西县", "安庆市"), ("341221", "341200", "临泉县", "阜阳市"))


def _entries(p: Province, count: int) -> list[Entry]:
    out = []
    for county, city, county_name, city_name in CASES:
        out.append(p.entry(f"case:{county}-2017", "CaseOpened", "ah-office", {
            "county_code": county, "county_name": county_name, "city_code": city, "city_name": city_name,
            "tier": "national", "year": 2017}))
    for i in range(count):
        county = CASES[i % 2][0]
        out.append(p.entry(f"case:{county}-2017", "VillageFiguresReported", f"{county}-lg", {
            "as_of": "2017-10-31", "village_code": f"{county}{i:06d}", "village_name": f"示例{i}村\u2028\"",
            "households": 300 + i, "poor_households": i % 40, "poor_population": 2 * (i % 40),
            "per_capita_income": f"{8000 + i}.{i % 100:02d}", "exited": i % 3 != 0}))
    return out


def _tree(url: str) -> list[tuple[Any, ...]]:
    with RawDB(url) as db:
        return [(level, idx, bytes(h)) for level, idx, h in db.run("SELECT level, idx, hash FROM exitledger_tree "
                                                                   "ORDER BY level, idx")]


@pytest.mark.parametrize("count", [3 * Signing.CHUNK + 5])
def test_a_large_batch_stores_the_bytes_and_tree_that_appending_one_entry_at_a_time_stores(
    db_url: str, tmp_path: Any, count: int
) -> None:
    one_by_one_url = f"sqlite:///{tmp_path}/one-by-one.db"
    batch, single = province(db_url, cases=False), province(one_by_one_url, cases=False)
    try:
        receipts = batch.app.append(_entries(batch, count))
        for entry in _entries(single, count):
            single.app.append([entry])
    finally:
        batch.app.close()
        single.app.close()

    stored = snapshot(db_url)
    assert stored == snapshot(one_by_one_url)
    assert [r.seq for r in receipts] == [row.seq for row in stored[-len(receipts):]]
    assert _tree(db_url) == _tree(one_by_one_url)


@settings(max_examples=40, deadline=None)
@given(rows=st.lists(st.tuples(st.integers(-2**63, 2**63 - 1), st.text(max_size=5), st.binary(max_size=8) | st.none()),
                     max_size=3 * ROWS_PER_INSERT + 3))
def test_bulk_inserts_leave_the_rows_and_rowids_that_one_insert_per_row_leaves(rows: list[tuple[Any, ...]]) -> None:
    bulk, single = sqlite3.connect(":memory:"), sqlite3.connect(":memory:")
    for db in (bulk, single):
        db.execute("CREATE TABLE t (a INTEGER, b TEXT, c BLOB)")

    _insert_rows(bulk.cursor(), "t", 3, rows)
    single.executemany("INSERT INTO t VALUES (?, ?, ?)", rows)

    def dump(db: sqlite3.Connection) -> list[tuple[Any, ...]]:
        return db.execute("SELECT rowid, a, b, c, typeof(c) FROM t ORDER BY rowid").fetchall()

    assert dump(bulk) == dump(single)


def test_a_bulk_insert_that_collides_midway_stores_nothing_and_the_writer_decides_again(
    db_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    # B's batch fills a whole 64-row statement on a fresh case, then collides (same case, same
    # version) with what A stored meanwhile: the database refuses the batch, the rows of the
    # statements before the collision go too, and B's second attempt is stored whole.
    a = province(db_url, cases=False)
    b_app = ExitLedger(db_url, clock=StepClock(datetime(2018, 1, 1, tzinfo=timezone.utc)))
    b = Province(b_app, a.signers)
    yuexi, linquan = _entries(a, 0)
    a.app.append([yuexi])
    b.app.append([linquan])
    b.app.load(yuexi.stream)  # B keeps YUEXI at v1
    village = dict(_entries(a, 1)[-1].payload)
    a.app.append([a.entry(yuexi.stream, "VillageFiguresReported", "340828-lg", village)])  # YUEXI v2
    refusals: list[str] = []
    insert = b.app.recorder.insert_events

    def recording(stored: Any, **kwargs: Any) -> Any:
        try:
            return insert(stored, **kwargs)
        except (IntegrityError, StaleState) as e:
            refusals.append(type(e).__name__)
            raise

    monkeypatch.setattr(b.app.recorder, "insert_events", recording)
    b.app._synced = b.app.size()  # B believes its kept YUEXI current: only the insert can tell
    batch = [b.entry(linquan.stream, "VillageFiguresReported", "341221-lg",
                     {**village, "village_code": f"341221{i:06d}"}) for i in range(ROWS_PER_INSERT + 6)]
    batch.append(b.entry(yuexi.stream, "VillageFiguresReported", "340828-lg", village))
    before = snapshot(db_url)

    receipts = b.app.append(batch)

    assert refusals == ["IntegrityError"]
    stored = snapshot(db_url)
    assert stored[: len(before)] == before
    assert [r.seq for r in receipts] == [row.seq for row in stored[len(before):]] == list(
        range(len(before) + 1, len(before) + len(batch) + 1))
    assert receipts[-1].version == 3  # decided again on YUEXI as A left it
    with closing(ExitLedger(db_url)) as verifier:
        report = verify_store(verifier)
    assert report.ok, report.problems
    a.app.close()
    b.app.close()


def test_an_append_to_postgresql_sends_its_statements_outside_a_psycopg_pipeline(
    db_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    # psycopg's pipeline mode sometimes hung on a 10,000-event batch (ledger.store_postgres).
    if not db_url.startswith("postgresql"):
        pytest.skip("psycopg is PostgreSQL's driver")
    import psycopg

    p = province(db_url, cases=False)

    def refused(*args: Any, **kwargs: Any) -> Any:
        raise AssertionError("an append opened a psycopg pipeline")

    monkeypatch.setattr(psycopg.Connection, "pipeline", refused)
    receipts = p.app.append(_entries(p, ROWS_PER_INSERT))

    assert [r.version for r in receipts[-2:]] == [ROWS_PER_INSERT // 2 + 1] * 2
    p.app.close()
