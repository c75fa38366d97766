"""`exitledger demo`: Anhui's 31 counties with planted falsifications, on a fresh database —
flagged, verified, exported, deterministic."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from cli.demo import demo_province
from tests.e2e.conftest import Result, invoke, must

YUEXI = "case:340828-2017"  # national-level, announced
XIAOXIAN = "case:341322-2019"  # planted: self-reported 1.95 %, verified 2.50 % → rejected
PROVINCE = demo_province(None, None)


def _demo(root: Path, *extra: str) -> tuple[Result, tuple[str, str]]:
    db = ("--db", f"sqlite:///{root}/exitledger.db")
    return invoke(*db, "demo", "--out", str(root), *extra), db


@pytest.fixture(scope="module")
def demo_runs(tmp_path_factory: pytest.TempPathFactory) -> list[tuple[Path, Result, tuple[str, str]]]:
    runs = []
    for name in ("first", "second"):
        root = tmp_path_factory.mktemp(f"demo-{name}")
        result, db = _demo(root)
        runs.append((root, result, db))
    return runs


def test_demo_prints_every_case_the_flags_two_histories_and_two_verifications(demo_runs) -> None:
    root, r, _ = demo_runs[0]
    assert r.code == 0, r
    assert "Traceback" not in r.stderr
    out = r.stdout
    assert len(PROVINCE.cases) == 31
    for stream in PROVINCE.cases:
        assert stream in out
    assert "red flag(s)" in out
    assert out.index(YUEXI + "\n") < out.index(XIAOXIAN + "\n")  # the two history tables' titles
    assert out.count(" events verified") == 2  # the database, then the exported bundle offline
    assert (root / "bundle" / "manifest.json").is_file() and (root / "bundle" / "events.csv").is_file()
    keys = {p.stem for p in (root / "keys").glob("*.pem")}
    assert keys == {"ledger-authority", *(a.actor for a in PROVINCE.actors)}


def test_demo_is_deterministic(demo_runs) -> None:
    (_, r1, db1), (_, r2, db2) = demo_runs
    assert r1.code == r2.code == 0
    for args in (["history", YUEXI], ["history", XIAOXIAN], ["actor", "list"], ["flags"]):
        assert must(invoke(*db1, *args, "--json")).stdout == must(invoke(*db2, *args, "--json")).stdout


def test_every_planted_falsification_raises_its_flags_and_clean_counties_raise_no_serious_one(demo_runs) -> None:
    _, _, db = demo_runs[0]
    flags = must(invoke(*db, "flags", "--json")).json()
    raised = {(f["stream"], f["rule"]) for f in flags}
    assert PROVINCE.planted
    for planted in PROVINCE.planted:
        for rule in planted.rules:
            assert (planted.stream, rule) in raised, planted
    suspect = {p.stream for p in PROVINCE.planted}
    serious = [f for f in flags if f["severity"] in ("critical", "high") and f["stream"] not in suspect]
    assert serious == []
    for flag in flags:  # every flag rests on signed events of this ledger
        assert flag["evidence"] and all(len(e["hash"]) == 64 and e["seq"] >= 1 for e in flag["evidence"])


def test_the_rejected_case_takes_nothing_more(demo_runs) -> None:
    root, _, db = demo_runs[0]
    events = must(invoke(*db, "history", XIAOXIAN, "--json")).json()
    assert events[-1]["payload"]["decision"] == "reject"  # 2.50 % > the 2 % limit
    r = invoke(*db, "record", "DepartmentInspectionCompleted", "--stream", XIAOXIAN, "--actor", "ah-dept-stats",
               "--key", str(root / "keys" / "ah-dept-stats.pem"), "--data",
               json.dumps({"inspected_on": "2020-02-01", "department": "安徽省统计局", "passed": True}))
    assert r.code == 2, r
    assert len(r.err_lines) == 1 and "nothing follows a rejection" in r.stderr, r
    assert len(must(invoke(*db, "history", XIAOXIAN, "--json")).json()) == len(events)


def test_demo_on_a_database_that_holds_a_ledger_exits_2_and_appends_nothing(demo_runs, tmp_path) -> None:
    _, _, db = demo_runs[1]
    before = must(invoke(*db, "verify", "--json")).json()["events"]
    r = invoke(*db, "demo", "--out", str(tmp_path / "again"))
    assert r.code == 2, r
    assert len(r.err_lines) == 1 and "already holds a ledger" in r.stderr, r
    assert must(invoke(*db, "verify", "--json")).json()["events"] == before


def test_the_small_demo_records_the_two_hand_written_cases(tmp_path) -> None:
    r, db = _demo(tmp_path, "--small")
    assert r.code == 0, r
    day = must(invoke(*db, "history", YUEXI, "--as-of", "2017-12-15", "--json")).json()
    assert day[-1]["type"] == "ExitApplicationSubmitted"
    linquan = must(invoke(*db, "history", "case:341221-2019", "--json")).json()
    assert linquan[-1]["payload"]["decision"] == "reject"


def test_the_demo_scales_to_synthetic_counties(tmp_path) -> None:
    r, db = _demo(tmp_path, "--counties", "4", "--villages", "3")
    assert r.code == 0, r
    assert len(must(invoke(*db, "status", "--json")).json()) == 4
