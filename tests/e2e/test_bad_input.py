"""Bad input (SPEC §5): exit 2, one line on stderr starting with "error:", nothing written."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.e2e.conftest import (
    APPROVED,
    AUTHORITY,
    CASE,
    CASE_OPENED,
    ENCRYPTED,
    FIGURES,
    PASSPHRASE,
    PASSPHRASE_VAR,
    REVIEWED,
    SMALL_CASE,
    Province,
    Result,
    must,
)


def assert_bad_input(r: Result, p: Province, before: int, *needles: str) -> None:
    """Exit 2, exactly one stderr line "error: …" naming ``needles``, no traceback, nothing appended."""
    assert r.code == 2, r
    assert "Traceback" not in r.stderr, r
    assert len(r.err_lines) == 1, r
    assert r.err_lines[0].startswith("error: "), r
    assert r.stdout == "", r
    for needle in needles:
        assert needle in r.err_lines[0], (needle, r)
    assert p.size() == before


def _without(d: dict, key: str) -> dict:
    return {k: v for k, v in d.items() if k != key}


FIGURES_WITH_FLOAT = json.dumps(FIGURES).replace('"poverty_incidence": "1.26"', '"poverty_incidence": 1.26')
assert "1.26," in FIGURES_WITH_FLOAT

# (id, args builder on an opened case, env, what the one error line must name)
Case = tuple[str, Callable[[Province, Path], list[str]], dict[str, str | None], tuple[str, ...]]
BAD_RECORDS: list[Case] = [
    ("float-for-decimal",
     lambda p, t: p.record_args("FiguresReported", CASE, "340828-lg", FIGURES_WITH_FLOAT), {},
     ("payload.poverty_incidence", "decimal string", "1.26")),
    ("missing-required-field",
     lambda p, t: p.record_args("FiguresReported", CASE, "340828-lg", _without(FIGURES, "as_of")), {},
     ("payload.as_of", "required")),
    ("unknown-field",
     lambda p, t: p.record_args("FiguresReported", CASE, "340828-lg", {**FIGURES, "colour": "red"}), {},
     ("payload.colour", "unknown field")),
    ("payload-not-an-object",
     lambda p, t: p.record_args("FiguresReported", CASE, "340828-lg", "[1, 2]"), {},
     ("--data", "JSON object")),
    ("wrong-role-city-reports-county-figures",
     lambda p, t: p.record_args("FiguresReported", CASE, "340800-lg", FIGURES), {},
     ("340800-lg", "city_leading_group", "may not sign", "county_leading_group of 340828")),
    ("wrong-jurisdiction-other-county",
     lambda p, t: p.record_args("FiguresReported", CASE, "341221-lg", FIGURES), {},
     ("341221-lg", "may not sign", "county_leading_group of 340828")),
    ("city-review-before-any-application",
     lambda p, t: p.record_args("CityReviewCompleted", CASE, "340800-lg", REVIEWED), {},
     ("CityReviewCompleted", "needs an ExitApplicationSubmitted")),
    ("malformed-json-in-data",
     lambda p, t: p.record_args("FiguresReported", CASE, "340828-lg", '{"source": "county_self_report",'), {},
     ("--data", "malformed JSON")),
    ("data-at-missing-file",
     lambda p, t: p.record_args("FiguresReported", CASE, "340828-lg", f"@{t}/no-such.json"), {},
     ("--data", "no-such.json", "No such file")),
    ("wrong-passphrase",
     lambda p, t: p.record_args("ExitApplicationApproved", CASE, ENCRYPTED, APPROVED), {PASSPHRASE_VAR: "wrong"},
     ("wrong passphrase", "340828-pg.pem")),
    ("passphrase-env-variable-unset",
     lambda p, t: p.record_args("ExitApplicationApproved", CASE, ENCRYPTED, APPROVED), {PASSPHRASE_VAR: None},
     (PASSPHRASE_VAR, "not set")),
    ("encrypted-key-without-passphrase-env-no-terminal",
     lambda p, t: [*p.db, "record", "ExitApplicationApproved", "--stream", CASE, "--actor", ENCRYPTED,
                   "--key", str(p.key(ENCRYPTED)), "--data", json.dumps(APPROVED)], {},
     ("encrypted", "--passphrase-env")),
    ("missing-key-file",
     lambda p, t: [*p.db, "record", "FiguresReported", "--stream", CASE, "--actor", "340828-lg",
                   "--key", f"{t}/nope.pem", "--data", json.dumps(FIGURES)], {},
     ("key file not found", "nope.pem")),
    ("key-of-another-actor",
     lambda p, t: p.record_args("FiguresReported", CASE, "340828-lg", FIGURES, key_of="341221-lg"), {},
     ("not the current key of actor 340828-lg",)),
    ("public-key-file-given-as-signing-key",
     lambda p, t: [*p.db, "record", "FiguresReported", "--stream", CASE, "--actor", "ah-office",
                   "--key", str(p.root / "ah-office.pub.pem"), "--data", json.dumps(FIGURES)], {},
     ("holds a public key",)),
    ("unregistered-actor",
     lambda p, t: p.record_args("FiguresReported", CASE, "nobody", FIGURES, key_of="340828-lg"), {},
     ("actor nobody is not registered",)),
    ("unknown-record-type",
     lambda p, t: p.record_args("ExitCelebrated", CASE, "340828-lg", {"on": "2018-01-01"}), {},
     ("unknown record type", "ExitCelebrated")),
    ("record-type-of-another-stream-kind",
     lambda p, t: p.record_args("ActorRegistered", CASE, "340828-lg", {"actor": "x"}), {},
     ("ActorRegistered", "not a record of case streams")),
    ("bad-stream-name",
     lambda p, t: p.record_args("FiguresReported", "county-340828", "340828-lg", FIGURES), {},
     ("county-340828", "case:<6-digit county code>-<year>")),
    ("bad-date",
     lambda p, t: p.record_args("FiguresReported", CASE, "340828-lg", {**FIGURES, "as_of": "2017-02-30"}), {},
     ("payload.as_of", "not a calendar date")),
    ("boolean-as-count",
     lambda p, t: p.record_args("FiguresReported", CASE, "340828-lg", {**FIGURES, "rural_population": True}), {},
     ("payload.rural_population", "whole number")),
    ("integer-beyond-i-json",
     lambda p, t: p.record_args("FiguresReported", CASE, "340828-lg", {**FIGURES, "rural_population": 2**60}), {},
     ("rural_population", "2**53")),
    ("lone-surrogate",
     lambda p, t: p.record_args("FiguresReported", CASE, "340828-lg",
                                json.dumps(FIGURES)[:-1] + ', "note": "\\ud800"}'), {},
     ("payload.note", "lone surrogate")),
    ("case-opened-with-a-year-not-matching-the-stream",
     lambda p, t: p.record_args("CaseOpened", "case:340828-2019", "ah-office", CASE_OPENED), {},
     ("payload.year", "must match the stream")),
]


@pytest.mark.parametrize("make_args,env,needles", [c[1:] for c in BAD_RECORDS], ids=[c[0] for c in BAD_RECORDS])
def test_bad_record_exits_2_with_one_error_line_and_writes_nothing(run, opened: Province, tmp_path, make_args, env,
                                                                    needles):
    before = opened.size()
    r = run(*make_args(opened, tmp_path), env={PASSPHRASE_VAR: PASSPHRASE, **env})
    assert_bad_input(r, opened, before, *needles)
    assert [e["type"] for e in must(run(*opened.db, "history", CASE, "--json")).json()] == ["CaseOpened"]


BAD_ACTOR_COMMANDS: list[Case] = [
    ("rotate-the-authority",
     lambda p, t: [*p.db, "actor", "rotate", "--actor", AUTHORITY, "--public-key", p.vkeys["ah-office"],
                   "--reason", "r", "--key", str(p.key(AUTHORITY))], {},
     ("KeyRotated", "never rotated or revoked")),
    ("revoke-the-authority",
     lambda p, t: [*p.db, "actor", "revoke", "--actor", AUTHORITY, "--reason", "r", "--key", str(p.key(AUTHORITY))],
     {}, ("ActorRevoked", "never rotated or revoked")),
    ("register-signed-by-a-non-authority",
     lambda p, t: [*p.db, "actor", "register", "--actor", "q", "--name", "n", "--role", "provincial_office",
                   "--jurisdiction", "340000", "--public-key", p.vkeys["ah-office"], "--key", str(p.key("ah-office"))],
     {}, ("not the current key of actor ledger-authority",)),
    ("register-an-actor-twice",
     lambda p, t: [*p.db, "actor", "register", "--actor", "ah-office", "--name", "n", "--role", "provincial_office",
                   "--jurisdiction", "340000", "--public-key", p.vkeys["ah-office"], "--key", str(p.key(AUTHORITY))],
     {}, ("ah-office", "already registered")),
    ("register-a-reused-key",
     lambda p, t: [*p.db, "actor", "register", "--actor", "q", "--name", "n", "--role", "provincial_office",
                   "--jurisdiction", "340000", "--public-key", p.vkeys["ah-office"], "--key", str(p.key(AUTHORITY))],
     {}, ("payload.public_key", "ah-office")),
    ("register-an-unknown-role",
     lambda p, t: [*p.db, "actor", "register", "--actor", "q", "--name", "n", "--role", "king",
                   "--jurisdiction", "340000", "--public-key", p.vkeys["ah-office"], "--key", str(p.key(AUTHORITY))],
     {}, ("payload.role", "king")),
    ("register-a-bad-verifier-key",
     lambda p, t: [*p.db, "actor", "register", "--actor", "q", "--name", "n", "--role", "provincial_office",
                   "--jurisdiction", "340000", "--public-key", "q+zzzzzzzz+AAAA", "--key", str(p.key(AUTHORITY))],
     {}, ("verifier key",)),
    ("register-a-private-key-as-public-key",
     lambda p, t: [*p.db, "actor", "register", "--actor", "q", "--name", "n", "--role", "provincial_office",
                   "--jurisdiction", "340000", "--public-key", str(p.key("ah-office")), "--key", str(p.key(AUTHORITY))],
     {}, ("holds a private key",)),
    ("rotate-an-unknown-actor",
     lambda p, t: [*p.db, "actor", "rotate", "--actor", "ghost", "--public-key", p.vkeys["ah-office"],
                   "--reason", "r", "--key", str(p.key(AUTHORITY))], {}, ("ghost",)),
    ("init-on-an-existing-ledger",
     lambda p, t: [*p.db, "init", "--province-code", "340000", "--province-name", "安徽省",
                   "--key", str(p.key(AUTHORITY))], {}, ("already holds ledger", "nothing written")),
    ("history-bad-as-of",
     lambda p, t: [*p.db, "history", CASE, "--as-of", "yesterday"], {}, ("--as-of", "yesterday")),
    ("history-bad-stream",
     lambda p, t: [*p.db, "history", "county-340828"], {}, ("county-340828",)),
    ("verify-bad-authority-key",
     lambda p, t: [*p.db, "verify", "--authority-key", "garbage"], {}, ("not a public key",)),
    ("unsupported-database-url",
     lambda p, t: ["--db", "mysql://localhost/ledger", "actor", "list"], {}, ("unsupported database URL",)),
    ("sqlite-url-without-a-file",
     lambda p, t: ["--db", "sqlite:///", "actor", "list"], {}, ("an SQLite URL needs a file",)),
    ("postgres-url-without-a-database",
     lambda p, t: ["--db", "postgresql://localhost", "actor", "list"], {}, ("host and a database name",)),
    ("a-file-that-is-not-a-database",
     lambda p, t: ["--db", f"sqlite:///{p.root / 'ah-office.pub.pem'}", "actor", "list"], {},
     ("cannot open database", "not a database")),
]


@pytest.mark.parametrize("make_args,env,needles", [c[1:] for c in BAD_ACTOR_COMMANDS],
                         ids=[c[0] for c in BAD_ACTOR_COMMANDS])
def test_bad_command_exits_2_with_one_error_line_and_writes_nothing(run, province: Province, tmp_path, make_args,
                                                                     env, needles):
    before = province.size()
    actors_before = must(run(*province.db, "actor", "list", "--json")).stdout
    r = run(*make_args(province, tmp_path), env=env)
    assert_bad_input(r, province, before, *needles)
    assert must(run(*province.db, "actor", "list", "--json")).stdout == actors_before


COMMANDS_NEEDING_A_LEDGER = (["actor", "list"], ["history", CASE], ["verify"],
                             ["record", "CaseOpened", "--stream", CASE, "--actor", "ah-office", "--key", "@ah-office",
                              "--data", json.dumps(CASE_OPENED)])


def _with_key(args: list[str], province: Province) -> list[str]:
    return [str(province.key("ah-office")) if a == "@ah-office" else a for a in args]


def test_commands_on_an_empty_database_say_init_first(run, tmp_path, province: Province):
    empty = tmp_path / "empty.db"
    sqlite3.connect(empty).close()
    for args in COMMANDS_NEEDING_A_LEDGER:
        r = run("--db", f"sqlite:///{empty}", *_with_key(args, province))
        assert r.code == 2, r
        assert len(r.err_lines) == 1 and "run `exitledger init` first" in r.err_lines[0], r


def test_commands_other_than_init_create_no_database_file(run, tmp_path, province: Province):
    missing = tmp_path / "typo" / "missing.db"
    for args in COMMANDS_NEEDING_A_LEDGER:
        r = run("--db", f"sqlite:///{missing}", *_with_key(args, province))
        assert r.code == 2, r
        assert r.err_lines == [f"error: --db sqlite:///{missing}: no database file at {missing}"], r
    assert not missing.parent.exists()


@pytest.mark.parametrize("args,env,needles", [
    (["--no-passphrase", "--passphrase-env", "X"], {"X": "x"}, ("exclude each other",)),
    ([], {}, ("--passphrase-env", "--no-passphrase")),  # no terminal to prompt on
    (["--passphrase-env", "X"], {"X": ""}, ("empty passphrase",)),
    (["--passphrase-env", "X"], {"X": None}, ("X", "not set")),
])
def test_keygen_bad_input_writes_no_key(run, tmp_path, args, env, needles):
    out = tmp_path / "k.pem"
    r = run("keygen", "--out", out, *args, env=env)
    assert r.code == 2, r
    assert len(r.err_lines) == 1 and r.err_lines[0].startswith("error: "), r
    assert all(n in r.stderr for n in needles), r
    assert not out.exists()


def test_keygen_never_overwrites_a_key(run, tmp_path):
    out = tmp_path / "k.pem"
    must(run("keygen", "--out", out, "--no-passphrase"))
    first = out.read_bytes()
    r = run("keygen", "--out", out, "--no-passphrase")
    assert r.code == 2 and r.err_lines == [f"error: key file already exists: {out}"], r
    assert out.read_bytes() == first


def test_init_with_a_bad_province_code_writes_nothing(run, tmp_path, province: Province):
    db = f"sqlite:///{tmp_path}/new.db"
    r = run("--db", db, "init", "--province-code", "34", "--province-name", "安徽省", "--key", province.key(AUTHORITY))
    assert r.code == 2 and len(r.err_lines) == 1 and "payload.province_code" in r.stderr, r
    # nothing was written: a correct init afterwards succeeds and is seq 1
    assert must(run("--db", db, "--json", "init", "--province-code", "340000", "--province-name", "安徽省",
                    "--key", province.key(AUTHORITY))).json()["seq"] == 1


# -- import: all or nothing -----------------------------------------------------------------------
def _line(type_: str, actor: str, payload: object, stream: str = CASE) -> str:
    return json.dumps({"type": type_, "stream": stream, "actor": actor, "payload": payload}, ensure_ascii=False)


GOOD_LINES = [_line(t, a, d) for t, a, d in SMALL_CASE]
# (id, the bad line, what the message names)
BAD_LINES = [
    ("refused-by-the-process", _line("CityReviewCompleted", "340800-lg", REVIEWED),
     ("needs an ExitApplicationSubmitted", "nothing was imported")),
    ("wrong-json-type", _line("ExitApplicationApproved", "340828-pg", {**APPROVED, "approved_on": 20171208}),
     ("payload.approved_on", "nothing was imported")),
    ("wrong-role", _line("ExitApplicationApproved", "340828-lg", APPROVED), ("may not sign",)),
    ("malformed-json", '{"type": "ExitApplicationApproved", "stream": ', ("malformed JSON",)),
    ("missing-member", json.dumps({"type": "ExitApplicationApproved", "stream": CASE, "payload": APPROVED}),
     ('"type", "stream", "actor", "payload"',)),
    ("no-key-file-for-actor", _line("ExitApplicationApproved", "ghost", APPROVED), ("ghost.pem",)),
    ("path-in-actor-id", _line("ExitApplicationApproved", "../keys/340828-pg", APPROVED), ("not a valid actor id",)),
    ("payload-not-an-object", _line("ExitApplicationApproved", "340828-pg", ["x"]), ("JSON object",)),
    ("bad-stream", _line("ExitApplicationApproved", "340828-pg", APPROVED, stream="case-340828"), ("case-340828",)),
]


@pytest.mark.parametrize("bad,needles", [b[1:] for b in BAD_LINES], ids=[b[0] for b in BAD_LINES])
def test_import_with_a_bad_line_in_the_middle_imports_nothing(run, province: Province, tmp_path, bad, needles):
    # physical line 4 (a blank line 2 still counts): CaseOpened, "", FiguresReported, BAD, …
    lines = [GOOD_LINES[0], "", GOOD_LINES[1], bad, *GOOD_LINES[2:]]
    batch = tmp_path / "batch.jsonl"
    batch.write_text("\n".join(lines) + "\n", encoding="utf-8")
    before = province.size()
    r = run(*province.db, "import", batch, "--key-dir", province.keys, "--passphrase-env", PASSPHRASE_VAR,
            env={PASSPHRASE_VAR: PASSPHRASE})
    assert_bad_input(r, province, before, f"{batch} line 4:", *needles)
    assert must(run(*province.db, "history", CASE, "--json")).json() == []


def test_import_of_nothing_or_no_file(run, province: Province, tmp_path):
    before = province.size()
    empty = tmp_path / "empty.jsonl"
    empty.write_text("\n\n")
    assert_bad_input(run(*province.db, "import", empty, "--key-dir", province.keys), province, before,
                     "no events to import")
    assert_bad_input(run(*province.db, "import", tmp_path / "nope.jsonl", "--key-dir", province.keys), province,
                     before, "nope.jsonl")
    binary = tmp_path / "bin.jsonl"
    binary.write_bytes(b"\xff\xfe\x00garbage")
    assert_bad_input(run(*province.db, "import", binary, "--key-dir", province.keys), province, before, "not UTF-8")


# -- click usage errors ---------------------------------------------------------------------------
@pytest.mark.parametrize("args", [
    ["frobnicate"],
    ["record", "CaseOpened", "--stream", CASE],  # missing --actor, --key, --data
    ["record", "--stream", CASE, "--actor", "a", "--key", "k", "--data", "{}"],  # missing TYPE
    ["actor", "register", "--actor", "x"],
    ["actor", "list", "--no-such-option"],
    ["history"],
    ["keygen"],
    ["--db"],
], ids=lambda a: " ".join(a))
def test_usage_errors_exit_2_in_one_line_and_write_nothing(run, province: Province, args):
    before = province.size()
    r = run(*province.db, *args) if args != ["--db"] else run(*args)
    assert r.code == 2, r
    assert "Traceback" not in r.stderr
    lines = r.stderr.splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: "), r
    assert "Usage:" not in r.stderr and "--help)" in lines[0], r
    assert r.stdout == ""
    assert province.size() == before


@pytest.mark.parametrize("args, says", [
    (["history"], "error: Missing argument 'STREAM'. (see exitledger history --help)"),
    (["record"], "error: Missing argument 'TYPE'. (see exitledger record --help)"),  # not the parameter's name
    (["frobnicate"], "error: No such command 'frobnicate'. (see exitledger --help)"),
    (["actor", "list", "--no-such-option"], "error: No such option '--no-such-option'. (see exitledger actor list --help)"),
], ids=lambda a: " ".join(a) if isinstance(a, list) else "")
def test_a_usage_error_names_what_is_wrong_and_where_help_is(run, args, says):
    r = run(*args)
    assert r.code == 2 and r.stderr.strip() == says, r


def test_help_exits_0(run):
    r = run("--help")
    assert r.code == 0 and "Usage: exitledger" in r.stdout and "record" in r.stdout
