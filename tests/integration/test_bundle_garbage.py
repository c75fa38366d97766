"""``verify_bundle`` on garbage in any file of a bundle: reported as problems, or refused as
bad input when the manifest itself is unreadable, never raised (SPEC §2)."""

from __future__ import annotations

import random
from collections.abc import Callable
from pathlib import Path

import pytest

from ledger.bundle import verify_bundle
from ledger.errors import InputError
from tests.integration.bundles import (
    FIG, LINE_MALFORMED, MANIFEST, TRUSTED, copy_of, edit_manifest, exported_bundle, lines, put, relist,
)
from tests.integration.reports import found

pytestmark = pytest.mark.usefixtures("verify_chunks")


@pytest.fixture(scope="module")
def pristine(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return exported_bundle(tmp_path_factory.mktemp("pristine"))


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


def _manifest_a_directory(d: Path) -> None:
    (d / "manifest.json").unlink()
    (d / "manifest.json").mkdir()


BROKEN_MANIFESTS: dict[str, Callable[[Path], object]] = {
    "missing": lambda d: (d / "manifest.json").unlink(),
    "not-json": lambda d: (d / "manifest.json").write_bytes(noise(300)),
    "empty": lambda d: (d / "manifest.json").write_bytes(b""),
    "a-list": lambda d: (d / "manifest.json").write_text("[1, 2]"),
    "another-format": lambda d: edit_manifest(d, format="sigstore-bundle"),
    "version-2": lambda d: edit_manifest(d, version=2),
    "a-directory": _manifest_a_directory,
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
