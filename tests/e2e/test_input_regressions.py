"""Input that once escaped as a traceback or was silently accepted: absurd nesting, duplicate
member names, passphrases that are not UTF-8."""

from __future__ import annotations

import json


from tests.e2e.conftest import CASE, CASE_OPENED, Province, Result

DEEP = '{"note": ' + "[" * 100_000 + "]" * 100_000 + "}"


def _bad_input(r: Result, p: Province, before: int) -> None:
    assert "Traceback" not in r.stderr, r
    assert r.code == 2, r
    assert len(r.err_lines) == 1 and r.err_lines[0].startswith("error: "), r
    assert p.size() == before


def test_deeply_nested_data_file_is_bad_input(run, opened: Province, tmp_path):
    data = tmp_path / "deep.json"
    data.write_text(DEEP)
    before = opened.size()
    r = run(*opened.record_args("RectificationOpened", CASE, "ah-office", f"@{data}"))
    _bad_input(r, opened, before)
    assert "--data" in r.stderr


def test_deeply_nested_import_line_is_bad_input(run, province: Province, tmp_path):
    batch = tmp_path / "deep.jsonl"
    line = json.dumps({"type": "CaseOpened", "stream": CASE, "actor": "ah-office", "payload": "X"})
    batch.write_text(line.replace('"X"', DEEP) + "\n")
    before = province.size()
    r = run(*province.db, "import", batch, "--key-dir", province.keys)
    _bad_input(r, province, before)
    assert "line 1" in r.stderr


def test_duplicate_member_names_in_data_are_refused(run, province: Province):
    data = json.dumps(CASE_OPENED, ensure_ascii=False).replace('"county_name": "岳西县"',
                                                                '"county_name": "甲县", "county_name": "岳西县"')
    assert data.count('"county_name"') == 2
    before = province.size()
    r = run(*province.record_args("CaseOpened", CASE, "ah-office", data))
    _bad_input(r, province, before)
    assert "county_name" in r.stderr


def test_passphrase_env_with_non_utf8_bytes_is_not_a_traceback(run, tmp_path):
    out = tmp_path / "k.pem"
    # how Python sees an environment value holding the bytes ff fe e9 on a UTF-8 system
    value = b"\xff\xfe-\xe9".decode("utf-8", "surrogateescape")
    r = run("keygen", "--out", out, "--passphrase-env", "PW", env={"PW": value})
    assert "Traceback" not in r.stderr, r
    assert r.code in (0, 2), r
    if r.code == 2:
        assert len(r.err_lines) == 1 and r.err_lines[0].startswith("error: "), r
        assert not out.exists()
    else:
        assert out.read_text().startswith("-----BEGIN ENCRYPTED PRIVATE KEY-----")
