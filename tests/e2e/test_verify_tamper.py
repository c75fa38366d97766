"""`verify` exits 1 once a stored row is edited behind the ledger's back (SPEC §5)."""

from __future__ import annotations

import re
import sqlite3

import pytest

from ledger.record import SIG_AT
from tests.e2e.conftest import AUTHORITY, CASE, SMALL_CASE, Province, must, public_pem

FIGURES_SEQ = 8  # genesis + 5 actors, CaseOpened (7), FiguresReported (8)


def _edit_figures_row(p: Province, edit) -> None:
    """Apply ``edit(state) -> bytes | None`` to the stored FiguresReported row (None deletes it)."""
    con = sqlite3.connect(p.db_file)
    try:
        rows = [(rowid, bytes(state)) for rowid, state in con.execute("SELECT rowid, state FROM stored_events")
                if b'"type":"FiguresReported"' in bytes(state)]
        assert len(rows) == 1
        rowid, state = rows[0]
        new = edit(state)
        if new is None:
            con.execute("DELETE FROM stored_events WHERE rowid = ?", (rowid,))
        else:
            assert new != state and len(new) == len(state)
            con.execute("UPDATE stored_events SET state = ? WHERE rowid = ?", (new, rowid))
        con.commit()
    finally:
        con.close()


def _flip_sig(state: bytes) -> bytes:
    i = SIG_AT.start
    return state[:i] + (b"B" if state[i:i + 1] != b"B" else b"C") + state[i + 1:]


TAMPERS = {
    # a figure rewritten inside the signed body
    "body": (lambda s: s.replace(b'"poverty_incidence":"1.26"', b'"poverty_incidence":"0.26"'),
             [(FIGURES_SEQ, 2, "record.hash_mismatch"), (FIGURES_SEQ, 2, "log.hash_mismatch"),
              (FIGURES_SEQ, 2, "signature.invalid"), (FIGURES_SEQ + 1, 3, "chain.prev_mismatch")]),
    # only the stored signature altered
    "signature": (_flip_sig, [(FIGURES_SEQ, 2, "signature.invalid")]),
}


@pytest.mark.parametrize("kind", sorted(TAMPERS))
def test_verify_exits_1_after_tampering_and_names_seq_stream_version_code(run, province: Province, kind):
    for type_, actor, data in SMALL_CASE:
        must(province.record(type_, CASE, actor, data))
    assert must(run(*province.db, "verify", "--json")).json()["ok"] is True
    edit, expected = TAMPERS[kind]
    _edit_figures_row(province, edit)

    r = run(*province.db, "verify")
    assert r.code == 1, r
    assert "Traceback" not in r.stderr
    errors = [line for line in r.err_lines if not line.startswith("warning: ")]
    assert errors == [f"error: verification failed: {len(expected)} problem(s)"], r
    found = re.findall(r"^seq (\d+) (\S+) v(\d+)  ([a-z_]+\.[a-z_]+): .+$", r.stdout, re.M)
    assert [(int(s), stream, int(v), code) for s, stream, v, code in found] == [
        (seq, CASE, version, code) for seq, version, code in expected]
    assert r.stdout.splitlines()[-1].endswith(f"11 events FAILED with {len(expected)} problem(s)")

    j = run(*province.db, "verify", "--json")
    assert j.code == 1, j
    report = j.json()
    assert report["ok"] is False and report["events"] == 11
    assert [(p["seq"], p["stream"], p["version"], p["code"]) for p in report["problems"]] == [
        (seq, CASE, version, code) for seq, version, code in expected]
    assert all(set(p) == {"seq", "stream", "version", "code", "message"} for p in report["problems"])


def test_verify_exits_1_when_a_stored_event_is_deleted(run, province: Province):
    for type_, actor, data in SMALL_CASE:
        must(province.record(type_, CASE, actor, data))
    _edit_figures_row(province, lambda s: None)
    r = run(*province.db, "verify")
    assert r.code == 1, r
    assert re.search(rf"^seq {FIGURES_SEQ} .*event\.missing: ", r.stdout, re.M), r
    assert "Traceback" not in r.stderr


def test_verify_with_the_wrong_trusted_authority_key_exits_1(run, province: Province):
    r = run(*province.db, "verify", "--authority-key", province.vkeys["ah-office"])
    assert r.code == 1, r
    assert re.search(r"^seq 1 actors v1  authority\.untrusted: ", r.stdout, re.M), r


def test_verify_with_the_right_trusted_authority_key_exits_0(run, province: Province, tmp_path):
    pub = public_pem(province.key(AUTHORITY), tmp_path / "authority.pub.pem")
    assert must(run(*province.db, "verify", "--authority-key", pub)).stdout.strip().endswith("6 events verified")
