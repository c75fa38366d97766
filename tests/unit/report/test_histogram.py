"""The incidence histogram: bins of 0.1 pp, closed on the right like the limit, so bunching shows."""

from __future__ import annotations

from decimal import Decimal as D

from projections.report.province import histogram, incidence_histogram
from tests.unit.flags.make import Seqs, clean_steps, edit, figures, without


def counts(result: dict) -> dict[float, int]:
    return {round(b["lo"], 1): b["count"] for b in result["bins"] if b["count"]}


def test_bins_are_a_tenth_of_a_point_wide_and_run_from_zero_past_the_limit() -> None:
    result = histogram([("a", D("0.45"))], D("2"))
    assert result["width"] == 0.1 and result["limit"] == 2.0 and result["n"] == 1
    assert len(result["bins"]) == 30  # 0 … 3 %: the limit plus one point
    assert [(round(b["lo"], 1), round(b["hi"], 1)) for b in result["bins"][:2]] == [(0.0, 0.1), (0.1, 0.2)]


def test_an_incidence_equal_to_the_limit_falls_in_the_last_bin_left_of_the_line() -> None:
    result = histogram([("at", D("2.00")), ("over", D("2.01")), ("under", D("1.91"))], D("2"))
    assert counts(result) == {1.9: 2, 2.0: 1}
    assert [b["passes"] for b in result["bins"] if b["count"]] == [True, False]


def test_a_bin_holds_values_above_its_lower_edge_up_to_and_including_its_upper_edge() -> None:
    result = histogram([("a", D("1.0")), ("b", D("1.01")), ("c", D("1.1"))], D("2"))
    assert counts(result) == {0.9: 1, 1.0: 2}


def test_zero_falls_in_the_first_bin_and_values_past_the_default_range_widen_it() -> None:
    result = histogram([("none", D("0")), ("high", D("4.26"))], D("2"))
    assert counts(result) == {0.0: 1, 4.2: 1}
    assert round(result["bins"][-1]["hi"], 1) == 4.3


def test_a_western_limit_of_three_percent_moves_the_line_and_the_range() -> None:
    result = histogram([("a", D("2.95"))], D("3"))
    assert result["limit"] == 3.0 and len(result["bins"]) == 40
    assert [b for b in result["bins"] if b["count"]][0]["passes"] is True


def test_each_bin_names_its_counties_so_a_heap_under_the_limit_can_be_read() -> None:
    values = [(f"县{i}", D("1.95")) for i in range(6)] + [("县x", D("2.3"))]
    result = histogram(values, D("2"))
    [heap] = [b for b in result["bins"] if b["count"] == 6]
    assert round(heap["lo"], 1) == 1.9 and heap["labels"] == [f"县{i}" for i in range(6)]


def test_the_histogram_of_cases_uses_the_figures_the_application_relied_on() -> None:
    seqs = Seqs()
    relied = clean_steps("341122", rural=480_000, poor=9_360)                      # 1.95 %
    relied = edit(relied, "FiguresReported", 1, **figures("national_information_system", "2020-01-10",
                                                          "2019-12-31", 480_000, 12_000))  # 2.50 %, not counted
    unapplied = without(clean_steps("341123", rural=480_000, poor=4_800), "ExitApplicationSubmitted")
    result = incidence_histogram([seqs.build(relied), seqs.build(unapplied)], D("2"))
    assert result["n"] == 1 and counts(result) == {1.9: 1}
    assert [b["labels"] for b in result["bins"] if b["count"]] == [["示例县 1.95%"]]
