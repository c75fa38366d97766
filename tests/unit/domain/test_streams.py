"""Stream names, record types, and what record() returns."""

from __future__ import annotations

from typing import Any
from uuid import uuid4

import pytest

import domain
from domain import (
    DECISION_DATE_FIELD, EVENT_TYPES, ROLES, ActorRegistry, Case, Inquiry, OutOfOrder, PayloadError, Stream,
    aggregate_for, record,
)
from domain.catalogue import SCHEMAS, STREAM_KINDS
from tests.unit.domain.kit import CASE, national_case, opening, province, step

SPEC_TYPES = {
    "actors": ["LedgerInitialised", "ActorRegistered", "KeyRotated", "ActorRevoked"],
    "case": ["CaseOpened", "FiguresReported", "VillageFiguresReported", "RectificationOpened",
             "RectificationCompleted", "ExitApplicationApproved", "ExitApplicationSubmitted",
             "CityReviewCompleted", "CityReportApproved", "CityReportSubmitted",
             "ProvincialVerificationCompleted", "DepartmentInspectionCompleted",
             "ThirdPartyEvaluationCompleted", "SpecialRectificationReported", "ExitReportFormed",
             "PublicityOpened", "ObjectionReceived", "PublicityClosed", "AuditOpinionSubmitted",
             "NationalSpotCheckCompleted", "ExitApproved", "ExitAnnounced", "FollowUpPlanFiled"],
    "inquiry": ["InquiryOpened", "FindingRecorded", "AccountabilityDecided", "InquiryClosed"],
}
AGGREGATES = {"actors": ActorRegistry, "case": Case, "inquiry": Inquiry}


@pytest.mark.parametrize(("stream", "cls"), [
    ("actors", ActorRegistry), ("case:341122-2019", Case), ("inquiry:2021-07", Inquiry),
    ("inquiry:a", Inquiry), ("inquiry:" + "x" * 64, Inquiry),
])
def test_maps_each_stream_name_to_its_aggregate(stream: str, cls: type[Stream]) -> None:
    assert aggregate_for(stream) is cls


@pytest.mark.parametrize("stream", [
    "", "actor", "Actors", "case:34112-2019", "case:341122-19", "case:341122_2019", "case:341122-2019\n",
    "inquiry:", "inquiry:-x", "inquiry:" + "x" * 65, "inquiry:a b", "ledger",
])
def test_refuses_a_stream_name_outside_the_three_kinds(stream: str) -> None:
    with pytest.raises(PayloadError) as raised:
        aggregate_for(stream)
    assert raised.value.field == "stream"
    assert "case:341122-2019" in raised.value.message


def test_registers_one_event_class_per_catalogue_type_nested_in_its_aggregate() -> None:
    assert {t for types in SPEC_TYPES.values() for t in types} == set(EVENT_TYPES)
    for kind, types in SPEC_TYPES.items():
        cls = AGGREGATES[kind]
        assert STREAM_KINDS[kind][0] == types[0]
        for name in types:
            event_class = EVENT_TYPES[name]
            assert getattr(cls, name) is event_class
            assert event_class.TYPE == name
            assert issubclass(event_class, Stream.Created) == (name == types[0])
            assert issubclass(event_class, Stream.Event)


def test_names_the_eleven_roles_of_the_domain() -> None:
    assert len(ROLES) == 11 and len(set(ROLES)) == 11
    assert ROLES[0] == "ledger_authority" and "discipline_inspector" in ROLES


def test_points_each_decision_date_at_a_date_field_of_its_type() -> None:
    assert DECISION_DATE_FIELD["ExitApplicationSubmitted"] == "submitted_on"
    assert DECISION_DATE_FIELD["FiguresReported"] == "reported_on"
    assert DECISION_DATE_FIELD["VillageFiguresReported"] == "as_of"
    assert DECISION_DATE_FIELD["FindingRecorded"] == "recorded_on"
    for type, field in DECISION_DATE_FIELD.items():
        assert field in SCHEMAS[type], type
    assert "LedgerInitialised" not in DECISION_DATE_FIELD and "KeyRotated" not in DECISION_DATE_FIELD


def test_exports_the_api_the_ledger_calls() -> None:
    for name in ("Actor", "Act", "CaseRef", "DomainError", "PayloadError", "Forbidden", "OutOfOrder", "Stream",
                 "EVENT_TYPES", "ActorRegistry", "Case", "Inquiry", "aggregate_for", "record", "authorize",
                 "DECISION_DATE_FIELD", "ROLES"):
        assert hasattr(domain, name), name


def test_refuses_an_unknown_record_type() -> None:
    book = province()
    with pytest.raises(PayloadError) as raised:
        book.record(CASE, "CaseClosed", "ah-office", opening())
    assert raised.value.field == "type"
    assert "unknown record type 'CaseClosed'" in raised.value.message


def test_refuses_a_record_type_of_another_stream_kind() -> None:
    book = province()
    with pytest.raises(PayloadError) as raised:
        book.record(CASE, "InquiryOpened", "ah-cdi", {"case": CASE, "subject": "x", "opened_on": "2020-01-01"})
    assert raised.value.field == "type"
    assert "InquiryOpened is not a record of case streams" in raised.value.message


def test_refuses_any_event_before_the_stream_is_opened() -> None:
    book = province()
    figures = step(national_case(), "FiguresReported")
    with pytest.raises(OutOfOrder) as raised:
        book.do(figures)
    assert raised.value.message == "case:341122-2019 has no CaseOpened yet; FiguresReported cannot come first"


def test_refuses_a_second_creating_event() -> None:
    book = province()
    book.do(national_case()[0])
    with pytest.raises(OutOfOrder, match="already has its CaseOpened"):
        book.do(national_case()[0])


def test_returns_the_created_aggregate_and_the_event_carrying_the_final_payload() -> None:
    book = province()
    act = book.act("ah-office")
    aggregate, event = record(stream=CASE, aggregate=None, type="CaseOpened", act=act, payload=opening(),
                              id=uuid4())
    assert isinstance(aggregate, Case) and aggregate.version == 1
    assert event is aggregate.pending_events[-1]
    assert isinstance(event, Case.CaseOpened)
    assert event.actor == "ah-office" and event.timestamp == act.recorded_at
    assert event.payload == opening()
    assert aggregate.as_case_ref().city_code == "341100"


def test_leaves_the_callers_payload_unchanged_when_filling_in_fields() -> None:
    book = province().walk(national_case()[:1])
    book.do(step(national_case(), "FiguresReported"))
    given = dict(step(national_case(), "FiguresReported").payload)
    event = book.record(CASE, "FiguresReported", "341122-lg", given)
    assert "revises" in event.payload and "revises" not in given


def _json_only(value: Any) -> bool:
    if isinstance(value, dict):
        return all(isinstance(k, str) and _json_only(v) for k, v in value.items())
    if isinstance(value, list):
        return all(_json_only(v) for v in value)
    return isinstance(value, (str, int, bool)) and not isinstance(value, float)


def test_stores_only_json_values_and_leaves_absent_optional_fields_out() -> None:
    book = province().walk(national_case())
    for events in book.events.values():
        for event in events:
            assert type(event.payload) is dict and _json_only(event.payload), event.TYPE
    spot_check = next(e for e in book.events[CASE] if e.TYPE == "NationalSpotCheckCompleted")
    assert spot_check.payload == {"checked_on": "2020-06-15", "passed": True}  # no "problems": null
