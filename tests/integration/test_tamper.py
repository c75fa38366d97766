"""Tampering straight in the database is caught by ``verify_store`` (SPEC §1; verify.py steps 1–9).

Each test builds the demo province, edits its tables with raw SQL as an attacker with database
access would, then verifies with a fresh ``ExitLedger`` on the same URL. A problem is pinned as
(seq, stream, version, code); the expected sets are exact, so a tampering is reported where it
happened and its consequences nowhere else. Verification reports, it never raises: every test
here would fail on an exception.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Iterator
from datetime import datetime, timezone
from pathlib import Path
from typing import Any
from uuid import UUID, uuid5

import pytest

from domain import scenario
from ledger.app import ACTORS
from ledger.record import BODY_FROM, Sealed, build_record, open_envelope, seal
from ledger.signing import Signer
from tests.builders import LEDGER_ID, Province, province, signer_for

from tests.integration.reports import Found, found, verify
from .rawdb import RawDB, Row

pytestmark = pytest.mark.usefixtures("verify_chunks")

YUEXI = "case:340828-2017"
LINQUAN = "case:341221-2019"
AUTHORITY = scenario.AUTHORITY
SETUP = 1 + len(scenario.ACTORS)
YUEXI_SIZE = sum(s.stream == YUEXI for s in scenario.demo_steps())
LAST = SETUP + len(scenario.demo_steps())
FIG = SETUP + YUEXI_SIZE + 2  # 临泉县's own FiguresReported (v2), the one that says "1.95"
NEXT = FIG + 1  # v3 of the same stream
LATER = datetime(2020, 3, 1, 8, tzinfo=timezone.utc)



@pytest.fixture
def db(demo: Province, db_url: str) -> Iterator[RawDB]:
    with RawDB(db_url) as raw:
        yield raw




def sid(stream: str) -> UUID:
    return uuid5(UUID(LEDGER_ID), stream)


def at(db: RawDB, seq: int) -> Row:
    return next(r for r in db.rows() if r.seq == seq)


def sealed_at(db: RawDB, seq: int) -> Sealed:
    state = at(db, seq).state
    assert state is not None
    return open_envelope(state)


def restore(db: RawDB, seq: int, sealed: Sealed) -> None:
    """Store ``sealed`` at ``seq`` and make both stored hashes agree with its body."""
    row = at(db, seq)
    db.set_state(row.originator_id, row.version, sealed.envelope)
    db.set_log_hash(seq, sealed.hash)


def forge(db: RawDB, stream: str, type_: str, actor: str, payload: dict[str, Any], signer: Signer) -> int:
    """Append a validly signed, correctly chained record behind the ledger's back; its seq."""
    rows = db.rows()
    head = [r for r in rows if r.originator_id == sid(stream)][-1]
    record = build_record(ledger=LEDGER_ID, stream=stream, version=head.version + 1, type=type_, recorded_at=LATER,
                          actor=actor, key=signer.key_id, payload=payload, prev=head.hash)
    sealed = seal(record, signer.sign)
    db.insert(rows[-1].seq + 1, sid(stream), head.version + 1, type_, sealed.envelope, sealed.hash)
    return rows[-1].seq + 1


def replace_body(db: RawDB, seq: int, body: bytes) -> None:
    row = at(db, seq)
    assert row.state is not None
    db.set_state(row.originator_id, row.version, row.state[:BODY_FROM] + body + b"}")


# -- mutations of the stored figures of 临泉县 (v2) and its neighbour (v3) -----------------------
def edit_figure(db: RawDB) -> None:
    row = at(db, FIG)
    assert row.state is not None and b'"1.95"' in row.state
    db.set_state(row.originator_id, row.version, row.state.replace(b'"1.95"', b'"1.50"'))


def edit_figure_and_both_hashes(db: RawDB) -> None:
    old = sealed_at(db, FIG)
    body = old.body.replace(b'"1.95"', b'"1.50"')
    restore(db, FIG, Sealed(body, hashlib.sha256(body).hexdigest(), old.sig))


def delete_event_and_log_row(db: RawDB) -> None:
    row = at(db, FIG)
    db.delete_event(row.originator_id, row.version)
    db.delete_log(FIG)


def delete_event_row(db: RawDB) -> None:
    row = at(db, FIG)
    db.delete_event(row.originator_id, row.version)


def delete_log_row(db: RawDB) -> None:
    db.delete_log(FIG)


def swap_states(db: RawDB) -> None:
    v2, v3 = at(db, FIG), at(db, NEXT)
    assert v2.state is not None and v3.state is not None
    db.set_state(v2.originator_id, v2.version, v3.state)
    db.set_state(v3.originator_id, v3.version, v2.state)


def swap_log_seqs(db: RawDB) -> None:
    db.run("UPDATE {log} SET seq = -1 WHERE seq = ?", FIG)
    db.run("UPDATE {log} SET seq = ? WHERE seq = ?", FIG, NEXT)
    db.run("UPDATE {log} SET seq = ? WHERE seq = -1", NEXT)


L = LINQUAN
CHAIN_BROKEN_AT_NEXT = {(NEXT, L, 3, "chain.version_gap"), (NEXT, L, 3, "chain.prev_mismatch")}
# After walking v3 then v2, the head of the stream is v2, so v4 no longer follows it either.
CHAIN_BROKEN_AFTER_SWAP = {(NEXT + 1, L, 4, "chain.version_gap"), (NEXT + 1, L, 4, "chain.prev_mismatch")}
TAMPERS: dict[str, tuple[Callable[[RawDB], None], Found]] = {
    "edit-figure": (edit_figure, {
        (FIG, L, 2, "record.hash_mismatch"), (FIG, L, 2, "log.hash_mismatch"), (FIG, L, 2, "signature.invalid"),
        (NEXT, L, 3, "chain.prev_mismatch")}),
    "edit-figure-and-rewrite-both-hashes": (edit_figure_and_both_hashes, {
        (FIG, L, 2, "signature.invalid"), (NEXT, L, 3, "chain.prev_mismatch")}),
    "delete-event-and-its-log-row": (delete_event_and_log_row, {(NEXT, L, 3, "seq.gap")} | CHAIN_BROKEN_AT_NEXT),
    # the record is gone, so the verifier cannot name its stream
    "delete-event-row-only": (delete_event_row, {(FIG, None, None, "event.missing")} | CHAIN_BROKEN_AT_NEXT),
    "delete-log-row-only": (delete_log_row, {(NEXT, L, 3, "seq.gap"), (None, None, 2, "event.unlogged")}
                            | CHAIN_BROKEN_AT_NEXT),
    "swap-states-within-a-stream": (swap_states, {
        (FIG, L, 3, "record.position_mismatch"), (FIG, L, 3, "log.hash_mismatch"),
        (FIG, L, 3, "chain.version_gap"), (FIG, L, 3, "chain.prev_mismatch"),
        (NEXT, L, 2, "record.position_mismatch"), (NEXT, L, 2, "log.hash_mismatch"),
        (NEXT, L, 2, "chain.version_gap"), (NEXT, L, 2, "chain.prev_mismatch")} | CHAIN_BROKEN_AFTER_SWAP),
    "swap-log-seqs-within-a-stream": (swap_log_seqs, {
        (FIG, L, 3, "chain.version_gap"), (FIG, L, 3, "chain.prev_mismatch"),
        (NEXT, L, 2, "chain.version_gap"), (NEXT, L, 2, "chain.prev_mismatch")} | CHAIN_BROKEN_AFTER_SWAP),
}


@pytest.mark.parametrize("tamper", TAMPERS.values(), ids=TAMPERS.keys())
def test_verification_reports_a_tampered_row_where_it_was_tampered(db: RawDB, db_url: str, tamper: Any) -> None:
    mutate, expected = tamper

    mutate(db)

    assert found(verify(db_url)) == expected


MALFORMED: dict[str, Callable[[bytes], bytes]] = {
    "garbage": lambda state: b"\x00\xff\xfe this is not an envelope \x80",
    "empty": lambda state: b"",
    "truncated-envelope": lambda state: state[: len(state) // 2],
    "truncated-body": lambda state: state[: BODY_FROM + 40] + b"}",
    "body-not-json": lambda state: state[:BODY_FROM] + b"{'ledger': 1}}",
    "body-not-utf8": lambda state: state[:BODY_FROM] + b'{"a":"\xff\xfe"}}',
    "body-a-list": lambda state: state[:BODY_FROM] + b"[1,2,3]}",
    "body-a-tenth-member": lambda state: state[:-2] + b',"zz":1}}',
    "body-a-member-short": lambda state: state[:BODY_FROM] + json.dumps(
        {k: v for k, v in json.loads(open_envelope(state).body).items() if k != "prev"}).encode() + b"}",
}


@pytest.mark.parametrize("malform", MALFORMED.values(), ids=MALFORMED.keys())
def test_a_malformed_stored_event_is_reported_as_malformed_without_raising(
    db: RawDB, db_url: str, malform: Callable[[bytes], bytes]
) -> None:
    row = at(db, FIG)
    assert row.state is not None
    db.set_state(row.originator_id, row.version, malform(row.state))

    assert found(verify(db_url)) == {(FIG, None, None, "record.malformed")} | CHAIN_BROKEN_AT_NEXT


def test_a_malformed_genesis_is_reported_at_seq_1_without_raising(db: RawDB, db_url: str) -> None:
    row = at(db, 1)
    db.set_state(row.originator_id, row.version, b"garbage")

    report = verify(db_url)

    assert (1, None, None, "record.malformed") in found(report)
    assert not report.ok and report.ledger is None


# -- signatures, keys and rights ----------------------------------------------------------------
def test_an_event_re_signed_with_another_registered_actors_key_is_reported_as_key_not_current(
    db: RawDB, db_url: str
) -> None:
    other = signer_for("ah-dept-stats")  # registered, provincial, but not ah-office
    record = json.loads(sealed_at(db, LAST).body)
    assert record["actor"] == "ah-office"
    restore(db, LAST, seal({**record, "key": other.key_id}, other.sign))

    assert found(verify(db_url)) == {(LAST, L, 9, "key.not_current")}


def test_an_event_signed_after_its_actor_was_revoked_is_reported_as_key_revoked(
    demo: Province, db: RawDB, db_url: str
) -> None:
    demo.append(ACTORS, "ActorRevoked", AUTHORITY, {"actor": "341221-lg", "reason": "弄虚作假"})

    seq = forge(db, LINQUAN, "RectificationOpened", "341221-lg",
                {"opened_on": "2020-03-01", "item": "R-9", "origin": "self_check", "description": "补报"},
                demo.signers["341221-lg"])

    assert seq == LAST + 2
    assert found(verify(db_url)) == {(seq, L, 10, "key.revoked")}


FORBIDDEN = {
    "wrong-role": ("341221-lg", "ExitApproved", {"approved_on": "2020-03-01", "document": "临发〔2020〕1号"}),
    "wrong-county": ("340828-lg", "RectificationOpened",
                     {"opened_on": "2020-03-01", "item": "R-9", "origin": "self_check", "description": "代报"}),
}


@pytest.mark.parametrize("forged", FORBIDDEN.values(), ids=FORBIDDEN.keys())
def test_a_validly_signed_event_its_actor_may_not_sign_is_reported_as_role_forbidden(
    demo: Province, db: RawDB, db_url: str, forged: tuple[str, str, dict[str, Any]]
) -> None:
    actor, type_, payload = forged

    seq = forge(db, LINQUAN, type_, actor, payload, demo.signers[actor])

    assert found(verify(db_url)) == {(seq, L, 10, "role.forbidden")}


def test_an_event_replayed_from_another_ledger_is_reported_as_foreign(
    db: RawDB, db_url: str, tmp_path: Path
) -> None:
    # Same authority key (same salt), another ledger id: only the record's ledger gives it away.
    foreign_url = f"sqlite:///{tmp_path}/foreign.db"
    foreign = province(foreign_url, ledger_id="0d6f0a0e-77a2-4d5e-9b1c-2a3b4c5d6e7f")
    foreign.append(ACTORS, "ActorRevoked", AUTHORITY, {"actor": "ah-eval", "reason": "合同终止"})
    foreign.app.close()
    with RawDB(foreign_url) as other:
        copied = other.rows()[-1]
    assert copied.state is not None and copied.version == SETUP + 1

    db.insert(LAST + 1, sid(ACTORS), SETUP + 1, "ActorRevoked", copied.state, copied.hash)

    assert found(verify(db_url)) == {(LAST + 1, ACTORS, SETUP + 1, "record.foreign_ledger"),
                                     (LAST + 1, ACTORS, SETUP + 1, "chain.prev_mismatch")}


# -- the clean ledger and the trust anchor ------------------------------------------------------
def test_an_untouched_ledger_verifies_with_no_problem(demo: Province, db_url: str) -> None:
    report = verify(db_url, trusted_authority=demo.signers[AUTHORITY].public_raw)

    assert report.ok and report.problems == []
    assert (report.ledger, report.events) == (LEDGER_ID, LAST)


def test_a_ledger_whose_genesis_key_is_not_the_trusted_one_is_reported_at_seq_1(demo: Province, db_url: str) -> None:
    report = verify(db_url, trusted_authority=signer_for(AUTHORITY, "impostor").public_raw)

    assert found(report) == {(1, ACTORS, 1, "authority.untrusted")}


# -- tampering that once made verification raise instead of report --------------------
def test_a_figure_edited_in_place_with_sql_replace_is_reported_as_a_hash_mismatch(
    db: RawDB, db_url: str, request: pytest.FixtureRequest
) -> None:
    if db.is_sqlite:
        sql = "UPDATE {events} SET state = replace(state, '\"1.95\"', '\"1.50\"') WHERE originator_id = ? AND originator_version = ?"
    else:
        sql = ("UPDATE {events} SET state = convert_to(replace(convert_from(state, 'UTF8'), '\"1.95\"', '\"1.50\"'), "
               "'UTF8') WHERE originator_id = ? AND originator_version = ?")
    db.run(sql, sid(LINQUAN), 2)

    assert (FIG, L, 2, "record.hash_mismatch") in found(verify(db_url))


def test_a_deeply_nested_stored_body_is_reported_as_malformed(db: RawDB, db_url: str) -> None:
    replace_body(db, FIG, b"[" * 100_000 + b"]" * 100_000)

    assert (FIG, None, None, "record.malformed") in found(verify(db_url))


@pytest.mark.parametrize("member", ["key", "actor"])
def test_a_record_member_of_the_wrong_json_type_is_reported_as_malformed(db: RawDB, db_url: str, member: str) -> None:
    record = json.loads(sealed_at(db, FIG).body)
    record[member] = [record[member]]
    replace_body(db, FIG, json.dumps(record, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode())

    assert (FIG, L, 2, "record.malformed") in found(verify(db_url))
