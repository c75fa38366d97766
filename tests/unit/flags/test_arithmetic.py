"""arithmetic: incidence that is not poor / rural, villages that add up to more than the county."""

from __future__ import annotations

from tests.unit.flags.make import case, clean_steps, edit, insert_before, run, village


def test_a_clean_case_adds_up() -> None:
    assert run("arithmetic", case()) == []


def test_a_stated_incidence_far_from_poor_over_rural_is_high() -> None:
    [f] = run("arithmetic", case(edit(clean_steps(), "FiguresReported", 0, poverty_incidence="1.50")))
    assert f.severity == "high" and "1.1000%" in f.message and "1.50%" in f.message


def test_a_stated_incidence_passing_where_the_computed_one_fails_is_critical() -> None:
    steps = edit(clean_steps(), "FiguresReported", 0, poor_population=10_080, poverty_incidence="1.95")  # 2.10
    assert [f.severity for f in run("arithmetic", case(steps))] == ["critical"]


def test_rounding_within_half_a_unit_of_the_last_decimal_is_accepted() -> None:
    for stated in ("1.26", "1.25", "1.3", "1"):   # 6024 / 480000 = 1.255 exactly
        steps = edit(clean_steps(), "FiguresReported", 0, poor_population=6_024, poverty_incidence=stated)
        assert run("arithmetic", case(steps)) == [], stated
    steps = edit(clean_steps(), "FiguresReported", 0, poor_population=6_024, poverty_incidence="1.254")
    assert len(run("arithmetic", case(steps))) == 1   # three decimals claim more precision


def villages_of(*poor: int, exited: bool = True) -> list:  # type: ignore[type-arg]
    return [village("341122", i, 600, max(1, p // 3), p, exited=exited) for i, p in enumerate(poor, 1)]


def test_villages_counting_more_poor_than_the_county_are_flagged() -> None:
    steps = edit(clean_steps(), "FiguresReported", 0, poor_population=100, poverty_incidence="0.02", poor_villages_total=3)
    [f] = run("arithmetic", case(insert_before(steps, "FiguresReported", *villages_of(40, 40, 40))))
    assert f.severity == "high" and "120 poor people" in f.message and len(f.evidence) == 4


def test_villages_counting_exactly_the_county_poor_add_up() -> None:
    steps = edit(clean_steps(), "FiguresReported", 0, poor_population=120, poverty_incidence="0.03", poor_villages_total=3)
    assert run("arithmetic", case(insert_before(steps, "FiguresReported", *villages_of(40, 40, 40)))) == []


def test_more_villages_than_the_county_has_poor_villages_are_flagged() -> None:
    steps = edit(clean_steps(), "FiguresReported", 0, poor_villages_total=2)
    [f] = run("arithmetic", case(insert_before(steps, "FiguresReported", *villages_of(40, 40, 40))))
    assert "3 villages are reported" in f.message and "2 poor villages" in f.message


def test_villages_not_exited_beyond_those_the_county_reports_remaining_are_flagged() -> None:
    steps = edit(clean_steps(), "FiguresReported", 0, poor_villages_total=3, poor_villages_remaining=1)
    steps = insert_before(steps, "FiguresReported", *villages_of(40, 40, 40, exited=False))
    [f] = run("arithmetic", case(steps))
    assert "3 villages are reported as of 2019-10-31 as not exited" in f.message
    steps = edit(clean_steps(), "FiguresReported", 0, poor_villages_total=3, poor_villages_remaining=3)
    assert run("arithmetic", case(insert_before(steps, "FiguresReported", *villages_of(40, 40, 40, exited=False)))) == []
