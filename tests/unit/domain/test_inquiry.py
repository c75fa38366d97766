"""Discipline inquiries: the case they concern, the records and actors they cite, and closing."""

from __future__ import annotations

from typing import Any

import pytest

from domain import Forbidden, Inquiry, OutOfOrder, PayloadError
from tests.unit.domain.kit import CASE, Book, national_case, province

INQUIRY = "inquiry:2021-007"


def opening(book: Book, **changes: Any) -> dict[str, Any]:
    return {"case": CASE, "subject": "来安县退出数据核实", "opened_on": "2021-03-01",
            "basis": [book.ref(CASE, 5), book.ref(CASE, 11)], **changes}


def finding(book: Book, **changes: Any) -> dict[str, Any]:
    return {"kind": "numbers_only_exit", "responsible": ["341122-lg", "341100-lg"],
            "evidence": [book.ref(CASE, 5)], "summary": "县自报数据与核查数据不符", "recorded_on": "2021-05-01",
            **changes}


def announced() -> Book:
    return province().walk(national_case())


def opened() -> Book:
    book = announced()
    book.record(INQUIRY, "InquiryOpened", "ah-cdi", opening(book))
    return book


def test_opens_an_inquiry_on_a_case_of_this_ledger() -> None:
    book = opened()
    inquiry = book.streams[INQUIRY]
    assert isinstance(inquiry, Inquiry)
    assert (inquiry.case_stream, inquiry.county_code, inquiry.closed) == (CASE, "341122", False)


def test_refuses_an_inquiry_on_a_case_not_in_this_ledger() -> None:
    book = announced()
    with pytest.raises(PayloadError) as raised:
        book.record(INQUIRY, "InquiryOpened", "ah-cdi", opening(book, case="case:341221-2019"))
    assert raised.value.message == "payload.case: no such case in this ledger"


def test_refuses_an_inquiry_on_something_that_is_not_a_case_stream() -> None:
    book = announced()
    with pytest.raises(PayloadError, match="must be a case stream name"):
        book.record(INQUIRY, "InquiryOpened", "ah-cdi", opening(book, case="actors"))


def test_refuses_a_basis_that_is_not_a_record_of_this_ledger() -> None:
    book = announced()
    with pytest.raises(PayloadError, match="item 1: no record f{64} in this ledger"):
        book.record(INQUIRY, "InquiryOpened", "ah-cdi", opening(book, basis=[book.ref(CASE, 1), "f" * 64]))


def test_opens_an_inquiry_without_a_basis() -> None:
    book = announced()
    payload = opening(book)
    del payload["basis"]
    assert "basis" not in book.record(INQUIRY, "InquiryOpened", "ah-cdi", payload).payload


@pytest.mark.parametrize("inspector", ["ah-cdi", "341122-cdi"])
def test_lets_an_inspector_covering_the_case_run_the_inquiry(inspector: str) -> None:
    book = announced()
    book.record(INQUIRY, "InquiryOpened", inspector, opening(book))
    book.record(INQUIRY, "FindingRecorded", inspector, finding(book))


def test_refuses_an_inspector_of_another_county() -> None:
    book = announced()
    with pytest.raises(Forbidden, match="needs discipline_inspector of 000000, 340000, 341100 or 341122"):
        book.record(INQUIRY, "InquiryOpened", "341221-cdi", opening(book))
    book.record(INQUIRY, "InquiryOpened", "ah-cdi", opening(book))
    with pytest.raises(Forbidden):
        book.record(INQUIRY, "FindingRecorded", "341221-cdi", finding(book))


def test_refuses_inquiry_events_by_anyone_but_an_inspector() -> None:
    book = announced()
    with pytest.raises(Forbidden, match="needs discipline_inspector"):
        book.record(INQUIRY, "InquiryOpened", "ah-office", opening(book))


def test_records_findings_and_accountability_citing_known_actors_and_records() -> None:
    book = opened()
    book.record(INQUIRY, "FindingRecorded", "ah-cdi", finding(book))
    book.record(INQUIRY, "AccountabilityDecided", "ah-cdi",
                {"decided_on": "2021-06-01", "against": ["341122-lg"], "measures": "诫勉谈话"})
    inquiry = book.streams[INQUIRY]
    assert isinstance(inquiry, Inquiry) and (inquiry.findings, inquiry.decisions) == (1, 1)


@pytest.mark.parametrize(("changes", "field", "rule"), [
    ({"responsible": ["341122-lg", "ghost"]}, "responsible", "item 1: no actor ghost in this ledger"),
    ({"responsible": []}, "responsible", "must list at least one item"),
    ({"evidence": ["0" * 64]}, "evidence", "item 0: no record"),
    ({"evidence": []}, "evidence", "must list at least one item"),
    ({"kind": "fraud"}, "kind", "must be one of falsification, procedure_violation"),
])
def test_refuses_a_finding_citing_unknown_actors_or_records(changes: dict[str, Any], field: str, rule: str) -> None:
    book = opened()
    with pytest.raises(PayloadError, match=rule) as raised:
        book.record(INQUIRY, "FindingRecorded", "ah-cdi", finding(book, **changes))
    assert raised.value.field == field


def test_refuses_accountability_against_an_unknown_actor() -> None:
    with pytest.raises(PayloadError, match="no actor ghost"):
        opened().record(INQUIRY, "AccountabilityDecided", "ah-cdi",
                        {"decided_on": "2021-06-01", "against": ["ghost"], "measures": "x"})


@pytest.mark.parametrize("type", ["FindingRecorded", "AccountabilityDecided", "InquiryClosed"])
def test_refuses_anything_after_the_inquiry_is_closed(type: str) -> None:
    book = opened()
    book.record(INQUIRY, "InquiryClosed", "ah-cdi", {"closed_on": "2021-07-01"})
    inquiry = book.streams[INQUIRY]
    assert isinstance(inquiry, Inquiry) and inquiry.closed
    payload = {"FindingRecorded": finding(book), "InquiryClosed": {"closed_on": "2021-07-02"},
               "AccountabilityDecided": {"decided_on": "2021-07-02", "against": ["341122-lg"], "measures": "x"}}[type]
    with pytest.raises(OutOfOrder, match="inquiry:2021-007 is closed; nothing follows InquiryClosed"):
        book.record(INQUIRY, type, "ah-cdi", payload)


def test_refuses_a_finding_before_the_inquiry_is_opened() -> None:
    book = announced()
    with pytest.raises(OutOfOrder, match="has no InquiryOpened yet"):
        book.record(INQUIRY, "FindingRecorded", "ah-cdi", finding(book))


def test_cites_records_of_the_inquiry_itself() -> None:
    book = opened()
    first = book.record(INQUIRY, "FindingRecorded", "ah-cdi", finding(book))
    book.record(INQUIRY, "FindingRecorded", "ah-cdi", finding(book, evidence=[str(first.__dict__["ref"])]))
