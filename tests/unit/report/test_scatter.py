"""The scatter of self-reported against verified incidence: one point per case, mismatches off."""

from __future__ import annotations

from decimal import Decimal as D

from projections.flags import Policy
from projections.report.province import incidence_scatter
from tests.unit.flags.make import Seqs, Step, clean_steps, edit, figures, insert_after, without


def with_incidence(county: str, own: str, verified: str) -> list[Step]:
    steps = edit(clean_steps(county), "FiguresReported", 0,
                 **figures("county_self_report", "2019-11-25", "2019-10-31", 480_000, 9_000, incidence=own))
    return edit(steps, "FiguresReported", 1, **figures("national_information_system", "2020-01-10", "2019-12-31",
                                                       480_000, 9_000, incidence=verified))


def test_each_case_with_both_figures_is_one_point_self_reported_on_x_and_verified_on_y() -> None:
    seqs = Seqs()
    result = incidence_scatter([seqs.build(with_incidence("341122", "1.95", "2.50")),
                                seqs.build(with_incidence("341123", "1.10", "1.12"))], Policy())
    points = {p["stream"]: p for p in result["points"]}
    xiao = points["case:341122-2019"]
    assert (xiao["x"], xiao["y"], xiao["x_text"], xiao["y_text"]) == (1.95, 2.5, "1.95", "2.50")
    assert xiao["off"] is True and round(xiao["diff_pp"], 2) == 0.55
    assert points["case:341123-2019"]["off"] is False
    assert result["limit"] == 2.0 and result["tolerance"] == 0.05 and result["max"] == 3.0


def test_a_difference_of_exactly_the_tolerance_stays_on_the_diagonal() -> None:
    [p] = incidence_scatter([Seqs().build(with_incidence("341122", "1.00", "1.05"))], Policy())["points"]
    assert p["off"] is False
    [p] = incidence_scatter([Seqs().build(with_incidence("341122", "1.00", "1.06"))], Policy())["points"]
    assert p["off"] is True


def test_a_case_without_verified_figures_or_without_an_application_is_left_out() -> None:
    seqs = Seqs()
    unverified = without(clean_steps("341122"), "ProvincialVerificationCompleted", "FiguresReported")
    unapplied = without(with_incidence("341123", "1.0", "1.0"), "ExitApplicationSubmitted")
    assert incidence_scatter([seqs.build(unverified), seqs.build(unapplied)], Policy())["points"] == []


def test_verified_means_the_report_the_verification_relied_on_not_a_later_one() -> None:
    steps = with_incidence("341122", "1.95", "2.50")
    later = Step("FiguresReported", figures("national_information_system", "2020-02-20", "2019-12-31", 480_000,
                                            9_000, incidence="1.90"))
    case = Seqs().build(insert_after(steps, "ProvincialVerificationCompleted", later))
    [p] = incidence_scatter([case], Policy())["points"]
    assert p["y_text"] == "2.50"
    assert p["y_seq"] == next(e.seq for e in case.events if e.get("poverty_incidence") == "2.50")


def test_the_axes_reach_past_the_largest_figure() -> None:
    result = incidence_scatter([Seqs().build(with_incidence("341122", "1.0", "4.2"))], Policy(incidence_limit=D("3")))
    assert result["max"] == 4.5 and result["limit"] == 3.0
