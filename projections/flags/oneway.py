"""``one-way-revisions``: revisions that move toward passing far more often than chance.

Every revision (a report naming the one it ``revises``) that moves the figures one way
(:func:`projections.flags.revisions.direction`; mixed or unchanged ones are left out) counts as a
trial. With at least ``one_way_min_revisions`` trials, an exact one-sided binomial test
(p = 1/2) below ``one_way_p`` raises a high flag — per case, and per application year over all
the province's cases on stream ``province:<year>``.
"""

from __future__ import annotations

from collections import defaultdict

from projections.flags.facts import CaseFacts, Report
from projections.flags.flag import Flag, flag, p_value
from projections.flags.policy import Policy
from projections.flags.revisions import direction
from projections.flags.stats import binom_sf

RULE = "one-way-revisions"

Trial = tuple[int, Report, Report]


def one_way_revisions(cases: list[CaseFacts], policy: Policy) -> list[Flag]:
    flags = []
    by_year: dict[int, list[Trial]] = defaultdict(list)
    for case in cases:
        trials = [(d, old, new) for old, new in case.revisions() if (d := direction(old, new))]
        by_year[case.year] += trials
        found = _test(trials, policy, case.stream, case.label)
        if found:
            flags.append(found)
    for year in sorted(by_year):
        found = _test(by_year[year], policy, f"province:{year}", f"the province's {year} cases")
        if found:
            flags.append(found)
    return flags


def _test(trials: list[Trial], policy: Policy, stream: str, of: str) -> Flag | None:
    n = len(trials)
    if n < policy.one_way_min_revisions:
        return None
    toward = sum(1 for d, _, _ in trials if d > 0)
    p = binom_sf(toward, n)
    if p >= policy.one_way_p:
        return None
    text = (f"{toward} of the {n} revisions of {of} move the figures toward passing and {n - toward} away from "
            f"it; "
            f"if each way were equally likely that would happen with {p_value(p)} (threshold {policy.one_way_p}).")
    return flag(RULE, stream, "high", text, [r for _, old, new in trials for r in (old, new)])
