"""The read-model commands as a user runs them: ``status``, ``figures``, ``timeline``, ``actor show``,
``projections rebuild|status`` — tables, ``--json``, ``--csv``, and bad input (exit 2, one line)."""

from __future__ import annotations

import csv
import io
import shutil
import sqlite3
from pathlib import Path
from typing import Any

import pytest

from tests.e2e.conftest import CASE, CASE_OPENED, FIGURES, SUBMITTED, Province, Result, invoke, must

YUEXI, LINQUAN = "case:340828-2017", "case:341221-2019"
STATUS_FIELDS = {"stream", "county_code", "county_name", "city_code", "tier", "year", "stage", "outcome"}
FIGURE_FIELDS = {"indicator", "value", "source", "actor", "person", "as_of", "recorded_at", "seq", "hash", "revises"}
ACTIVITY_FIELDS = {"actor", "person", "role", "type", "stream", "seq", "recorded_at"}


READ_MODEL_TABLES = ("projection_tracking", "actor_directory", "case_status", "figures", "actor_activity", "timeline",
                     "case_payloads")


@pytest.fixture(scope="session")
def _demo_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("views-demo")
    must(invoke("--db", f"sqlite:///{root}/demo.db", "demo", "--small", "--out", str(root / "out")))
    with sqlite3.connect(root / "demo.db") as conn:  # the demo built read models: start without them
        for table in READ_MODEL_TABLES:
            conn.execute(f"DROP TABLE IF EXISTS {table}")
    return root / "demo.db"


@pytest.fixture
def demo(_demo_template: Path, tmp_path: Path) -> str:
    """A copy of the demo ledger (two cases, no read models yet); its --db URL."""
    shutil.copy(_demo_template, tmp_path / "demo.db")
    return f"sqlite:///{tmp_path}/demo.db"


def csv_rows(result: Result) -> list[dict[str, str]]:
    assert result.code == 0, str(result)
    return list(csv.DictReader(io.StringIO(result.stdout)))


def one_line_error(result: Result, *words: str) -> None:
    assert result.code == 2, str(result)
    assert result.stdout == ""
    assert len(result.err_lines) == 1 and result.err_lines[0].startswith("error: "), result.stderr
    for word in words:
        assert word in result.err_lines[0]


# -- status -------------------------------------------------------------------------------------
def test_status_json_lists_every_case_with_its_stage_and_outcome(run: Any, demo: str) -> None:
    cases = must(run("--db", demo, "status", "--json")).json()
    assert [c["stream"] for c in cases] == [YUEXI, LINQUAN]
    assert all(STATUS_FIELDS <= set(c) for c in cases)
    assert {c["stream"]: (c["stage"], c["outcome"], c["tier"], c["year"]) for c in cases} == {
        YUEXI: ("announced", "announced", "national", 2017), LINQUAN: ("rejected", "rejected", "national", 2019)}
    assert cases[1]["county_name"] == "临泉县" and cases[1]["city_code"] == "341200"


@pytest.mark.parametrize("args, streams", [
    (["--stage", "rejected"], [LINQUAN]),
    (["--stage", "announced"], [YUEXI]),
    (["--stage", "evaluation"], []),
    (["--city", "340800"], [YUEXI]),
    (["--year", "2019"], [LINQUAN]),
    (["--year", "2019", "--city", "340800"], []),
    ([LINQUAN], [LINQUAN]),
])
def test_status_filters_by_stream_stage_city_and_year(run: Any, demo: str, args: list[str], streams: list[str]) -> None:
    assert [c["stream"] for c in must(run("--db", demo, "--json", "status", *args)).json()] == streams


def test_status_prints_a_table_and_csv(run: Any, demo: str) -> None:
    table = must(run("--db", demo, "status")).stdout
    assert "case:340828-2017" in table and "announced" in table and "临泉县" in table
    rows = csv_rows(run("--db", demo, "status", "--csv"))
    assert [(r["stream"], r["stage"], r["county_name"], r["open_items"]) for r in rows] == [
        (YUEXI, "announced", "岳西县", "[]"), (LINQUAN, "rejected", "临泉县", "[]")]


def test_every_query_sees_a_write_made_through_the_cli_just_before(run: Any, opened: Province) -> None:
    assert must(run(*opened.db, "status", CASE, "--json")).json()[0]["stage"] == "opened"
    must(opened.record("ExitApplicationSubmitted", CASE, "340828-lg", SUBMITTED))
    assert must(run(*opened.db, "status", CASE, "--json")).json()[0]["stage"] == "applied"
    assert must(run(*opened.db, "timeline", CASE, "--json")).json()[-1]["type"] == "ExitApplicationSubmitted"


def test_csv_is_utf8_whatever_the_locale(run_proc: Any, demo: str) -> None:
    result = run_proc("--db", demo, "status", "--csv", env={"PYTHONIOENCODING": "ascii", "LC_ALL": "C"})
    assert result.code == 0, str(result)
    assert "临泉县" in result.stdout and result.stdout.startswith("stream,county_code,")


# -- figures ------------------------------------------------------------------------------------
def test_figures_json_rows_carry_reporter_source_and_revision(run: Any, demo: str) -> None:
    rows = must(run("--db", demo, "figures", LINQUAN, "--json")).json()
    assert rows and all(FIGURE_FIELDS <= set(r) for r in rows)
    incidence = {r["source"]: (r["value"], r["actor"], r["person"]) for r in rows if r["indicator"] == "poverty_incidence"}
    assert incidence == {"county_self_report": ("1.95", "341221-lg", "临泉寅"),
                         "national_information_system": ("2.50", "ah-office", "省办甲")}
    assert {type(r["value"]) for r in rows if r["indicator"] == "poor_population"} == {int}


def test_figures_table_shows_the_sources_side_by_side(run: Any, demo: str) -> None:
    out = must(run("--db", demo, "figures", LINQUAN)).stdout
    header = next(line for line in out.splitlines() if "indicator" in line)
    assert "county_self_report" in header and "national_information_system" in header
    line = next(line for line in out.splitlines() if "poverty_incidence" in line)
    assert "1.95" in line and "2.50" in line


def test_figures_filters_one_indicator_and_prints_csv(run: Any, demo: str) -> None:
    rows = csv_rows(run("--db", demo, "figures", LINQUAN, "--indicator", "poverty_incidence", "--csv"))
    assert [(r["indicator"], r["value"], r["source"]) for r in rows] == [
        ("poverty_incidence", "1.95", "county_self_report"), ("poverty_incidence", "2.50", "national_information_system")]


def test_figures_with_villages_adds_each_village(run: Any, demo: str) -> None:
    rows = must(run("--db", demo, "figures", YUEXI, "--villages", "--json")).json()
    villages = {r["village_code"] for r in rows if r["village_code"]}
    assert villages == {"340828101201", "340828102203"}
    assert "示例一村" in must(run("--db", demo, "figures", YUEXI, "--village", "340828101201")).stdout


def test_a_revised_figure_is_marked_on_both_reports(run: Any, opened: Province) -> None:
    must(opened.record("FiguresReported", CASE, "340828-lg", FIGURES))
    must(opened.record("FiguresReported", CASE, "340828-lg", {**FIGURES, "poverty_incidence": "1.31"}))
    rows = must(run(*opened.db, "figures", CASE, "--indicator", "poverty_incidence", "--json")).json()
    first, second = rows
    assert (first["value"], second["value"]) == ("1.26", "1.31")
    assert second["revises"] == first["hash"] and first["revised_by"] == second["hash"]
    table = must(run(*opened.db, "figures", CASE)).stdout
    assert "REVISED by" in table and "revises" in table


# -- timeline -----------------------------------------------------------------------------------
def test_timeline_shows_decision_dates_recording_times_and_deadlines(run: Any, demo: str) -> None:
    rows = must(run("--db", demo, "timeline", YUEXI, "--json")).json()
    submitted = next(r for r in rows if r["type"] == "ExitApplicationSubmitted")
    assert (submitted["decided_on"], submitted["deadline"], submitted["status"]) == ("2017-12-10", "2017-12-15", "on_time")
    assert submitted["recorded_at"].startswith("2017-12-10T")
    assert len(csv_rows(run("--db", demo, "timeline", YUEXI, "--csv"))) == len(rows) == 23


def test_timeline_marks_a_late_step(run: Any, opened: Province) -> None:
    must(opened.record("ExitApplicationSubmitted", CASE, "340828-lg", {**SUBMITTED, "submitted_on": "2017-12-20"}))
    last = must(run(*opened.db, "timeline", CASE, "--json")).json()[-1]
    assert (last["status"], last["deadline"]) == ("late", "2017-12-15")
    assert "LATE" in must(run(*opened.db, "timeline", CASE)).stdout


# -- actor show ---------------------------------------------------------------------------------
def test_actor_show_lists_everything_the_actor_signed(run: Any, demo: str) -> None:
    rows = must(run("--db", demo, "actor", "show", "341221-lg", "--json")).json()
    assert rows and all(ACTIVITY_FIELDS <= set(r) for r in rows)
    assert [(r["type"], r["stream"]) for r in rows] == [("FiguresReported", LINQUAN), ("ExitApplicationSubmitted", LINQUAN)]
    assert {(r["person"], r["role"]) for r in rows} == {("临泉寅", "county_leading_group")}
    assert [r["seq"] for r in csv_rows(run("--db", demo, "actor", "show", "341221-lg", "--csv"))] == [
        str(r["seq"]) for r in rows]
    assert "临泉县扶贫开发领导小组" in must(run("--db", demo, "actor", "show", "341221-lg")).stdout


def test_actor_show_of_the_authority_lists_its_registrations(run: Any, demo: str) -> None:
    rows = must(run("--db", demo, "--json", "actor", "show", "ledger-authority")).json()
    assert rows[0]["type"] == "LedgerInitialised" and rows[0]["role"] == "ledger_authority"


# -- projections --------------------------------------------------------------------------------
def test_projections_status_shows_positions_against_the_head_then_rebuild_catches_up(run: Any, demo: str) -> None:
    before = must(run("--db", demo, "projections", "status", "--json")).json()
    assert {(m["seq"], m["behind"]) for m in before} == {(0, 47)}
    out = must(run("--db", demo, "projections", "rebuild")).stdout
    assert out.startswith("rebuilt every read model from 47 events")
    after = must(run("--db", demo, "projections", "status", "--json")).json()
    assert {(m["name"], m["seq"], m["head"], m["behind"]) for m in after} == {
        (name, 47, 47, 0) for name in ("actor_directory", "case_status", "figures", "actor_activity", "timeline",
                                       "case_payloads")}
    assert "actor_activity" in must(run("--db", demo, "projections", "status")).stdout


def test_rebuild_json_and_of_one_model(run: Any, demo: str) -> None:
    report = must(run("--db", demo, "projections", "rebuild", "timeline", "--json")).json()
    assert report["events"] == 47 and {m["name"] for m in report["models"]} >= {"timeline"}


# -- bad input ----------------------------------------------------------------------------------
@pytest.mark.parametrize("args, words", [
    (["status", "case:999999-2019"], ["case:999999-2019", "no such case"]),
    (["figures", "case:999999-2019"], ["case:999999-2019", "no such case"]),
    (["timeline", "case:999999-2019"], ["case:999999-2019", "no such stream"]),
    (["status", "bogus"], ["stream bogus", "not a case stream"]),
    (["figures", "actors"], ["stream actors", "not a case stream"]),
    (["status", "--city", "34"], ["--city 34"]),
    (["figures", LINQUAN, "--indicator", "nope"], ["--indicator nope", "poverty_incidence"]),
    (["figures", LINQUAN, "--village", "12"], ["--village 12"]),
    (["actor", "show", "nobody"], ["actor nobody", "no such actor"]),
    (["status", "--json", "--csv"], ["--json and --csv"]),
    (["projections", "rebuild", "nothing"], ["no read model nothing"]),
])
def test_bad_input_exits_2_with_one_line_naming_it(run: Any, demo: str, args: list[str], words: list[str]) -> None:
    one_line_error(run("--db", demo, *args), *words)


@pytest.mark.parametrize("args", [["status", "--stage", "flying"], ["status", "--year", "soon"], ["figures"]])
def test_usage_errors_exit_2(run: Any, demo: str, args: list[str]) -> None:
    result = run("--db", demo, *args)
    assert result.code == 2 and result.stdout == "" and "Traceback" not in result.stderr


def test_a_missing_database_is_one_line_exit_2(run: Any, tmp_path: Path) -> None:
    one_line_error(run("--db", f"sqlite:///{tmp_path}/none.db", "status"), "no database file")


def test_a_case_opened_through_the_cli_is_listed_at_stage_opened(run: Any, province: Province) -> None:
    assert must(run(*province.db, "status", "--json")).json() == []
    must(province.record("CaseOpened", CASE, "ah-office", CASE_OPENED))
    (row,) = must(run(*province.db, "status", "--json")).json()
    assert (row["stream"], row["stage"], row["outcome"], row["county_name"]) == (CASE, "opened", None, "岳西县")
