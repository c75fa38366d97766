"""Each read model's row logic, fed records by hand (no database: models start ``fresh``)."""

from __future__ import annotations

import json
from typing import Any

import pytest
from eventsourcing.persistence import Tracking

from ledger.errors import StoreError
from ledger.store import LogRow
from projections.actors import ActorActivity, ActorDirectory
from projections.base import TrackingView
from projections.case_status import apply, new_row
from projections.figures import Figures, as_json, as_text
from projections.records import county_of, parse
from projections.timeline import COLUMNS as TIMELINE_COLUMNS
from projections.timeline import row_of
from tests.unit.projections.rec import CASE, Log

T = Tracking("exitledger", 1)  # the models here ignore the position: the runner moves it


def fresh(model: Any) -> Any:
    model.begin(None, 0)  # position 0: empty tables, every look-up answered from memory
    return model


def directory() -> ActorDirectory:
    d = fresh(ActorDirectory(TrackingView(None, "actor_directory")))  # type: ignore[arg-type]
    log = Log()
    d.process_event(log("LedgerInitialised", {"authority_actor": "ledger-authority", "province_code": "340000",
                                              "province_name": "安徽省"}, stream="actors"), T)
    d.process_event(log("ActorRegistered", {"actor": "341221-lg", "name": "临泉县扶贫开发领导小组",
                                            "role": "county_leading_group", "jurisdiction": "341221",
                                            "person": "临泉寅", "valid_from": "2019-08-01"}, stream="actors"), T)
    return d


# -- case_status ------------------------------------------------------------------------------
def folded(*steps: tuple[str, dict[str, Any]], stream: str = CASE) -> dict[str, Any]:
    log, row = Log(), new_row(stream)
    for type_, payload in steps:
        apply(row, log(type_, payload, stream=stream))
    return row


OPENED = ("CaseOpened", {"county_code": "341221", "county_name": "临泉县", "city_code": "341200",
                         "city_name": "阜阳市", "tier": "national", "year": 2019, "opened_on": "2019-08-01"})


def test_case_row_takes_county_city_tier_and_year_from_case_opened() -> None:
    row = folded(OPENED)
    assert {k: row[k] for k in ("county_code", "county_name", "city_code", "city_name", "tier", "year", "stage")} == {
        "county_code": "341221", "county_name": "临泉县", "city_code": "341200", "city_name": "阜阳市",
        "tier": "national", "year": 2019, "stage": "opened"}
    assert (row["version"], row["last_event"], row["last_decided_on"]) == (1, "CaseOpened", "2019-08-01")


def test_case_row_before_its_opening_knows_county_and_year_from_the_stream_name() -> None:
    assert (new_row("case:340828-2017")["county_code"], new_row("case:340828-2017")["year"]) == ("340828", 2017)


def test_counts_open_rectification_items_by_name() -> None:
    row = folded(OPENED, ("RectificationOpened", {"item": "A"}), ("RectificationOpened", {"item": "B"}),
                 ("RectificationOpened", {"item": "A"}), ("RectificationCompleted", {"item": "A"}),
                 ("RectificationCompleted", {"item": "nothing-open"}))
    assert (row["open_items"], row["open_rectifications"]) == (["B"], 1)


def test_special_rectification_follows_the_latest_evaluation() -> None:
    row = folded(OPENED, ("ThirdPartyEvaluationCompleted", {"special_rectification": True}),
                 ("SpecialRectificationReported", {"result": "done"}))
    assert (row["special_rectification_required"], row["special_rectification_reported"]) == (True, True)
    apply(row, Log()("ThirdPartyEvaluationCompleted", {"special_rectification": True}))
    assert (row["special_rectification_required"], row["special_rectification_reported"]) == (True, False)


def test_tracks_publicity_objections_spot_check_and_follow_up() -> None:
    row = folded(OPENED, ("PublicityOpened", {}), ("ObjectionReceived", {}), ("ObjectionReceived", {}))
    assert (row["publicity"], row["objections"]) == ("open", 2)
    apply(row, Log()("PublicityClosed", {}))
    apply(row, Log()("AuditOpinionSubmitted", {}))
    assert (row["publicity"], row["spot_check"], row["stage"]) == ("closed", "pending", "spot_check")
    apply(row, Log()("NationalSpotCheckCompleted", {"passed": False}))
    apply(row, Log()("FollowUpPlanFiled", {}))
    assert (row["spot_check"], row["follow_up_filed"]) == ("failed", True)


def test_a_rejection_ends_the_case_with_outcome_rejected() -> None:
    row = folded(OPENED, ("ProvincialVerificationCompleted", {"decision": "reject"}))
    assert (row["stage"], row["outcome"], row["verification_decision"]) == ("rejected", "rejected", "reject")


# -- figures ----------------------------------------------------------------------------------
def test_one_row_per_report_with_its_indicators_as_signed() -> None:
    d = directory()
    figures = fresh(Figures(TrackingView(None, "figures"), d))  # type: ignore[arg-type]
    log = Log()
    log.seq = 10
    payload = {"source": "county_self_report", "reported_on": "2019-12-09", "as_of": "2019-11-30",
               "rural_population": 1650000, "poor_population": 32175, "poverty_incidence": "1.950",
               "poor_villages_total": 112, "poor_villages_remaining": 0, "revises": "ab" * 32}
    figures.process_event(log("FiguresReported", payload), T)
    figures.process_event(log("VillageFiguresReported", {
        "as_of": "2019-10-31", "village_code": "341221101201", "village_name": "一村", "households": 600,
        "poor_households": 9, "poor_population": 21, "per_capita_income": "9830.50", "exited": True}), T)
    county = dict(zip(Figures.COUNTY_COLUMNS, figures._county[0]))
    village = dict(zip(Figures.VILLAGE_COLUMNS, figures._villages[0]))
    assert county["poverty_incidence"] == "1.950" and county["rural_population"] == 1650000  # TEXT affinity
    assert (county["person"], county["revises"], county["income_growth"]) == ("临泉寅", "ab" * 32, None)
    assert "village_code" not in county and "households" not in county
    assert (village["source"], village["village_code"], village["exited"], village["per_capita_income"]) == (
        "county_self_report", "341221101201", "true", "9830.50")
    assert "poverty_incidence" not in village and "revises" not in village


@pytest.mark.parametrize("indicator, value", [
    ("poverty_incidence", "1.870"), ("poor_population", 4246), ("exited", False), ("income_growth", "-0.5"),
])
def test_values_read_back_as_the_json_type_they_were_signed_as(indicator: str, value: Any) -> None:
    assert as_json(indicator, as_text(value)) == value


# -- actors -----------------------------------------------------------------------------------
def test_each_event_lands_under_its_signer_with_role_and_person() -> None:
    d = directory()
    activity = fresh(ActorActivity(TrackingView(None, "actor_activity"), d))  # type: ignore[arg-type]
    log = Log()
    activity.process_event(log("ExitApplicationSubmitted", {"submitted_on": "2019-12-12"}), T)
    activity.process_event(log("CaseOpened", {}, actor="someone-unregistered"), T)
    first, second = (dict(zip(ActorActivity.COLUMNS, r)) for r in activity._rows)
    assert (first["actor"], first["person"], first["role"], first["decided_on"]) == (
        "341221-lg", "临泉寅", "county_leading_group", "2019-12-12")
    assert (second["person"], second["role"]) == (None, None)


def test_the_directory_names_the_authority_and_every_registered_actor_once() -> None:
    d = directory()
    d.process_event(Log()("ActorRegistered", {"actor": "341221-lg", "role": "other"}, stream="actors"), T)
    assert [row[0] for row in d._new] == ["ledger-authority", "341221-lg"]
    assert d.signer("ledger-authority").role == "ledger_authority"


# -- timeline ---------------------------------------------------------------------------------
def test_timeline_row_puts_the_decision_date_beside_the_recording_time_and_the_deadline() -> None:
    record = Log()("ExitApplicationSubmitted", {"submitted_on": "2019-12-16"},
                   recorded_at="2019-12-20T08:00:00.000000Z")
    row = dict(zip(TIMELINE_COLUMNS, row_of(record)))
    assert (row["decided_on"], row["lag_days"], row["deadline"], row["status"], row["recorded_late"]) == (
        "2019-12-16", 4, "2019-12-15", "late", True)


def test_timeline_rows_of_other_streams_have_no_deadline() -> None:
    row = dict(zip(TIMELINE_COLUMNS, row_of(Log()("ActorRegistered", {"valid_from": "2019-01-01"}, stream="actors"))))
    assert "deadline" not in row and row["decided_on"] == "2019-01-01"


# -- records ----------------------------------------------------------------------------------
def envelope(record: dict[str, Any]) -> bytes:
    return b'{"hash":"' + b"a" * 64 + b'","sig":"' + b"s" * 88 + b'","record":' + json.dumps(record).encode() + b"}"


def test_parses_the_stored_envelope_into_a_record_with_its_decision_date() -> None:
    body = {"ledger": "x", "stream": CASE, "version": 2, "type": "CityReviewCompleted",
            "recorded_at": "2019-12-20T08:00:00.000000Z", "actor": "341200-lg", "key": "k" * 16,
            "payload": {"reviewed_on": "2019-12-20", "opinion": "pass"}, "prev": "0" * 64}
    r = parse(LogRow(7, "a" * 64, None, 2, envelope(body)))  # type: ignore[arg-type]
    assert (r.seq, r.hash, r.stream, r.version, r.type, r.actor, r.decided_on) == (
        7, "a" * 64, CASE, 2, "CityReviewCompleted", "341200-lg", "2019-12-20")


@pytest.mark.parametrize("payload", [
    b'{"n":123456789012345678901234567890}', b'{"items":[{"n":-99999999999999999999}]}', b'{"x":NaN}',
    b'{"s":"\\ud800"}', b'{"f":1.5,"g":[2.0e3]}', b'{"n":1,"n":2}',
], ids=["big-int", "nested-big-int", "nan", "lone-surrogate", "floats", "duplicate-key"])
def test_a_payload_reads_as_the_standard_library_reads_it(payload: bytes) -> None:
    # orjson reads these differently or refuses them; the ledger never writes them, but a
    # tampered store may hold them and the read models show what is stored
    state = (b'{"hash":"' + b"a" * 64 + b'","sig":"s","record":{"actor":"a","key":"k","payload":' + payload
             + b',"recorded_at":"2019-12-20T08:00:00.000000Z","stream":"actors","type":"X","version":1}}')
    r = parse(LogRow(9, "a" * 64, None, 1, state))  # type: ignore[arg-type]
    assert repr(r.payload) == repr(json.loads(payload))


@pytest.mark.parametrize("state", [None, b"not json", b'{"hash":"x","record":{"payload":[]}}',
                                   b'{"hash":"x","record":{}} trailing', b'\xff{}'])
def test_an_unreadable_stored_event_is_a_store_error_naming_its_seq(state: bytes | None) -> None:
    with pytest.raises(StoreError, match="seq 9"):
        parse(LogRow(9, "a" * 64, None, 1, state))  # type: ignore[arg-type]


@pytest.mark.parametrize("stream, expected", [
    ("case:341221-2019", ("341221", 2019)), ("actors", None), ("inquiry:x", None), ("case:34122-2019", None),
])
def test_reads_county_and_year_from_a_case_stream_name(stream: str, expected: Any) -> None:
    assert county_of(stream) == expected
