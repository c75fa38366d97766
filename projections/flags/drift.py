"""``denominator-drift``: the rural population moving between reports of the application year.

For each source, among its reports whose ``as_of`` falls in the case year, the pair (earlier →
later in recording order) with the largest relative change of ``rural_population`` is flagged
when that change exceeds ``drift_pct``: high when the population grew (a larger denominator
lowers the incidence), watch when it shrank.
"""

from __future__ import annotations

from decimal import Decimal

from projections.flags.facts import SOURCES, CaseFacts
from projections.flags.flag import Flag, described, flag, pct
from projections.flags.policy import Policy

RULE = "denominator-drift"


def denominator_drift(case: CaseFacts, policy: Policy) -> list[Flag]:
    flags = []
    for source in SOURCES:
        reports = [r for r in case.figures(source) if r.as_of and r.as_of.year == case.year and r.rural_population]
        pairs = [(Decimal(b.rural_population - a.rural_population) * 100 / a.rural_population, a, b)
                 for i, a in enumerate(reports) for b in reports[i + 1:]]
        if not pairs:
            continue
        change, a, b = max(pairs, key=lambda p: (abs(p[0]), -p[2].event.seq))
        if abs(change) <= policy.drift_pct:
            continue
        grew = change > 0
        effect = (f"; with the earlier denominator the later {b.poor_population} poor would be "
                  f"{Decimal(b.poor_population) * 100 / a.rural_population:.2f}%, not {pct(b.poverty_incidence)}"
                  if grew else "")
        text = (f"The rural population {'grows' if grew else 'shrinks'} by {abs(change):.1f}% within {case.year}, "
                f"from {a.rural_population} in {described(a)} to {b.rural_population} in {described(b)} "
                f"(tolerance {pct(policy.drift_pct)}){effect}.")
        flags.append(flag(RULE, case.stream, "high" if grew else "watch", text, [a, b]))
    return flags
