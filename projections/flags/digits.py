"""``last-digit`` and ``benford``: digit patterns of invented numbers in a case's village figures.

Both read each village's latest report.

- last-digit: the last digits of the village counts of ``last_digit_min_count`` or more
  (households, poor households and poor population pooled) should be uniform; with at least
  ``last_digit_min_values`` of them, a chi-square test (df 9) below ``last_digit_p_high`` is
  high, below ``last_digit_p_watch`` watch.
- benford: the first digits of the positive village counts, where they meet Benford's
  assumptions (at least ``benford_min_values`` values spanning ``benford_min_orders`` orders of
  magnitude), are scored with Nigrini's first-digit MAD. Nonconformity is high when the
  departure is also significant (chi-square df 8 below ``benford_p_high``), else watch — at a
  few hundred values the MAD of genuinely Benford data is itself about 0.013, so the band alone
  would accuse honest counties; marginal conformity is watch. Per-capita income is left out: an
  average confined to one order of magnitude has no reason to follow Benford.
"""

from __future__ import annotations

import math

from projections.flags.facts import CaseFacts, Village
from projections.flags.flag import Flag, flag, p_value
from projections.flags.policy import Policy
from projections.flags.stats import (
    benford_chi2_p, benford_conformity, benford_mad, digit_counts, first_digit, uniform_digits_p,
)

LAST_DIGIT = "last-digit"
BENFORD = "benford"


def last_digit(case: CaseFacts, policy: Policy) -> list[Flag]:
    villages = case.villages()
    values = [c for v in villages for c in v.counts if c >= policy.last_digit_min_count]
    if len(values) < policy.last_digit_min_values:
        return []
    digits = [c % 10 for c in values]
    p = uniform_digits_p(digits)
    severity = "high" if p < policy.last_digit_p_high else "watch" if p < policy.last_digit_p_watch else None
    if severity is None:
        return []
    counts = ", ".join(f"{d}: {n}" for d, n in enumerate(digit_counts(digits, 10, 0)))
    text = (f"The last digits of the {len(values)} village counts of {policy.last_digit_min_count} or more are not "
            f"uniform ({counts}); chi-square test {p_value(p)}.")
    return [flag(LAST_DIGIT, case.stream, severity, text, _reporting(villages, policy.last_digit_min_count))]


def benford(case: CaseFacts, policy: Policy) -> list[Flag]:
    villages = case.villages()
    values = [c for v in villages for c in v.counts if c > 0]
    if len(values) < policy.benford_min_values:
        return []
    orders = math.log10(max(values) / min(values))
    if orders < policy.benford_min_orders:
        return []
    digits = [first_digit(c) for c in values]
    mad = benford_mad(digits)
    band = benford_conformity(mad, policy.benford_close, policy.benford_acceptable, policy.benford_marginal)
    if band in ("close", "acceptable"):
        return []
    p = benford_chi2_p(digits)
    severity = "high" if band == "nonconformity" and p < policy.benford_p_high else "watch"
    shares = ", ".join(f"{d}: {n * 100 / len(digits):.0f}%" for d, n in enumerate(digit_counts(digits, 9, 1), 1))
    text = (f"The first digits of the {len(values)} village counts (spanning {orders:.1f} orders of magnitude) depart "
            f"from Benford's law: MAD {mad:.4f}, {band} in Nigrini's bands (marginal above "
            f"{policy.benford_acceptable}, nonconformity above {policy.benford_marginal}); chi-square {p_value(p)}; "
            f"first digits {shares} (Benford: 30%, 18%, 12%, 10%, 8%, 7%, 6%, 5%, 5%).")
    return [flag(BENFORD, case.stream, severity, text, _reporting(villages, 1))]


def _reporting(villages: list[Village], minimum: int) -> list[Village]:
    return [v for v in villages if max(v.counts) >= minimum]
