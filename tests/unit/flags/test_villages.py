"""duplicate-village-records."""

from __future__ import annotations

from tests.unit.flags.make import Step, case, clean_steps, insert_before, run, village


def with_villages(*villages: Step) -> list[Step]:
    return insert_before(clean_steps(), "FiguresReported", *villages)


def test_three_villages_with_identical_figures_are_high() -> None:
    c = case(with_villages(*[village("341122", i, 612, 9, 21, income="9830") for i in range(3)],
                           village("341122", 9, 480, 7, 15)))
    [f] = run("duplicate-village-records", c)
    assert f.severity == "high" and len(f.evidence) == 3 and "612 households" in f.message


def test_two_identical_villages_are_not_enough() -> None:
    c = case(with_villages(*[village("341122", i, 612, 9, 21) for i in range(2)], village("341122", 9, 480, 7, 15)))
    assert run("duplicate-village-records", c) == []


def test_trivial_or_merely_similar_figures_are_not_duplicates() -> None:
    trivial = [village("341122", i, 0, 0, 0) for i in range(4)]
    income = [village("341122", 10 + i, 612, 9, 21, income=str(9830 + i)) for i in range(3)]
    assert run("duplicate-village-records", case(with_villages(*trivial, *income))) == []


def test_the_same_income_written_differently_is_still_the_same() -> None:
    c = case(with_villages(*[village("341122", i, 612, 9, 21, income=text) for i, text in
                             enumerate(("9830", "9830.0", "9830.00"))]))
    assert len(run("duplicate-village-records", c)) == 1


def test_a_villages_latest_report_is_what_counts() -> None:
    dupes = [village("341122", i, 612, 9, 21) for i in range(3)]
    corrected = village("341122", 0, 640, 11, 25)
    assert run("duplicate-village-records", case(with_villages(*dupes, corrected))) == []
