"""The store contract (SPEC §1; STYLE habit 11): the same cases on SQLite and PostgreSQL.

What a signed-record store promises whatever the backend: the bytes that were signed are the
bytes stored and read back; every event gets the next gapless ``seq`` in append order; an
append is all or nothing, whether the domain, the key or a concurrent writer refuses it.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterator
from contextlib import closing
from datetime import datetime, timedelta, timezone
from typing import Any
from uuid import UUID, uuid5

import pytest

from domain import scenario
from ledger.app import ACTORS, Entry, ExitLedger
from ledger.canonical import canonical_bytes
from ledger.errors import ConflictError, InputError, RefusedError
from ledger.keys import b64
from ledger.record import GENESIS_PREV, build_record, open_envelope, parse_time, seal
from ledger.rfc9162 import leaf_hash, root_hash
from ledger.signing import verify_signature
from ledger.store import iter_states
from ledger.transparency import root_at
from ledger.verify import verify_store
from tests.builders import LEDGER_ID, Province, StepClock, province, signer_for

from .rawdb import counts, snapshot

YUEXI = "case:340828-2017"
LINQUAN = "case:341221-2019"
AUTHORITY = scenario.AUTHORITY
DEMO_SIZE = 1 + len(scenario.ACTORS) + len(scenario.demo_steps())  # genesis, actors, both cases
SETUP_SIZE = 1 + len(scenario.ACTORS)


@pytest.fixture
def bare(db_url: str) -> Iterator[Province]:
    """The demo province's actors, no case yet."""
    p = province(db_url, cases=False)
    yield p
    p.app.close()


def sid(stream: str) -> UUID:
    return uuid5(UUID(LEDGER_ID), stream)


def record_of(state: bytes | None) -> dict[str, Any]:
    assert state is not None
    return json.loads(open_envelope(state).body)


def steps(stream: str) -> list[scenario.Step]:
    return [s for s in scenario.demo_steps() if s.stream == stream]


def entry_of(p: Province, step: scenario.Step) -> Entry:
    return p.entry(step.stream, step.type, step.actor, step.payload)


# -- bytes ------------------------------------------------------------------------------------
def test_stores_each_event_as_the_canonical_bytes_of_its_record_hashed_and_signed(demo: Province, db_url: str) -> None:
    rows = snapshot(db_url)

    assert len(rows) == DEMO_SIZE
    for row in rows:
        assert row.state is not None
        sealed = open_envelope(row.state)
        record = json.loads(sealed.body)
        assert sealed.body == canonical_bytes(record)
        assert sealed.hash == hashlib.sha256(sealed.body).hexdigest() == row.hash
        assert record["key"] == demo.signers[record["actor"]].key_id
        verify_signature(demo.signers[record["actor"]].public_raw, sealed.body, sealed.sig)


def test_stores_exactly_the_envelope_of_the_record_it_was_asked_to_append(bare: Province, db_url: str) -> None:
    moment = datetime(2017, 8, 1, 9, 30, 0, 123456, tzinfo=timezone.utc)
    bare.app.clock = lambda: moment
    opened = steps(YUEXI)[0]
    expected = seal(
        build_record(ledger=LEDGER_ID, stream=YUEXI, version=1, type=opened.type, recorded_at=moment,
                     actor=opened.actor, key=bare.signers[opened.actor].key_id, payload=opened.payload,
                     prev=GENESIS_PREV),
        bare.signers[opened.actor].sign,
    )

    receipt = bare.app.append([entry_of(bare, opened)])[0]

    last = snapshot(db_url)[-1]
    assert (receipt.seq, receipt.hash, receipt.stream, receipt.version) == (SETUP_SIZE + 1, expected.hash, YUEXI, 1)
    assert (last.seq, last.originator_id, last.version, last.hash) == (SETUP_SIZE + 1, sid(YUEXI), 1, expected.hash)
    assert last.state == expected.envelope
    with closing(ExitLedger(db_url)) as reader:
        assert reader.recorder.log_rows(SETUP_SIZE, 10)[0].state == expected.envelope
        assert reader.history(YUEXI)[0]["hash"] == expected.hash


def test_the_verifiers_positions_and_the_exports_states_are_the_log_rows_field_for_field(
    demo: Province, db_url: str, db: Any
) -> None:
    # The verifier's workers read the log through log_positions, an export through log_states;
    # an attacker's TEXT state and a deleted event read back as through log_rows (bytes, None).
    rows = demo.app.recorder.log_rows(0, 10_000)
    if db.is_sqlite:  # a TEXT value where the BLOB was (PostgreSQL's bytea column takes no text)
        db.run("UPDATE {events} SET state = CAST(state AS TEXT) WHERE originator_version = 2")
    db.delete_event(UUID(rows[5].originator_id), rows[5].version)
    rows = demo.app.recorder.log_rows(0, 10_000)

    positions = demo.app.recorder.log_positions(3, 10_000)
    states = list(iter_states(demo.app.recorder, batch=7))  # what an export reads, in pages

    assert [(r.seq, r.hash, r.state, r.originator_id, r.version) for r in rows[3:]] == positions
    assert [(r.seq, r.state) for r in rows] == states
    assert positions[2][2] is None and all(type(p[2]) is bytes for p in positions[3:])
    last = rows[DEMO_SIZE - 1]
    assert demo.app.recorder.log_positions(DEMO_SIZE - 1, 5) == [
        (last.seq, last.hash, last.state, last.originator_id, last.version)]


# -- seq ----------------------------------------------------------------------------------------
def test_numbers_events_1_to_n_without_gaps_in_append_order_across_streams(bare: Province, db_url: str) -> None:
    interleaved = [s for pair in zip(steps(YUEXI)[:6], steps(LINQUAN)[:6]) for s in pair]

    receipts = bare.app.append([entry_of(bare, s) for s in interleaved[:5]])
    for s in interleaved[5:]:
        receipts += bare.app.append([entry_of(bare, s)])

    rows = snapshot(db_url)
    assert [r.seq for r in rows] == list(range(1, SETUP_SIZE + len(interleaved) + 1))
    assert [r.seq for r in receipts] == [r.seq for r in rows[SETUP_SIZE:]]
    assert [(sid(r.stream), r.version, r.hash) for r in receipts] == [
        (r.originator_id, r.version, r.hash) for r in rows[SETUP_SIZE:]
    ]
    assert [r.stream for r in receipts[:4]] == [YUEXI, LINQUAN, YUEXI, LINQUAN]
    assert bare.app.size() == len(rows)


def test_a_batch_larger_than_a_signing_chunk_is_signed_in_order_and_verifies(bare: Province, db_url: str) -> None:
    opened = steps(YUEXI)[0]
    village = next(s for s in steps(YUEXI) if s.type == "VillageFiguresReported").payload
    entries = [entry_of(bare, opened)] + [
        bare.entry(YUEXI, "VillageFiguresReported", "340828-lg", {**village, "households": 500 + i})
        for i in range(2500)  # many chunks, so the signer process is used
    ]

    receipts = bare.app.append(entries)

    assert [r.seq for r in receipts] == list(range(SETUP_SIZE + 1, SETUP_SIZE + len(entries) + 1))
    rows = snapshot(db_url)[SETUP_SIZE:]
    for row, entry in zip(rows, entries):
        assert row.state is not None
        sealed = open_envelope(row.state)
        verify_signature(entry.signer.public_raw, sealed.body, sealed.sig)
    assert json.loads(open_envelope(rows[-1].state or b"").body)["payload"]["households"] == 500 + 2499
    assert verify_store(bare.app).ok


# -- all or nothing -----------------------------------------------------------------------------
BAD_THIRD = {
    "payload_invalid": (InputError, lambda p: p.entry(YUEXI, "RectificationCompleted", "340828-lg", {"item": "SC-01"})),
    "role_forbidden": (RefusedError, lambda p: p.entry(YUEXI, "RectificationCompleted", "340828-pg", steps(YUEXI)[2].payload)),
    "unknown_actor": (RefusedError, lambda p: Entry(YUEXI, "RectificationCompleted", "nobody", steps(YUEXI)[2].payload,
                                                     signer_for("nobody"))),
}


@pytest.mark.parametrize("bad", BAD_THIRD.values(), ids=BAD_THIRD.keys())
def test_a_batch_whose_third_entry_is_invalid_stores_none_of_its_entries(bare: Province, db_url: str, bad: Any) -> None:
    error, make_bad = bad
    before = snapshot(db_url)

    with pytest.raises(error) as caught:
        bare.app.append([entry_of(bare, steps(YUEXI)[0]), entry_of(bare, steps(YUEXI)[1]), make_bad(bare)])

    assert caught.value.index == 2  # type: ignore[attr-defined]
    assert snapshot(db_url) == before and counts(db_url) == (SETUP_SIZE, SETUP_SIZE)
    assert bare.app.size() == SETUP_SIZE and bare.app.load(YUEXI) is None
    receipts = bare.app.append([entry_of(bare, steps(YUEXI)[0]), entry_of(bare, steps(YUEXI)[1])])
    assert [r.seq for r in receipts] == [SETUP_SIZE + 1, SETUP_SIZE + 2]


REFUSED = {
    # a county's leading group may not open a case: only the authority or the provincial office
    "wrong_role": ("forbidden", lambda p: p.entry("case:341221-2020", "CaseOpened", "341221-lg",
                                                  {**steps(LINQUAN)[0].payload, "year": 2020})),
    "wrong_key": ("key", lambda p: Entry("case:341221-2020", "CaseOpened", "ah-office",
                                         {**steps(LINQUAN)[0].payload, "year": 2020}, p.signers["ah-eval"])),
    # 临泉县 was rejected at verification: nothing follows a rejection
    "out_of_order": ("out_of_order", lambda p: p.entry(LINQUAN, "ExitApproved", "ah-gov",
                                                       {"approved_on": "2020-02-01", "document": "皖政秘〔2020〕1号"})),
}


@pytest.mark.parametrize("refused", REFUSED.values(), ids=REFUSED.keys())
def test_a_refused_event_appends_nothing(demo: Province, db_url: str, refused: Any) -> None:
    code, make = refused
    before = snapshot(db_url)

    with pytest.raises(RefusedError) as caught:
        demo.app.append([make(demo)])

    assert caught.value.code == code
    assert snapshot(db_url) == before and demo.app.size() == DEMO_SIZE


def test_a_revoked_actor_is_refused_and_appends_nothing(demo: Province, db_url: str) -> None:
    demo.append(ACTORS, "ActorRevoked", AUTHORITY, {"actor": "ah-office", "reason": "调离"})
    before = snapshot(db_url)

    with pytest.raises(RefusedError) as caught:
        demo.append("case:341221-2020", "CaseOpened", "ah-office", {**steps(LINQUAN)[0].payload, "year": 2020})

    assert caught.value.code == "revoked"
    assert snapshot(db_url) == before


# -- concurrent writers -------------------------------------------------------------------------
def test_a_writer_that_kept_the_registry_from_before_a_revocation_elsewhere_is_refused(
    bare: Province, db_url: str
) -> None:
    # B keeps the actors registry between appends; A (another process, another connection)
    # revokes the actor B signs for. B's next append must not ride on its kept registry.
    writer_b = ExitLedger(db_url, clock=StepClock(datetime(2017, 9, 1, tzinfo=timezone.utc)))
    writer_b.append([entry_of(bare, steps(YUEXI)[0])])  # B now keeps the registry, actor unrevoked
    bare.append(ACTORS, "ActorRevoked", AUTHORITY, {"actor": "ah-office", "reason": "调离"})
    before = snapshot(db_url)

    with pytest.raises(RefusedError) as caught:
        writer_b.append([bare.entry(LINQUAN, "CaseOpened", "ah-office", steps(LINQUAN)[0].payload)])

    assert caught.value.code == "revoked"
    assert snapshot(db_url) == before
    writer_b.close()


def test_a_stale_writer_gets_a_conflict_and_nothing_of_its_batch_is_stored(
    bare: Province, db_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    writer_a = bare.app
    writer_a.append([entry_of(bare, steps(YUEXI)[0])])
    writer_b = ExitLedger(db_url, clock=StepClock(datetime(2017, 9, 1, tzinfo=timezone.utc)))
    fresh_load = writer_b.load

    def load_as_before_a_appended(stream: str, **kwargs: Any) -> Any:
        if stream == YUEXI:  # B read the case at v1, then A appended v2
            return writer_b.repository.get(writer_b.stream_id(YUEXI), version=1)
        return fresh_load(stream, **kwargs)

    a_receipt = writer_a.append([entry_of(bare, steps(YUEXI)[1])])[0]
    before = snapshot(db_url)
    b_batch = [
        entry_of(bare, steps(LINQUAN)[0]),  # valid on its own, must not survive the conflict
        bare.entry(YUEXI, "RectificationOpened", "340828-lg", {**steps(YUEXI)[1].payload, "item": "SC-02"}),
    ]
    monkeypatch.setattr(writer_b, "load", load_as_before_a_appended)

    with pytest.raises(ConflictError):
        writer_b.append(b_batch)

    assert snapshot(db_url) == before
    assert before[-1].hash == a_receipt.hash and writer_a.load(LINQUAN) is None
    monkeypatch.undo()
    receipts = writer_b.append(b_batch)
    assert [(r.seq, r.stream, r.version) for r in receipts] == [(a_receipt.seq + 1, LINQUAN, 1), (a_receipt.seq + 2, YUEXI, 3)]
    assert [r.seq for r in snapshot(db_url)] == list(range(1, a_receipt.seq + 3))
    with closing(ExitLedger(db_url)) as verifier:
        report = verify_store(verifier)
    assert report.ok, report.problems
    writer_b.close()


def test_a_writer_whose_kept_state_fell_behind_decides_again_on_the_stored_state(
    bare: Province, db_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Each writer keeps its aggregates between appends and trusts them; the append transaction
    # refuses a decision made before another writer's append, whichever stream that touched.
    writer_a = bare.app
    writer_b = ExitLedger(db_url, clock=StepClock(datetime(2017, 9, 1, tzinfo=timezone.utc)))
    attempts: list[str] = []
    once = writer_b._append_once
    def counted(entries: list[Entry]) -> Any:
        attempts.append("b")
        return once(entries)

    monkeypatch.setattr(writer_b, "_append_once", counted)
    writer_a.append([entry_of(bare, steps(YUEXI)[0])])
    writer_b.append([entry_of(bare, steps(YUEXI)[1])])  # B keeps YUEXI at v2
    writer_a.append([entry_of(bare, steps(LINQUAN)[0])])  # another stream: B's log size is stale
    attempts.clear()

    b_receipt = writer_b.append([entry_of(bare, steps(YUEXI)[2])])[0]
    assert attempts == ["b", "b"]  # refused as stale once, then decided on the stored log
    a_receipt = writer_a.append([entry_of(bare, steps(YUEXI)[3])])[0]  # A kept YUEXI at v1

    assert (b_receipt.seq, b_receipt.version) == (SETUP_SIZE + 4, 3)
    assert (a_receipt.seq, a_receipt.version) == (SETUP_SIZE + 5, 4)
    records = [record_of(r.state) for r in snapshot(db_url)]
    assert records[-1]["prev"] == b_receipt.hash  # A chained onto B's event, not onto its own v1
    leaves = [leaf_hash(bytes.fromhex(r.hash)) for r in snapshot(db_url)]
    for app in (writer_a, writer_b):  # each writer's remembered tree edge gave the stored tree
        assert root_at(app, len(leaves)) == root_hash(leaves)
    with closing(ExitLedger(db_url)) as verifier:
        report = verify_store(verifier)
    assert report.ok, report.problems
    writer_b.close()


# -- reading ------------------------------------------------------------------------------------
def test_history_as_of_shows_only_events_recorded_up_to_that_time(demo: Province) -> None:
    full = demo.app.history(YUEXI)
    fifth = parse_time(full[4]["recorded_at"])

    assert len(full) == len(steps(YUEXI))
    assert demo.app.history(YUEXI, as_of=fifth) == full[:5]
    assert demo.app.history(YUEXI, as_of=fifth - timedelta(microseconds=1)) == full[:4]
    assert demo.app.history(YUEXI, as_of=parse_time(full[0]["recorded_at"]) - timedelta(seconds=1)) == []
    assert demo.app.history(YUEXI, as_of=datetime(2100, 1, 1, tzinfo=timezone.utc)) == full
    assert [e["version"] for e in full] == list(range(1, len(full) + 1))


def test_actors_lists_every_actor_with_the_key_id_of_its_current_key(demo: Province) -> None:
    new_key = signer_for("ah-eval", "rotated")
    demo.append(ACTORS, "KeyRotated", AUTHORITY, {"actor": "ah-eval", "public_key": b64(new_key.public_raw),
                                                 "reason": "密钥到期"})
    demo.append(ACTORS, "ActorRevoked", AUTHORITY, {"actor": "ah-cdi", "reason": "调离"})

    listed = {a["actor"]: (a["key"], a["revoked"]) for a in demo.app.actors()}

    expected = {name: (s.key_id, False) for name, s in demo.signers.items()}
    expected["ah-eval"] = (new_key.key_id, False)
    expected["ah-cdi"] = (demo.signers["ah-cdi"].key_id, True)
    assert listed == expected
    assert [a["actor"] for a in demo.app.actors()] == sorted(expected)
    # SPEC §1: the first 16 hex digits of SHA-256 of the raw public key
    assert listed["ah-eval"][0] == hashlib.sha256(new_key.public_raw).hexdigest()[:16]


# -- genesis and chains -------------------------------------------------------------------------
def test_genesis_prev_is_64_zeros_and_each_version_chains_to_the_hash_of_the_one_before(demo: Province, db_url: str) -> None:
    heads: dict[str, tuple[int, str]] = {}
    rows = snapshot(db_url)

    for row in rows:
        record = record_of(row.state)
        version, prev = heads.get(record["stream"], (0, GENESIS_PREV))
        assert (record["ledger"], record["version"], record["prev"]) == (LEDGER_ID, version + 1, prev)
        assert (row.originator_id, row.version) == (sid(record["stream"]), record["version"])
        heads[record["stream"]] = (record["version"], row.hash)

    genesis = record_of(rows[0].state)
    assert (genesis["type"], genesis["stream"], genesis["version"], genesis["prev"]) == (
        "LedgerInitialised", ACTORS, 1, "0" * 64)
    assert genesis["key"] == demo.signers[AUTHORITY].key_id
    assert {s: v for s, (v, _) in heads.items()} == {ACTORS: SETUP_SIZE, YUEXI: len(steps(YUEXI)),
                                                     LINQUAN: len(steps(LINQUAN))}


# -- init ---------------------------------------------------------------------------------------
@pytest.mark.parametrize("same_instance", [True, False], ids=["same_app", "fresh_app"])
def test_init_on_a_database_that_holds_a_ledger_is_refused_and_writes_nothing(
    bare: Province, db_url: str, same_instance: bool
) -> None:
    app = bare.app if same_instance else ExitLedger(db_url)
    before = snapshot(db_url)

    with pytest.raises(InputError):
        app.init(province_code=scenario.PROVINCE_CODE, province_name=scenario.PROVINCE_NAME,
                 signer=signer_for(AUTHORITY, "other"), actor=AUTHORITY)

    assert snapshot(db_url) == before
    assert app.ledger_id == LEDGER_ID
    if not same_instance:
        app.close()


def test_an_init_that_raced_another_init_is_refused(db_url: str, monkeypatch: pytest.MonkeyPatch) -> None:
    first, second = ExitLedger(db_url, clock=StepClock()), ExitLedger(db_url, clock=StepClock())
    monkeypatch.setattr(second, "is_empty", lambda: True)  # as it was when `second` checked
    first.init(province_code=scenario.PROVINCE_CODE, province_name=scenario.PROVINCE_NAME,
               signer=signer_for(AUTHORITY), actor=AUTHORITY)

    try:
        second.init(province_code=scenario.PROVINCE_CODE, province_name=scenario.PROVINCE_NAME,
                    signer=signer_for(AUTHORITY, "other"), actor=AUTHORITY)
    except (InputError, ConflictError):
        pass

    assert len(snapshot(db_url)) == 1
    assert counts(db_url) == (1, 1)  # PostgreSQL once committed the refused genesis's event row
