"""denominator-drift: the rural population moving within the application year."""

from __future__ import annotations

from tests.unit.flags.make import Step, case, clean_steps, figures, insert_before, run


def drifted(later_rural: int, earlier_as_of: str = "2019-07-31") -> list[Step]:
    steps = insert_before(clean_steps(), "FiguresReported", Step("FiguresReported", figures(
        "county_self_report", "2019-08-10", earlier_as_of, 480_000, 5_300)))
    steps[4].payload.update(rural_population=later_rural,
                            poverty_incidence=f"{5_280 * 100 / later_rural:.2f}")
    return steps


def test_a_clean_case_does_not_drift() -> None:
    assert run("denominator-drift", case()) == []


def test_a_growing_rural_population_is_high() -> None:
    [f] = run("denominator-drift", case(drifted(495_000)))
    assert f.severity == "high" and "grows by 3.1%" in f.message and "480000" in f.message


def test_a_shrinking_rural_population_is_a_watch() -> None:
    assert [f.severity for f in run("denominator-drift", case(drifted(465_000)))] == ["watch"]


def test_exactly_two_percent_is_tolerated() -> None:
    assert run("denominator-drift", case(drifted(489_600))) == []


def test_reports_of_another_year_are_not_compared() -> None:
    assert run("denominator-drift", case(drifted(495_000, earlier_as_of="2018-12-31"))) == []
