"""Fields the ledger fills in or derives before the event exists, so the signer signs them too."""

from __future__ import annotations

from decimal import Decimal

import pytest

from domain import PayloadError
from tests.unit.domain.kit import (
    CASE, REJECTED, Book, evaluation, figures, national_case, province, rejected_case, step, until, verification,
)


def versions(book: Book, type: str, stream: str = CASE) -> list[int]:
    return [e.originator_version for e in book.events[stream] if e.TYPE == type]


def test_fills_in_the_revised_report_of_the_same_source_and_date() -> None:
    book = province().walk(until(national_case(), "ExitApplicationApproved"))
    first = versions(book, "FiguresReported")[0]
    event = book.record(CASE, "FiguresReported", "341122-lg", figures("county_self_report", "1.79"))
    assert event.payload["revises"] == book.ref(CASE, first)
    again = book.record(CASE, "FiguresReported", "341122-lg", figures("county_self_report", "1.75"))
    assert again.payload["revises"] == book.ref(CASE, event.originator_version)  # the latest one


def test_does_not_fill_in_a_revision_for_another_date_or_source() -> None:
    book = province().walk(until(national_case(), "ExitApplicationApproved"))
    later = book.record(CASE, "FiguresReported", "341122-lg", figures("county_self_report", "1.8", as_of="2019-12-31"))
    other = book.record(CASE, "FiguresReported", "ah-eval", figures("third_party", "1.9"))
    assert "revises" not in later.payload and "revises" not in other.payload


def test_accepts_a_revision_of_an_earlier_report_of_the_same_source() -> None:
    book = province().walk(until(national_case(), "ExitApplicationApproved"))
    first = book.ref(CASE, versions(book, "FiguresReported")[0])
    event = book.record(CASE, "FiguresReported", "341122-lg",
                        figures("county_self_report", "1.8", as_of="2019-12-31", revises=first))
    assert event.payload["revises"] == first


@pytest.mark.parametrize("cited", ["a record of another type", "a report of another source", "an unknown hash"])
def test_refuses_a_revision_that_is_not_an_earlier_report_of_the_same_source(cited: str) -> None:
    book = province().walk(until(national_case(), "ExitApplicationApproved"))
    third = book.record(CASE, "FiguresReported", "ah-eval", figures("third_party", "1.9"))
    ref = {"a record of another type": book.ref(CASE, 1), "a report of another source": str(third.__dict__["ref"]),
           "an unknown hash": "f" * 64}[cited]
    with pytest.raises(PayloadError) as raised:
        book.record(CASE, "FiguresReported", "341122-lg", figures("county_self_report", "1.8", revises=ref))
    assert raised.value.field == "revises"
    assert "an earlier FiguresReported from source county_self_report" in raised.value.message


def test_fills_in_the_latest_county_report_the_application_relies_on() -> None:
    book = province().walk(until(national_case(), "ExitApplicationSubmitted"))
    revised = book.record(CASE, "FiguresReported", "341122-lg", figures("county_self_report", "1.86"))
    book.record(CASE, "FiguresReported", "ah-office", figures("national_information_system", "1.80"))
    event = book.do(step(national_case(), "ExitApplicationSubmitted"))
    assert event.payload["figures"] == book.ref(CASE, revised.originator_version)


def test_leaves_the_application_figures_out_when_the_county_reported_none() -> None:
    steps = [s for s in until(national_case(), "ExitApplicationSubmitted") if s.type != "FiguresReported"]
    event = province().walk(steps).do(step(national_case(), "ExitApplicationSubmitted"))
    assert "figures" not in event.payload


def test_keeps_application_figures_citing_an_earlier_county_report() -> None:
    book = province().walk(until(national_case(), "ExitApplicationSubmitted"))
    first = book.ref(CASE, versions(book, "FiguresReported")[0])
    book.record(CASE, "FiguresReported", "341122-lg", figures("county_self_report", "1.86"))
    payload = {**step(national_case(), "ExitApplicationSubmitted").payload, "figures": first}
    assert book.record(CASE, "ExitApplicationSubmitted", "341122-lg", payload).payload["figures"] == first


def test_refuses_application_figures_that_are_not_a_county_report() -> None:
    book = province().walk(until(national_case(), "ExitApplicationSubmitted"))
    national = book.record(CASE, "FiguresReported", "ah-office", figures("national_information_system", "1.80"))
    payload = {**step(national_case(), "ExitApplicationSubmitted").payload, "figures": str(national.__dict__["ref"])}
    with pytest.raises(PayloadError, match="a county_self_report FiguresReported of this case"):
        book.record(CASE, "ExitApplicationSubmitted", "341122-lg", payload)


def test_rejects_at_verification_when_the_verified_incidence_is_above_the_limit() -> None:
    book = province().walk(rejected_case())
    event = book.events[REJECTED][-1]
    national = versions(book, "FiguresReported", REJECTED)[-1]
    assert event.payload["decision"] == "reject"
    assert event.payload["figures"] == book.ref(REJECTED, national)


@pytest.mark.parametrize(("incidence", "compliant", "complete", "decision"), [
    ("2.01", False, False, "reject"), ("2.00", True, True, "proceed"), ("2", False, True, "rectify"),
    ("1.5", False, False, "rectify"), ("1.5", True, False, "supplement"), ("0", True, True, "proceed"),
])
def test_derives_the_verification_decision(incidence: str, compliant: bool, complete: bool, decision: str) -> None:
    book = province().walk(until(national_case(), "FiguresReported", 2))
    book.record(CASE, "FiguresReported", "ah-office", figures("national_information_system", incidence))
    event = book.record(CASE, "ProvincialVerificationCompleted", "ah-office",
                        verification(procedure_compliant=compliant, materials_complete=complete))
    assert event.payload["decision"] == decision
    assert book.case().last_decision == decision


def test_decides_against_the_ledgers_incidence_limit() -> None:
    book = province("3").walk(until(national_case(), "FiguresReported", 2))
    assert book.registry.incidence_limit == Decimal("3")
    book.record(CASE, "FiguresReported", "ah-office", figures("national_information_system", "2.9"))
    assert book.do(step(national_case(), "ProvincialVerificationCompleted")).payload["decision"] == "proceed"


def test_decides_on_the_cited_national_report_not_the_latest() -> None:
    book = province().walk(until(national_case(), "ProvincialVerificationCompleted"))
    high = book.record(CASE, "FiguresReported", "ah-office", figures("national_information_system", "2.4",
                                                                      as_of="2020-01-31"))
    low = book.ref(CASE, versions(book, "FiguresReported")[1])
    event = book.record(CASE, "ProvincialVerificationCompleted", "ah-office", verification(figures=low))
    assert event.payload["decision"] == "proceed" and high.payload["poverty_incidence"] == "2.4"


def test_refuses_verification_without_national_information_system_figures() -> None:
    steps = [s for s in until(national_case(), "ProvincialVerificationCompleted") if s.actor != "ah-office"
             or s.type != "FiguresReported"]
    book = province().walk(steps)
    with pytest.raises(PayloadError) as raised:
        book.do(step(national_case(), "ProvincialVerificationCompleted"))
    assert raised.value.message == (
        "payload.figures: no national_information_system figures reported for this case: "
        "the verified incidence is the input of the decision")


def test_refuses_verification_citing_the_county_report() -> None:
    book = province().walk(until(national_case(), "ProvincialVerificationCompleted"))
    county = book.ref(CASE, versions(book, "FiguresReported")[0])
    with pytest.raises(PayloadError, match="a national_information_system FiguresReported"):
        book.record(CASE, "ProvincialVerificationCompleted", "ah-office", verification(figures=county))


@pytest.mark.parametrize(("changes", "special"), [
    ({}, False), ({"wrongful_exit_rate": "2.00"}, False), ({"wrongful_exit_rate": "2.01"}, True),
    ({"missed_assessment_rate": "2.5"}, True), ({"mass_recognition": "90"}, False),
    ({"mass_recognition": "89.99"}, True), ({"public_service_indicators_met": 18}, True),
])
def test_derives_special_rectification_from_the_evaluation_thresholds(changes: dict[str, str], special: bool) -> None:
    book = province().walk(until(national_case(), "ThirdPartyEvaluationCompleted"))
    event = book.record(CASE, "ThirdPartyEvaluationCompleted", "ah-eval", evaluation(**changes))
    assert event.payload["special_rectification"] is special
    assert book.case().special_rectification_required is special
