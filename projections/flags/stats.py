"""The statistics the digit and distribution rules need, in plain Python (``math`` only).

- :func:`binom_sf` — exact one-sided binomial tail P(X ≥ k);
- :func:`chi2_sf` — chi-square survival function for integer (or any positive) degrees of
  freedom, as the regularized upper incomplete gamma Q(df/2, x/2): the power series for
  x < a + 1 and the Lentz continued fraction otherwise (Numerical Recipes §6.2), so odd df such
  as the last-digit test's 9 are exact too, not only the even-df closed form;
- :func:`modified_z_scores` — Iglewicz & Hoaglin's modified z-score 0.6745 (x − median) / MAD,
  falling back to the mean absolute deviation (× 1.253314) when the MAD is zero;
- :func:`benford_mad` and :func:`benford_conformity` — Nigrini's first-digit mean absolute
  deviation and its conformity bands (Nigrini, *Benford's Law*, 2012, table 7.1).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from statistics import fmean, median

BENFORD_FIRST: tuple[float, ...] = tuple(math.log10(1 + 1 / d) for d in range(1, 10))
"""Expected proportions of first digits 1…9 under Benford's law."""

_EPS = 1e-16
_TINY = 1e-300
_MAX_ITER = 100_000


def binom_sf(k: int, n: int, p: float = 0.5) -> float:
    """P(X ≥ k) for X ~ Binomial(n, p), exactly (big-integer sums for p = 1/2)."""
    if n < 0 or not 0.0 <= p <= 1.0:
        raise ValueError(f"need n ≥ 0 and 0 ≤ p ≤ 1 (got n={n}, p={p})")
    if k <= 0:
        return 1.0
    if k > n:
        return 0.0
    if p == 0.5:
        tail: int = sum(math.comb(n, i) for i in range(k, n + 1))
        return tail / (1 << n)
    if p in (0.0, 1.0):
        return 1.0 if p == 1.0 else 0.0
    log_p, log_q = math.log(p), math.log1p(-p)
    terms = (math.exp(_log_comb(n, i) + i * log_p + (n - i) * log_q) for i in range(k, n + 1))
    return min(1.0, math.fsum(terms))


def _log_comb(n: int, k: int) -> float:
    return math.lgamma(n + 1) - math.lgamma(k + 1) - math.lgamma(n - k + 1)


def gamma_q(a: float, x: float) -> float:
    """The regularized upper incomplete gamma function Q(a, x) = Γ(a, x) / Γ(a)."""
    if a <= 0 or x < 0:
        raise ValueError(f"need a > 0 and x ≥ 0 (got a={a}, x={x})")
    if x == 0:
        return 1.0
    if x < a + 1:
        return max(0.0, 1.0 - _gamma_p_series(a, x))
    return _gamma_q_fraction(a, x)


def _prefactor(a: float, x: float) -> float:
    return math.exp(-x + a * math.log(x) - math.lgamma(a))


def _gamma_p_series(a: float, x: float) -> float:
    term = total = 1.0 / a
    ap = a
    for _ in range(_MAX_ITER):
        ap += 1
        term *= x / ap
        total += term
        if abs(term) < abs(total) * _EPS:
            break
    return total * _prefactor(a, x)


def _gamma_q_fraction(a: float, x: float) -> float:
    b = x + 1 - a
    c = 1 / _TINY
    d = 1 / b
    h = d
    for i in range(1, _MAX_ITER):
        an = -i * (i - a)
        b += 2
        d = an * d + b
        d = _TINY if abs(d) < _TINY else d
        c = b + an / c
        c = _TINY if abs(c) < _TINY else c
        d = 1 / d
        delta = d * c
        h *= delta
        if abs(delta - 1) < _EPS:
            break
    return _prefactor(a, x) * h


def chi2_sf(x: float, df: int | float) -> float:
    """P(χ²_df ≥ x)."""
    if df <= 0:
        raise ValueError(f"degrees of freedom must be positive (got {df})")
    return 1.0 if x <= 0 else gamma_q(df / 2, x / 2)


def chi_square(observed: Sequence[int], expected: Sequence[float]) -> float:
    """Pearson's statistic Σ (o − e)² / e."""
    return math.fsum((o - e) ** 2 / e for o, e in zip(observed, expected, strict=True) if e > 0)


def modified_z_scores(values: Sequence[float]) -> list[float]:
    """Iglewicz–Hoaglin modified z-scores; all zero when the values do not vary."""
    if not values:
        return []
    middle = median(values)
    deviations = [abs(v - middle) for v in values]
    mad = median(deviations)
    if mad > 0:
        return [0.6745 * (v - middle) / mad for v in values]
    mean_ad = fmean(deviations)
    if mean_ad > 0:
        return [(v - middle) / (1.253314 * mean_ad) for v in values]
    return [0.0 for _ in values]


def first_digit(n: int) -> int:
    """The leading digit of a positive integer."""
    if n <= 0:
        raise ValueError(f"first digit of a positive integer only (got {n})")
    return int(str(n)[0])


def digit_counts(digits: Sequence[int], size: int, offset: int) -> list[int]:
    """How often each digit ``offset … offset + size − 1`` occurs."""
    counts = [0] * size
    for d in digits:
        counts[d - offset] += 1
    return counts


def benford_mad(first_digits: Sequence[int]) -> float:
    """Nigrini's MAD: the mean over digits 1…9 of |actual − expected proportion|."""
    n = len(first_digits)
    if n == 0:
        raise ValueError("no values")
    counts = digit_counts(first_digits, 9, 1)
    return math.fsum(abs(c / n - e) for c, e in zip(counts, BENFORD_FIRST)) / 9


def benford_chi2_p(first_digits: Sequence[int]) -> float:
    """The chi-square goodness-of-fit p-value of first digits against Benford (df 8)."""
    n = len(first_digits)
    counts = digit_counts(first_digits, 9, 1)
    return chi2_sf(chi_square(counts, [n * e for e in BENFORD_FIRST]), 8)


def benford_conformity(mad: float, close: float, acceptable: float, marginal: float) -> str:
    """Nigrini's band for a first-digit MAD: ``close``, ``acceptable``, ``marginal`` or ``nonconformity``
    (each bound inclusive)."""
    if mad <= close:
        return "close"
    if mad <= acceptable:
        return "acceptable"
    if mad <= marginal:
        return "marginal"
    return "nonconformity"


def uniform_digits_p(last_digits: Sequence[int]) -> float:
    """The chi-square p-value (df 9) of last digits 0…9 against the uniform distribution."""
    n = len(last_digits)
    counts = digit_counts(last_digits, 10, 0)
    return chi2_sf(chi_square(counts, [n / 10] * 10), 9)
