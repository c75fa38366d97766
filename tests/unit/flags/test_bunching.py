"""threshold-bunching: one year's incidences piling up just below the limit."""

from __future__ import annotations

from projections.flags import CaseFacts
from tests.unit.flags.make import Seqs, clean_steps, edit, figures, run


def province_with(below: list[str], above: list[str], *, year: int = 2019, mirror: bool = False,
                  years: list[int] | None = None) -> list[CaseFacts]:
    """Cases of ``year`` whose county incidence is each value given; others sit far from the limit."""
    seq = Seqs()
    cases = []
    for i, incidence in enumerate(below + above + ["0.80", "1.20", "0.50"]):
        y = years[i] if years and i < len(years) else year
        poor = round(500_000 * float(incidence) / 100)
        steps = clean_steps(f"3411{21 + i:02d}", y, name=f"县{i}")
        steps = edit(steps, "FiguresReported", 0, **figures("county_self_report", f"{y}-11-25", f"{y}-10-31",
                                                             500_000, poor, incidence=incidence))
        verified = incidence if mirror else "1.00"
        steps = edit(steps, "FiguresReported", 1, **figures(
            "national_information_system", f"{y + 1}-01-10", f"{y}-12-31", 500_000,
            round(500_000 * float(verified) / 100), incidence=verified))
        cases.append(seq.build(steps))
    return cases


NINE_BELOW = ["1.75", "1.8", "1.85", "1.9", "1.92", "1.95", "1.98", "2.00", "1.71"]


def test_nine_just_below_and_none_just_above_is_bunching() -> None:
    [f] = run("threshold-bunching", *province_with(NINE_BELOW, []))
    assert f.stream == "province:2019" and f.severity == "high"
    assert len(f.evidence) == 9 and "9 of the 9 county self-report incidences" in f.message and "p = 0.002" in f.message


def test_eight_below_and_one_above_is_not_significant() -> None:
    assert run("threshold-bunching", *province_with(NINE_BELOW[:8], ["2.10"])) == []   # p = 10/512


def test_fewer_than_eight_in_the_window_is_not_tested() -> None:
    assert run("threshold-bunching", *province_with(NINE_BELOW[:7], [])) == []   # p = 1/128 but n = 7


def test_the_verified_figures_are_tested_on_their_own() -> None:
    flags = run("threshold-bunching", *province_with(NINE_BELOW, [], mirror=True))
    assert len(flags) == 2 and "national information system" in flags[1].message + flags[0].message


def test_cases_of_different_years_are_not_pooled() -> None:
    cases = province_with(NINE_BELOW, [], years=[2018] * 5 + [2019] * 4)
    assert run("threshold-bunching", *cases) == []
