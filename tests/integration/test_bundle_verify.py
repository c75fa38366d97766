"""``verify_bundle`` on a pristine bundle, on tampered copies and on garbage (SPEC §2).

The tamper suite works on files only: one bundle is exported once (SQLite) and copied for each
mutation; each mutation is named and pinned to the exact problems it must produce, as (seq,
stream, version, code). Fixed bundles live in ``tests/vectors/bundle/`` (see its README), read
through :func:`tests.integration.bundles.vector_bundle`.
"""

from __future__ import annotations

import base64
import hashlib
import json
import random
import re
import shutil
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from domain import scenario
from ledger import transparency
from ledger.bundle import export, verify_bundle
from ledger.canonical import canonical_bytes
from ledger.checkpoint import sign_checkpoint
from ledger.errors import InputError
from tests.builders import LEDGER_ID, province, signer_for
from tests.integration.reports import Found, found
from tests.integration.bundles import (
    YUEXI,
    LINQUAN,
    AUTHORITY,
    SETUP,
    FIRST,
    SIZE,
    FIG,
    OTHER_LEDGER,
    TRUSTED,
    add,
    sealed_province,
    sha256,
)

pytestmark = pytest.mark.usefixtures("verify_chunks")


# -- verifying a pristine bundle -------------------------------------------------------------------
@pytest.fixture(scope="module")
def pristine(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("pristine")
    p = sealed_province(f"sqlite:///{root}/ledger.db")
    export(p.app, root / "bundle")
    p.app.close()
    return root / "bundle"


@pytest.fixture(scope="module")
def foreign_note(tmp_path_factory: pytest.TempPathFactory) -> str:
    """The checkpoint of size 38 of another ledger: same authority key, another ledger id."""
    root = tmp_path_factory.mktemp("foreign")
    p = province(f"sqlite:///{root}/ledger.db", ledger_id=OTHER_LEDGER, cases=False)
    add(p, scenario.yuexi_case())
    note = transparency.sign(p.app, p.signers[AUTHORITY]).note
    p.app.close()
    return note


def test_a_pristine_bundle_verifies_with_no_problem_and_no_warning(pristine: Path) -> None:
    report = verify_bundle(pristine, trusted_authority=TRUSTED)

    assert report.ok and report.problems == [] and report.warnings == []
    assert (report.ledger, report.events) == (LEDGER_ID, SIZE)


def test_a_bundle_verified_without_a_trusted_key_says_so(pristine: Path) -> None:
    report = verify_bundle(pristine)

    assert report.ok
    assert report.warnings == ["no --authority-key given: the bundle was checked against its own genesis key only"]


def test_a_bundle_verified_against_another_trusted_key_is_untrusted_and_so_are_its_checkpoints(pristine: Path) -> None:
    report = verify_bundle(pristine, trusted_authority=signer_for(AUTHORITY, "impostor").public_raw)

    assert found(report) == {(1, "actors", 1, "authority.untrusted"), (FIRST, None, None, "checkpoint.signature"),
                             (SIZE, None, None, "checkpoint.signature")}


# -- the tamper suite ------------------------------------------------------------------------------
@dataclass(frozen=True)
class Kit:
    """What a mutation may need beyond the bundle itself."""

    foreign_note: str


def lines(d: Path, name: str = "events.jsonl") -> list[bytes]:
    return (d / name).read_bytes().splitlines(keepends=True)


def put(d: Path, new: list[bytes], name: str = "events.jsonl") -> None:
    (d / name).write_bytes(b"".join(new))


def relist(d: Path, name: str = "events.jsonl") -> None:
    """Make the manifest list the file's new SHA-256, as a careful tamperer would."""
    path = d / "manifest.json"
    manifest = json.loads(path.read_text(encoding="utf-8"))
    manifest["files"][name] = sha256(d / name)
    path.write_text(json.dumps(manifest, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")


def edit_manifest(d: Path, **changes: Any) -> None:
    path = d / "manifest.json"
    path.write_text(json.dumps({**json.loads(path.read_text(encoding="utf-8")), **changes}), encoding="utf-8")


def reseq(line: bytes, seq: int) -> bytes:
    return re.sub(rb'^\{"seq": \d+,', b'{"seq": %d,' % seq, line)


def edit_figure(d: Path, kit: Kit) -> None:
    new = lines(d)
    assert b'"poverty_incidence":"1.95"' in new[FIG - 1]
    new[FIG - 1] = new[FIG - 1].replace(b'"1.95"', b'"1.50"')
    put(d, new)


def edit_figure_relisted(d: Path, kit: Kit) -> None:
    edit_figure(d, kit)
    relist(d)


def edit_figure_rehashed_relisted(d: Path, kit: Kit) -> None:
    new = lines(d)
    item = json.loads(new[FIG - 1])
    item["record"]["payload"]["poverty_incidence"] = "1.50"
    body = canonical_bytes(item["record"])
    new[FIG - 1] = b'{"seq": %d, "hash": "%s", "sig": "%s", "record": %s}\n' % (
        FIG, hashlib.sha256(body).hexdigest().encode(), item["sig"].encode(), body)
    put(d, new)
    relist(d)


def delete_line(d: Path, kit: Kit) -> None:
    new = lines(d)
    del new[SETUP + 5]  # 岳西县 v6, seq 21
    put(d, new)
    relist(d)


def delete_line_renumbered(d: Path, kit: Kit) -> None:
    new = lines(d)
    del new[SETUP + 5]
    put(d, [reseq(line, seq) for seq, line in enumerate(new, start=1)])
    relist(d)


def delete_last_line(d: Path, kit: Kit) -> None:
    put(d, lines(d)[:-1])
    relist(d)


def delete_last_line_recounted(d: Path, kit: Kit) -> None:
    delete_last_line(d, kit)
    edit_manifest(d, events=SIZE - 1)


def swap_lines(d: Path, kit: Kit) -> None:
    new = lines(d)
    new[FIRST - 1], new[FIRST] = new[FIRST], new[FIRST - 1]  # 岳西县's last, 临泉县's first
    put(d, new)
    relist(d)


def swap_lines_renumbered(d: Path, kit: Kit) -> None:
    new = lines(d)
    new[FIRST - 1], new[FIRST] = reseq(new[FIRST], FIRST), reseq(new[FIRST - 1], FIRST + 1)
    put(d, new)
    relist(d)


def truncate(d: Path, kit: Kit) -> None:
    (d / "events.jsonl").write_bytes((d / "events.jsonl").read_bytes()[:-40])


def truncate_relisted(d: Path, kit: Kit) -> None:
    truncate(d, kit)
    relist(d)


def put_checkpoint(d: Path, index: int, item: dict[str, Any]) -> None:
    new = lines(d, "checkpoints.jsonl")
    new[index] = (json.dumps(item, ensure_ascii=False) + "\n").encode()
    put(d, new, "checkpoints.jsonl")
    relist(d, "checkpoints.jsonl")


def foreign_checkpoint(d: Path, kit: Kit) -> None:
    put_checkpoint(d, 0, {"size": FIRST, "note": kit.foreign_note})


def forged_checkpoint(d: Path, kit: Kit) -> None:
    note = json.loads(lines(d, "checkpoints.jsonl")[0])["note"]
    origin, size, root = note.split("\n")[:3]
    forged = sign_checkpoint(origin, int(size), base64.b64decode(root), signer_for(AUTHORITY, "impostor"))
    put_checkpoint(d, 0, {"size": FIRST, "note": forged})


def checkpoint_size_lies(d: Path, kit: Kit) -> None:
    put_checkpoint(d, 0, {**json.loads(lines(d, "checkpoints.jsonl")[0]), "size": 30})


def checkpoints_reordered(d: Path, kit: Kit) -> None:
    put(d, lines(d, "checkpoints.jsonl")[::-1], "checkpoints.jsonl")
    relist(d, "checkpoints.jsonl")


def manifest_wrong_hash(d: Path, kit: Kit) -> None:
    manifest = json.loads((d / "manifest.json").read_text(encoding="utf-8"))
    edit_manifest(d, files={**manifest["files"], "checkpoints.jsonl": "0" * 64})


def manifest_lists_a_file_outside_the_bundle(d: Path, kit: Kit) -> None:
    manifest = json.loads((d / "manifest.json").read_text(encoding="utf-8"))
    edit_manifest(d, files={**manifest["files"], "../ledger.db": "0" * 64})


def manifest_miscounts(d: Path, kit: Kit) -> None:
    edit_manifest(d, events=SIZE + 1)


def manifest_names_another_ledger(d: Path, kit: Kit) -> None:
    edit_manifest(d, ledger=OTHER_LEDGER)


def events_file_removed(d: Path, kit: Kit) -> None:
    (d / "events.jsonl").unlink()


def a_line_respaced(d: Path, kit: Kit) -> None:
    new = lines(d)
    item = json.loads(new[FIG - 1])
    new[FIG - 1] = (json.dumps(item, ensure_ascii=False, indent=1).replace("\n", " ") + "\n").encode()
    put(d, new)
    relist(d)


def every_line_respaced_and_reordered(d: Path, kit: Kit) -> None:
    new = []
    for line in lines(d):
        item = json.loads(line)
        new.append((json.dumps(dict(reversed(item.items())), ensure_ascii=True) + "\n").encode())
    put(d, new)
    relist(d)


Y, L = YUEXI, LINQUAN
EDITED = {(FIG, L, 2, "record.hash_mismatch"), (FIG, L, 2, "log.hash_mismatch"), (FIG, L, 2, "signature.invalid"),
          (FIG + 1, L, 3, "chain.prev_mismatch"), (SIZE, None, None, "checkpoint.root_mismatch")}
MANIFEST = (None, None, None, "bundle.manifest")
FILE_HASH = (None, None, None, "bundle.file_hash")
LINE_MALFORMED = (None, None, None, "bundle.line_malformed")
BEYOND = (SIZE, None, None, "checkpoint.beyond_log")
ROOTS = {(FIRST, None, None, "checkpoint.root_mismatch"), (SIZE, None, None, "checkpoint.root_mismatch")}

TAMPERS: dict[str, tuple[Callable[[Path, Kit], None], Found]] = {
    "edited-line": (edit_figure, EDITED | {FILE_HASH}),
    "edited-line-manifest-relisted": (edit_figure_relisted, EDITED),
    "edited-line-rehashed-manifest-relisted": (edit_figure_rehashed_relisted, {
        (FIG, L, 2, "signature.invalid"), (FIG + 1, L, 3, "chain.prev_mismatch"),
        (SIZE, None, None, "checkpoint.root_mismatch")}),
    "deleted-line": (delete_line, {
        (SETUP + 7, Y, 7, "seq.gap"), (SETUP + 7, Y, 7, "chain.version_gap"), (SETUP + 7, Y, 7, "chain.prev_mismatch"),
        (FIRST, None, None, "checkpoint.root_mismatch"), BEYOND, MANIFEST}),
    "deleted-line-renumbered": (delete_line_renumbered, {
        (SETUP + 6, Y, 7, "chain.version_gap"), (SETUP + 6, Y, 7, "chain.prev_mismatch"),
        (FIRST, None, None, "checkpoint.root_mismatch"), BEYOND, MANIFEST}),
    "deleted-last-line": (delete_last_line, {BEYOND, MANIFEST}),
    "deleted-last-line-manifest-recounted": (delete_last_line_recounted, {BEYOND}),
    "swapped-lines": (swap_lines, {(FIRST + 1, L, 1, "seq.gap"), (FIRST, Y, 23, "seq.order")} | ROOTS),
    # each stream's chain is intact: only the checkpoints see the new order
    "swapped-lines-renumbered": (swap_lines_renumbered, ROOTS),
    "truncated-last-line": (truncate, {FILE_HASH, LINE_MALFORMED, BEYOND, MANIFEST}),
    "truncated-last-line-manifest-relisted": (truncate_relisted, {LINE_MALFORMED, BEYOND, MANIFEST}),
    "checkpoint-of-another-ledger": (foreign_checkpoint, {(FIRST, None, None, "checkpoint.signature")}),
    "checkpoint-forged-under-the-origin": (forged_checkpoint, {(FIRST, None, None, "checkpoint.signature")}),
    "checkpoint-listed-under-another-size": (checkpoint_size_lies, {(30, None, None, "checkpoint.size_mismatch")}),
    "checkpoints-out-of-order": (checkpoints_reordered, {(FIRST, None, None, "checkpoint.order")}),
    "manifest-wrong-hash": (manifest_wrong_hash, {FILE_HASH}),
    "manifest-lists-a-file-outside-the-bundle": (manifest_lists_a_file_outside_the_bundle,
                                                 {(None, None, None, "bundle.file_missing")}),
    "manifest-miscounts-events": (manifest_miscounts, {MANIFEST}),
    "manifest-names-another-ledger": (manifest_names_another_ledger, {MANIFEST}),
    "events-file-removed": (events_file_removed, {
        (None, None, None, "bundle.file_missing"), LINE_MALFORMED, (None, None, None, "ledger.empty"),
        (FIRST, None, None, "checkpoint.signature"), (SIZE, None, None, "checkpoint.signature"), MANIFEST}),
}


@pytest.fixture
def kit(foreign_note: str) -> Kit:
    return Kit(foreign_note)


def copy_of(pristine: Path, tmp_path: Path) -> Path:
    return Path(shutil.copytree(pristine, tmp_path / "bundle"))


@pytest.mark.parametrize("tamper", TAMPERS.values(), ids=TAMPERS.keys())
def test_a_tampered_bundle_is_reported_where_it_was_tampered(pristine: Path, tmp_path: Path, kit: Kit,
                                                             tamper: Any) -> None:
    mutate, expected = tamper
    bundle = copy_of(pristine, tmp_path)

    mutate(bundle, kit)

    report = verify_bundle(bundle, trusted_authority=TRUSTED)
    assert found(report) == expected and not report.ok


def test_a_bundle_whose_checkpoints_were_all_dropped_verifies_but_warns_nothing_is_sealed(
    pristine: Path, tmp_path: Path
) -> None:
    bundle = copy_of(pristine, tmp_path)
    (bundle / "checkpoints.jsonl").write_bytes(b"")
    relist(bundle, "checkpoints.jsonl")

    report = verify_bundle(bundle, trusted_authority=TRUSTED)

    assert report.problems == [] and len(report.warnings) == 1 and "nothing is sealed" in report.warnings[0]


SAME_CONTENT = {
    "a-line-respaced": a_line_respaced,
    "every-line-respaced-reordered-and-ascii-escaped": every_line_respaced_and_reordered,
}


@pytest.mark.parametrize("respace", SAME_CONTENT.values(), ids=SAME_CONTENT.keys())
def test_lines_rewritten_with_other_spacing_but_the_same_content_still_verify(
    pristine: Path, tmp_path: Path, kit: Kit, respace: Any
) -> None:
    bundle = copy_of(pristine, tmp_path)

    respace(bundle, kit)

    assert (bundle / "events.jsonl").read_bytes() != (pristine / "events.jsonl").read_bytes()
    report = verify_bundle(bundle, trusted_authority=TRUSTED)
    assert report.ok and report.problems == [] and report.warnings == []


# -- garbage: reported, never raised ---------------------------------------------------------------
def noise(n: int) -> bytes:
    return random.Random(n).randbytes(n)


GARBAGE_FILES: dict[str, tuple[str, bytes, str]] = {
    # file, its new content, a code the report must hold
    "events-random-bytes": ("events.jsonl", noise(5000), "bundle.line_malformed"),
    "events-empty": ("events.jsonl", b"", "ledger.empty"),
    "events-a-blank-line": ("events.jsonl", b"\n", "bundle.line_malformed"),
    "events-json-but-not-an-object": ("events.jsonl", b'[1, 2]\n"x"\nnull\n', "bundle.line_malformed"),
    "events-record-null": ("events.jsonl", b'{"seq": 1, "hash": "x", "sig": "y", "record": null}\n',
                           "record.malformed"),
    "events-a-float-in-the-record": ("events.jsonl", b'{"seq": 1, "hash": "x", "sig": "y", "record": {"a": 1.5}}\n',
                                     "bundle.line_malformed"),
    "events-nan": ("events.jsonl", b'{"seq": 1, "hash": "x", "sig": "y", "record": {"a": NaN}}\n',
                   "bundle.line_malformed"),
    "events-huge-seq": ("events.jsonl", b'{"seq": 99999999999999999999999, "hash": "x", "sig": "y", "record": {}}\n',
                        "seq.gap"),
    "events-not-utf8": ("events.jsonl", b'{"seq": 1, "hash": "\xff\xfe", "sig": "y", "record": {}}\n',
                        "bundle.line_malformed"),
    "checkpoints-random-bytes": ("checkpoints.jsonl", noise(700), "checkpoint.malformed"),
    "checkpoints-wrong-types": ("checkpoints.jsonl", b'{"size": "38", "note": 5}\n{"size": true, "note": "x"}\n[1]\n',
                                "checkpoint.malformed"),
    "checkpoints-a-note-that-is-not-a-note": ("checkpoints.jsonl", b'{"size": 38, "note": "not a note"}\n',
                                              "checkpoint.signature"),
    "authority-random-bytes": ("authority.vkey", noise(64), "bundle.authority_vkey"),
}


@pytest.mark.parametrize("garbage", GARBAGE_FILES.values(), ids=GARBAGE_FILES.keys())
def test_a_garbage_file_in_a_bundle_is_reported_not_raised(pristine: Path, tmp_path: Path,
                                                          garbage: tuple[str, bytes, str]) -> None:
    name, content, code = garbage
    bundle = copy_of(pristine, tmp_path)
    (bundle / name).write_bytes(content)

    unlisted = verify_bundle(bundle, trusted_authority=TRUSTED)
    relist(bundle, name)
    listed = verify_bundle(bundle, trusted_authority=TRUSTED)

    assert "bundle.file_hash" in {p.code for p in unlisted.problems}
    assert code in {p.code for p in listed.problems} and not listed.ok


BROKEN_MANIFESTS: dict[str, Callable[[Path], None]] = {
    "missing": lambda d: (d / "manifest.json").unlink(),
    "not-json": lambda d: (d / "manifest.json").write_bytes(noise(300)),
    "empty": lambda d: (d / "manifest.json").write_bytes(b""),
    "a-list": lambda d: (d / "manifest.json").write_text("[1, 2]"),
    "another-format": lambda d: edit_manifest(d, format="sigstore-bundle"),
    "version-2": lambda d: edit_manifest(d, version=2),
    "a-directory": lambda d: ((d / "manifest.json").unlink(), (d / "manifest.json").mkdir()),
}


@pytest.mark.parametrize("breaks", BROKEN_MANIFESTS.values(), ids=BROKEN_MANIFESTS.keys())
def test_a_bundle_without_a_readable_version_1_manifest_is_bad_input(pristine: Path, tmp_path: Path,
                                                                     breaks: Callable[[Path], None]) -> None:
    bundle = copy_of(pristine, tmp_path)
    breaks(bundle)

    with pytest.raises(InputError, match="--bundle"):
        verify_bundle(bundle, trusted_authority=TRUSTED)


def test_a_manifest_that_lists_no_files_is_reported(pristine: Path, tmp_path: Path) -> None:
    bundle = copy_of(pristine, tmp_path)
    edit_manifest(bundle, files=["events.jsonl"])

    assert found(verify_bundle(bundle, trusted_authority=TRUSTED)) == {MANIFEST}


DEEP = b"[" * 100_000 + b"]" * 100_000


def test_a_deeply_nested_events_line_is_reported_as_malformed(pristine: Path, tmp_path: Path) -> None:
    bundle = copy_of(pristine, tmp_path)
    put(bundle, [*lines(bundle)[:-1], DEEP + b"\n"])

    assert LINE_MALFORMED in found(verify_bundle(bundle, trusted_authority=TRUSTED))


def test_a_deeply_nested_checkpoints_line_is_reported_as_malformed(pristine: Path, tmp_path: Path) -> None:
    bundle = copy_of(pristine, tmp_path)
    (bundle / "checkpoints.jsonl").write_bytes(DEEP + b"\n")

    assert (None, None, None, "checkpoint.malformed") in found(verify_bundle(bundle, trusted_authority=TRUSTED))


def test_a_deeply_nested_manifest_is_bad_input(pristine: Path, tmp_path: Path) -> None:
    bundle = copy_of(pristine, tmp_path)
    (bundle / "manifest.json").write_bytes(DEEP)

    with pytest.raises(InputError):
        verify_bundle(bundle, trusted_authority=TRUSTED)


def test_a_record_holding_a_lone_surrogate_escape_is_reported_not_raised(pristine: Path, tmp_path: Path) -> None:
    bundle = copy_of(pristine, tmp_path)
    new = lines(bundle)
    new[FIG - 1] = new[FIG - 1].replace(b'"payload":{', b'"payload":{"note":"\\ud800",', 1)
    put(bundle, new)
    relist(bundle)

    report = verify_bundle(bundle, trusted_authority=TRUSTED)

    assert not report.ok and any(p.seq == FIG for p in report.problems)


def test_an_event_line_whose_seq_is_a_boolean_is_malformed(pristine: Path, tmp_path: Path) -> None:
    bundle = copy_of(pristine, tmp_path)
    new = lines(bundle)
    new[0] = new[0].replace(b'{"seq": 1,', b'{"seq": true,', 1)
    put(bundle, new)
    relist(bundle)

    assert LINE_MALFORMED in found(verify_bundle(bundle, trusted_authority=TRUSTED))
