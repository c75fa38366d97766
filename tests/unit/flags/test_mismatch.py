"""figure-mismatch: the county's figures against the verified ones."""

from __future__ import annotations

from tests.unit.flags.make import Step, case, clean_steps, edit, figures, insert_after, run, seqs

COUNTY = dict(source="county_self_report", reported_on="2019-11-25", as_of="2019-10-31")
VERIFIED = dict(source="national_information_system", reported_on="2020-01-10", as_of="2019-12-31")


def with_figures(county: dict[str, object], verified: dict[str, object]) -> list[Step]:
    steps = edit(clean_steps(), "FiguresReported", 0, **figures(**{**COUNTY, **county}))  # type: ignore[arg-type]
    return edit(steps, "FiguresReported", 1, **figures(**{**VERIFIED, **verified}))  # type: ignore[arg-type]


def test_a_clean_case_has_no_mismatch() -> None:
    assert run("figure-mismatch", case()) == []


def test_a_county_passing_the_limit_the_verified_figure_fails_is_critical() -> None:
    c = case(with_figures({"rural": 480_000, "poor": 9_360}, {"rural": 480_000, "poor": 12_000}))  # 1.95 vs 2.50
    [f] = run("figure-mismatch", c)
    assert f.severity == "critical" and f.stream == "case:341122-2019"
    assert "1.95%" in f.message and "2.50%" in f.message and "341122-lg" in f.message and "ah-office" in f.message
    application = c.first("ExitApplicationSubmitted")
    assert application is not None
    assert seqs(f) == [c.figures()[0].event.seq, application.seq, c.figures()[1].event.seq]


def test_a_difference_that_crosses_no_threshold_is_high() -> None:
    c = case(with_figures({"rural": 480_000, "poor": 7_200}, {"rural": 480_000, "poor": 8_160}))  # 1.50 vs 1.70
    assert [f.severity for f in run("figure-mismatch", c)] == ["high"]


def test_differences_at_the_tolerances_are_not_a_mismatch() -> None:
    # incidence 1.00 vs 1.05 (exactly 0.05 pp), poor 5000 vs 5050 (exactly 1 %), rural 0.2 % apart
    c = case(with_figures({"rural": 500_000, "poor": 5_000}, {"rural": 501_000, "poor": 5_050, "incidence": "1.05"}))
    assert run("figure-mismatch", c) == []


def test_a_count_just_over_one_percent_is_a_mismatch() -> None:
    c = case(with_figures({"rural": 500_000, "poor": 5_000}, {"rural": 500_000, "poor": 5_051, "incidence": "1.01"}))
    [f] = run("figure-mismatch", c)
    assert f.severity == "high" and "poor population 5000 against 5051" in f.message


def test_villages_all_exited_against_some_remaining_is_critical() -> None:
    c = case(with_figures({"rural": 480_000, "poor": 5_280}, {"rural": 480_000, "poor": 5_280, "remaining": 2}))
    [f] = run("figure-mismatch", c)
    assert f.severity == "critical" and "no poor village remains" in f.message


def test_third_party_figures_are_compared_too() -> None:
    steps = insert_after(clean_steps(), "ThirdPartyEvaluationCompleted", Step("FiguresReported", figures(
        "third_party", "2020-03-06", "2020-02-29", 480_000, 6_100)))
    [f] = run("figure-mismatch", case(steps))
    assert "third-party survey" in f.message and "ah-eval" in f.message
