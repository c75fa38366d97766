"""Checkpoints and witness cosignatures (SPEC §3; ``ledger.transparency``, ``ledger.checkpoint``),
and what verification makes of them (``ledger.verify_seal``), on SQLite and PostgreSQL.

The ledger is the demo province grown in two steps: 岳西县's whole case (38 events, the first
checkpoint), then 临泉县's (47 events). Attacks are raw SQL on the ledger's own tables
(``tests/integration/rawdb.py``); verification runs with a fresh application, as
``exitledger verify`` would. A problem is pinned as (seq, stream, version, code).
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from domain import scenario
from ledger import transparency
from ledger.bundle import export
from ledger.checkpoint import Checkpoint, checkpoint_text, open_checkpoint, verify_cosignature
from ledger.errors import InputError, RefusedError, SignatureError
from ledger.keys import b64
from ledger.signed_note import open_note, parse_note
from ledger.store import CHECKPOINT_TABLE, COSIGNATURE_TABLE
from tests.builders import LEDGER_ID, Province, province, signer_for

from tests.integration.checkpoints import (
    AUTHORITY,
    FIRST,
    SETUP,
    SIZE,
    START,
    WITNESS,
    YUEXI,
    add,
    authority,
    forged_note,
    log_leaves,
    other_ledgers_note,
    rebuild_tree,
    swap_seqs,
)
from tests.integration.reports import found, verify

from .rawdb import RawDB


@pytest.fixture
def half(db_url: str) -> Iterator[Province]:
    """The province with 岳西县's case recorded and signed at size 38."""
    p = province(db_url, cases=False)
    add(p, scenario.yuexi_case())
    transparency.sign(p.app, p.signers[AUTHORITY])
    yield p
    p.app.close()


@pytest.fixture
def full(half: Province) -> Province:
    """Both cases recorded; checkpoints at 38 and 47."""
    add(half, scenario.linquan_case())
    transparency.sign(half.app, half.signers[AUTHORITY])
    return half


def stored_checkpoints(db: RawDB) -> list[tuple[int, str]]:
    return [(int(size), note) for size, note in db.run(f"SELECT size, note FROM {CHECKPOINT_TABLE} ORDER BY size")]


def rewrite_early_hash(db: RawDB) -> None:
    """Rewrite the log's hash of seq 2 and rebuild the tree over it: the stored root changes."""
    leaves = log_leaves(db)
    forged = hashlib.sha256(b"an ActorRegistered the attacker prefers").digest()
    db.set_log_hash(2, forged.hex())
    rebuild_tree(db, [leaves[0], forged, *leaves[2:]])


# -- signing ---------------------------------------------------------------------------------------
def test_sign_stores_a_note_that_opens_under_the_origin_with_the_current_size_and_root(
    half: Province, db: RawDB
) -> None:
    add(half, scenario.linquan_case()[:2])

    signed = transparency.sign(half.app, authority(half))

    app = half.app
    checkpoint = open_checkpoint(signed.note, app.origin, app.authority_public_key())
    root = transparency.root_at(app, FIRST + 2)
    assert (signed.size, signed.root, signed.new) == (FIRST + 2, root, True)
    assert checkpoint == Checkpoint(f"exitledger/{LEDGER_ID}", FIRST + 2, root,
                                    f"exitledger/{LEDGER_ID}\n{FIRST + 2}\n{b64(root)}\n")
    assert stored_checkpoints(db)[-1] == (FIRST + 2, signed.note)
    assert [s.name for s in parse_note(signed.note)[1]] == [app.origin]


def test_signing_again_at_the_same_size_returns_the_stored_note_and_stores_nothing(half: Province, db: RawDB) -> None:
    before = stored_checkpoints(db)

    again = transparency.sign(half.app, authority(half))

    assert (again.size, again.new, again.note) == (FIRST, False, before[-1][1])
    assert stored_checkpoints(db) == before


def test_checkpoints_after_more_appends_are_stored_in_increasing_size(full: Province, db: RawDB) -> None:
    app = full.app
    assert [size for size, _ in stored_checkpoints(db)] == [FIRST, SIZE]
    for size, note in stored_checkpoints(db):
        assert open_checkpoint(note, app.origin, app.authority_public_key()).root == transparency.root_at(app, size)


@pytest.mark.parametrize("who", ["ah-office", "an-unregistered-key"])
def test_a_key_that_is_not_the_authoritys_is_refused_and_nothing_is_stored(half: Province, db: RawDB, who: str) -> None:
    add(half, scenario.linquan_case()[:1])
    key = half.signers.get(who) or signer_for(who)
    before = stored_checkpoints(db)

    with pytest.raises(RefusedError, match="not the ledger authority's key"):
        transparency.sign(half.app, key)

    assert stored_checkpoints(db) == before


def test_sign_refuses_a_tree_that_does_not_extend_the_last_checkpoint(half: Province, db: RawDB) -> None:
    add(half, scenario.linquan_case())
    rewrite_early_hash(db)
    assert transparency.root_at(half.app, FIRST) != open_checkpoint(
        stored_checkpoints(db)[0][1], half.app.origin, half.app.authority_public_key()).root

    with pytest.raises(RefusedError, match="not consistent with the checkpoint the authority signed at size 38"):
        transparency.sign(half.app, authority(half))

    assert [size for size, _ in stored_checkpoints(db)] == [FIRST]


def test_sign_refuses_a_tree_of_the_signed_size_whose_root_changed(half: Province, db: RawDB) -> None:
    rewrite_early_hash(db)

    with pytest.raises(RefusedError, match="no longer has the root"):
        transparency.sign(half.app, authority(half))

    assert [size for size, _ in stored_checkpoints(db)] == [FIRST]


def test_sign_refuses_once_events_beyond_the_last_checkpoint_were_removed(full: Province, db: RawDB) -> None:
    remove_last_events(db, 2)

    with pytest.raises(RefusedError, match="holds 45 events but the authority signed a checkpoint of 47"):
        transparency.sign(full.app, authority(full))


def test_a_checkpoint_signed_over_a_rewritten_tree_is_caught_by_verification(db_url: str) -> None:
    p = province(db_url)  # no checkpoint yet: sign has nothing to compare the stored tree with
    with RawDB(db_url) as db:
        leaves = log_leaves(db)
        rebuild_tree(db, [leaves[0], hashlib.sha256(b"forged").digest(), *leaves[2:]])
    transparency.sign(p.app, authority(p))
    p.app.close()

    assert found(verify(db_url)) == {(SIZE, None, None, "checkpoint.root_mismatch")}


# -- witnesses -------------------------------------------------------------------------------------
def test_a_witness_cosignature_verifies_and_travels_with_the_checkpoint_notes(
    half: Province, db: RawDB, tmp_path: Path
) -> None:
    witness = signer_for(WITNESS)
    app = half.app
    signed_note = stored_checkpoints(db)[-1][1]

    result = transparency.witness_cosign(app, witness, WITNESS)

    assert result["size"] == FIRST and result["witness"] == WITNESS
    assert result["root"] == transparency.root_at(app, FIRST).hex()
    assert result["note"].startswith(signed_note) and result["note"].count("\n— ") == 2
    timestamp = verify_cosignature(result["note"], WITNESS, witness.public_raw)
    assert START < timestamp < START + 3600
    assert app.checkpoint_notes() == [(FIRST, result["note"])]
    assert stored_checkpoints(db) == [(FIRST, signed_note)]  # the cosignature is kept beside the note
    # a verifier that does not know the witness ignores its line
    assert open_note(result["note"], [app.authority_vkey()]) == checkpoint_text(
        app.origin, FIRST, transparency.root_at(app, FIRST))
    assert open_checkpoint(result["note"], app.origin, app.authority_public_key()).size == FIRST
    export(app, tmp_path / "bundle")
    lines = (tmp_path / "bundle" / "checkpoints.jsonl").read_text(encoding="utf-8").splitlines()
    assert [json.loads(line) for line in lines] == [{"size": FIRST, "note": result["note"]}]


def test_a_cosignature_by_another_key_under_the_witness_name_does_not_verify(half: Province) -> None:
    result = transparency.witness_cosign(half.app, signer_for(WITNESS), WITNESS)

    with pytest.raises(SignatureError, match="no cosignature of ah-cdi-witness"):
        verify_cosignature(result["note"], WITNESS, signer_for(WITNESS, "impostor").public_raw)


@pytest.mark.parametrize("with_state", [False, True], ids=["ledger-memory", "state-file"])
def test_cosigning_the_same_checkpoint_twice_is_refused(
    half: Province, db: RawDB, tmp_path: Path, with_state: bool
) -> None:
    state = str(tmp_path / "witness.json") if with_state else None
    transparency.witness_cosign(half.app, signer_for(WITNESS), WITNESS, state=state)

    with pytest.raises(InputError, match="already cosigned the checkpoint of size 38"):
        transparency.witness_cosign(half.app, signer_for(WITNESS), WITNESS, state=state)

    assert db.count(COSIGNATURE_TABLE) == 1


def test_another_witness_may_cosign_a_checkpoint_already_cosigned(half: Province, db: RawDB) -> None:
    transparency.witness_cosign(half.app, signer_for(WITNESS), WITNESS)
    transparency.witness_cosign(half.app, signer_for("cn-witness"), "cn-witness")

    note = half.app.checkpoint_notes()[-1][1]
    verify_cosignature(note, WITNESS, signer_for(WITNESS).public_raw)
    verify_cosignature(note, "cn-witness", signer_for("cn-witness").public_raw)


FORKED_ROOT = hashlib.sha256(b"the root of a fork of this log").hexdigest()
REMEMBERED: dict[str, tuple[Any, str]] = {
    # what the witness's --state remembers of this log, and why the new checkpoint is refused
    "a-fork-at-a-smaller-size": ({"size": 20, "root": FORKED_ROOT}, "not consistent with the checkpoint witness"),
    "a-fork-at-the-same-size": ({"size": FIRST, "root": FORKED_ROOT}, "no longer has the root witness"),
    "a-larger-tree": ({"size": FIRST + 5, "root": FORKED_ROOT}, "signed a checkpoint of 43"),
}


@pytest.mark.parametrize("remembered", REMEMBERED.values(), ids=REMEMBERED.keys())
def test_a_witness_whose_state_remembers_an_inconsistent_checkpoint_refuses_to_cosign(
    half: Province, db: RawDB, tmp_path: Path, remembered: tuple[Any, str]
) -> None:
    memory, why = remembered
    state = tmp_path / "witness.json"
    state.write_text(json.dumps({half.app.origin: memory}), encoding="utf-8")
    before = state.read_bytes()

    with pytest.raises(RefusedError, match=why):
        transparency.witness_cosign(half.app, signer_for(WITNESS), WITNESS, state=str(state))

    assert db.count(COSIGNATURE_TABLE) == 0 and state.read_bytes() == before


def test_a_second_checkpoint_after_more_appends_is_cosigned_and_remembered(
    half: Province, db: RawDB, tmp_path: Path
) -> None:
    state = tmp_path / "witness.json"
    other_log = {"exitledger/another-log": {"size": 3, "root": FORKED_ROOT}}
    state.write_text(json.dumps(other_log), encoding="utf-8")
    witness = signer_for(WITNESS)
    transparency.witness_cosign(half.app, witness, WITNESS, state=str(state))
    add(half, scenario.linquan_case())
    transparency.sign(half.app, authority(half))

    second = transparency.witness_cosign(half.app, witness, WITNESS, state=str(state))

    assert second["size"] == SIZE
    assert json.loads(state.read_text(encoding="utf-8")) == {
        **other_log, half.app.origin: {"size": SIZE, "root": transparency.root_at(half.app, SIZE).hex()}}
    notes = dict(half.app.checkpoint_notes())
    for size in (FIRST, SIZE):
        verify_cosignature(notes[size], WITNESS, witness.public_raw)
    assert db.count(COSIGNATURE_TABLE) == 2


def test_a_witness_with_no_checkpoint_to_cosign_is_told_to_sign_one_first(db_url: str) -> None:
    p = province(db_url, cases=False)
    try:
        with pytest.raises(InputError, match="no checkpoint to cosign"):
            transparency.witness_cosign(p.app, signer_for(WITNESS), WITNESS)
    finally:
        p.app.close()


def test_a_witness_state_whose_root_is_not_hex_is_bad_input(half: Province, tmp_path: Path) -> None:
    state = tmp_path / "witness.json"
    state.write_text(json.dumps({half.app.origin: {"size": 20, "root": "not hex"}}), encoding="utf-8")

    with pytest.raises(InputError):
        transparency.witness_cosign(half.app, signer_for(WITNESS), WITNESS, state=str(state))


@pytest.mark.parametrize("name", ["ah cdi", "ah+cdi", ""], ids=["a-space", "a-plus", "empty"])
def test_a_witness_name_that_is_not_a_key_name_is_refused_and_the_checkpoint_stays_valid(
    half: Province, db: RawDB, db_url: str, name: str
) -> None:
    with pytest.raises(InputError):
        transparency.witness_cosign(half.app, signer_for(WITNESS), name)

    assert db.count(COSIGNATURE_TABLE) == 0
    assert found(verify(db_url)) == set()


# -- verification with checkpoints -----------------------------------------------------------------
def test_a_ledger_sealed_at_its_head_verifies_with_no_problem_and_no_warning(full: Province, db_url: str) -> None:
    report = verify(db_url, trusted_authority=authority(full).public_raw)

    assert report.ok and report.problems == [] and report.warnings == []


def test_events_after_the_last_checkpoint_are_reported_as_not_sealed_yet(half: Province, db_url: str) -> None:
    add(half, scenario.linquan_case())

    report = verify(db_url)

    assert report.ok
    assert report.warnings == ["9 event(s) after the last checkpoint (size 38) are not sealed yet"]


def test_a_ledger_without_any_checkpoint_is_reported_as_not_sealed(db_url: str) -> None:
    province(db_url).app.close()

    report = verify(db_url)

    assert report.ok and len(report.warnings) == 1 and "nothing is sealed" in report.warnings[0]


def remove_last_events(db: RawDB, n: int) -> None:
    """Delete the last ``n`` events, their log rows and every tree node that covers them."""
    rows = db.rows()
    keep = len(rows) - n
    for row in rows[keep:]:
        db.delete_event(row.originator_id, row.version)
        db.delete_log(row.seq)
    rebuild_tree(db, [bytes.fromhex(r.hash) for r in rows[:keep]])


def remove_and_renumber(db: RawDB, seq: int) -> None:
    """Delete the event at ``seq`` and its log row, then move every later seq down by one."""
    row = next(r for r in db.rows() if r.seq == seq)
    db.delete_event(row.originator_id, row.version)
    db.delete_log(seq)
    db.run("UPDATE {log} SET seq = -seq WHERE seq > ?", seq)  # two steps: seq is a primary key
    db.run("UPDATE {log} SET seq = -seq - 1 WHERE seq < 0")
    rebuild_tree(db, log_leaves(db))


def test_removing_sealed_events_at_the_end_is_reported_as_beyond_the_log(
    full: Province, db: RawDB, db_url: str
) -> None:
    remove_last_events(db, 2)

    assert found(verify(db_url)) == {(SIZE, None, None, "checkpoint.beyond_log")}


def test_removing_a_sealed_event_and_renumbering_the_rest_is_reported_as_a_root_mismatch(
    half: Province, db: RawDB, db_url: str
) -> None:
    add(half, scenario.linquan_case())  # the last checkpoint (38) is below the new end of the log
    gone = SETUP + 5  # 岳西县 v5

    remove_and_renumber(db, gone)

    assert found(verify(db_url)) == {
        (gone, YUEXI, 6, "chain.version_gap"), (gone, YUEXI, 6, "chain.prev_mismatch"),
        (FIRST, None, None, "checkpoint.root_mismatch")}


def test_swapping_the_seqs_of_two_streams_events_is_caught_only_by_the_checkpoint(
    full: Province, db: RawDB, db_url: str
) -> None:
    # 岳西县's last event and 临泉县's first: each stream's chain stays intact
    swap_seqs(db, FIRST, FIRST + 1)
    assert [r.version for r in db.rows()[FIRST - 1:FIRST + 1]] == [1, len(scenario.yuexi_case())]
    unsealed = stored_checkpoints(db)
    db.run(f"DELETE FROM {CHECKPOINT_TABLE}")

    assert found(verify(db_url)) == set()  # without checkpoints, nothing betrays the new order

    for size, note in unsealed:
        db.run(f"INSERT INTO {CHECKPOINT_TABLE} (size, note, signed_at) VALUES (?, ?, ?)", size, note, "x")
    assert found(verify(db_url)) == {(FIRST, None, None, "checkpoint.root_mismatch"),
                                     (SIZE, None, None, "checkpoint.root_mismatch")}


@pytest.mark.parametrize("source", ["forged", "another-ledger"])
def test_a_checkpoint_not_signed_by_this_ledgers_authority_is_reported_as_a_bad_signature(
    full: Province, db: RawDB, db_url: str, tmp_path: Path, source: str
) -> None:
    size = 40
    note = forged_note(full, size) if source == "forged" else other_ledgers_note(tmp_path, size)
    assert f"\n{size}\n" in note

    db.run(f"INSERT INTO {CHECKPOINT_TABLE} (size, note, signed_at) VALUES (?, ?, ?)", size, note, "x")

    assert found(verify(db_url)) == {(size, None, None, "checkpoint.signature")}


def test_a_checkpoint_row_whose_size_column_lies_is_reported_as_a_size_mismatch(
    full: Province, db: RawDB, db_url: str
) -> None:
    db.run(f"UPDATE {CHECKPOINT_TABLE} SET size = 30 WHERE size = ?", FIRST)

    assert found(verify(db_url)) == {(30, None, None, "checkpoint.size_mismatch")}
