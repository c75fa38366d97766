"""Who may sign what: role and jurisdiction, on record() and on authorize() alone."""

from __future__ import annotations

from dataclasses import replace

import pytest

from domain import Actor, CaseRef, Forbidden, authorize
from tests.unit.domain.kit import (
    CASE, PROVINCE, Book, figures, key, national_case, opening, province, registration, step, until,
)

REF = CaseRef(stream=CASE, county_code="341122", city_code="341100")


def at(type: str, nth: int = 1) -> Book:
    return province().walk(until(national_case(), type, nth))


def actor(role: str, jurisdiction: str, id: str = "someone") -> Actor:
    return Actor(id=id, name=id, role=role, jurisdiction=jurisdiction, public_key=key(200))


def test_names_role_and_jurisdiction_when_a_city_reports_county_figures() -> None:
    book = at("FiguresReported")
    with pytest.raises(Forbidden) as raised:
        book.record(CASE, "FiguresReported", "341100-lg", figures("county_self_report", "1.87"))
    assert raised.value.message == (
        "actor 341100-lg (city_leading_group, 341100) may not sign FiguresReported with source "
        "county_self_report on case:341122-2019: needs county_leading_group of 341122")


def test_refuses_a_county_leading_group_of_another_county() -> None:
    with pytest.raises(Forbidden, match=r"\(county_leading_group, 341221\).*needs county_leading_group of 341122"):
        at("FiguresReported").record(CASE, "FiguresReported", "341221-lg", figures("county_self_report", "1.87"))


def test_refuses_a_city_review_by_another_city() -> None:
    with pytest.raises(Forbidden, match="needs city_leading_group of 341100"):
        at("CityReviewCompleted").record(CASE, "CityReviewCompleted", "341200-lg",
                                         step(national_case(), "CityReviewCompleted").payload)


@pytest.mark.parametrize(("source", "signer"), [
    ("county_self_report", "341122-lg"), ("national_information_system", "ah-office"),
    ("third_party", "ah-eval"), ("department_inspection", "ah-dept"),
])
def test_lets_each_source_report_figures_only_through_its_role(source: str, signer: str) -> None:
    book = at("FiguresReported")
    book.record(CASE, "FiguresReported", signer, figures(source, "1.5"))
    others = {"341122-lg", "ah-office", "ah-eval", "ah-dept"} - {signer}
    for other in others:
        with pytest.raises(Forbidden, match=f"with source {source}"):
            book.record(CASE, "FiguresReported", other, figures(source, "1.5"))


@pytest.mark.parametrize("signer", ["ledger-authority", "ah-office"])
def test_opens_a_case_by_the_authority_or_the_provincial_office(signer: str) -> None:
    province().record(CASE, "CaseOpened", signer, opening())


@pytest.mark.parametrize("signer", ["341122-lg", "ah-gov", "cn-lg"])
def test_refuses_to_open_a_case_by_anyone_else(signer: str) -> None:
    with pytest.raises(Forbidden, match="needs ledger_authority or provincial_office of 340000"):
        province().record(CASE, "CaseOpened", signer, opening())


@pytest.mark.parametrize("signer", ["341122-lg", "341122-pg", "341100-lg", "ah-office", "ah-eval", "cn-lg",
                                    "ah-cdi", "341122-cdi"])
def test_lets_any_official_role_covering_the_case_open_a_rectification(signer: str) -> None:
    at("RectificationOpened").do(step(national_case(), "RectificationOpened")._replace(actor=signer))


@pytest.mark.parametrize(("signer", "needs"), [
    ("ledger-authority", "needs an official role, not ledger_authority"),
    ("341221-lg", "needs county_leading_group of 341122"),
    ("341200-pg", "needs city_party_government of 341100"),
    ("341221-cdi", "needs discipline_inspector of 000000, 340000, 341100 or 341122"),
])
def test_refuses_a_rectification_opened_by_the_authority_or_outside_the_case(signer: str, needs: str) -> None:
    with pytest.raises(Forbidden, match=needs):
        at("RectificationOpened").do(step(national_case(), "RectificationOpened")._replace(actor=signer))


@pytest.mark.parametrize(("type", "wrong"), [
    ("ExitApplicationApproved", "341122-lg"), ("ExitApplicationSubmitted", "341122-pg"),
    ("CityReportApproved", "341100-lg"), ("CityReportSubmitted", "341100-pg"),
    ("ProvincialVerificationCompleted", "ah-gov"), ("DepartmentInspectionCompleted", "ah-office"),
    ("ThirdPartyEvaluationCompleted", "ah-dept"), ("ExitReportFormed", "ah-eval"),
    ("PublicityOpened", "ah-gov"), ("AuditOpinionSubmitted", "ah-cdi"),
    ("NationalSpotCheckCompleted", "ah-office"), ("ExitApproved", "ah-office"), ("ExitAnnounced", "cn-lg"),
    ("FollowUpPlanFiled", "341122-pg"), ("VillageFiguresReported", "ah-office"),
])
def test_refuses_a_step_signed_by_the_wrong_role(type: str, wrong: str) -> None:
    book = at(type)
    book.do(step(national_case(), type))  # the right signer is accepted here …
    with pytest.raises(Forbidden, match=f"may not sign {type}"):  # … and the wrong one refused
        book.do(step(national_case(), type)._replace(actor=wrong))


def test_refuses_a_revoked_actor() -> None:
    book = at("FiguresReported")
    revoked = replace(book.actor("341122-lg"), revoked=True)
    with pytest.raises(Forbidden, match="actor 341122-lg is revoked"):
        book.record(CASE, "FiguresReported", revoked, figures("county_self_report", "1.87"))


def test_authorizes_on_replay_without_a_state() -> None:
    authorize(type="CityReviewCompleted", stream=CASE, actor=actor("city_leading_group", "341100"),
              province_code=PROVINCE, case=REF)
    authorize(type="CaseOpened", stream=CASE, actor=actor("provincial_office", PROVINCE),
              province_code=PROVINCE, case=None)
    authorize(type="NationalSpotCheckCompleted", stream=CASE, actor=actor("national_leading_group", "000000"),
              province_code=PROVINCE, case=REF)
    with pytest.raises(Forbidden, match="needs provincial_office of 340000"):
        authorize(type="PublicityOpened", stream=CASE, actor=actor("provincial_office", "350000"),
                  province_code=PROVINCE, case=REF)


def test_needs_the_payload_to_authorize_figures() -> None:
    with pytest.raises(ValueError, match="its source decides who signs"):
        authorize(type="FiguresReported", stream=CASE, actor=actor("county_leading_group", "341122"),
                  province_code=PROVINCE, case=REF)
    authorize(type="FiguresReported", stream=CASE, actor=actor("county_leading_group", "341122"),
              province_code=PROVINCE, case=REF, payload={"source": "county_self_report"})


@pytest.mark.parametrize(("jurisdiction", "allowed"), [
    ("000000", True), (PROVINCE, True), ("341100", True), ("341122", True), ("341200", False), ("341221", False),
])
def test_lets_a_discipline_inspector_act_on_cases_its_jurisdiction_covers(jurisdiction: str, allowed: bool) -> None:
    inspector = actor("discipline_inspector", jurisdiction)
    call = lambda: authorize(type="FindingRecorded", stream="inquiry:1", actor=inspector,  # noqa: E731
                             province_code=PROVINCE, case=REF)
    if allowed:
        call()
    else:
        with pytest.raises(Forbidden):
            call()


def test_registers_only_actors_whose_events_it_then_accepts() -> None:
    book = province()
    book.record("actors", "ActorRegistered", "ledger-authority",
                registration("341122-lg-2", "county_leading_group", "341122", 201))
    book.walk(until(national_case(), "FiguresReported"))
    book.record(CASE, "FiguresReported", "341122-lg-2", figures("county_self_report", "1.87"))
