"""one-way-revisions: revisions moving toward passing far more often than chance."""

from __future__ import annotations

from projections.flags import CaseFacts
from tests.unit.flags.make import Cite, Seqs, Step, clean_steps, figures, insert_after, run


def revised(poors: list[int], county: str = "341122", seq: Seqs | None = None) -> CaseFacts:
    """A case whose county report (5280 poor) is revised in turn to each of ``poors``."""
    chain = []
    previous = "county"
    for i, poor in enumerate(poors):
        label = f"r{i}"
        chain.append(Step("FiguresReported", figures("county_self_report", f"2019-11-{26 + i // 10:02d}",
                                                     "2019-10-31", 480_000, poor, revises=Cite(previous)),
                          label=label))
        previous = label
    return (seq or Seqs()).build(insert_after(clean_steps(county), "FiguresReported", *chain))


def test_a_clean_case_has_no_revision() -> None:
    assert run("one-way-revisions", revised([])) == []


def test_ten_revisions_all_toward_passing_are_high_for_the_case_and_its_year() -> None:
    c = revised([5_270 - 10 * i for i in range(10)])
    flags = run("one-way-revisions", c)
    assert sorted(f.stream for f in flags) == [c.stream, "province:2019"]
    assert all(f.severity == "high" and "10 of" in f.message for f in flags)
    assert len(flags[0].evidence) == 11


def test_nine_of_ten_toward_passing_is_not_significant() -> None:
    poors = [5_270 - 10 * i for i in range(9)] + [5_300]   # p = 11/1024
    assert run("one-way-revisions", revised(poors)) == []


def test_fewer_than_ten_revisions_are_not_tested() -> None:
    assert run("one-way-revisions", revised([5_270 - 10 * i for i in range(9)])) == []


def test_revisions_are_pooled_over_the_province_per_year() -> None:
    seq = Seqs()
    cases = [revised([5_200, 5_100], county=f"3411{21 + i:02d}", seq=seq) for i in range(5)]
    [f] = run("one-way-revisions", *cases)
    assert f.stream == "province:2019" and "10 of the 10 revisions of the province's 2019 cases" in f.message
