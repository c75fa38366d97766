"""``threshold-bunching``: across one year's cases, too many incidences just below the limit.

A McCrary-style comparison of the two sides of the threshold: among the cases of one
application year whose incidence lies within ``bunching_window_pp`` of the limit, a smooth
distribution puts about as many just above, (limit, limit + w], as just below, (limit − w, limit].
With at least ``bunching_min_cases`` in the window, an exact one-sided binomial test
(p = 1/2) below ``bunching_p`` raises a high flag on stream ``province:<year>``, citing every
report in the window. Tested separately on the county's figures (the application's) and on
the national information system's (the latest).
"""

from __future__ import annotations

from collections import defaultdict

from projections.flags.facts import COUNTY_SOURCE, VERIFIED_SOURCE, CaseFacts, Report
from projections.flags.flag import Flag, flag, p_value, pct, source_name
from projections.flags.policy import Policy
from projections.flags.stats import binom_sf

RULE = "threshold-bunching"


def threshold_bunching(cases: list[CaseFacts], policy: Policy) -> list[Flag]:
    by_year: dict[int, list[CaseFacts]] = defaultdict(list)
    for case in cases:
        by_year[case.year].append(case)
    flags = []
    for year in sorted(by_year):
        for source in (COUNTY_SOURCE, VERIFIED_SOURCE):
            found = _test(year, by_year[year], source, policy)
            if found:
                flags.append(found)
    return flags


def _test(year: int, cases: list[CaseFacts], source: str, policy: Policy) -> Flag | None:
    limit, window = policy.incidence_limit, policy.bunching_window_pp
    below: list[tuple[CaseFacts, Report]] = []
    above: list[tuple[CaseFacts, Report]] = []
    for case in cases:
        report = case.application_figures() if source == COUNTY_SOURCE else case.latest(source)
        if report is None:
            continue
        if limit - window < report.poverty_incidence <= limit:
            below.append((case, report))
        elif limit < report.poverty_incidence <= limit + window:
            above.append((case, report))
    n = len(below) + len(above)
    if n < policy.bunching_min_cases:
        return None
    p = binom_sf(len(below), n)
    if p >= policy.bunching_p:
        return None
    listed = ", ".join(f"{c.county_name or c.stream} {pct(r.poverty_incidence)}" for c, r in below + above)
    text = (f"In {year}, {len(below)} of the {n} {source_name(source)} incidences within {window} pp of the "
            f"{pct(limit)} limit sit just below it ({limit - window}–{limit}%) and {len(above)} just above "
            f"({limit}–{limit + window}%); an exact binomial test gives {p_value(p)} (threshold {policy.bunching_p}): "
            f"{listed}.")
    return flag(RULE, f"province:{year}", "high", text, [r for _, r in below + above])
