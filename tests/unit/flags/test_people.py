"""same-person: one natural person on both sides of a check."""

from __future__ import annotations

from projections.flags import Ref
from tests.unit.flags.make import build, case, clean_steps, find, run, seqs

REGISTERED = {"341122-lg": Ref(101, "a" * 64), "341100-lg": Ref(102, "b" * 64), "341122-pg": Ref(103, "c" * 64),
              "ah-eval": Ref(104, "d" * 64), "ah-office": Ref(105, "e" * 64)}


def test_distinct_people_raise_nothing() -> None:
    assert run("same-person", case()) == []


def test_the_county_reporter_reviewing_for_the_city_is_high() -> None:
    steps = clean_steps()
    find(steps, "CityReviewCompleted").person = "张某"
    find(steps, "FiguresReported", 0).person = "张某"
    c = build(steps, registrations=REGISTERED)
    [f] = run("same-person", c)
    assert f.severity == "high" and "张某" in f.message and "341122-lg" in f.message and "341100-lg" in f.message
    review = c.first("CityReviewCompleted")
    assert review is not None
    assert seqs(f) == [c.figures()[0].event.seq, review.seq, 101, 102]


def test_the_county_approver_submitting_the_city_report_is_high() -> None:
    steps = clean_steps()
    find(steps, "ExitApplicationApproved").person = "李某"
    find(steps, "CityReportSubmitted").person = "李某"
    assert len(run("same-person", case(steps))) == 1


def test_a_city_official_who_also_verifies_for_the_province_is_not_this_rule() -> None:
    steps = clean_steps()
    find(steps, "CityReviewCompleted").person = "王某"
    find(steps, "ProvincialVerificationCompleted").person = "王某"
    assert run("same-person", case(steps)) == []


def test_an_evaluator_who_acted_for_the_county_is_high() -> None:
    steps = clean_steps()
    find(steps, "ThirdPartyEvaluationCompleted").person = "赵某"
    find(steps, "FollowUpPlanFiled").person = "赵某"
    [f] = run("same-person", case(steps))
    assert "third-party evaluation" in f.message and "FollowUpPlanFiled" in f.message


def test_actors_naming_no_person_are_never_matched() -> None:
    c = case(clean_steps())
    anonymous = type(c)(c.stream, c.county_code, c.city_code, c.tier, c.year,
                        [e.__class__(**{**e.__dict__, "person": None}) for e in c.events])
    assert run("same-person", anonymous) == []
