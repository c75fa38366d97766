"""The transparency log on the command line (SPEC §2, §3, §5): `checkpoint`, `checkpoint cosign`,
`prove`, `consistency`, `export` and `verify --bundle`, the way an auditor drives them."""

from __future__ import annotations

import hashlib
import json
import re
import sqlite3
from collections.abc import Callable
from contextlib import closing
from pathlib import Path
from typing import Any

import pytest

from ledger import rfc9162
from ledger.app import ExitLedger
from ledger.checkpoint import open_checkpoint, verify_cosignature
from ledger.keys import parse_vkey
from tests.e2e.conftest import assert_bad_input, AUTHORITY, CASE, SMALL_CASE, Province, Result, must

WITNESS = "ah-cdi-witness"
SIZE = 6 + len(SMALL_CASE)  # genesis, 5 actors, the small case: 11 events
RECTIFICATION = {"opened_on": "2017-12-21", "item": "CR-01", "origin": "city_review", "description": "补充村级台账"}
FIGURES_LINE = 8  # genesis + 5 actors, CaseOpened (7), FiguresReported (8)


@pytest.fixture
def small(province: Province) -> Province:
    """The registered province with the small case recorded: 11 events, no checkpoint."""
    for type_, actor, data in SMALL_CASE:
        must(province.record(type_, CASE, actor, data))
    return province


def ledger_facts(p: Province) -> tuple[str, bytes, list[bytes]]:
    """(origin, authority public key, leaf inputs of the log in seq order)."""
    app = ExitLedger(p.url, create=False)
    try:
        return app.origin, app.authority_public_key(), [bytes.fromhex(r.hash) for r in app.recorder.log_rows(0, 10_000)]
    finally:
        app.close()


def rows(p: Province) -> dict[str, int]:
    """How many rows each table the log commands write holds."""
    with closing(sqlite3.connect(p.db_file)) as con:
        return {t: con.execute(f"SELECT COUNT(*) FROM {t}").fetchone()[0]
                for t in ("exitledger_log", "exitledger_checkpoints", "exitledger_cosignatures")}


def witness_key(run: Any, tmp_path: Path, name: str = WITNESS) -> tuple[Path, bytes]:
    path = tmp_path / f"{name}.pem"
    vkey = must(run("keygen", "--out", path, "--no-passphrase")).stdout.strip()
    return path, parse_vkey(vkey)[1]


def checkpoint(run: Any, p: Province, *args: str) -> Result:
    return must(run(*p.db, "checkpoint", "--key", p.key(AUTHORITY), *args))


# -- checkpoint ------------------------------------------------------------------------------------
def test_checkpoint_signs_the_tree_head_and_prints_the_note_once(run, small: Province) -> None:
    origin, authority, leaves = ledger_facts(small)

    first = checkpoint(run, small)

    opened = open_checkpoint(first.stdout, origin, authority)
    root = rfc9162.root_hash([rfc9162.leaf_hash(leaf) for leaf in leaves])
    assert (opened.size, opened.root) == (SIZE, root) and first.stderr == ""
    again = checkpoint(run, small)
    assert again.stdout == first.stdout
    assert again.err_lines == [f"the tree of {SIZE} events was already signed"]
    assert rows(small)["exitledger_checkpoints"] == 1


@pytest.mark.parametrize("where", ["after-the-command", "before-the-command"])
def test_checkpoint_json_gives_size_root_note_and_whether_it_is_new(run, small: Province, where: str) -> None:
    note = checkpoint(run, small).stdout
    args = [*small.db, "checkpoint", "--key", small.key(AUTHORITY), "--json"]
    if where == "before-the-command":
        args = [*small.db, "--json", "checkpoint", "--key", small.key(AUTHORITY)]

    out = must(run(*args)).json()

    _, _, leaves = ledger_facts(small)
    root = rfc9162.root_hash([rfc9162.leaf_hash(leaf) for leaf in leaves])
    assert out == {"size": SIZE, "root": root.hex(), "note": note, "new": False}


# -- witnesses -------------------------------------------------------------------------------------
def test_a_witness_cosigns_each_new_checkpoint_once_and_remembers_it_in_its_state(
    run, small: Province, tmp_path: Path
) -> None:
    origin, _, _ = ledger_facts(small)
    key, raw = witness_key(run, tmp_path)
    state = tmp_path / "witness-state.json"
    cosign = [*small.db, "checkpoint", "cosign", "--key", key, "--name", WITNESS, "--state", state]
    note = checkpoint(run, small).stdout

    first = must(run(*cosign))

    assert first.stdout.startswith(note) and first.stdout.count("\n— ") == 2
    verify_cosignature(first.stdout, WITNESS, raw)
    assert open_checkpoint(first.stdout, origin, ledger_facts(small)[1]).size == SIZE
    assert json.loads(state.read_text(encoding="utf-8")) == {
        origin: {"size": SIZE, "root": open_checkpoint(note, origin, ledger_facts(small)[1]).root.hex()}}
    assert_bad_input(run(*cosign), "already cosigned", str(SIZE))
    assert rows(small)["exitledger_cosignatures"] == 1

    must(small.record("RectificationOpened", CASE, "340800-lg", RECTIFICATION))
    checkpoint(run, small)
    second = must(run(*cosign, "--json")).json()

    assert set(second) == {"size", "root", "witness", "note"}
    assert (second["size"], second["witness"]) == (SIZE + 1, WITNESS)
    verify_cosignature(second["note"], WITNESS, raw)
    assert json.loads(state.read_text(encoding="utf-8"))[origin]["size"] == SIZE + 1
    assert rows(small)["exitledger_cosignatures"] == 2


def test_a_witness_whose_state_remembers_a_fork_refuses_and_writes_nothing(run, small: Province,
                                                                            tmp_path: Path) -> None:
    origin, _, _ = ledger_facts(small)
    key, _ = witness_key(run, tmp_path)
    checkpoint(run, small)
    state = tmp_path / "witness-state.json"
    state.write_text(json.dumps({origin: {"size": 7, "root": hashlib.sha256(b"fork").hexdigest()}}), encoding="utf-8")
    before = state.read_bytes()

    r = run(*small.db, "checkpoint", "cosign", "--key", key, "--name", WITNESS, "--state", state)

    assert_bad_input(r, "not consistent", f"witness {WITNESS}")
    assert state.read_bytes() == before and rows(small)["exitledger_cosignatures"] == 0


def test_a_witness_state_file_with_a_root_that_is_not_hex_is_bad_input(run, small: Province, tmp_path: Path) -> None:
    origin, _, _ = ledger_facts(small)
    key, _ = witness_key(run, tmp_path)
    checkpoint(run, small)
    state = tmp_path / "witness-state.json"
    state.write_text(json.dumps({origin: {"size": 7, "root": "zz"}}), encoding="utf-8")

    assert_bad_input(run(*small.db, "checkpoint", "cosign", "--key", key, "--name", WITNESS, "--state", state))


def test_cosign_with_a_name_that_is_not_a_key_name_exits_2_and_verify_still_passes(run, small: Province,
                                                                                   tmp_path: Path) -> None:
    key, _ = witness_key(run, tmp_path)
    checkpoint(run, small)

    assert_bad_input(run(*small.db, "checkpoint", "cosign", "--key", key, "--name", "ah cdi"))
    assert rows(small)["exitledger_cosignatures"] == 0
    must(run(*small.db, "verify"))


# -- prove and consistency -------------------------------------------------------------------------
@pytest.mark.parametrize("seq,size", [(1, None), (FIGURES_LINE, None), (3, 5), (SIZE, SIZE), (1, 1)])
def test_prove_json_gives_an_inclusion_proof_that_verifies(run, small: Province, seq: int, size: int | None) -> None:
    _, _, leaves = ledger_facts(small)
    hashes = [rfc9162.leaf_hash(leaf) for leaf in leaves[:size or SIZE]]

    out = must(run(*small.db, "prove", str(seq), *(["--size", str(size)] if size else []), "--json")).json()

    assert list(out) == ["seq", "size", "leaf_hash", "root", "proof"]
    assert out == {"seq": seq, "size": size or SIZE, "leaf_hash": hashes[seq - 1].hex(),
                   "root": rfc9162.root_hash(hashes).hex(),
                   "proof": [h.hex() for h in rfc9162.inclusion_proof(seq - 1, hashes)]}
    rfc9162.verify_inclusion(seq - 1, out["size"], bytes.fromhex(out["leaf_hash"]),
                             [bytes.fromhex(h) for h in out["proof"]], bytes.fromhex(out["root"]))


def test_prove_without_json_prints_the_leaf_the_root_and_each_proof_hash(run, small: Province) -> None:
    out = must(run(*small.db, "prove", "3", "--size", "5", "--json")).json()

    text = must(run(*small.db, "prove", "3", "--size", "5")).stdout.splitlines()

    assert text[0] == "seq 3 in tree of size 5"
    assert text[1].split() == ["leaf", "hash", out["leaf_hash"]] and text[2].split() == ["root", out["root"]]
    assert [line.split()[1] for line in text[3:]] == out["proof"]


@pytest.mark.parametrize("old,new", [(1, SIZE), (5, 8), (3, 5), (SIZE, SIZE), (4, 8)])
def test_consistency_json_gives_a_proof_that_verifies(run, small: Province, old: int, new: int) -> None:
    _, _, leaves = ledger_facts(small)
    hashes = [rfc9162.leaf_hash(leaf) for leaf in leaves[:new]]

    out = must(run(*small.db, "consistency", str(old), str(new), "--json")).json()

    assert list(out) == ["size1", "size2", "root1", "root2", "proof"]
    assert out == {"size1": old, "size2": new, "root1": rfc9162.root_hash(hashes[:old]).hex(),
                   "root2": rfc9162.root_hash(hashes).hex(),
                   "proof": [h.hex() for h in rfc9162.consistency_proof(old, hashes)]}
    rfc9162.verify_consistency(old, new, bytes.fromhex(out["root1"]), bytes.fromhex(out["root2"]),
                               [bytes.fromhex(h) for h in out["proof"]])


def test_the_roots_of_prove_consistency_and_checkpoint_agree(run, small: Province) -> None:
    note = checkpoint(run, small, "--json").json()

    proof = must(run(*small.db, "prove", "2", "--json")).json()
    cons = must(run(*small.db, "consistency", "4", str(SIZE), "--json")).json()

    assert note["root"] == proof["root"] == cons["root2"]
    assert must(run(*small.db, "prove", "1", "--size", "4", "--json")).json()["root"] == cons["root1"]


# -- export and verify --bundle --------------------------------------------------------------------
def relist(bundle: Path, name: str) -> None:
    manifest = json.loads((bundle / "manifest.json").read_text(encoding="utf-8"))
    manifest["files"][name] = hashlib.sha256((bundle / name).read_bytes()).hexdigest()
    (bundle / "manifest.json").write_text(json.dumps(manifest), encoding="utf-8")


def authority_key_of(bundle: Path) -> str:
    """What `--authority-key "$(cat DIR/authority.vkey)"` passes."""
    return (bundle / "authority.vkey").read_text(encoding="utf-8").rstrip("\n")


def test_export_writes_a_bundle_that_verify_accepts_with_the_authority_key(run, small: Province,
                                                                           tmp_path: Path) -> None:
    checkpoint(run, small)
    bundle = tmp_path / "bundle"

    r = must(run(*small.db, "export", "--out", bundle))

    assert r.stdout.strip() == f"exported {SIZE} events and 1 checkpoint(s) to {bundle}" and r.stderr == ""
    assert sorted(p.name for p in bundle.iterdir()) == ["authority.vkey", "checkpoints.jsonl", "events.jsonl",
                                                        "manifest.json"]
    v = must(run("verify", "--bundle", bundle, "--authority-key", authority_key_of(bundle)))
    ledger_id = json.loads((bundle / "manifest.json").read_text(encoding="utf-8"))["ledger"]
    assert v.stdout.splitlines() == [f"ledger {ledger_id}: {SIZE} events verified"] and v.stderr == ""
    j = must(run("verify", "--bundle", bundle, "--authority-key", authority_key_of(bundle), "--json")).json()
    assert (j["ok"], j["events"], j["problems"], j["warnings"]) == (True, SIZE, [], [])


def test_export_csv_json_lists_every_file_it_wrote(run, small: Province, tmp_path: Path) -> None:
    bundle = tmp_path / "bundle"

    out = must(run(*small.db, "export", "--out", bundle, "--csv", "--json")).json()

    assert out == {"out": str(bundle), "events": SIZE, "checkpoints": 0, "files": {
        name: hashlib.sha256((bundle / name).read_bytes()).hexdigest()
        for name in ("authority.vkey", "checkpoints.jsonl", "events.csv", "events.jsonl")}}
    data = (bundle / "events.csv").read_bytes()
    assert data.startswith("\ufeff".encode()) and "岳西县".encode() in data


def test_export_of_a_ledger_never_signed_warns_and_verify_warns_nothing_is_sealed(run, small: Province,
                                                                                  tmp_path: Path) -> None:
    bundle = tmp_path / "bundle"

    r = must(run(*small.db, "export", "--out", bundle))

    assert r.err_lines == ["warning: no checkpoint signed yet: nothing in this bundle is sealed"]
    v = must(run("verify", "--bundle", bundle, "--authority-key", authority_key_of(bundle)))
    assert [line for line in v.err_lines if "nothing is sealed" in line] == [
        "warning: no checkpoint has been signed yet: nothing is sealed (run `exitledger checkpoint`)"]


def edit_figures_line(bundle: Path) -> None:
    lines = (bundle / "events.jsonl").read_bytes().splitlines(keepends=True)
    assert b'"poverty_incidence":"1.26"' in lines[FIGURES_LINE - 1]
    lines[FIGURES_LINE - 1] = lines[FIGURES_LINE - 1].replace(b'"1.26"', b'"0.26"')
    (bundle / "events.jsonl").write_bytes(b"".join(lines))


def edit_figures_line_relisted(bundle: Path) -> None:
    edit_figures_line(bundle)
    relist(bundle, "events.jsonl")


def remove_last_line_relisted(bundle: Path) -> None:
    events = bundle / "events.jsonl"
    events.write_bytes(b"".join(events.read_bytes().splitlines(True)[:-1]))
    relist(bundle, "events.jsonl")


TAMPERS: dict[str, tuple[Callable[[Path], None], list[str]]] = {
    "edited-line": (edit_figures_line, [
        "seq ?  bundle.file_hash", f"seq {FIGURES_LINE} {CASE} v2  record.hash_mismatch",
        f"seq {FIGURES_LINE} {CASE} v2  log.hash_mismatch", f"seq {FIGURES_LINE} {CASE} v2  signature.invalid",
        f"seq {FIGURES_LINE + 1} {CASE} v3  chain.prev_mismatch", f"seq {SIZE}  checkpoint.root_mismatch"]),
    "edited-line-manifest-relisted": (edit_figures_line_relisted, [
        f"seq {FIGURES_LINE} {CASE} v2  record.hash_mismatch",
        f"seq {FIGURES_LINE} {CASE} v2  log.hash_mismatch", f"seq {FIGURES_LINE} {CASE} v2  signature.invalid",
        f"seq {FIGURES_LINE + 1} {CASE} v3  chain.prev_mismatch", f"seq {SIZE}  checkpoint.root_mismatch"]),
    "last-line-removed-manifest-relisted": (remove_last_line_relisted, [
        f"seq {SIZE}  checkpoint.beyond_log", "seq ?  bundle.manifest"]),
}


@pytest.mark.parametrize("tamper", TAMPERS.values(), ids=TAMPERS.keys())
def test_verify_bundle_exits_1_after_tampering_and_names_each_problem(run, small: Province, tmp_path: Path,
                                                                     tamper: Any) -> None:
    mutate, expected = tamper
    checkpoint(run, small)
    bundle = tmp_path / "bundle"
    must(run(*small.db, "export", "--out", bundle))
    mutate(bundle)

    r = run("verify", "--bundle", bundle, "--authority-key", authority_key_of(bundle))

    assert r.code == 1, r
    assert "Traceback" not in r.stderr
    assert [line.split(": ", 1)[0] for line in r.stdout.splitlines()[:-1]] == expected
    assert re.fullmatch(rf"ledger \S+: \d+ events FAILED with {len(expected)} problem\(s\)", r.stdout.splitlines()[-1])
    assert [line for line in r.err_lines if line.startswith("error: ")] == [
        f"error: verification failed: {len(expected)} problem(s)"]


def test_verify_bundle_with_another_authority_key_exits_1_as_untrusted(run, small: Province, tmp_path: Path) -> None:
    checkpoint(run, small)
    bundle = tmp_path / "bundle"
    must(run(*small.db, "export", "--out", bundle))

    r = run("verify", "--bundle", bundle, "--authority-key", small.vkeys["ah-office"])

    assert r.code == 1, r
    assert re.search(r"^seq 1 actors v1  authority\.untrusted: ", r.stdout, re.M), r
    assert re.search(rf"^seq {SIZE}  checkpoint\.signature: ", r.stdout, re.M), r


# -- bad input -------------------------------------------------------------------------------------
Case = tuple[str, Callable[[Province, Path], list[Any]], tuple[str, ...]]
BAD: list[Case] = [
    ("prove-0", lambda p, t: ["prove", "0"], ("seq 0",)),
    ("prove-beyond-the-log", lambda p, t: ["prove", "999"], ("seq 999", str(SIZE))),
    ("prove-at-a-size-beyond-the-log", lambda p, t: ["prove", "3", "--size", "999"], ("--size 999",)),
    ("prove-beyond-the-size", lambda p, t: ["prove", "6", "--size", "5"], ("seq 6",)),
    ("consistency-old-above-new", lambda p, t: ["consistency", "5", "3"], ("OLD 5",)),
    ("consistency-from-0", lambda p, t: ["consistency", "0", "3"], ("OLD 0",)),
    ("consistency-to-beyond-the-log", lambda p, t: ["consistency", "3", "999"], ("NEW 999",)),
    ("checkpoint-without-a-key", lambda p, t: ["checkpoint"], ("--key",)),
    ("checkpoint-with-a-non-authority-key", lambda p, t: ["checkpoint", "--key", p.key("ah-office")],
     ("not the ledger authority's key",)),
    ("checkpoint-with-a-missing-key-file", lambda p, t: ["checkpoint", "--key", t / "nowhere.pem"],
     ("nowhere.pem",)),
    ("cosign-before-any-checkpoint", lambda p, t: ["checkpoint", "cosign", "--key", p.key("ah-office"),
                                                   "--name", WITNESS], ("no checkpoint to cosign",)),
]


@pytest.mark.parametrize("make_args,needles", [c[1:] for c in BAD], ids=[c[0] for c in BAD])
def test_bad_log_command_exits_2_with_one_error_line_and_writes_nothing(
    run, small: Province, tmp_path: Path, make_args: Any, needles: tuple[str, ...]
) -> None:
    before = rows(small)
    files = sorted(p.name for p in tmp_path.iterdir())

    r = run(*small.db, *make_args(small, tmp_path))

    assert_bad_input(r, *needles)
    assert rows(small) == before and sorted(p.name for p in tmp_path.iterdir()) == files


def test_a_state_file_that_is_not_json_is_bad_input(run, small: Province, tmp_path: Path) -> None:
    checkpoint(run, small)
    state = tmp_path / "witness-state.json"
    state.write_text("{not json", encoding="utf-8")

    r = run(*small.db, "checkpoint", "cosign", "--key", small.key("ah-office"), "--name", WITNESS, "--state", state)

    assert_bad_input(r, "--state", "cannot read the witness state")
    assert rows(small)["exitledger_cosignatures"] == 0


def test_exporting_into_a_bundle_exits_2_and_leaves_it_untouched(run, small: Province, tmp_path: Path) -> None:
    bundle = tmp_path / "bundle"
    must(run(*small.db, "export", "--out", bundle))
    before = {p.name: p.read_bytes() for p in bundle.iterdir()}

    r = run(*small.db, "export", "--out", bundle, "--csv")

    assert_bad_input(r, "already holds a bundle")
    assert {p.name: p.read_bytes() for p in bundle.iterdir()} == before


NOT_A_MANIFEST: dict[str, Any] = {
    "no-manifest": lambda m: m.unlink(),
    "manifest-not-json": lambda m: m.write_bytes(b"\x00\xff garbage"),
    "manifest-deeply-nested": lambda m: m.write_bytes(b"[" * 100_000 + b"]" * 100_000),
}


@pytest.mark.parametrize("breaks", NOT_A_MANIFEST.values(), ids=NOT_A_MANIFEST.keys())
def test_verify_of_a_directory_that_is_not_a_bundle_exits_2(run, small: Province, tmp_path: Path, breaks: Any) -> None:
    bundle = tmp_path / "bundle"
    must(run(*small.db, "export", "--out", bundle))
    breaks(bundle / "manifest.json")

    assert_bad_input(run("verify", "--bundle", bundle), "--bundle", "manifest.json")


def test_exporting_under_a_path_that_is_a_file_exits_2(run, small: Province, tmp_path: Path) -> None:
    (tmp_path / "a-file").write_text("x", encoding="utf-8")

    assert_bad_input(run(*small.db, "export", "--out", tmp_path / "a-file" / "bundle"), "--out")
