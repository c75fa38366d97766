"""`exitledger demo --out DIR`: two cases on a fresh database, verified, deterministic."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from domain import scenario
from tests.e2e.conftest import Result, invoke, must

YUEXI = "case:340828-2017"
LINQUAN = "case:341221-2019"


def _demo(root: Path) -> tuple[Result, tuple[str, str]]:
    db = ("--db", f"sqlite:///{root}/exitledger.db")
    return invoke(*db, "demo", "--out", root), db


@pytest.fixture(scope="module")
def demo_runs(tmp_path_factory: pytest.TempPathFactory) -> list[tuple[Path, Result, tuple[str, str]]]:
    runs = []
    for name in ("first", "second"):
        root = tmp_path_factory.mktemp(f"demo-{name}")
        result, db = _demo(root)
        runs.append((root, result, db))
    return runs


def test_demo_on_a_fresh_database_prints_both_histories_and_verified(demo_runs):
    root, r, _ = demo_runs[0]
    assert r.code == 0, r
    assert "Traceback" not in r.stderr
    out = r.stdout
    assert out.index(YUEXI) < out.index(LINQUAN)
    for step in scenario.demo_steps():
        assert step.type in out
    n_events = 1 + len(scenario.ACTORS) + len(scenario.demo_steps())
    assert out.rstrip().splitlines()[-1].endswith(f": {n_events} events verified")
    keys = sorted(p.stem for p in (root / "keys").glob("*.pem"))
    assert keys == sorted([scenario.AUTHORITY, *(a.actor for a in scenario.ACTORS)])


def test_demo_is_deterministic(demo_runs):
    (_, r1, db1), (_, r2, db2) = demo_runs
    assert r1.code == r2.code == 0
    h1 = must(invoke(*db1, "history", YUEXI, "--json")).stdout
    h2 = must(invoke(*db2, "history", YUEXI, "--json")).stdout
    assert h1 == h2
    events = json.loads(h1)
    assert len(events) == len(scenario.yuexi_case())
    assert [e["type"] for e in events] == [s.type for s in scenario.yuexi_case()]
    assert len({e["hash"] for e in events}) == len(events)
    for db in (db1, db2):
        assert must(invoke(*db, "verify", "--json")).json()["ok"] is True
    assert must(invoke(*db1, "history", LINQUAN, "--json")).stdout == must(invoke(*db2, "history", LINQUAN,
                                                                                   "--json")).stdout
    assert must(invoke(*db1, "actor", "list", "--json")).stdout == must(invoke(*db2, "actor", "list", "--json")).stdout


def test_demo_history_as_of_a_day_shows_the_case_as_it_stood(demo_runs):
    _, _, db = demo_runs[0]
    day = must(invoke(*db, "history", YUEXI, "--as-of", "2017-12-15", "--json")).json()
    assert day[-1]["type"] == "ExitApplicationSubmitted" and day[-1]["version"] == 8
    # recorded at 08:00:00 UTC on its day: an instant before hides it, the instant itself shows it
    before = must(invoke(*db, "history", YUEXI, "--as-of", "2017-12-10T07:59:59Z", "--json")).json()
    at = must(invoke(*db, "history", YUEXI, "--as-of", "2017-12-10T16:00:00+08:00", "--json")).json()
    assert before[-1]["type"] == "ExitApplicationApproved"
    assert at[-1]["type"] == "ExitApplicationSubmitted"


def test_demo_rejected_case_takes_nothing_more(demo_runs):
    root, _, db = demo_runs[0]
    events = must(invoke(*db, "history", LINQUAN, "--json")).json()
    assert events[-1]["payload"]["decision"] == "reject"  # 2.50 % > the 2 % limit
    size = len(must(invoke(*db, "history", LINQUAN, "--json")).json())
    r = invoke(*db, "record", "DepartmentInspectionCompleted", "--stream", LINQUAN, "--actor", "ah-dept-stats",
               "--key", root / "keys" / "ah-dept-stats.pem", "--data",
               json.dumps({"inspected_on": "2020-02-01", "department": "安徽省统计局", "passed": True}))
    assert r.code == 2, r
    assert len(r.err_lines) == 1 and "nothing follows a rejection" in r.stderr, r
    assert len(must(invoke(*db, "history", LINQUAN, "--json")).json()) == size


def test_demo_on_a_database_that_holds_a_ledger_exits_2_and_appends_nothing(demo_runs, tmp_path):
    _, _, db = demo_runs[1]
    before = must(invoke(*db, "verify", "--json")).json()["events"]
    r = invoke(*db, "demo", "--out", tmp_path / "again")
    assert r.code == 2, r
    assert len(r.err_lines) == 1 and "already holds a ledger" in r.stderr, r
    assert must(invoke(*db, "verify", "--json")).json()["events"] == before
