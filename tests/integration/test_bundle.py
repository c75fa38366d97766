"""The export bundle (SPEC §2, format version 1): what ``export`` writes, and what it refuses.

Export reads the database, so these tests run on SQLite and PostgreSQL. What ``verify_bundle``
makes of a pristine, tampered or garbage bundle is ``test_bundle_verify.py``.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
from collections.abc import Iterator
from pathlib import Path

import pytest

from domain import export_columns, scenario
from ledger import transparency
from ledger.bundle import export, verify_bundle
from ledger.canonical import canonical_bytes
from ledger.checkpoint import open_checkpoint, verify_cosignature
from ledger.errors import InputError, StoreError
from ledger.keys import parse_vkey
from ledger.signing import verify_signature
from tests.builders import LEDGER_ID, Province, province, signer_for
from tests.integration.rawdb import RawDB, snapshot
from tests.integration.bundles import (
    VECTORS,
    YUEXI,
    AUTHORITY,
    SETUP,
    FIRST,
    SIZE,
    FIG,
    WITNESS,
    TRUSTED,
    FILES,
    TIME,
    add,
    sealed_province,
    sha256,
    vector_bundle,
)


@pytest.fixture
def sealed(db_url: str) -> Iterator[Province]:
    p = sealed_province(db_url)
    yield p
    p.app.close()


# -- the format ------------------------------------------------------------------------------------
def test_the_bundle_holds_the_three_files_and_a_manifest_listing_each_with_its_sha256(
    sealed: Province, tmp_path: Path
) -> None:
    out = tmp_path / "bundle"

    summary = export(sealed.app, out)

    assert sorted(p.name for p in out.iterdir()) == ["authority.vkey", "checkpoints.jsonl", "events.jsonl",
                                                     "manifest.json"]
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    assert list(manifest) == ["format", "version", "ledger", "origin", "events", "exported_at", "files"]
    assert {k: v for k, v in manifest.items() if k != "exported_at"} == {
        "format": "exitledger-bundle", "version": 1, "ledger": LEDGER_ID, "origin": f"exitledger/{LEDGER_ID}",
        "events": SIZE, "files": {name: sha256(out / name) for name in FILES}}
    assert TIME.fullmatch(manifest["exported_at"])
    assert (summary.events, summary.checkpoints, summary.files) == (SIZE, 2, manifest["files"])


def test_events_jsonl_frames_each_signed_record_on_its_own_line_in_seq_order(
    sealed: Province, db_url: str, tmp_path: Path
) -> None:
    export(sealed.app, tmp_path / "bundle")

    data = (tmp_path / "bundle" / "events.jsonl").read_bytes()
    assert not data.startswith(b"\xef\xbb\xbf") and data.endswith(b"\n")
    lines = data.decode("utf-8").split("\n")[:-1]
    assert len(lines) == SIZE and "岳西县" in data.decode("utf-8")
    log = snapshot(db_url)
    for seq, (line, row) in enumerate(zip(lines, log), start=1):
        item = json.loads(line)
        assert list(item) == ["seq", "hash", "sig", "record"]
        body = canonical_bytes(item["record"])
        assert line.encode() == b'{"seq": %d, "hash": "%s", "sig": "%s", "record": %s}' % (
            seq, item["hash"].encode(), item["sig"].encode(), body)
        assert item["seq"] == row.seq == seq
        assert item["hash"] == hashlib.sha256(body).hexdigest() == row.hash
        verify_signature(sealed.signers[item["record"]["actor"]].public_raw, body, item["sig"])


def test_checkpoints_jsonl_lists_each_signed_note_with_its_cosignatures_in_increasing_size(
    sealed: Province, tmp_path: Path
) -> None:
    export(sealed.app, tmp_path / "bundle")

    data = (tmp_path / "bundle" / "checkpoints.jsonl").read_bytes()
    assert not data.startswith(b"\xef\xbb\xbf") and data.endswith(b"\n")
    items = [json.loads(line) for line in data.decode("utf-8").splitlines()]
    assert [list(item) for item in items] == [["size", "note"]] * 2
    assert [item["size"] for item in items] == [FIRST, SIZE]
    for item in items:
        checkpoint = open_checkpoint(item["note"], sealed.app.origin, TRUSTED)
        assert (checkpoint.size, checkpoint.root) == (item["size"], transparency.root_at(sealed.app, item["size"]))
    verify_cosignature(items[1]["note"], WITNESS, signer_for(WITNESS).public_raw)


def test_authority_vkey_names_the_authority_key_with_the_origin(sealed: Province, tmp_path: Path) -> None:
    export(sealed.app, tmp_path / "bundle")

    text = (tmp_path / "bundle" / "authority.vkey").read_text(encoding="utf-8")

    assert text.endswith("\n") and text.count("\n") == 1
    assert parse_vkey(text.strip()) == (f"exitledger/{LEDGER_ID}", TRUSTED)


def test_a_csv_export_is_utf8_with_a_bom_listed_in_the_manifest_with_chinese_readable(
    sealed: Province, tmp_path: Path
) -> None:
    out = tmp_path / "bundle"

    export(sealed.app, out, csv_columns=export_columns())

    data = (out / "events.csv").read_bytes()
    assert data.startswith("\ufeff".encode()) and "岳西县".encode() in data
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"), newline="")))
    header = rows[0]
    assert header[:9] == ["seq", "hash", "stream", "version", "type", "recorded_at", "actor", "key", "prev"]
    assert len(rows) == SIZE + 1 and [r[0] for r in rows[1:]] == [str(n) for n in range(1, SIZE + 1)]
    opened = dict(zip(header, rows[SETUP + 1]))
    assert (opened["stream"], opened["type"], opened["payload.county_name"]) == (YUEXI, "CaseOpened", "岳西县")
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["files"] == {name: sha256(out / name) for name in (*FILES, "events.csv")}
    assert verify_bundle(out, trusted_authority=TRUSTED).problems == []


def test_the_export_of_a_fixed_ledger_is_the_golden_bundle_byte_for_byte(db_url: str, tmp_path: Path) -> None:
    p = province(db_url, cases=False)
    steps = scenario.yuexi_case()
    add(p, steps[:1])
    transparency.sign(p.app, p.signers[AUTHORITY])
    add(p, steps[1:5])
    transparency.sign(p.app, p.signers[AUTHORITY])
    transparency.witness_cosign(p.app, signer_for(WITNESS), WITNESS)

    export(p.app, tmp_path / "bundle")
    p.app.close()

    golden = VECTORS / "golden-v1"
    for name in FILES:
        assert (tmp_path / "bundle" / name).read_bytes() == (golden / name).read_bytes(), name
    ours, theirs = (json.loads((d / "manifest.json").read_text(encoding="utf-8"))
                    for d in (tmp_path / "bundle", golden))
    assert {**ours, "exported_at": None} == {**theirs, "exported_at": None}


@pytest.mark.parametrize("name", ["golden-v1", "other-tool-v1"])
def test_a_version_1_bundle_verifies_offline_against_the_trusted_key(name: str, tmp_path: Path) -> None:
    report = verify_bundle(vector_bundle(name, tmp_path), trusted_authority=TRUSTED)

    assert report.ok and report.problems == [] and report.warnings == []
    assert (report.ledger, report.events) == (LEDGER_ID, 20)


# -- refusals and warnings on export ---------------------------------------------------------------
def test_exporting_into_a_directory_that_holds_a_bundle_is_refused_and_changes_nothing(
    sealed: Province, tmp_path: Path
) -> None:
    out = tmp_path / "bundle"
    export(sealed.app, out)
    before = {p.name: p.read_bytes() for p in out.iterdir()}

    with pytest.raises(InputError, match="already holds a bundle"):
        export(sealed.app, out, csv_columns=export_columns())

    assert {p.name: p.read_bytes() for p in out.iterdir()} == before


def test_a_ledger_never_signed_exports_an_empty_checkpoints_file_and_verifies_with_a_warning(
    db_url: str, tmp_path: Path
) -> None:
    p = province(db_url)
    summary = export(p.app, tmp_path / "bundle")
    p.app.close()

    assert summary.checkpoints == 0
    assert (tmp_path / "bundle" / "checkpoints.jsonl").read_bytes() == b""
    report = verify_bundle(tmp_path / "bundle", trusted_authority=TRUSTED)
    assert report.ok and report.problems == []
    assert report.warnings == ["no checkpoint has been signed yet: nothing is sealed (run `exitledger checkpoint`)"]


def test_exporting_a_log_with_a_missing_event_is_refused_and_writes_nothing(
    sealed: Province, db_url: str, tmp_path: Path
) -> None:
    with RawDB(db_url) as db:
        row = db.rows()[FIG - 1]
        db.delete_event(row.originator_id, row.version)
    out = tmp_path / "bundle"

    with pytest.raises(StoreError, match=f"seq {FIG} is missing"):
        export(sealed.app, out, csv_columns=export_columns())

    assert not out.exists() or list(out.iterdir()) == []
