"""``threshold-hugging``: figures just on the safe side of an exit threshold (watch).

Checked on the latest report of each source and on the report the application relied on:
incidence in (limit − ``hugging_incidence_pp``, limit]; income growth above the province by
more than 0 and at most ``hugging_income_pp``. On the latest third-party evaluation:
wrongful-exit or missed-assessment rate in (max − ``hugging_rate_pp``, max]; mass recognition
in [min, min + ``hugging_recognition_pp``). One flag per report, naming each hugging figure.
"""

from __future__ import annotations

from decimal import Decimal

from projections.flags.facts import SOURCES, CaseFacts, Event, Report
from projections.flags.flag import Flag, described, flag, pct, pp, signed
from projections.flags.policy import Policy

RULE = "threshold-hugging"


def threshold_hugging(case: CaseFacts, policy: Policy) -> list[Flag]:
    reports = {r.event.seq: r for r in case.county_claims()}
    reports.update({r.event.seq: r for s in SOURCES if (r := case.latest(s))})
    flags = []
    for seq in sorted(reports):
        figures = _report(reports[seq], policy)
        if figures:
            flags.append(flag(RULE, case.stream, "watch",
                              f"Just on the safe side in {described(reports[seq])}: {'; '.join(figures)}.",
                              [reports[seq]]))
    evaluation = case.last("ThirdPartyEvaluationCompleted")
    figures = _evaluation(evaluation, policy) if evaluation else []
    if evaluation and figures:
        flags.append(flag(RULE, case.stream, "watch",
                          f"Just on the safe side in the {signed(evaluation)}: {'; '.join(figures)}.", [evaluation]))
    return flags


def _report(r: Report, policy: Policy) -> list[str]:
    out = []
    limit = policy.incidence_limit
    if limit - policy.hugging_incidence_pp < r.poverty_incidence <= limit:
        out.append(f"incidence {pct(r.poverty_incidence)} is within {pp(policy.hugging_incidence_pp)} "
                   f"under the {pct(limit)} limit")
    margin = r.income_margin
    if margin is not None and 0 < margin <= policy.hugging_income_pp:
        out.append(f"income growth {pct(r.income_growth or 0)} is only {pp(margin)} above the province's "
                   f"{pct(r.provincial_income_growth or 0)}")
    return out


def _evaluation(e: Event, policy: Policy) -> list[str]:
    out = []
    for name, label, maximum in (("wrongful_exit_rate", "wrongful-exit rate", policy.wrongful_exit_max),
                                 ("missed_assessment_rate", "missed-assessment rate", policy.missed_max)):
        rate = e.decimal(name)
        if rate is not None and maximum - policy.hugging_rate_pp < rate <= maximum:
            out.append(f"{label} {pct(rate)} is within {pp(policy.hugging_rate_pp)} under the {pct(maximum)} maximum")
    recognition = e.decimal("mass_recognition")
    minimum: Decimal = policy.recognition_min
    if recognition is not None and minimum <= recognition < minimum + policy.hugging_recognition_pp:
        out.append(f"mass recognition {pct(recognition)} is within {pp(policy.hugging_recognition_pp)} "
                   f"over the {pct(minimum)} minimum")
    return out
