"""The read models on a real database (SQLite and PostgreSQL; STYLE habit 11): caught up from the
log in batches, resumed after a crash without duplicates or gaps, rebuilt identically, and equal
to what a replay of the domain aggregates says (a hypothesis property over random valid case
histories)."""

from __future__ import annotations

import gc
import os
import subprocess
import sys
import textwrap
import threading
from collections.abc import Iterator
from typing import Any

import pytest
from eventsourcing.persistence import Tracking
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import Engine, RootTransaction, select

from domain import scenario
from ledger.store import iter_log
from projections import Views, queries
from projections import tables as t
from projections.figures import Figures
from projections.records import parse
from projections.runner import PositionMoved
from tests.builders import Province, province
from tests.unit.projections.histories import Cases, check_against_replay, history_steps

YUEXI, LINQUAN = "case:340828-2017", "case:341221-2019"
DEMO_SIZE = 1 + len(scenario.ACTORS) + len(scenario.demo_steps())
ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
VIEW_TABLES = (t.actor_directory, t.case_status, t.figures, t.actor_activity, t.timeline, t.tracking)


def dump(engine: Engine) -> dict[str, list[tuple[Any, ...]]]:
    """Every row of every read model, in primary-key order."""
    with engine.connect() as conn:
        return {table.name: [tuple(r) for r in conn.execute(select(table).order_by(*table.primary_key.columns))]
                for table in VIEW_TABLES}


@pytest.fixture
def demo(db_url: str) -> Iterator[tuple[Province, Views]]:
    p = province(db_url)
    views = Views(p.app, db_url)
    yield p, views
    views.close()
    p.app.close()


def follow_up(p: Province, n: int) -> None:
    """One more event on the announced case (only a follow-up plan may follow an announcement)."""
    p.append(YUEXI, "FollowUpPlanFiled", "340828-lg", {
        "filed_on": f"2018-09-{n:02d}", "support_plan": f"计划{n}", "consolidation_plan": "方案"})


# -- catching up ------------------------------------------------------------------------------
def test_catches_up_every_read_model_from_the_log(demo: tuple[Province, Views]) -> None:
    p, views = demo
    assert views.catch_up() == DEMO_SIZE
    cases = {r["stream"]: r for r in queries.case_status(views.engine)}
    assert {s: (r["stage"], r["outcome"]) for s, r in cases.items()} == {
        YUEXI: ("announced", "announced"), LINQUAN: ("rejected", "rejected")}
    assert cases[LINQUAN]["county_name"] == "临泉县" and cases[LINQUAN]["verification_decision"] == "reject"
    incidence = {(r["source"], r["value"]) for r in queries.figures(views.engine, LINQUAN,
                                                                   indicator="poverty_incidence")}
    assert incidence == {("county_self_report", "1.95"), ("national_information_system", "2.50")}
    trail = queries.actor_trail(views.engine, "341221-lg")
    assert [r["type"] for r in trail] == ["FiguresReported", "ExitApplicationSubmitted"]
    assert {r["person"] for r in trail} == {"临泉寅"}
    assert [r["seq"] for r in queries.timeline(views.engine, YUEXI)] == list(range(16, 39))
    assert all(m["seq"] == m["head"] == DEMO_SIZE for m in views.status())


def test_a_catch_up_with_nothing_new_reads_nothing(demo: tuple[Province, Views]) -> None:
    _, views = demo
    views.catch_up()
    assert views.catch_up() == 0


def test_each_catch_up_after_an_append_reads_only_the_new_events(demo: tuple[Province, Views], db_url: str) -> None:
    p, views = demo
    views.catch_up()
    follow_up(p, 1)
    assert views.catch_up() == 1
    other = Views(p.app, db_url)  # another process: it reads the positions, finds nothing new
    assert other.catch_up() == 0
    other.close()
    row = queries.case_status(views.engine, YUEXI)[0]
    assert (row["last_event"], row["last_decided_on"], row["version"]) == ("FollowUpPlanFiled", "2018-09-01", 24)


def test_catching_up_in_small_batches_equals_a_rebuild(demo: tuple[Province, Views]) -> None:
    p, views = demo
    views.catch_up(batch=7)
    follow_up(p, 1)
    follow_up(p, 2)
    views.catch_up(batch=1)
    stepped = dump(views.engine)
    views.rebuild()
    assert dump(views.engine) == stepped


# -- crashes ----------------------------------------------------------------------------------
class Crash(Exception):
    pass


def crash_at(monkeypatch: pytest.MonkeyPatch, cls: type, method: str, when: Any) -> None:
    original = getattr(cls, method)
    calls = [0]

    def failing(self: Any, *args: Any) -> Any:
        calls[0] += 1
        if when(calls[0], *args):
            raise Crash(method)
        return original(self, *args)

    monkeypatch.setattr(cls, method, failing)


def assert_resumes_as_a_rebuild(views: Views, *, after: int, batch: int) -> None:
    """The next catch-up reads exactly the events after the last committed batch, and what it
    leaves equals a rebuild from zero: no row duplicated or missing."""
    assert views.catch_up(batch=batch) == DEMO_SIZE - after
    resumed = dump(views.engine)
    views.rebuild()
    assert dump(views.engine) == resumed


@pytest.mark.parametrize("where", ["process_event", "flush"])
def test_a_catch_up_that_fails_mid_batch_resumes_with_no_duplicated_or_missing_rows(
        demo: tuple[Province, Views], monkeypatch: pytest.MonkeyPatch, where: str) -> None:
    p, views = demo
    if where == "process_event":  # figures fail on the 40th event: in the 4th batch of 10
        crash_at(monkeypatch, Figures, "process_event", lambda _n, record, _t: record.seq == 40)
    else:  # the last model of the batch fails after the others wrote their rows
        crash_at(monkeypatch, Figures, "flush", lambda n, _conn: n == 4)
    with pytest.raises(Crash):
        views.catch_up(batch=10)
    assert {m["seq"] for m in views.status()} == {30}  # three whole batches committed, the fourth not at all
    monkeypatch.undo()
    assert_resumes_as_a_rebuild(views, after=30, batch=10)


def test_a_batch_whose_commit_fails_in_the_committer_thread_is_not_kept_and_the_catch_up_resumes(
        demo: tuple[Province, Views], monkeypatch: pytest.MonkeyPatch) -> None:
    _, views = demo
    views.positions()  # creates the tables: from here on every commit is a batch's
    threads: list[str] = []

    def third(n: int) -> bool:
        threads.append(threading.current_thread().name)
        return n == 3

    crash_at(monkeypatch, RootTransaction, "commit", third)
    with pytest.raises(Crash):
        views.catch_up(batch=10)
    assert {m["seq"] for m in views.status()} == {20}
    assert all(name.startswith("exitledger-commit") for name in threads)
    monkeypatch.undo()
    assert_resumes_as_a_rebuild(views, after=20, batch=10)


def test_a_catch_up_leaves_the_garbage_collector_as_it_found_it(
        demo: tuple[Province, Views], monkeypatch: pytest.MonkeyPatch) -> None:
    _, views = demo
    collecting: list[bool] = []

    def watch(_n: int, *_args: Any) -> bool:
        collecting.append(gc.isenabled())
        return False  # never crash

    crash_at(monkeypatch, Figures, "process_event", watch)
    views.catch_up()
    assert collecting and not any(collecting) and gc.isenabled()  # paused while folding, on again after
    crash_at(monkeypatch, Figures, "flush", lambda _n, _conn: True)
    with pytest.raises(Crash):
        views.rebuild()
    assert gc.isenabled()
    monkeypatch.undo()
    gc.disable()
    try:
        views.rebuild()
        assert not gc.isenabled()  # one the caller switched off stays off
    finally:
        gc.enable()


def test_a_killed_catch_up_process_resumes_where_its_last_batch_committed(
        demo: tuple[Province, Views], db_url: str, tmp_path: Any) -> None:
    _, views = demo
    script = textwrap.dedent(f"""
        import os
        from ledger.app import ExitLedger
        from projections import Views
        from projections.timeline import Timeline
        url = {db_url!r}
        original = Timeline.process_event
        def dying(self, record, tracking):
            if record.seq == 25:
                os._exit(9)  # no rollback, no cleanup: as kill -9 would
            original(self, record, tracking)
        Timeline.process_event = dying
        Views(ExitLedger(url, create=False), url).catch_up(batch=8)
    """)
    env = {**os.environ, "PYTHONPATH": ROOT}
    assert subprocess.run([sys.executable, "-c", script], env=env, timeout=60).returncode == 9
    assert {m["seq"] for m in views.status()} == {24}
    assert_resumes_as_a_rebuild(views, after=24, batch=8)


def test_a_batch_another_process_committed_first_is_rolled_back_not_duplicated(
        demo: tuple[Province, Views], db_url: str) -> None:
    p, views = demo
    views.catch_up()
    follow_up(p, 1)
    record = parse(next(iter_log(p.app.recorder, after=DEMO_SIZE)))
    other = Views(p.app, db_url)
    other.catch_up()
    with pytest.raises(PositionMoved):
        views.apply([record])  # this process still believes the models are at DEMO_SIZE
    assert views.catch_up() == 0  # it starts over from the stored positions: nothing left to do
    assert dump(views.engine)["actor_activity"][-1][0] == DEMO_SIZE + 1
    assert len(dump(views.engine)["actor_activity"]) == DEMO_SIZE + 1
    other.close()


# -- rebuild, layout, status ------------------------------------------------------------------
def test_rebuild_gives_identical_tables(demo: tuple[Province, Views]) -> None:
    _, views = demo
    views.catch_up()
    before = dump(views.engine)
    assert views.rebuild() == DEMO_SIZE
    assert dump(views.engine) == before


def test_rebuild_of_one_model_leaves_the_others_alone(demo: tuple[Province, Views]) -> None:
    _, views = demo
    views.catch_up()
    before = dump(views.engine)
    assert views.rebuild(["timeline"]) == DEMO_SIZE
    assert dump(views.engine) == before


def test_a_model_stored_with_another_layout_is_rebuilt_from_zero(
        demo: tuple[Province, Views], db_url: str, monkeypatch: pytest.MonkeyPatch) -> None:
    p, views = demo
    views.catch_up()
    before = dump(views.engine)
    monkeypatch.setattr(Figures, "layout", 2)
    newer = Views(p.app, db_url)
    assert newer.positions()["figures"] == 0
    assert newer.catch_up() == DEMO_SIZE
    after = dump(newer.engine)
    assert after["figures"] == before["figures"]
    assert [r for r in after["projection_tracking"] if r[0] == "figures"][0][3] == 2
    newer.close()


def test_status_shows_each_model_against_the_log_head(demo: tuple[Province, Views]) -> None:
    p, views = demo
    views.catch_up()
    follow_up(p, 1)
    report = {m["name"]: m for m in views.status()}
    assert set(report) == {"actor_directory", "case_status", "figures", "actor_activity", "timeline", "case_payloads"}
    assert {(m["seq"], m["head"], m["behind"]) for m in report.values()} == {(DEMO_SIZE, DEMO_SIZE + 1, 1)}
    assert report["actor_activity"]["rows"] == {"actor_activity": DEMO_SIZE}


def test_each_model_is_an_eventsourcing_tracking_recorder(demo: tuple[Province, Views]) -> None:
    _, views = demo
    view = views.models[0].view
    views.positions()  # creates the tables, every model at 0
    assert view.max_tracking_id("exitledger") is None
    views.catch_up()
    assert view.max_tracking_id("exitledger") == DEMO_SIZE
    assert view.has_tracking_id("exitledger", DEMO_SIZE)
    view.wait("exitledger", DEMO_SIZE, timeout=0.1)
    view.insert_tracking(Tracking("exitledger", DEMO_SIZE + 5))
    assert view.max_tracking_id("exitledger") == DEMO_SIZE + 5


# -- equivalence with the domain -------------------------------------------------------------
@settings(max_examples=20, deadline=None, derandomize=True,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow,
                                 HealthCheck.data_too_large])
@given(data=st.data())
def test_read_models_equal_a_replay_of_the_aggregates_for_random_valid_histories(
        data: st.DataObject, cases_on: Cases) -> None:
    cases_on.start_example()
    for step in history_steps(data, cases_on):
        cases_on.record(step)
        if data.draw(st.booleans(), label="catch up now"):
            cases_on.views.catch_up(batch=data.draw(st.integers(1, 6), label="batch"))
    cases_on.views.catch_up()
    check_against_replay(cases_on)
    before = dump(cases_on.views.engine)
    cases_on.views.rebuild()
    assert dump(cases_on.views.engine) == before


@pytest.fixture
def cases_on(db_url: str) -> Iterator[Cases]:
    """One province for all the property's examples; each example opens cases of fresh counties."""
    p = province(db_url, cases=False)
    views = Views(p.app, db_url)
    yield Cases(p, views)
    views.close()
    p.app.close()
