"""A generated clean province raises no critical or high flag; a planted falsification stands out."""

from __future__ import annotations

import math
from collections import Counter

import pytest

from projections.flags import Policy, evaluate
from tests.unit.flags.make import Seqs, clean_steps, edit, figures
from tests.unit.flags.province import clean_province


@pytest.mark.parametrize("seed", [2017, 2018, 2019])
def test_a_clean_province_raises_no_critical_or_high_flag(seed: int) -> None:
    found = evaluate(clean_province(seed), Policy())
    serious = [f"{f.rule} {f.stream}: {f.message}" for f in found if f.severity in ("critical", "high")]
    assert serious == []


def test_the_clean_province_gives_the_statistical_rules_something_to_test() -> None:
    cases = clean_province()
    assert len(cases) == 30 and {c.year for c in cases} == {2017, 2018, 2019}
    benford_ready = [c for c in cases if len(vs := [x for v in c.villages() for x in v.counts if x > 0]) >= 300
                     and math.log10(max(vs) / min(vs)) >= 2]
    last_digit_ready = [c for c in cases if sum(x >= 100 for v in c.villages() for x in v.counts) >= 50]
    assert len(benford_ready) >= 5 and len(last_digit_ready) >= 10
    assert sum(len(c.figures("county_self_report")) >= 2 for c in cases) >= 5   # sudden-drop's z-score runs
    assert any(c.revisions() for c in cases)


def test_the_generator_is_deterministic() -> None:
    assert [f.as_dict() for f in evaluate(clean_province(7))] == [f.as_dict() for f in evaluate(clean_province(7))]


def test_a_planted_falsification_is_the_only_critical_flag() -> None:
    steps = clean_steps("341799", 2019)
    steps = edit(steps, "FiguresReported", 0, **figures("county_self_report", "2019-11-25", "2019-10-31", 480_000,
                                                        9_360))            # 1.95 % claimed
    steps = edit(steps, "FiguresReported", 1, **figures("national_information_system", "2020-01-10", "2019-12-31",
                                                        480_000, 12_000))  # 2.50 % verified
    planted = Seqs(iter(range(100_000, 100_100))).build(steps)
    found = evaluate(clean_province() + [planted])
    serious = Counter((f.rule, f.stream, f.severity) for f in found if f.severity != "watch")
    assert serious == {("figure-mismatch", "case:341799-2019", "critical"): 1}
