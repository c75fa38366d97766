"""The rules by their stable ids (issue 5 "Rules"), and :func:`evaluate` that runs them."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import NamedTuple

from projections.flags.arithmetic import arithmetic
from projections.flags.bunching import threshold_bunching
from projections.flags.digits import benford, last_digit
from projections.flags.drift import denominator_drift
from projections.flags.drop import sudden_drop
from projections.flags.facts import CaseFacts
from projections.flags.flag import Flag
from projections.flags.hugging import threshold_hugging
from projections.flags.mismatch import figure_mismatch
from projections.flags.oneway import one_way_revisions
from projections.flags.people import same_person
from projections.flags.policy import Policy
from projections.flags.revisions import late_revision, unevidenced_revision
from projections.flags.steps import missing_step, threshold_overridden
from projections.flags.survey import perfect_survey
from projections.flags.timing import date_order, deadline
from projections.flags.villages import duplicate_village_records

CaseRule = Callable[[CaseFacts, Policy], list[Flag]]
ProvinceRule = Callable[[list[CaseFacts], Policy], list[Flag]]


class Rule(NamedTuple):
    id: str
    scope: str  # "case": called once per case; "province": once with all cases
    check: CaseRule | ProvinceRule


RULES: dict[str, Rule] = {r.id: r for r in (
    Rule("figure-mismatch", "case", figure_mismatch),
    Rule("arithmetic", "case", arithmetic),
    Rule("threshold-hugging", "case", threshold_hugging),
    Rule("threshold-bunching", "province", threshold_bunching),
    Rule("sudden-drop", "province", sudden_drop),
    Rule("denominator-drift", "case", denominator_drift),
    Rule("late-revision", "case", late_revision),
    Rule("unevidenced-revision", "case", unevidenced_revision),
    Rule("one-way-revisions", "province", one_way_revisions),
    Rule("same-person", "case", same_person),
    Rule("deadline", "case", deadline),
    Rule("date-order", "case", date_order),
    Rule("missing-step", "case", missing_step),
    Rule("threshold-overridden", "case", threshold_overridden),
    Rule("perfect-survey", "case", perfect_survey),
    Rule("last-digit", "case", last_digit),
    Rule("benford", "case", benford),
    Rule("duplicate-village-records", "case", duplicate_village_records),
)}
"""Every rule, in the issue's order."""


def evaluate(cases: Iterable[CaseFacts], policy: Policy | None = None,
             rules: Iterable[str] | None = None) -> list[Flag]:
    """Run ``rules`` (all by default) over ``cases``; flags sorted by severity, stream, first evidence seq.

    Province-wide rules see every case given, so pass the whole province even when only one
    stream's flags are wanted, and filter the result. Raises ValueError for an unknown rule id.
    """
    policy = policy or Policy()
    cases = list(cases)
    chosen = list(RULES) if rules is None else list(dict.fromkeys(rules))
    unknown = [r for r in chosen if r not in RULES]
    if unknown:
        raise ValueError(f"unknown rule {unknown[0]!r}; known rules: {', '.join(RULES)}")
    flags: list[Flag] = []
    for rule_id in chosen:
        rule = RULES[rule_id]
        if rule.scope == "province":
            flags += rule.check(cases, policy)  # type: ignore[arg-type]
        else:
            for case in cases:
                flags += rule.check(case, policy)  # type: ignore[arg-type]
    return sorted(flags, key=lambda f: f.sort_key)
