"""``verify_bundle`` on a pristine bundle and on tampered copies (SPEC §2); garbage in a
bundle: ``test_bundle_garbage.py``.

The tamper suite works on files only: one bundle is exported once (SQLite) and copied for each
mutation; each mutation is named and pinned to the exact problems it must produce, as (seq,
stream, version, code). Fixed bundles live in ``tests/vectors/bundle/`` (see its README), read
through :func:`tests.integration.bundles.vector_bundle`.
"""

from __future__ import annotations

import base64
import hashlib
import json
import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from domain import scenario
from ledger import transparency
from ledger.bundle import verify_bundle
from ledger.canonical import canonical_bytes
from ledger.checkpoint import sign_checkpoint
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
    LINE_MALFORMED,
    MANIFEST,
    OTHER_LEDGER,
    TRUSTED,
    add,
    copy_of,
    edit_manifest,
    exported_bundle,
    lines,
    put,
    relist,
)

pytestmark = pytest.mark.usefixtures("verify_chunks")


# -- verifying a pristine bundle -------------------------------------------------------------------
@pytest.fixture(scope="module")
def pristine(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return exported_bundle(tmp_path_factory.mktemp("pristine"))


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
EDITED: Found = {(FIG, L, 2, "record.hash_mismatch"), (FIG, L, 2, "log.hash_mismatch"), (FIG, L, 2, "signature.invalid"),
          (FIG + 1, L, 3, "chain.prev_mismatch"), (SIZE, None, None, "checkpoint.root_mismatch")}
FILE_HASH = (None, None, None, "bundle.file_hash")
BEYOND = (SIZE, None, None, "checkpoint.beyond_log")
ROOTS: Found = {(FIRST, None, None, "checkpoint.root_mismatch"), (SIZE, None, None, "checkpoint.root_mismatch")}

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


@pytest.mark.parametrize("block", [1 << 20, 1500, 97, 5])
def test_the_actors_scan_finds_every_actors_line_whatever_blocks_cut_the_file(pristine: Path, block: int,
                                                                               monkeypatch: pytest.MonkeyPatch) -> None:
    # The keys handed to the workers up front come from a byte scan that jumps from match to
    # match inside blocks; a line cut by a block boundary must not be lost.
    import ledger.bundle

    monkeypatch.setattr(ledger.bundle, "BLOCK", block)
    expected = [line[:-1] for line in lines(pristine) if b'"stream":"actors"' in line]
    found_states = list(ledger.bundle._actors_states(pristine))
    assert len(found_states) == len(expected) > 3
    for state, line in zip(found_states, expected):
        assert state is not None and state[-200:-1] in line
