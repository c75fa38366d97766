"""``arithmetic``: figures that do not add up.

- A report's incidence must be poor / rural population × 100 within half a unit of its own last
  decimal (``"1.26"`` allows ±0.005): high, critical when the stated incidence is within the
  limit and the computed one is not.
- The villages' poor population must not add up to more than the county's, more villages must
  not be reported than the county's poor-village total, and no more villages may be reported as
  not exited than the county reports remaining (high). Village figures of one ``as_of`` are
  compared with the county's latest self-report of the same ``as_of`` when there is one, else
  with its latest self-report — village reports are taken to be the county's poor villages.
"""

from __future__ import annotations

from decimal import Decimal

from projections.flags.facts import COUNTY_SOURCE, CaseFacts, Report, Village
from projections.flags.flag import Flag, described, flag, pct
from projections.flags.policy import Policy

RULE = "arithmetic"


def arithmetic(case: CaseFacts, policy: Policy) -> list[Flag]:
    flags = [f for r in case.figures() if (f := _incidence(case, r, policy))]
    for as_of in sorted({v.as_of for v in case.village_reports() if v.as_of}):
        villages = case.villages(as_of)
        same_day = [r for r in case.figures(COUNTY_SOURCE) if r.as_of == as_of]
        county = same_day[-1] if same_day else case.latest(COUNTY_SOURCE)
        if county is not None:
            flags += _villages(case, county, villages)
    return flags


def _incidence(case: CaseFacts, r: Report, policy: Policy) -> Flag | None:
    if r.rural_population <= 0:
        return None
    stated = r.poverty_incidence
    computed = Decimal(r.poor_population) * 100 / Decimal(r.rural_population)
    exponent = stated.as_tuple().exponent
    half_unit = Decimal(1).scaleb(exponent if isinstance(exponent, int) else 0) / 2
    if abs(computed - stated) <= half_unit:
        return None
    limit = policy.incidence_limit
    crossed = stated <= limit < computed
    text = (f"Incidence does not add up in {described(r)}: {r.poor_population} poor of {r.rural_population} rural "
            f"is {computed:.4f}%, not the {pct(stated)} stated (rounding allows ±{half_unit}).")
    if crossed:
        text += f" The stated figure is within the {pct(limit)} limit, the computed one is not."
    return flag(RULE, case.stream, "critical" if crossed else "high", text, [r])


def _villages(case: CaseFacts, county: Report, villages: list[Village]) -> list[Flag]:
    flags = []
    as_of = villages[0].as_of.isoformat() if villages and villages[0].as_of else "?"
    whose = described(county)
    poor = sum(v.poor_population for v in villages)
    if poor > county.poor_population:
        flags.append(flag(RULE, case.stream, "high",
                          f"The {len(villages)} villages reported as of {as_of} count {poor} poor people, more than "
                          f"the {county.poor_population} of the whole county in {whose}.", [county, *villages]))
    if len(villages) > county.poor_villages_total:
        flags.append(flag(RULE, case.stream, "high",
                          f"{len(villages)} villages are reported as of {as_of}, more than the "
                          f"{county.poor_villages_total} poor villages of {whose}.", [county, *villages]))
    open_villages = [v for v in villages if not v.exited]
    if len(open_villages) > county.poor_villages_remaining:
        names = ", ".join(f"{v.name} {v.code}" for v in open_villages[:5])
        flags.append(flag(RULE, case.stream, "high",
                          f"{len(open_villages)} villages are reported as of {as_of} as not exited ({names}"
                          f"{', …' if len(open_villages) > 5 else ''}), but {whose} counts only "
                          f"{county.poor_villages_remaining} poor villages remaining.", [county, *open_villages]))
    return flags
