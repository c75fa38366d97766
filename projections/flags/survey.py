"""``perfect-survey``: mass recognition of exactly 100% on a large sample (watch).

A sample survey of ``perfect_survey_min_sample`` households or more in which every single
household recognises the exit is rare enough to deserve a look at the questionnaires, but is
not evidence of falsification on its own.
"""

from __future__ import annotations

from projections.flags.facts import CaseFacts
from projections.flags.flag import Flag, flag, signed
from projections.flags.policy import Policy

RULE = "perfect-survey"


def perfect_survey(case: CaseFacts, policy: Policy) -> list[Flag]:
    flags = []
    for e in case.all("ThirdPartyEvaluationCompleted"):
        recognition, sample = e.decimal("mass_recognition"), e.count("sample_households")
        if recognition == 100 and sample is not None and sample >= policy.perfect_survey_min_sample:
            flags.append(flag(RULE, case.stream, "watch",
                              f"Mass recognition is exactly 100% among all {sample} households sampled in "
                              f"{signed(e)}.", [e]))
    return flags
