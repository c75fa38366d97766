"""``duplicate-village-records``: villages of one case reported with the same figures (high).

Three or more villages (``duplicate_villages_min``), each at its latest report, whose vector
(households, poor households, poor population, per-capita income) is identical and
non-trivial — at least one count of 10 or more — look copied rather than counted.
"""

from __future__ import annotations

from collections import defaultdict

from projections.flags.facts import CaseFacts, Village
from projections.flags.flag import Flag, flag
from projections.flags.policy import Policy

RULE = "duplicate-village-records"
NON_TRIVIAL = 10


def duplicate_village_records(case: CaseFacts, policy: Policy) -> list[Flag]:
    groups: dict[tuple[int, int, int, str | None], list[Village]] = defaultdict(list)
    for v in case.villages():
        if max(v.counts) >= NON_TRIVIAL:
            income = f"{v.per_capita_income.normalize():f}" if v.per_capita_income is not None else None
            groups[(*v.counts, income)].append(v)
    flags = []
    for (households, poor_households, poor, income), villages in groups.items():
        if len(villages) < policy.duplicate_villages_min:
            continue
        names = ", ".join(f"{v.name} {v.code}" for v in villages)
        flags.append(flag(RULE, case.stream, "high",
                          f"{len(villages)} villages report identical figures — {households} households, "
                          f"{poor_households} poor households, {poor} poor people, per-capita income {income} "
                          f"yuan: {names}.", villages))
    return flags
