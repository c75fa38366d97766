"""missing-step and threshold-overridden."""

from __future__ import annotations

import pytest

from projections.flags import Policy
from tests.unit.flags.make import (
    Step, case, clean_steps, edit, find, index, insert_after, insert_before, run, seqs, without,
)


def test_a_clean_case_misses_no_step() -> None:
    assert run("missing-step", case()) == [] and run("missing-step", case(tier="provincial")) == []


def test_an_application_without_the_county_approval_is_high() -> None:
    [f] = run("missing-step", case(without(clean_steps(), "ExitApplicationApproved")))
    assert f.severity == "high" and "ExitApplicationApproved" in f.message


def test_an_approval_recorded_only_after_the_submission_is_named() -> None:
    steps = clean_steps()
    approval = find(steps, "ExitApplicationApproved")
    steps.remove(approval)
    steps.insert(index(steps, "ExitApplicationSubmitted") + 1, approval)
    [f] = run("missing-step", case(steps))
    assert "recorded only afterwards" in f.message and len(f.evidence) == 2


def test_a_city_report_without_the_city_approval_is_high() -> None:
    [f] = run("missing-step", case(without(clean_steps(), "CityReportApproved")))
    assert "CityReportApproved" in f.message


def test_a_national_county_approved_without_a_spot_check_is_high() -> None:
    [f] = run("missing-step", case(without(clean_steps(), "NationalSpotCheckCompleted")))
    assert "no national spot check" in f.message and len(f.evidence) == 2   # ExitApproved and ExitAnnounced


def test_a_failed_spot_check_does_not_allow_the_exit() -> None:
    [f] = run("missing-step", case(edit(clean_steps(), "NationalSpotCheckCompleted", passed=False)))
    assert "did not pass" in f.message and len(f.evidence) == 3


def objections(n: int, *, upheld: int = 0, stated: int | None = None) -> list[Step]:
    received = [Step("ObjectionReceived", {"received_on": "2020-03-28", "summary": f"群众反映{i}"}) for i in range(n)]
    steps = insert_after(clean_steps(), "PublicityOpened", *received)
    return edit(steps, "PublicityClosed", objections=n if stated is None else stated, upheld=upheld)


def test_objections_neither_upheld_nor_resolved_are_high() -> None:
    [f] = run("missing-step", case(objections(2)))
    assert "2 objections, none upheld" in f.message and len(f.evidence) == 4


def test_objections_resolved_by_a_rectification_or_upheld_are_not_flagged() -> None:
    resolved = insert_before(objections(2), "PublicityClosed", Step("RectificationCompleted", {
        "item": "PUB-01", "completed_on": "2020-03-31", "evidence": "核查报告"}))
    assert run("missing-step", case(resolved)) == []
    assert run("missing-step", case(objections(2, upheld=1))) == []


def test_publicity_closed_reporting_fewer_objections_than_received_is_high() -> None:
    [f] = run("missing-step", case(objections(3, stated=1, upheld=1)))
    assert "3 objections were recorded" in f.message and "only 1" in f.message


def failing(**evaluation: object) -> list[Step]:
    return edit(clean_steps(), "ThirdPartyEvaluationCompleted", **evaluation)


@pytest.mark.parametrize("failure", [
    {"mass_recognition": "88.5"}, {"wrongful_exit_rate": "2.01"}, {"missed_assessment_rate": "3.2"},
    {"public_service_indicators_met": 18},
])
def test_an_exit_approved_over_a_failed_third_party_threshold_is_critical(failure: dict[str, object]) -> None:
    c = case(failing(**failure))
    [f] = run("threshold-overridden", c)
    assert f.severity == "critical" and "no special rectification" in f.message
    assert seqs(f) == [e.seq for e in c.all("ThirdPartyEvaluationCompleted", "ExitApproved", "ExitAnnounced")]


@pytest.mark.parametrize("edge", [
    {"mass_recognition": "90"}, {"wrongful_exit_rate": "2"}, {"missed_assessment_rate": "2.00"},
])
def test_thresholds_met_exactly_are_not_overridden(edge: dict[str, object]) -> None:
    assert run("threshold-overridden", case(failing(**edge))) == []


def test_a_special_rectification_reported_lifts_the_failure() -> None:
    steps = insert_after(failing(mass_recognition="88.5"), "ThirdPartyEvaluationCompleted", Step(
        "SpecialRectificationReported", {"reported_on": "2020-03-15", "result": "已完成专项整改"}))
    assert run("threshold-overridden", case(steps)) == []


def test_nothing_is_overridden_before_the_exit_is_approved() -> None:
    steps = without(failing(mass_recognition="88.5"), "NationalSpotCheckCompleted", "ExitApproved", "ExitAnnounced",
                    "FollowUpPlanFiled")
    assert run("threshold-overridden", case(steps)) == []


def test_the_thresholds_come_from_the_policy() -> None:
    c = case(failing(mass_recognition="91"))
    assert run("threshold-overridden", c) == []
    assert len(run("threshold-overridden", c, policy=Policy.from_mapping({"recognition_min": 92}))) == 1
