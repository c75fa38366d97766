"""Order that cannot be skipped is refused; everything else is recorded as it happened (SPEC §1)."""

from __future__ import annotations

from typing import Any

import pytest

from domain import OutOfOrder, scenario
from domain.catalogue import STREAM_KINDS
from tests.unit.domain.kit import (
    CASE, REJECTED, Book, Step, authority, figures, genesis, national_case, opening, province, registration,
    rejected_case, step, until, verification, without,
)

CASE_TYPES = STREAM_KINDS["case"][1:]
TO_REJECTED = {"341122-lg": "341221-lg", "341122-pg": "341221-pg", "341100-lg": "341200-lg", "341100-pg": "341200-pg"}
SPECIAL = Step("SpecialRectificationReported", "341122-lg", {"reported_on": "2020-03-15", "result": "已整改"})


def sample(type: str) -> Step:
    """A well-formed step of ``type`` on the national case."""
    return SPECIAL if type == "SpecialRectificationReported" else step(national_case(), type)


def changed(steps: list[Step], type: str, nth: int = 1, **changes: Any) -> list[Step]:
    index = len(until(steps, type, nth))
    return [*steps[:index], steps[index]._replace(payload={**steps[index].payload, **changes}), *steps[index + 1:]]


def refused(book: Book, each: Step, match: str) -> None:
    with pytest.raises(OutOfOrder, match=match):
        book.do(each)


@pytest.mark.parametrize("type", CASE_TYPES)
def test_refuses_anything_after_a_rejection(type: str) -> None:
    book = province().walk(rejected_case())
    case = book.case(REJECTED)
    assert (case.ended, case.outcome, case.last_decision) == (True, "rejected", "reject")
    each = sample(type)
    payload = dict(each.payload)
    if type == "VillageFiguresReported":
        payload["village_code"] = "341221100201"
    refused(book, Step(type, TO_REJECTED.get(each.actor, each.actor), payload, REJECTED),
            "was rejected at provincial verification; nothing follows a rejection")


@pytest.mark.parametrize("type", [t for t in CASE_TYPES if t != "FollowUpPlanFiled"])
def test_refuses_anything_but_follow_up_plans_after_the_announcement(type: str) -> None:
    book = province().walk(national_case())
    refused(book, sample(type), "the exit was announced; only FollowUpPlanFiled may follow")


def test_accepts_follow_up_plans_after_the_announcement() -> None:
    book = province().walk(national_case())
    book.do(step(national_case(), "FollowUpPlanFiled"))
    case = book.case()
    assert (case.ended, case.outcome) == (True, "announced")


def test_refuses_city_review_without_submitted_application() -> None:
    book = province().walk(without(until(national_case(), "CityReviewCompleted"), "ExitApplicationSubmitted"))
    refused(book, sample("CityReviewCompleted"), "CityReviewCompleted needs an ExitApplicationSubmitted")
    book.do(sample("ExitApplicationSubmitted"))
    book.do(sample("CityReviewCompleted"))


@pytest.mark.parametrize("opinions", [[], ["fail"], ["pass", "fail"]])
def test_refuses_city_report_without_a_latest_passing_review(opinions: list[str]) -> None:
    book = province().walk(until(national_case(), "CityReviewCompleted"))
    for opinion in opinions:
        book.do(sample("CityReviewCompleted")._replace(payload={"reviewed_on": "2019-12-20", "opinion": opinion}))
    refused(book, sample("CityReportSubmitted"), "a CityReviewCompleted whose latest opinion is pass")


def test_accepts_city_report_after_a_failed_review_is_followed_by_a_pass() -> None:
    book = province().walk(until(national_case(), "CityReviewCompleted"))
    book.do(sample("CityReviewCompleted")._replace(payload={"reviewed_on": "2019-12-18", "opinion": "fail"}))
    book.do(sample("CityReviewCompleted"))
    book.do(sample("CityReportSubmitted"))


def test_refuses_verification_without_city_report() -> None:
    book = province().walk(without(until(national_case(), "ProvincialVerificationCompleted"), "CityReportSubmitted"))
    refused(book, sample("ProvincialVerificationCompleted"), "needs a CityReportSubmitted")


@pytest.mark.parametrize("type", ["DepartmentInspectionCompleted", "ThirdPartyEvaluationCompleted"])
@pytest.mark.parametrize("checks", [
    {"procedure_compliant": False}, {"materials_complete": False},
])
def test_refuses_inspection_and_evaluation_unless_the_latest_verification_proceeds(
    type: str, checks: dict[str, bool]
) -> None:
    book = province().walk(until(national_case(), "ProvincialVerificationCompleted"))
    refused(book, sample(type), "latest: none")
    book.do(sample("ProvincialVerificationCompleted")._replace(payload=verification(**checks)))
    refused(book, sample(type), "the latest ProvincialVerificationCompleted to have decided proceed")
    book.do(sample("ProvincialVerificationCompleted"))
    book.do(sample(type))
    book.do(sample("ProvincialVerificationCompleted")._replace(payload=verification(**checks)))
    refused(book, sample(type), "decided proceed")


def test_refuses_exit_report_without_both_inspection_and_evaluation_after_the_proceed() -> None:
    book = province().walk(until(national_case(), "ThirdPartyEvaluationCompleted"))
    refused(book, sample("ExitReportFormed"), "both a DepartmentInspectionCompleted and a ThirdPartyEvaluation")
    book.do(sample("ThirdPartyEvaluationCompleted"))
    book.do(sample("ProvincialVerificationCompleted"))  # a new verification: the checks start over
    book.do(sample("DepartmentInspectionCompleted"))
    refused(book, sample("ExitReportFormed"), "both a DepartmentInspectionCompleted")
    book.do(sample("ThirdPartyEvaluationCompleted"))
    book.do(sample("ExitReportFormed"))


@pytest.mark.parametrize("reports", [[], [False], [True, False]])
def test_refuses_publicity_without_a_latest_report_meeting_the_standard(reports: list[bool]) -> None:
    book = province().walk(until(national_case(), "ExitReportFormed"))
    for meets in reports:
        book.do(sample("ExitReportFormed")._replace(payload={"formed_on": "2020-03-20", "meets_standard": meets}))
    refused(book, sample("PublicityOpened"), "a latest ExitReportFormed that meets the standard")


def test_accepts_publicity_once_a_later_report_meets_the_standard() -> None:
    book = province().walk(until(national_case(), "ExitReportFormed"))
    book.do(sample("ExitReportFormed")._replace(payload={"formed_on": "2020-03-18", "meets_standard": False}))
    book.do(sample("ExitReportFormed"))
    book.do(sample("PublicityOpened"))


def test_refuses_audit_opinion_before_publicity_closes() -> None:
    book = province().walk(without(until(national_case(), "AuditOpinionSubmitted"), "PublicityClosed"))
    refused(book, sample("AuditOpinionSubmitted"), "needs a PublicityClosed")


def test_refuses_a_national_spot_check_of_a_provincial_level_county() -> None:
    book = province().walk(changed(until(national_case(), "NationalSpotCheckCompleted"), "CaseOpened",
                                   tier="provincial"))
    refused(book, sample("NationalSpotCheckCompleted"), "341122 is provincial-level")


def test_refuses_exit_approval_before_the_audit_opinion() -> None:
    book = province().walk(without(until(national_case(), "ExitApproved"), "AuditOpinionSubmitted"))
    refused(book, sample("ExitApproved"), "needs an AuditOpinionSubmitted")


def test_refuses_announcement_before_approval() -> None:
    book = province().walk(until(national_case(), "ExitApproved"))
    refused(book, sample("ExitAnnounced"), "needs an ExitApproved")


@pytest.mark.parametrize("type", ["RectificationOpened", "RectificationCompleted", "SpecialRectificationReported"])
@pytest.mark.parametrize("after", ["CaseOpened", "ProvincialVerificationCompleted", "PublicityOpened", "ExitApproved"])
def test_accepts_rectification_anywhere_between_opening_and_end(type: str, after: str) -> None:
    book = province().walk(until(national_case(), after) + [step(national_case(), after)])
    book.do(sample(type))


def test_walks_a_national_case_to_its_announcement() -> None:
    book = province().walk(national_case())
    case = book.case()
    assert (case.stream, case.county_code, case.city_code, case.tier, case.year) == (
        CASE, "341122", "341100", "national", 2019)
    assert (case.ended, case.outcome, case.last_decision, case.version) == (True, "announced", "proceed", 23)
    assert case.as_case_ref().stream == CASE


# --- recorded, not refused ---------------------------------------------------------------------

def test_records_an_application_and_a_city_report_without_their_party_approvals() -> None:
    province().walk(without(national_case(), "ExitApplicationApproved", "CityReportApproved"))


def test_records_the_approval_of_a_national_level_county_without_spot_check() -> None:
    book = province().walk(without(national_case(), "NationalSpotCheckCompleted"))
    assert book.case().outcome == "announced" and not book.case().spot_checked


def test_records_the_exit_of_a_provincial_level_county_without_spot_check() -> None:
    steps = changed(without(national_case(), "NationalSpotCheckCompleted"), "CaseOpened", tier="provincial")
    assert province().walk(steps).case().outcome == "announced"


def test_records_approval_although_special_rectification_was_required_and_not_reported() -> None:
    book = province().walk(changed(national_case(), "ThirdPartyEvaluationCompleted", mass_recognition="85"))
    case = book.case()
    assert case.special_rectification_required and not case.special_rectification_reported
    assert case.outcome == "announced"


def test_records_failed_inspection_evaluation_and_spot_check() -> None:
    steps = changed(national_case(), "DepartmentInspectionCompleted", passed=False)
    steps = changed(steps, "NationalSpotCheckCompleted", passed=False, problems=["漏评 3 户"])
    steps = changed(steps, "ThirdPartyEvaluationCompleted", wrongful_exit_rate="2.5")
    assert province().walk(steps).case().outcome == "announced"


def test_records_dates_out_of_order_and_missed_deadlines() -> None:
    steps = changed(national_case(), "ExitApplicationSubmitted", submitted_on="2019-12-31")  # due 15 December
    steps = changed(steps, "CityReportSubmitted", submitted_on="2020-01-15")  # due 31 December
    steps = changed(steps, "ExitAnnounced", announced_on="2020-07-01")  # before its approval on 07-20
    steps = changed(steps, "CityReviewCompleted", reviewed_on="2019-12-01")  # before the submission
    province().walk(steps)


def test_records_threshold_failures_of_the_county_self_report() -> None:
    steps = changed(national_case(), "FiguresReported", 1, poverty_incidence="2.80", poor_villages_remaining=4,
                    income_growth="5.1", provincial_income_growth="8.9", public_service_indicators_met=15)
    province().walk(steps)


def test_records_village_figures_that_do_not_add_up_to_the_county() -> None:
    steps = changed(national_case(), "VillageFiguresReported", poor_population=99999, exited=False)
    province().walk(steps)


def test_records_steps_that_the_order_does_not_constrain() -> None:
    book = province().walk(national_case()[:1])
    for type in ("FollowUpPlanFiled", "ObjectionReceived", "PublicityClosed", "ExitApplicationApproved",
                 "CityReportApproved", "VillageFiguresReported"):
        book.do(sample(type))
    book.walk([step(national_case(), "ExitApplicationSubmitted")] * 2)  # a resubmission


def test_records_figures_from_every_source_at_any_stage() -> None:
    book = province().walk(until(national_case(), "ExitAnnounced"))
    book.record(CASE, "FiguresReported", "ah-dept", figures("department_inspection", "1.9"))
    book.record(CASE, "FiguresReported", "ah-eval", figures("third_party", "1.7"))


def test_opens_a_case_in_any_order_with_other_cases() -> None:
    book = province()
    book.record(REJECTED, "CaseOpened", "ah-office", opening("341221", "341200"))
    book.do(national_case()[0])
    assert book.case(REJECTED).city_code == "341200" and book.case().city_code == "341100"


def test_records_evaluation_figures_after_a_special_rectification() -> None:
    steps = changed(national_case(), "ThirdPartyEvaluationCompleted", public_service_indicators_met=18)
    index = len(until(steps, "ExitReportFormed"))
    steps.insert(index, SPECIAL)
    book = province().walk(steps)
    assert book.case().special_rectification_required and book.case().special_rectification_reported


def test_accepts_the_demo_scenario_as_written() -> None:
    book = Book()
    book.record("actors", "LedgerInitialised", authority(), genesis())
    for n, spec in enumerate(scenario.ACTORS, start=1):
        book.record("actors", "ActorRegistered", "ledger-authority",
                    registration(spec.actor, spec.role, spec.jurisdiction, n, name=spec.name, person=spec.person))
    for each in scenario.demo_steps():
        book.record(each.stream, each.type, each.actor, each.payload)
    assert [book.case(s).outcome for s in ("case:340828-2017", "case:341221-2019")] == ["announced", "rejected"]
