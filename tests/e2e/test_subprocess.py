"""The real executable: process boundaries, a stdin that is not a terminal, real tracebacks."""

from __future__ import annotations

import json

from tests.e2e.conftest import APPROVED, AUTHORITY, CASE, CASE_OPENED, ENCRYPTED, Province, must


def test_unreachable_database_is_one_error_line_without_traceback(run_proc):
    r = run_proc("--db", "postgresql://postgres:hunter2@127.0.0.1:1/none", "actor", "list")
    assert r.code == 2, r
    assert "Traceback" not in r.stderr
    assert len(r.err_lines) == 1, r
    assert r.err_lines[0].startswith("error: cannot open database postgresql://postgres@127.0.0.1:1/none"), r
    assert "hunter2" not in r.stderr  # the password is not echoed
    assert r.stdout == ""


def test_encrypted_key_without_passphrase_env_and_no_terminal_exits_2(run_proc, opened: Province):
    before = opened.size()
    r = run_proc(*opened.db, "record", "ExitApplicationApproved", "--stream", CASE, "--actor", ENCRYPTED,
                 "--key", opened.key(ENCRYPTED), "--data", json.dumps(APPROVED))
    assert r.code == 2, r
    assert r.err_lines == [f"error: key file {opened.key(ENCRYPTED)} is encrypted: give --passphrase-env VAR"], r
    assert opened.size() == before


def test_keygen_without_passphrase_option_and_no_terminal_exits_2(run_proc, tmp_path):
    r = run_proc("keygen", "--out", tmp_path / "k.pem")
    assert r.code == 2, r
    assert len(r.err_lines) == 1 and r.err_lines[0].startswith("error: keygen:"), r
    assert not (tmp_path / "k.pem").exists()


def test_json_before_the_command_means_the_same_as_after(run_proc, province: Province):
    for command in (["actor", "list"], ["verify"], ["history", "actors"]):
        before = run_proc(*province.db, "--json", *command)
        after = run_proc(*province.db, *command, "--json")
        assert before.code == after.code == 0, (before, after)
        assert before.stdout == after.stdout
        json.loads(before.stdout)
    receipt = run_proc(*province.db, "--json", "record", "CaseOpened", "--stream", CASE, "--actor", "ah-office",
                       "--key", province.key("ah-office"), "--data", json.dumps(CASE_OPENED, ensure_ascii=False))
    assert receipt.code == 0, receipt
    assert json.loads(receipt.stdout) == {"seq": 7, "hash": json.loads(receipt.stdout)["hash"], "stream": CASE,
                                          "version": 1}


def test_exitledger_db_environment_variable_names_the_database(run_proc, province: Province):
    r = run_proc("actor", "list", "--json", env={"EXITLEDGER_DB": province.url})
    assert r.code == 0, r
    assert {a["actor"] for a in json.loads(r.stdout)} >= {AUTHORITY, "ah-office"}


def test_default_database_is_exitledger_db_in_the_working_directory(run, tmp_path, province: Province):
    must(run("init", "--province-code", "340000", "--province-name", "安徽省", "--key", province.key(AUTHORITY)))
    assert (tmp_path / "exitledger.db").is_file()
    assert must(run("verify", "--json")).json()["events"] == 1
