"""``figure-mismatch``: the county's own figures against the verified ones of the same case.

The county's claims (the report its application relied on, and its latest) are compared with
the latest report of each other source. Incidence differing by more than
``mismatch_incidence_pp`` or a count by more than ``mismatch_count_pct`` of the verified count
is a mismatch (high); it is critical when, on a differing figure, the county passes an exit
threshold the verified figure fails: incidence at most the limit, no poor village remaining,
all ``indicators_min`` public-service indicators met.
"""

from __future__ import annotations

from decimal import Decimal

from projections.flags.facts import COUNTY_SOURCE, SOURCES, CaseFacts, Report
from projections.flags.flag import Flag, described, flag, pct, pp, source_name
from projections.flags.policy import Policy

RULE = "figure-mismatch"
COUNTS = ("rural_population", "poor_population", "poor_villages_total", "poor_villages_remaining",
          "public_service_indicators_met")


def figure_mismatch(case: CaseFacts, policy: Policy) -> list[Flag]:
    flags = []
    for source in SOURCES[1:]:
        verified = case.latest(source)
        if verified is None:
            continue
        for claim in case.county_claims():
            differences = _differences(claim, verified, policy)
            if not differences:
                continue
            crossed = _crossed(claim, verified, policy, {name for name, _ in differences})
            application = case.last("ExitApplicationSubmitted")
            cited = case.cited(application, COUNTY_SOURCE) if application else None
            relied = cited is not None and cited.event.seq == claim.event.seq
            text = (f"The county's figures differ from the {source_name(source)}: {described(claim)} gives "
                    f"{_figures(claim)}, {described(verified)} gives {_figures(verified)}; "
                    f"{'; '.join(d for _, d in differences)}.")
            if relied:
                text += " The exit application relied on the county's figures."
            if crossed:
                text += f" The county's figure passes what the verified one fails: {'; '.join(crossed)}."
            evidence = [claim, verified] + ([application] if relied and application else [])
            flags.append(flag(RULE, case.stream, "critical" if crossed else "high", text, evidence))
    return flags


def _figures(r: Report) -> str:
    return (f"incidence {pct(r.poverty_incidence)} ({r.poor_population} poor of {r.rural_population} rural), "
            f"{r.poor_villages_remaining} of {r.poor_villages_total} poor villages remaining")


def _differences(claim: Report, verified: Report, policy: Policy) -> list[tuple[str, str]]:
    out = []
    gap = abs(claim.poverty_incidence - verified.poverty_incidence)
    if gap > policy.mismatch_incidence_pp:
        out.append(("poverty_incidence", f"incidence differs by {pp(gap)} (tolerance {pp(policy.mismatch_incidence_pp)})"))
    for name in COUNTS:
        mine, theirs = getattr(claim, name), getattr(verified, name)
        if mine is None or theirs is None or mine == theirs:
            continue
        relative = Decimal(abs(mine - theirs)) * 100 / theirs if theirs else None
        if relative is None or relative > policy.mismatch_count_pct:
            by = f"{relative:.1f}%" if relative is not None else "all of it"
            out.append((name, f"{name.replace('_', ' ')} {mine} against {theirs} ({by} off, "
                              f"tolerance {pct(policy.mismatch_count_pct)})"))
    return out


def _crossed(claim: Report, verified: Report, policy: Policy, differing: set[str]) -> list[str]:
    crossed = []
    limit = policy.incidence_limit
    if "poverty_incidence" in differing and claim.poverty_incidence <= limit < verified.poverty_incidence:
        crossed.append(f"incidence {pct(claim.poverty_incidence)} is within the {pct(limit)} limit, "
                       f"the verified {pct(verified.poverty_incidence)} is not")
    if "poor_villages_remaining" in differing and claim.poor_villages_remaining == 0 < verified.poor_villages_remaining:
        crossed.append(f"no poor village remains, the verified figure has {verified.poor_villages_remaining}")
    mine, theirs = claim.public_service_indicators_met, verified.public_service_indicators_met
    if ("public_service_indicators_met" in differing and mine is not None and theirs is not None
            and mine >= policy.indicators_min > theirs):
        crossed.append(f"{mine} public-service indicators met, the verified figure has {theirs}")
    return crossed
