"""Where a case stands (projections.stages): the stage of the latest event that sets one."""

from __future__ import annotations

from typing import Any

import pytest

from domain.catalogue import STREAM_KINDS
from projections.stages import ALL_STAGES, STAGE_SETTING_TYPES, STAGES, next_stage, outcome_of

NIS = {"source": "national_information_system"}


def walk(steps: list[tuple[str, dict[str, Any]]], tier: str = "national") -> list[str | None]:
    stage: str | None = None
    seen = []
    for type_, payload in steps:
        stage = next_stage(stage, type_, payload, tier)
        seen.append(stage)
    return seen


def test_walks_a_national_case_through_every_stage_in_process_order() -> None:
    stages = walk([
        ("CaseOpened", {}), ("ExitApplicationSubmitted", {}), ("CityReviewCompleted", {"opinion": "pass"}),
        ("CityReportSubmitted", {}), ("FiguresReported", NIS),
        ("ProvincialVerificationCompleted", {"decision": "rectify"}),
        ("ProvincialVerificationCompleted", {"decision": "proceed"}), ("ExitReportFormed", {}),
        ("PublicityOpened", {}), ("AuditOpinionSubmitted", {}), ("NationalSpotCheckCompleted", {"passed": True}),
        ("ExitApproved", {}), ("ExitAnnounced", {}),
    ])
    assert stages == [
        "opened", "applied", "city_reviewed", "submitted_to_province", "under_verification", "rectification",
        "evaluation", "reported", "publicity", "spot_check", "spot_check", "approved", "announced",
    ]
    distinct = list(dict.fromkeys(stages))
    assert distinct == sorted(distinct, key=STAGES.index)  # the stages are listed in process order
    assert set(stages) == set(STAGES) - {"awaiting_approval"}


def test_a_provincial_level_case_awaits_approval_after_the_audit_opinion() -> None:
    assert walk([("CaseOpened", {}), ("AuditOpinionSubmitted", {}), ("ExitApproved", {})], "provincial") == [
        "opened", "awaiting_approval", "approved"]


def test_a_national_level_case_waits_for_its_spot_check_after_the_audit_opinion() -> None:
    assert next_stage("publicity", "AuditOpinionSubmitted", {}, "national") == "spot_check"


@pytest.mark.parametrize("decision, stage", [
    ("rectify", "rectification"), ("supplement", "rectification"), ("proceed", "evaluation"), ("reject", "rejected"),
])
def test_maps_each_verification_decision_to_its_stage(decision: str, stage: str) -> None:
    assert next_stage("under_verification", "ProvincialVerificationCompleted", {"decision": decision}, "national") == stage


@pytest.mark.parametrize("current, expected", [
    ("submitted_to_province", "under_verification"), ("rectification", "under_verification"),
    ("opened", "opened"), ("applied", "applied"), ("city_reviewed", "city_reviewed"), ("evaluation", "evaluation"),
    ("publicity", "publicity"), ("approved", "approved"),
])
def test_national_information_system_figures_start_verification_only_after_the_city_report(
        current: str, expected: str) -> None:
    assert next_stage(current, "FiguresReported", NIS, "national") == expected


@pytest.mark.parametrize("source", ["county_self_report", "third_party", "department_inspection"])
def test_figures_of_other_sources_never_move_the_stage(source: str) -> None:
    assert next_stage("submitted_to_province", "FiguresReported", {"source": source}, "national") == "submitted_to_province"


@pytest.mark.parametrize("terminal", ["rejected", "announced"])
@pytest.mark.parametrize("type_", ["FollowUpPlanFiled", "RectificationOpened", "ExitApproved", "CaseOpened"])
def test_terminal_stages_stay_whatever_follows(terminal: str, type_: str) -> None:
    assert next_stage(terminal, type_, {}, "national") == terminal
    assert outcome_of(terminal) == terminal


def test_only_terminal_stages_have_an_outcome() -> None:
    assert [s for s in ALL_STAGES if outcome_of(s)] == ["announced", "rejected"]
    assert outcome_of(None) is None


def test_an_odd_payload_sets_no_stage_and_never_raises() -> None:
    assert next_stage("under_verification", "ProvincialVerificationCompleted", {"decision": 7}, "") == "under_verification"
    assert next_stage("submitted_to_province", "FiguresReported", {"source": None}, "") == "submitted_to_province"


@pytest.mark.parametrize("type_", sorted(set(STREAM_KINDS["case"]) - STAGE_SETTING_TYPES))
def test_types_outside_the_stage_setting_ones_never_move_a_case(type_: str) -> None:
    for current in ALL_STAGES:
        assert next_stage(current, type_, {"source": "national_information_system", "decision": "proceed"},
                          "national") == current


def test_a_step_recorded_out_of_order_is_shown_as_recorded() -> None:
    assert next_stage("approved", "NationalSpotCheckCompleted", {"passed": True}, "national") == "spot_check"
