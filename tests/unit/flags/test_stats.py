"""The plain-Python statistics against scipy and against published critical values."""

from __future__ import annotations

import math
import random

import pytest

from projections.flags.stats import (
    BENFORD_FIRST, benford_chi2_p, benford_conformity, benford_mad, binom_sf, chi2_sf, first_digit, gamma_q,
    modified_z_scores, uniform_digits_p,
)


def test_binomial_tail_is_exact_for_a_fair_coin() -> None:
    assert binom_sf(10, 10) == 1 / 1024
    assert binom_sf(9, 10) == 11 / 1024
    assert binom_sf(0, 10) == 1.0
    assert binom_sf(11, 10) == 0.0
    assert binom_sf(3, 4, 0.5) == 5 / 16


def test_binomial_tail_survives_large_samples() -> None:
    assert binom_sf(1000, 2000) == pytest.approx(0.5 + math.comb(2000, 1000) / 2**2001)
    assert 0 < binom_sf(1200, 2000) < 1e-15


def test_binomial_tail_agrees_with_scipy() -> None:
    stats = pytest.importorskip("scipy.stats")
    for n in (1, 5, 10, 13, 40, 120):
        for k in range(n + 2):
            for p in (0.5, 0.3, 0.9):
                assert binom_sf(k, n, p) == pytest.approx(stats.binom.sf(k - 1, n, p), rel=1e-9, abs=1e-300)


@pytest.mark.parametrize(("x", "df", "p"), [
    (21.666, 9, 0.01), (27.877, 9, 0.001), (16.919, 9, 0.05),   # χ²₉, the last-digit test
    (20.090, 8, 0.01), (26.124, 8, 0.001), (15.507, 8, 0.05),   # χ²₈, the Benford test
    (3.841, 1, 0.05), (6.635, 1, 0.01), (18.307, 10, 0.05),
])
def test_chi_square_survival_matches_published_critical_values(x: float, df: int, p: float) -> None:
    assert chi2_sf(x, df) == pytest.approx(p, rel=2e-3)


def test_chi_square_survival_agrees_with_scipy_for_odd_and_even_df() -> None:
    stats = pytest.importorskip("scipy.stats")
    for df in range(1, 31):
        for x in (1e-3, 0.5, 1.0, 4.2, df - 0.5, df + 1.0, 2.0 * df, 3.0 * df + 10, 80.0, 250.0):
            expected = stats.chi2.sf(x, df)
            assert chi2_sf(x, df) == pytest.approx(expected, rel=1e-9, abs=1e-300), (x, df)


def test_chi_square_survival_has_its_closed_forms() -> None:
    for x in (0.1, 1.0, 7.5, 40.0):
        assert chi2_sf(x, 2) == pytest.approx(math.exp(-x / 2), rel=1e-12)
        assert chi2_sf(x, 1) == pytest.approx(math.erfc(math.sqrt(x / 2)), rel=1e-12)
        assert gamma_q(1.0, x) == pytest.approx(math.exp(-x), rel=1e-12)
    assert chi2_sf(0, 9) == 1.0


def test_modified_z_scores_follow_iglewicz_and_hoaglin() -> None:
    values = [0.1, 0.12, 0.15, 0.11, 0.13, 0.9]
    med = 0.125
    mad = sorted(abs(v - med) for v in values)[2:4]
    scores = modified_z_scores(values)
    assert scores[-1] == pytest.approx(0.6745 * (0.9 - med) / (sum(mad) / 2))
    assert scores[-1] > 3.5 and max(scores[:-1]) < 3.5


def test_modified_z_scores_fall_back_to_the_mean_deviation_when_the_mad_is_zero() -> None:
    scores = modified_z_scores([0.0, 0.0, 0.0, 0.0, 0.0, 0.5])
    assert scores[-1] == pytest.approx(0.5 / (1.253314 * 0.5 / 6))
    assert modified_z_scores([0.2] * 5) == [0.0] * 5
    assert modified_z_scores([]) == []


def test_nigrini_mad_is_zero_for_exactly_benford_digits_and_large_for_uniform_ones() -> None:
    digits = [d for d in range(1, 10) for _ in range(round(BENFORD_FIRST[d - 1] * 100_000))]
    assert benford_mad(digits) < 1e-5
    uniform = [d for d in range(1, 10) for _ in range(100)]
    assert benford_mad(uniform) == pytest.approx(sum(abs(1 / 9 - e) for e in BENFORD_FIRST) / 9)
    assert benford_conformity(benford_mad(uniform), 0.006, 0.012, 0.015) == "nonconformity"


def test_conformity_bands_are_nigrinis_with_inclusive_upper_bounds() -> None:
    bands = (0.006, 0.012, 0.015)
    assert [benford_conformity(m, *bands) for m in (0.0, 0.006, 0.0061, 0.012, 0.0121, 0.015, 0.0151)] == [
        "close", "close", "acceptable", "acceptable", "marginal", "marginal", "nonconformity"]


def test_benford_chi_square_agrees_with_scipy() -> None:
    stats = pytest.importorskip("scipy.stats")
    rng = random.Random(5)
    digits = [rng.randint(1, 9) for _ in range(400)]
    counts = [digits.count(d) for d in range(1, 10)]
    expected = stats.chisquare(counts, [400 * e for e in BENFORD_FIRST]).pvalue
    assert benford_chi2_p(digits) == pytest.approx(expected, rel=1e-9)


def test_uniform_last_digit_test_agrees_with_scipy() -> None:
    stats = pytest.importorskip("scipy.stats")
    rng = random.Random(7)
    digits = [rng.choice([0, 5, 5, 0, 1, 2, 3, 4, 6, 7, 8, 9]) for _ in range(120)]
    counts = [digits.count(d) for d in range(10)]
    assert uniform_digits_p(digits) == pytest.approx(stats.chisquare(counts).pvalue, rel=1e-9)


def test_the_mad_of_genuinely_benford_samples_of_300_sits_near_the_marginal_band() -> None:
    """Why benford's nonconformity needs significance too: sampling noise alone at n = 300."""
    rng = random.Random(11)
    mads = []
    for _ in range(300):
        values = [int(10 ** rng.uniform(1, 4)) for _ in range(300)]
        mads.append(benford_mad([first_digit(v) for v in values]))
    mean = sum(mads) / len(mads)
    assert 0.011 < mean < 0.016
    assert sum(m > 0.015 for m in mads) > 30  # many honest samples would be "nonconforming" on the band alone


def test_first_digit() -> None:
    assert [first_digit(n) for n in (1, 9, 10, 199, 4000, 78)] == [1, 9, 1, 1, 4, 7]
    with pytest.raises(ValueError):
        first_digit(0)
