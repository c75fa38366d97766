"""Regression tests for product bugs the end-to-end tests found (first written as strict xfails).

Each was a traceback reaching the user, a wrong exit code, or a message that did not say what the
user gave: rich rendered data as emoji codes and markup, a non-UTF-8 --data file and a malformed
--ledger-id escaped as tracebacks, argument errors were blamed on the payload, and `verify` on an
empty database printed "ledger None".
"""

from __future__ import annotations

import json
import sqlite3

import pytest

from tests.e2e.conftest import AUTHORITY, CASE, CASE_OPENED, Province, must


def _one_error_line(r) -> None:
    assert r.code == 2, r
    assert "Traceback" not in r.stderr, r
    assert len(r.err_lines) == 1 and r.err_lines[0].startswith("error: "), r


@pytest.mark.parametrize("stream", ["inquiry:100", "inquiry:fire"])
def test_error_messages_keep_the_stream_name_verbatim(run, opened: Province, stream):
    before = opened.size()
    r = run(*opened.record_args("InquiryOpened", stream, "ah-office",
                                {"case": CASE, "subject": "岳西县退出数据", "opened_on": "2018-09-01"}))
    _one_error_line(r)
    assert opened.size() == before
    assert f"on {stream}:" in r.stderr, r
    assert "💯" not in r.stderr and "🔥" not in r.stderr, r


def test_import_error_keeps_the_stream_name_verbatim(run, province: Province, tmp_path):
    batch = tmp_path / "b.jsonl"
    batch.write_text(json.dumps({"type": "CaseOpened", "stream": "case:x", "actor": "ah-office",
                                 "payload": CASE_OPENED}) + "\n")
    r = run(*province.db, "import", batch, "--key-dir", province.keys)
    _one_error_line(r)
    assert "stream case:x:" in r.stderr and "❌" not in r.stderr, r


def test_history_table_shows_payload_text_with_brackets(run_proc, opened: Province):
    must(opened.record("ExitApplicationApproved", CASE, "340828-pg",
                       {"approved_on": "2017-12-08", "document": "[/x] 岳发〔2017〕41号"}))
    r = run_proc(*opened.db, "history", CASE)
    assert "Traceback" not in r.stderr, r
    assert r.code == 0, r
    assert "[/x]" in r.stdout


def test_actor_list_table_survives_brackets_in_a_name(run, province: Province, tmp_path):
    vkey = must(run("keygen", "--out", tmp_path / "q.pem", "--no-passphrase")).stdout.strip()
    must(run(*province.db, "actor", "register", "--actor", "q", "--name", "[/i] 审计组", "--role",
             "provincial_office", "--jurisdiction", "340000", "--public-key", vkey, "--key", province.key(AUTHORITY)))
    r = run(*province.db, "actor", "list")
    assert "Traceback" not in r.stderr, r
    assert r.code == 0 and "[/i] 审计组" in r.stdout, r


def test_actor_list_table_shows_names_as_registered(run, province: Province, tmp_path):
    vkey = must(run("keygen", "--out", tmp_path / "q.pem", "--no-passphrase")).stdout.strip()
    must(run(*province.db, "actor", "register", "--actor", "q", "--name", "[bold]审计组[/bold]", "--role",
             "provincial_office", "--jurisdiction", "340000", "--public-key", vkey, "--key", province.key(AUTHORITY)))
    r = must(run(*province.db, "actor", "list"))
    assert "[bold]审计组[/bold]" in r.stdout, r


def test_data_file_not_utf8_is_bad_input(run, opened: Province, tmp_path):
    data = tmp_path / "approved.json"
    data.write_bytes(json.dumps({"approved_on": "2017-12-08", "document": "岳发〔2017〕41号"},
                                ensure_ascii=False).encode("gbk"))
    before = opened.size()
    r = run(*opened.record_args("ExitApplicationApproved", CASE, "340828-pg", f"@{data}"),
            env={"EL_TEST_PASSPHRASE": "correct horse battery staple"})
    _one_error_line(r)
    assert "--data" in r.stderr
    assert opened.size() == before


def test_init_with_a_malformed_ledger_id_is_bad_input(run, province: Province, tmp_path):
    db = f"sqlite:///{tmp_path}/new.db"
    r = run("--db", db, "init", "--province-code", "340000", "--province-name", "安徽省", "--key",
            province.key(AUTHORITY), "--ledger-id", "not-a-uuid")
    _one_error_line(r)
    assert "--ledger-id" in r.stderr


@pytest.mark.parametrize("args", [
    ["history", "county-340828"],
    ["record", "ExitCelebrated", "--stream", CASE, "--actor", "ah-office", "--key", "@ah-office", "--data", "{}"],
], ids=["history-stream", "record-type"])
def test_argument_errors_name_the_argument_not_the_payload(run, opened: Province, args):
    args = [str(opened.key("ah-office")) if a == "@ah-office" else a for a in args]
    r = run(*opened.db, *args)
    _one_error_line(r)
    assert "payload." not in r.stderr, r
    assert ("county-340828" if args[0] == "history" else "ExitCelebrated") in r.stderr, r


def test_verify_on_an_empty_database_says_there_is_no_ledger(run, tmp_path):
    empty = tmp_path / "empty.db"
    sqlite3.connect(empty).close()
    for args in (["verify"], ["verify", "--json"]):
        r = run("--db", f"sqlite:///{empty}", *args)
        _one_error_line(r)
        assert "no ledger" in r.stderr and "None" not in r.stdout + r.stderr, r
