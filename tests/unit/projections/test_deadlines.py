"""DOMAIN.md's dates for a county applying in year Y (projections.deadlines)."""

from __future__ import annotations

import pytest

from projections.deadlines import DUE, timing

AT = "2020-01-02T08:00:00.000000Z"


@pytest.mark.parametrize("type_, decided, status", [
    ("ExitApplicationSubmitted", "2019-12-15", "on_time"),
    ("ExitApplicationSubmitted", "2019-12-16", "late"),
    ("ExitApplicationApproved", "2019-12-16", "late"),
    ("CityReportSubmitted", "2019-12-31", "on_time"),
    ("CityReportSubmitted", "2020-01-01", "late"),
    ("CityReviewCompleted", "2019-12-20", "on_time"),
    ("ProvincialVerificationCompleted", "2019-12-31", "early"),
    ("ProvincialVerificationCompleted", "2020-01-01", "on_time"),
    ("AuditOpinionSubmitted", "2020-04-30", "on_time"),
    ("PublicityClosed", "2020-05-01", "late"),
    ("NationalSpotCheckCompleted", "2020-04-30", "early"),
    ("ExitApproved", "2020-07-31", "on_time"),
    ("ExitAnnounced", "2020-08-01", "late"),
])
def test_marks_a_step_against_its_window_and_deadline(type_: str, decided: str, status: str) -> None:
    assert timing(type_, 2019, decided, AT).status == status


def test_gives_the_window_and_deadline_of_the_case_year() -> None:
    when = timing("ThirdPartyEvaluationCompleted", 2019, "2020-03-05", "2020-03-05T08:00:00.000000Z")
    assert (when.window_from, when.deadline, when.status, when.recorded_late, when.lag_days) == (
        "2020-01-01", "2020-04-30", "on_time", False, 0)


def test_a_step_recorded_after_its_deadline_is_recorded_late_whatever_date_it_claims() -> None:
    when = timing("ExitApplicationSubmitted", 2019, "2019-12-14", "2020-01-20T09:00:00.000000Z")
    assert (when.status, when.recorded_late, when.lag_days) == ("on_time", True, 37)


def test_steps_without_a_deadline_only_get_their_lag() -> None:
    when = timing("FiguresReported", 2019, "2019-11-25", "2019-12-01T08:00:00.000000Z")
    assert when == (None, None, None, False, 6)
    assert "FiguresReported" not in DUE


def test_non_case_streams_have_no_deadline() -> None:
    assert timing("ExitApproved", None, "2020-07-01", AT).deadline is None


@pytest.mark.parametrize("decided", [None, "", "2019-13-45", "yesterday", 7])
def test_a_missing_or_odd_decision_date_gives_no_status_and_never_raises(decided: object) -> None:
    when = timing("ExitApplicationSubmitted", 2019, decided, AT)  # type: ignore[arg-type]
    assert when.status is None and when.lag_days is None and when.deadline == "2019-12-15"
