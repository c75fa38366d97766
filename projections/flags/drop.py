"""``sudden-drop``: incidence falling implausibly between two reports of the same source.

Per case and source, every pair of reports (earlier → later in recording order) whose dates
(``as_of``, else ``reported_on``) lie at most ``drop_days`` apart and whose incidence falls by
more than ``drop_relative_pct`` of the earlier value raises a high flag (the steepest such pair
per source). Across the cases given, each case's steepest relative fall between two reports of
one source is scored with the modified z-score against the other cases' (at least
:data:`MIN_CASES_FOR_Z` cases with two reports); a score above ``drop_modified_z`` is named in
the high flag, or raises a watch flag of its own — it is relative to this province only.
"""

from __future__ import annotations

from decimal import Decimal

from projections.flags.facts import SOURCES, CaseFacts, Report
from projections.flags.flag import Flag, described, flag, pct
from projections.flags.policy import Policy
from projections.flags.stats import modified_z_scores

RULE = "sudden-drop"
MIN_CASES_FOR_Z = 5

Pair = tuple[Decimal, Report, Report]  # relative fall (0–1), earlier, later


def sudden_drop(cases: list[CaseFacts], policy: Policy) -> list[Flag]:
    steepest: dict[str, Pair] = {}
    sharp: dict[str, list[Pair]] = {}
    for case in cases:
        pairs = [p for source in SOURCES for p in _pairs(case.figures(source))]
        if pairs:
            steepest[case.stream] = max(pairs, key=lambda p: (p[0], -p[2].event.seq))
        sharp[case.stream] = _sharp(case, policy)
    scores = _scores(steepest) if len(steepest) >= MIN_CASES_FOR_Z else {}
    flags = []
    for case in cases:
        z = scores.get(case.stream)
        outlier = z is not None and z > policy.drop_modified_z and steepest[case.stream][0] > 0
        zs = f" Its modified z-score against the other cases is {z:.1f} (threshold {policy.drop_modified_z})." \
            if outlier and z is not None else ""
        for fall, a, b in sharp[case.stream]:
            flags.append(flag(RULE, case.stream, "high", _text(fall, a, b) + zs, [a, b]))
        if outlier and not sharp[case.stream] and z is not None:
            fall, a, b = steepest[case.stream]
            flags.append(flag(RULE, case.stream, "watch",
                              _text(fall, a, b) + f" That is far steeper than the other {len(steepest) - 1} cases "
                              f"with two reports: modified z-score {z:.1f} (threshold {policy.drop_modified_z}).",
                              [a, b]))
    return flags


def _pairs(reports: list[Report]) -> list[Pair]:
    return [(_fall(a, b), a, b) for i, a in enumerate(reports) for b in reports[i + 1:] if a.poverty_incidence > 0]


def _fall(a: Report, b: Report) -> Decimal:
    return max(Decimal(0), (a.poverty_incidence - b.poverty_incidence) / a.poverty_incidence)


def _days(a: Report, b: Report) -> int | None:
    return abs((b.when - a.when).days) if a.when and b.when else None


def _sharp(case: CaseFacts, policy: Policy) -> list[Pair]:
    out = []
    for source in SOURCES:
        qualified = [(fall, a, b) for fall, a, b in _pairs(case.figures(source))
                     if fall * 100 > policy.drop_relative_pct
                     and (days := _days(a, b)) is not None and days <= policy.drop_days]
        if qualified:
            out.append(max(qualified, key=lambda p: (p[0], -p[2].event.seq)))
    return out


def _scores(steepest: dict[str, Pair]) -> dict[str, float]:
    streams = list(steepest)
    return dict(zip(streams, modified_z_scores([float(steepest[s][0]) for s in streams])))


def _text(fall: Decimal, a: Report, b: Report) -> str:
    days = _days(a, b)
    span = f", {days} days later" if days is not None else ""
    return (f"Incidence falls by {fall * 100:.0f}% from {pct(a.poverty_incidence)} in {described(a)} to "
            f"{pct(b.poverty_incidence)} in {described(b)}{span}.")
