"""sudden-drop: incidence falling implausibly between two reports of one source."""

from __future__ import annotations

from projections.flags import CaseFacts, Policy
from tests.unit.flags.make import Seqs, Step, case, clean_steps, figures, insert_before, run, seqs


def two_reports(earlier: str, as_of: str, later_poor: int = 5_280, county: str = "341122",
                seq: Seqs | None = None) -> CaseFacts:
    """A case whose county first reported ``earlier`` % as of ``as_of``, then 5280 / 480000 = 1.10 % as of 31 Oct."""
    poor = round(480_000 * float(earlier) / 100)
    steps = clean_steps(county)
    steps = insert_before(steps, "FiguresReported", Step("FiguresReported", figures(
        "county_self_report", "2019-09-05", as_of, 480_000, poor, incidence=earlier)))
    steps[4].payload.update(poor_population=later_poor, poverty_incidence=f"{later_poor * 100 / 480_000:.2f}")
    return (seq or Seqs()).build(steps)


def test_a_clean_case_has_no_drop() -> None:
    assert run("sudden-drop", case()) == []


def test_more_than_half_gone_within_ninety_days_is_high() -> None:
    c = two_reports("4.00", "2019-08-31")   # 4.00 → 1.10 in 61 days
    [f] = run("sudden-drop", c)
    assert f.severity == "high" and "falls by 72%" in f.message and "61 days later" in f.message
    assert seqs(f) == [r.event.seq for r in c.figures("county_self_report")]


def test_exactly_half_is_not_a_sudden_drop() -> None:
    assert run("sudden-drop", two_reports("2.20", "2019-08-31")) == []


def test_a_steep_fall_over_more_than_ninety_days_is_not_sudden() -> None:
    assert run("sudden-drop", two_reports("4.00", "2019-07-02")) == []   # 121 days


def province(earlier: list[str]) -> list[CaseFacts]:
    seq = Seqs()
    return [two_reports(e, "2019-05-31", county=f"3411{21 + i:02d}", seq=seq) for i, e in enumerate(earlier)]


def test_a_fall_far_steeper_than_the_other_cases_is_a_watch() -> None:
    cases = province(["1.16", "1.17", "1.18", "1.19", "1.20", "1.17", "2.00"])   # falls of 5–8 %, then 45 %
    [f] = run("sudden-drop", *cases)
    assert f.severity == "watch" and f.stream == cases[-1].stream and "modified z-score" in f.message


def test_a_fall_within_the_spread_of_the_others_is_no_outlier() -> None:
    assert run("sudden-drop", *province(["1.25", "1.40", "1.60", "1.80", "2.00", "1.50"])) == []


def test_too_few_cases_for_a_z_score() -> None:
    assert run("sudden-drop", *province(["1.16", "1.17", "1.18", "2.00"])) == []


def test_the_z_score_threshold_comes_from_the_policy() -> None:
    cases = province(["1.16", "1.17", "1.18", "1.19", "1.20", "1.17", "2.00"])
    assert run("sudden-drop", *cases, policy=Policy(drop_modified_z=1000)) == []
