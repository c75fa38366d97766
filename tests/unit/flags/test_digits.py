"""last-digit and benford on a case's village figures."""

from __future__ import annotations

import random

from projections.flags import CaseFacts
from projections.flags.stats import BENFORD_FIRST, benford_chi2_p, benford_mad, uniform_digits_p
from tests.unit.flags.make import case, clean_steps, insert_before, run, village


def with_villages(counts: list[tuple[int, int, int]]) -> CaseFacts:
    villages = [village("341122", i, *c) for i, c in enumerate(counts)]
    return case(insert_before(clean_steps(total=len(villages)), "FiguresReported", *villages))


def natural(n: int, seed: int) -> list[tuple[int, int, int]]:
    """Village counts as nature makes them: households log-uniform over two and a half decades."""
    rng = random.Random(seed)
    out = []
    for _ in range(n):
        households = int(10 ** rng.uniform(1.7, 3.6))
        poor_households = max(1, int(households * 10 ** rng.uniform(-2.2, -0.8)))
        out.append((households, poor_households, max(1, int(poor_households * rng.uniform(1.8, 3.2)))))
    return out


# -- last digit ----------------------------------------------------------------------------------
def rounded(n: int) -> list[tuple[int, int, int]]:
    """Households invented as round numbers: every last digit 0 or 5."""
    return [(300 + 5 * i, 5, 12) for i in range(n)]


def test_round_invented_household_counts_are_high() -> None:
    [f] = run("last-digit", with_villages(rounded(60)))
    assert f.severity == "high" and "0: 30" in f.message and len(f.evidence) == 60


def test_natural_counts_have_uniform_last_digits() -> None:
    assert run("last-digit", with_villages(natural(120, seed=1))) == []


def test_fewer_than_fifty_counts_of_a_hundred_or_more_are_not_tested() -> None:
    assert run("last-digit", with_villages(rounded(49))) == []


def test_a_moderate_departure_is_a_watch() -> None:
    digits = [0] * 24 + [d for d in range(1, 6) for _ in range(8)] + [d for d in range(6, 10) for _ in range(9)]
    assert 0.001 < uniform_digits_p(digits) < 0.01
    [f] = run("last-digit", with_villages([(200 + 10 * i + d, 3, 7) for i, d in enumerate(digits)]))
    assert f.severity == "watch"


# -- Benford ---------------------------------------------------------------------------------------
def spread(first_digits: list[int]) -> list[tuple[int, int, int]]:
    """Villages whose counts have the given first digits, in hundreds, tens and units."""
    triples = [first_digits[i:i + 3] for i in range(0, len(first_digits), 3)]
    return [(a * 100 + 7 * i % 100, b * 10 + i % 10, c) for i, (a, b, c) in enumerate(triples)]


def test_invented_counts_with_uniform_first_digits_are_high() -> None:
    digits = [1 + i % 9 for i in range(360)]
    [f] = run("benford", with_villages(spread(digits)))
    assert f.severity == "high" and "nonconformity" in f.message and len(f.evidence) == 120


def test_natural_counts_conform() -> None:
    assert run("benford", with_villages(natural(400, seed=3))) == []


def test_fewer_than_three_hundred_values_are_not_tested() -> None:
    assert run("benford", with_villages(spread([1 + i % 9 for i in range(297)]))) == []


def test_values_within_one_order_of_magnitude_are_not_tested() -> None:
    counts = [(100 + i % 9 * 100, 100 + i % 9 * 100, 100 + i % 9 * 100) for i in range(130)]
    assert run("benford", with_villages(counts)) == []


def from_counts(counts: list[int]) -> list[int]:
    digits = [d for d, n in enumerate(counts, 1) for _ in range(n)]
    random.Random(0).shuffle(digits)
    return digits


def test_a_marginal_mad_is_a_watch() -> None:
    counts = [round(e * 1200) for e in BENFORD_FIRST]
    counts[0] += 1200 - sum(counts) - 72   # 6 % of the ones moved to the nines: MAD 144 / 1200 / 9
    counts[8] += 72
    digits = from_counts(counts)
    assert 0.012 < benford_mad(digits) <= 0.015
    [f] = run("benford", with_villages(spread(digits)))
    assert f.severity == "watch" and "marginal" in f.message


def test_nonconformity_that_a_small_sample_explains_is_only_a_watch() -> None:
    digits = from_counts([80, 58, 42, 24, 28, 16, 21, 12, 19])
    assert benford_mad(digits) > 0.015 and benford_chi2_p(digits) > 0.001
    [f] = run("benford", with_villages(spread(digits)))
    assert f.severity == "watch" and "nonconformity" in f.message
