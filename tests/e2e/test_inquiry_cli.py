"""A discipline inquiry through the command line: open, finding, decision, close, and its history
with the cited evidence resolved to the signed events."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.e2e.conftest import invoke, must

CASE = "case:341221-2019"


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> tuple[tuple[str, str], Path]:
    root = tmp_path_factory.mktemp("inquiry")
    db = ("--db", f"sqlite:///{root}/ledger.db")
    must(invoke(*db, "demo", "--out", str(root / "out")))
    return db, root / "out" / "keys"


def _inspector(keys: Path) -> list[str]:
    return ["--actor", "ah-cdi", "--key", str(keys / "ah-cdi.pem")]


def _figures(db: tuple[str, str]) -> tuple[str, str]:
    events = must(invoke(*db, "history", CASE, "--json")).json()
    reported = [e["hash"] for e in events if e["type"] == "FiguresReported"]
    return reported[0], reported[1]


def test_an_inquiry_runs_from_opening_to_closing_and_its_history_resolves_the_evidence(demo, tmp_path) -> None:
    db, keys = demo
    county, verified = _figures(db)
    who = _inspector(keys)
    must(invoke(*db, "inquiry", "open", "--id", "2020-07", "--case", CASE, "--subject", "临泉县数据不实",
                "--opened-on", "2020-03-01", "--basis", county, "--basis", verified, *who))
    must(invoke(*db, "inquiry", "finding", "--id", "2020-07", "--kind", "falsification", "--responsible", "341221-lg",
                "--evidence", county, "--evidence", verified, "--summary", "县报1.95%，系统2.50%",
                "--recorded-on", "2020-04-01", *who))
    must(invoke(*db, "inquiry", "decide", "--id", "2020-07", "--against", "341221-lg", "--measures", "诫勉谈话",
                "--decided-on", "2020-05-01", *who))
    must(invoke(*db, "inquiry", "close", "--id", "2020-07", "--closed-on", "2020-05-10", *who))

    history = must(invoke(*db, "history", "inquiry:2020-07", "--json")).json()

    assert [e["type"] for e in history] == ["InquiryOpened", "FindingRecorded", "AccountabilityDecided", "InquiryClosed"]
    finding = history[1]
    assert [(c["hash"], c["stream"], c["type"], c["actor"]) for c in finding["cites"]] == [
        (county, CASE, "FiguresReported", "341221-lg"), (verified, CASE, "FiguresReported", "ah-office")]
    after_close = invoke(*db, "inquiry", "finding", "--id", "2020-07", "--kind", "falsification", "--responsible",
                         "341221-lg", "--evidence", county, "--summary", "again", "--recorded-on", "2020-06-01", *who)
    assert after_close.code == 2 and "error:" in after_close.stderr


@pytest.mark.parametrize("change", [
    ("--evidence", "0" * 64, "evidence"),
    ("--responsible", "nobody", "responsible"),
], ids=["evidence-not-in-ledger", "unknown-actor"])
def test_a_finding_citing_what_is_not_in_this_ledger_is_refused_and_writes_nothing(demo, change) -> None:
    db, keys = demo
    county, _ = _figures(db)
    must(invoke(*db, "inquiry", "open", "--id", f"x-{change[2]}", "--case", CASE, "--subject", "s",
                "--opened-on", "2020-03-01", *_inspector(keys)))
    before = must(invoke(*db, "verify", "--json")).json()["events"]
    args = {"--responsible": "341221-lg", "--evidence": county}
    args[change[0]] = change[1]
    r = invoke(*db, "inquiry", "finding", "--id", f"x-{change[2]}", "--kind", "falsification", "--responsible",
               args["--responsible"], "--evidence", args["--evidence"], "--summary", "s", "--recorded-on", "2020-04-01",
               *_inspector(keys))
    assert r.code == 2 and f"payload.{change[2]}" in r.stderr, r
    assert must(invoke(*db, "verify", "--json")).json()["events"] == before


def test_only_a_discipline_inspector_may_open_an_inquiry(demo) -> None:
    db, keys = demo
    r = invoke(*db, "inquiry", "open", "--id", "by-office", "--case", CASE, "--subject", "s", "--opened-on",
               "2020-03-01", "--actor", "ah-office", "--key", str(keys / "ah-office.pem"))
    assert r.code == 2 and "discipline_inspector" in r.stderr, r


def test_a_basis_that_is_not_a_hash_is_a_usage_error(demo) -> None:
    db, keys = demo
    r = invoke(*db, "inquiry", "open", "--id", "bad", "--case", CASE, "--subject", "s", "--opened-on", "2020-03-01",
               "--basis", "not-a-hash", *_inspector(keys))
    assert r.code == 2 and "Traceback" not in r.stderr and "64 hex digits" in r.stderr, r
