"""SPEC §4–§5, the way a user drives it: keys, genesis, actors, a small case, history, verify."""

from __future__ import annotations

import json
import re
import stat
from pathlib import Path

from cryptography.hazmat.primitives import serialization

from ledger.keys import key_id, parse_vkey
from tests.e2e.conftest import (
    APPROVED,
    AUTHORITY,
    CASE,
    CASE_OPENED,
    FIGURES,
    PASSPHRASE,
    PASSPHRASE_VAR,
    REVIEWED,
    SMALL_CASE,
    SUBMITTED,
    Province,
    must,
    public_pem,
)

UUID_RE = r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}"
VKEY_RE = r"(?P<name>[^+\s]+)\+(?P<hash>[0-9a-f]{8})\+(?P<key>[A-Za-z0-9+/]+=*)"
HISTORY_FIELDS = {"seq", "version", "type", "hash", "actor", "person", "key", "recorded_at", "decided_on", "payload"}


def _raw_public(pem: Path, secret: bytes | None = None) -> bytes:
    key = serialization.load_pem_private_key(pem.read_bytes(), secret)
    return key.public_key().public_bytes_raw()  # type: ignore[union-attr]


# -- keygen -------------------------------------------------------------------------------------
def test_keygen_no_passphrase_writes_pkcs8_and_prints_verifier_key_named_after_stem(run, tmp_path):
    r = must(run("keygen", "--out", tmp_path / "341122-lg.pem", "--no-passphrase"))
    vkey = r.stdout.strip()
    assert re.fullmatch(VKEY_RE, vkey), vkey
    name, raw = parse_vkey(vkey)  # the key hash matches the key
    assert name == "341122-lg"
    pem = tmp_path / "341122-lg.pem"
    assert pem.read_text().startswith("-----BEGIN PRIVATE KEY-----")
    assert stat.S_IMODE(pem.stat().st_mode) == 0o600
    assert _raw_public(pem) == raw
    assert r.stderr == ""


def test_keygen_passphrase_env_encrypts_the_key(run, tmp_path):
    pem = tmp_path / "enc.pem"
    r = must(run("keygen", "--out", pem, "--passphrase-env", "MY_PASS", "--json", env={"MY_PASS": "s3cret"}))
    out = r.json()
    assert set(out) == {"key", "vkey"}
    assert out["key"] == str(pem)
    assert pem.read_text().startswith("-----BEGIN ENCRYPTED PRIVATE KEY-----")
    assert _raw_public(pem, b"s3cret") == parse_vkey(out["vkey"])[1]
    assert parse_vkey(out["vkey"])[0] == "enc"


# -- init ---------------------------------------------------------------------------------------
def test_init_prints_ledger_id_and_authority_verifier_key(run, tmp_path):
    pem = tmp_path / "authority.pem"
    key_vkey = must(run("keygen", "--out", pem, "--no-passphrase")).stdout.strip()
    db = f"sqlite:///{tmp_path}/l.db"
    r = must(run("--db", db, "init", "--province-code", "340000", "--province-name", "安徽省", "--key", pem))
    lines = r.stdout.splitlines()
    assert len(lines) == 2, r
    ledger_id = re.fullmatch(rf"ledger ({UUID_RE})", lines[0]).group(1)
    m = re.fullmatch(rf"authority verifier key: {VKEY_RE}", lines[1])
    assert m, lines[1]
    name, raw = parse_vkey(lines[1].split(": ", 1)[1])
    assert name == f"exitledger/{ledger_id}"  # named with the origin (SPEC §4)
    assert raw == parse_vkey(key_vkey)[1] == _raw_public(pem)

    genesis = must(run("--db", db, "history", "actors", "--json")).json()
    assert [e["type"] for e in genesis] == ["LedgerInitialised"]
    assert genesis[0]["seq"] == 1 and genesis[0]["actor"] == AUTHORITY
    assert genesis[0]["payload"]["origin"] == f"exitledger/{ledger_id}"
    assert genesis[0]["payload"]["authority_actor"] == "ledger-authority"
    assert genesis[0]["key"] == key_id(raw)


def test_init_json_and_custom_authority_actor(run, tmp_path):
    pem = tmp_path / "a.pem"
    must(run("keygen", "--out", pem, "--no-passphrase"))
    db = f"sqlite:///{tmp_path}/l.db"
    out = must(run("--db", db, "--json", "init", "--province-code", "530000", "--province-name", "云南省",
                   "--key", pem, "--actor", "yn-authority", "--incidence-limit", "3")).json()
    assert out["seq"] == 1 and out["version"] == 1 and out["stream"] == "actors"
    assert out["origin"] == f"exitledger/{out['ledger']}"
    assert parse_vkey(out["authority_vkey"])[0] == out["origin"]
    payload = must(run("--db", db, "history", "actors", "--json")).json()[0]["payload"]
    assert payload["authority_actor"] == "yn-authority"
    assert payload["incidence_limit"] == "3"


# -- actors -------------------------------------------------------------------------------------
def test_actor_register_with_pem_file_verifier_key_and_person(run, province: Province, tmp_path):
    stats_pem = tmp_path / "ah-dept-stats.pem"
    must(run("keygen", "--out", stats_pem, "--no-passphrase"))
    pub = public_pem(stats_pem, tmp_path / "stats.pub.pem")
    assert pub.read_text().startswith("-----BEGIN PUBLIC KEY-----")
    vkey_eval = must(run("keygen", "--out", tmp_path / "ah-eval.pem", "--no-passphrase")).stdout.strip()
    vkey_cn = must(run("keygen", "--out", tmp_path / "cn-lg.pem", "--no-passphrase")).stdout.strip()
    before = province.size()

    # 1. a PEM public key file, with --person
    r1 = must(run(*province.db, "actor", "register", "--actor", "ah-dept-stats", "--name", "安徽省统计局",
                  "--role", "provincial_department", "--jurisdiction", "340000", "--public-key", pub,
                  "--person", "统计乙", "--key", province.key(AUTHORITY)))
    assert re.fullmatch(rf"seq {before + 1}  actors v{before + 1}  ActorRegistered  [0-9a-f]{{64}}", r1.stdout.strip())
    # 2. a verifier key string, with --person, --json receipt
    r2 = must(run(*province.db, "actor", "register", "--actor", "ah-eval", "--name", "第三方评估机构",
                  "--role", "third_party_evaluator", "--jurisdiction", "340000", "--public-key", vkey_eval,
                  "--person", "评估丙", "--key", province.key(AUTHORITY), "--json"))
    assert r2.json()["seq"] == before + 2 and r2.json()["stream"] == "actors"
    # 3. a verifier key string, no person
    must(run(*province.db, "actor", "register", "--actor", "cn-lg", "--name", "国务院扶贫开发领导小组",
             "--role", "national_leading_group", "--jurisdiction", "000000", "--public-key", vkey_cn,
             "--key", province.key(AUTHORITY)))
    assert province.size() == before + 3

    actors = {a["actor"]: a for a in must(run(*province.db, "actor", "list", "--json")).json()}
    assert actors["ah-dept-stats"] == {
        "actor": "ah-dept-stats", "name": "安徽省统计局", "role": "provincial_department", "jurisdiction": "340000",
        "person": "统计乙", "key": key_id(_raw_public(stats_pem)), "revoked": False}
    assert actors["ah-eval"]["person"] == "评估丙"
    assert actors["ah-eval"]["key"] == key_id(parse_vkey(vkey_eval)[1])
    assert actors["cn-lg"]["person"] is None
    assert actors["cn-lg"]["jurisdiction"] == "000000"

    registered = must(run(*province.db, "history", "actors", "--json")).json()[-1]
    assert registered["type"] == "ActorRegistered"
    assert "person" not in registered["payload"]  # absent optional fields are left out, never null
    assert re.fullmatch(r"\d{4}-\d{2}-\d{2}", registered["payload"]["valid_from"])  # the ledger fills it in
    assert must(run(*province.db, "verify", "--json")).json()["ok"] is True


def test_actor_list_json_before_and_after_the_command_is_the_same(run, province: Province):
    before = must(run(*province.db, "--json", "actor", "list"))
    after = must(run(*province.db, "actor", "list", "--json"))
    assert before.stdout == after.stdout
    actors = before.json()
    assert [a["actor"] for a in actors] == sorted(a["actor"] for a in actors)
    assert {a["actor"] for a in actors} == {AUTHORITY, "ah-office", "340828-lg", "340828-pg", "340800-lg", "341221-lg"}
    for a in actors:
        assert set(a) == {"actor", "name", "role", "jurisdiction", "person", "key", "revoked"}
        assert re.fullmatch(r"[0-9a-f]{16}", a["key"])


def test_actor_list_human_table(run, province: Province):
    r = must(run(*province.db, "actor", "list"))
    assert "ah-office" in r.stdout and "provincial_office" in r.stdout and "person of ah-office" in r.stdout
    assert r.stdout.lstrip().startswith("actors")


def test_verify_json_before_and_after_the_command_is_the_same(run, province: Province):
    assert must(run(*province.db, "--json", "verify")).stdout == must(run(*province.db, "verify", "--json")).stdout


# -- a small case -------------------------------------------------------------------------------
def test_record_a_whole_small_case(run, province: Province, tmp_path):
    base = province.size()  # genesis + 5 registrations
    assert base == 6
    env = {PASSPHRASE_VAR: PASSPHRASE}

    def record(type_, actor, data, *extra):
        return run(*province.record_args(type_, CASE, actor, data), *extra, env=env)

    # --data JSON inline; human receipt
    r = must(record("CaseOpened", "ah-office", CASE_OPENED))
    receipt = re.fullmatch(r"seq (\d+)  (\S+) v(\d+)  (\w+)  ([0-9a-f]{64})", r.stdout.strip())
    assert receipt is not None, r.stdout
    seq, stream, version, type_, hash_ = receipt.groups()
    assert (int(seq), stream, int(version), type_) == (base + 1, CASE, 1, "CaseOpened")

    # --data @FILE
    data_file = tmp_path / "figures.json"
    data_file.write_text(json.dumps(FIGURES, ensure_ascii=False, indent=2), encoding="utf-8")
    must(record("FiguresReported", "340828-lg", f"@{data_file}"))
    # an encrypted key with --passphrase-env
    must(record("ExitApplicationApproved", "340828-pg", APPROVED))
    # --json receipt
    receipt = must(record("ExitApplicationSubmitted", "340828-lg", SUBMITTED, "--json")).json()
    assert set(receipt) == {"seq", "hash", "stream", "version"}
    assert receipt["seq"] == base + 4 and receipt["stream"] == CASE and receipt["version"] == 4
    assert re.fullmatch(r"[0-9a-f]{64}", receipt["hash"])
    # --json before the command, same receipt shape
    receipt5 = must(run("--json", *province.record_args("CityReviewCompleted", CASE, "340800-lg", REVIEWED))).json()
    assert set(receipt5) == {"seq", "hash", "stream", "version"} and receipt5["version"] == 5

    events = must(run(*province.db, "history", CASE, "--json")).json()
    assert [e["type"] for e in events] == [t for t, _, _ in SMALL_CASE]
    assert [e["version"] for e in events] == [1, 2, 3, 4, 5]
    assert [e["seq"] for e in events] == list(range(base + 1, base + 6))
    for e, (_, actor, data) in zip(events, SMALL_CASE):
        assert set(e) == HISTORY_FIELDS
        assert e["actor"] == actor
        assert e["person"] == f"person of {actor}"
        assert re.fullmatch(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{6}Z", e["recorded_at"])
        assert re.fullmatch(r"[0-9a-f]{16}", e["key"])
        for field, value in data.items():
            assert e["payload"][field] == value  # the payload as written ("1.26" stays a string)
    assert events[0]["hash"] == hash_
    assert events[3]["hash"] == receipt["hash"] and events[4]["hash"] == receipt5["hash"]
    assert [e["decided_on"] for e in events] == ["2017-08-01", "2017-11-25", "2017-12-08", "2017-12-10", "2017-12-20"]
    # the ledger filled in the figures the application relies on: the county's self-report
    assert events[3]["payload"]["figures"] == events[1]["hash"]
    keys = {a["actor"]: a["key"] for a in must(run(*province.db, "actor", "list", "--json")).json()}
    assert all(e["key"] == keys[e["actor"]] for e in events)

    r = must(run(*province.db, "verify"))
    assert r.stdout.strip().endswith(f"{base + 5} events verified")
    report = must(run(*province.db, "verify", "--json")).json()
    assert report["ok"] is True and report["events"] == base + 5 and report["problems"] == []
    assert re.fullmatch(UUID_RE, report["ledger"])


def test_history_as_of_before_a_later_event_hides_it(run, province: Province):
    for type_, actor, data in SMALL_CASE[:4]:
        must(province.record(type_, CASE, actor, data))
    events = must(run(*province.db, "history", CASE, "--json")).json()
    must(province.record("CityReviewCompleted", CASE, "340800-lg", REVIEWED))
    as_of = events[-1]["recorded_at"]  # the moment ExitApplicationSubmitted was recorded
    seen = must(run(*province.db, "history", CASE, "--as-of", as_of, "--json")).json()
    assert seen == events
    everything = must(run(*province.db, "history", CASE, "--json")).json()
    assert [e["type"] for e in everything][-1] == "CityReviewCompleted"
    assert must(run(*province.db, "history", CASE, "--as-of", "2000-01-01", "--json")).json() == []
    human = must(run(*province.db, "history", CASE, "--as-of", as_of))
    assert f"{CASE} as of {as_of}" in human.stdout
    assert "ExitApplication" in human.stdout and "CityReview" not in human.stdout  # cells may wrap


# -- import ---------------------------------------------------------------------------------------
def _jsonl(lines: list[object]) -> str:
    return "".join((line if isinstance(line, str) else json.dumps(line, ensure_ascii=False)) + "\n" for line in lines)


def test_import_a_whole_case_with_key_dir(run, province: Province, tmp_path):
    batch = tmp_path / "case.jsonl"
    batch.write_text(_jsonl([{"type": t, "stream": CASE, "actor": a, "payload": d} for t, a, d in SMALL_CASE]),
                     encoding="utf-8")
    base = province.size()
    out = must(run(*province.db, "import", batch, "--key-dir", province.keys, "--passphrase-env", PASSPHRASE_VAR,
                   "--json", env={PASSPHRASE_VAR: PASSPHRASE})).json()
    assert out["imported"] == 5 and out["first_seq"] == base + 1 and out["last_seq"] == base + 5
    assert [r["version"] for r in out["receipts"]] == [1, 2, 3, 4, 5]
    events = must(run(*province.db, "history", CASE, "--json")).json()
    assert [e["type"] for e in events] == [t for t, _, _ in SMALL_CASE]
    assert [e["hash"] for e in events] == [r["hash"] for r in out["receipts"]]
    assert must(run(*province.db, "verify", "--json")).json()["ok"] is True


def test_import_human_output(run, province: Province, tmp_path):
    batch = tmp_path / "one.jsonl"
    batch.write_text(_jsonl([{"type": "CaseOpened", "stream": CASE, "actor": "ah-office", "payload": CASE_OPENED}]))
    r = must(run(*province.db, "import", batch, "--key-dir", province.keys))
    assert r.stdout.strip() == "imported 1 events, seq 7–7"


# -- rotate and revoke --------------------------------------------------------------------------
def test_rotate_then_old_key_refused_and_new_key_accepted(run, opened: Province, tmp_path):
    p = opened
    new_pem = tmp_path / "340828-lg-2.pem"
    new_vkey = must(run("keygen", "--out", new_pem, "--no-passphrase")).stdout.strip()
    must(run(*p.db, "actor", "rotate", "--actor", "340828-lg", "--public-key", new_vkey, "--reason", "印章更换",
             "--key", p.key(AUTHORITY)))
    listed = {a["actor"]: a for a in must(run(*p.db, "actor", "list", "--json")).json()}
    assert listed["340828-lg"]["key"] == key_id(parse_vkey(new_vkey)[1])

    before = p.size()
    old = run(*p.record_args("FiguresReported", CASE, "340828-lg", FIGURES))
    assert old.code == 2, old
    assert old.err_lines == [old.err_lines[0]] and old.err_lines[0].startswith("error:")
    assert "not the current key of actor 340828-lg" in old.stderr
    assert p.size() == before

    args = p.record_args("FiguresReported", CASE, "340828-lg", FIGURES)
    args[args.index("--key") + 1] = str(new_pem)
    must(run(*args))
    assert p.size() == before + 1
    assert must(run(*p.db, "verify", "--json")).json()["ok"] is True


def test_revoke_then_the_actors_record_is_refused(run, province: Province):
    p = province
    must(p.record("CaseOpened", "case:341221-2019", "ah-office",
                  {**CASE_OPENED, "county_code": "341221", "county_name": "临泉县", "city_code": "341200",
                   "city_name": "阜阳市", "year": 2019}))
    must(run(*p.db, "actor", "revoke", "--actor", "341221-lg", "--reason", "机构撤销", "--key", p.key(AUTHORITY)))
    listed = {a["actor"]: a for a in must(run(*p.db, "actor", "list", "--json")).json()}
    assert listed["341221-lg"]["revoked"] is True
    before = p.size()
    r = run(*p.record_args("FiguresReported", "case:341221-2019", "341221-lg", FIGURES))
    assert r.code == 2, r
    assert len(r.err_lines) == 1 and r.err_lines[0].startswith("error:")
    assert "341221-lg" in r.stderr and "revoked" in r.stderr
    assert p.size() == before
    assert must(run(*p.db, "verify", "--json")).json()["ok"] is True
