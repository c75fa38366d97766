"""late-revision and unevidenced-revision."""

from __future__ import annotations

from tests.unit.flags.make import (
    Cite, Step, case, clean_steps, edit, figures, insert_after, insert_before, run, seqs, village,
)


def county_report(reported_on: str, poor: int, **extra: object) -> Step:
    return Step("FiguresReported", figures("county_self_report", reported_on, "2019-10-31", 480_000, poor,
                                           **extra))  # type: ignore[arg-type]


RECTIFIED = Step("RectificationCompleted", {"item": "SC-02", "completed_on": "2019-12-12", "evidence": "整改报告"})


def test_a_clean_case_has_no_late_or_unevidenced_revision() -> None:
    assert run("late-revision", case()) == [] and run("unevidenced-revision", case()) == []


def test_an_improving_revision_after_the_application_is_high() -> None:
    c = case(insert_after(clean_steps(), "ExitApplicationSubmitted", county_report("2019-12-12", 4_800,
                                                                                   revises=Cite("county"))))
    [f] = run("late-revision", c)
    assert f.severity == "high" and "incidence 1.10% → 1.00%" in f.message
    assert seqs(f) == [4, 6, 7]   # the revised report, the application, the revision


def test_a_rectified_or_worsening_revision_after_the_application_is_a_watch() -> None:
    rectified = insert_after(clean_steps(), "ExitApplicationSubmitted", RECTIFIED, county_report("2019-12-13", 4_800))
    worse = insert_after(clean_steps(), "ExitApplicationSubmitted", county_report("2019-12-12", 5_400))
    assert [f.severity for f in run("late-revision", case(rectified))] == ["watch"]
    assert [f.severity for f in run("late-revision", case(worse))] == ["watch"]


def test_village_figures_after_the_application_are_a_watch() -> None:
    c = case(insert_after(clean_steps(), "ExitApplicationSubmitted", village("341122", 1, 600, 9, 21)))
    [f] = run("late-revision", c)
    assert f.severity == "watch" and "1 village figures" in f.message


def test_figures_reported_in_the_last_three_days_before_the_deadline_are_a_watch() -> None:
    steps = edit(clean_steps(), "FiguresReported", 0, reported_on="2019-12-12")
    steps = edit(steps, "ExitApplicationSubmitted", submitted_on="2019-12-14")
    [f] = run("late-revision", case(steps))
    assert f.severity == "watch" and "last minute" in f.message


def test_figures_four_days_before_the_deadline_are_not_late() -> None:
    steps = edit(clean_steps(), "FiguresReported", 0, reported_on="2019-12-11")
    assert run("late-revision", case(steps)) == []


def test_an_improving_revision_with_no_rectification_in_between_is_unevidenced() -> None:
    c = case(insert_after(clean_steps(), "FiguresReported", county_report("2019-12-01", 4_800,
                                                                           revises=Cite("county"))))
    [f] = run("unevidenced-revision", c)
    assert f.severity == "high" and "poor population 5280 → 4800" in f.message and seqs(f) == [4, 5]


def test_a_revision_after_a_completed_rectification_is_evidenced() -> None:
    steps = insert_after(clean_steps(), "FiguresReported", RECTIFIED,
                         county_report("2019-12-01", 4_800, revises=Cite("county")))
    assert run("unevidenced-revision", case(steps)) == []


def test_a_revision_that_makes_figures_worse_needs_no_evidence() -> None:
    steps = insert_after(clean_steps(), "FiguresReported", county_report("2019-12-01", 5_600, revises=Cite("county")))
    assert run("unevidenced-revision", case(steps)) == []


def test_a_revision_recorded_before_the_rectification_it_claims_is_unevidenced() -> None:
    steps = insert_before(clean_steps(), "RectificationCompleted", county_report("2019-11-01", 4_800))
    steps = edit(steps, "FiguresReported", 1, revises=Cite("first"))
    steps[2].label = "first"
    steps = insert_before(steps, "RectificationCompleted", county_report("2019-11-02", 4_700, revises=Cite("first")))
    assert len(run("unevidenced-revision", case(steps))) == 1
