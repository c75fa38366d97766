"""deadline and date-order."""

from __future__ import annotations

import pytest

from tests.unit.flags.make import case, clean_steps, edit, find, index, run, seqs


def test_a_clean_case_keeps_every_date() -> None:
    assert run("deadline", case()) == [] and run("date-order", case()) == []


@pytest.mark.parametrize(("type", "field", "late", "in_time"), [
    ("ExitApplicationSubmitted", "submitted_on", "2019-12-16", "2019-12-15"),
    ("ExitApplicationApproved", "approved_on", "2019-12-16", "2019-12-15"),
    ("CityReportSubmitted", "submitted_on", "2020-01-02", "2019-12-31"),
    ("ProvincialVerificationCompleted", "verified_on", "2020-05-01", "2020-04-30"),
    ("ProvincialVerificationCompleted", "verified_on", "2019-12-31", "2020-01-01"),
    ("NationalSpotCheckCompleted", "checked_on", "2020-08-01", "2020-07-31"),
    ("NationalSpotCheckCompleted", "checked_on", "2020-04-30", "2020-05-01"),
])
def test_a_step_outside_its_window_is_a_watch(type: str, field: str, late: str, in_time: str) -> None:
    flags = [f for f in run("deadline", case(edit(clean_steps(), type, **{field: late}))) if type in f.message]
    assert [f.severity for f in flags] == ["watch"]
    assert late in flags[0].message
    assert not [f for f in run("deadline", case(edit(clean_steps(), type, **{field: in_time}))) if type in f.message]


def test_publicity_closed_before_its_closing_date_is_high() -> None:
    c = case(edit(clean_steps(), "PublicityClosed", closed_on="2020-03-31"))
    [f] = run("deadline", c)
    assert f.severity == "high" and "2020-04-01" in f.message and len(f.evidence) == 2


def test_publicity_closed_on_its_closing_date_is_in_time() -> None:
    assert run("deadline", case(edit(clean_steps(), "PublicityClosed", closed_on="2020-04-01"))) == []


def test_a_city_review_dated_before_the_application_is_high() -> None:
    c = case(edit(clean_steps(), "CityReviewCompleted", reviewed_on="2019-12-05"))
    flags = run("date-order", c)
    assert [f.severity for f in flags] == ["high"]
    assert "CityReviewCompleted of 2019-12-05" in flags[0].message and "ExitApplicationSubmitted of 2019-12-09" in flags[0].message
    steps = clean_steps()
    assert seqs(flags[0]) == [index(steps, "ExitApplicationSubmitted") + 1, index(steps, "CityReviewCompleted") + 1]


def test_a_review_on_the_day_of_the_application_is_in_order() -> None:
    assert run("date-order", case(edit(clean_steps(), "CityReviewCompleted", reviewed_on="2019-12-09"))) == []


def test_an_application_dated_before_the_figures_it_relies_on_is_high() -> None:
    steps = edit(clean_steps(), "FiguresReported", 0, reported_on="2019-12-10")
    [f] = run("date-order", case(steps))
    assert "FiguresReported of 2019-12-10" in f.message


def test_an_approval_recorded_after_the_submission_but_dated_later_is_high() -> None:
    steps = clean_steps()
    approval = find(steps, "ExitApplicationApproved")
    steps.remove(approval)
    steps.insert(index(steps, "ExitApplicationSubmitted") + 1, approval)
    approval.payload["approved_on"] = "2019-12-11"
    [f] = run("date-order", case(steps))
    assert "ExitApplicationSubmitted of 2019-12-09" in f.message


def test_a_rectification_completed_before_it_was_opened_is_high() -> None:
    [f] = run("date-order", case(edit(clean_steps(), "RectificationCompleted", completed_on="2019-09-01")))
    assert "RectificationOpened" in f.message


def test_the_deadline_table_is_the_read_models() -> None:
    from projections.deadlines import DUE as READ_MODEL_DUE
    from projections.flags.timing import DUE

    assert DUE == {t: (d.window_from, d.deadline) for t, d in READ_MODEL_DUE.items()}
