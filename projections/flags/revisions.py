"""``late-revision`` and ``unevidenced-revision``: figures changed when they should not have been.

A change *improves* a figure when it moves toward the exit standard: lower incidence, poor
population or remaining poor villages; higher income growth over the province, or more
public-service indicators met (:func:`changes`).

- late-revision — a county self-report recorded after the (first) application: high when it
  improves on the figures it revises (or, without ``revises``, on the application's) and no
  RectificationCompleted was recorded in between, else watch; village figures recorded after
  the application (watch); a county self-report whose ``reported_on`` lies within
  ``late_revision_days`` before the 15 December deadline of the case year (watch).
- unevidenced-revision — a report that revises an earlier one of its source (``revises``) and
  improves a figure with no RectificationCompleted recorded between the two (high).
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from projections.flags.facts import COUNTY_SOURCE, CaseFacts, Report
from projections.flags.flag import Flag, described, flag, pct, sentence, signed
from projections.flags.policy import Policy

LATE = "late-revision"
UNEVIDENCED = "unevidenced-revision"


def changes(old: Report, new: Report) -> tuple[list[str], list[str]]:
    """``(improved, worsened)``: each a list of ``"incidence 2.31% → 1.96%"``-style phrases."""
    improved: list[str] = []
    worsened: list[str] = []

    def compare(before: Any, after: Any, lower_is_better: bool, shown: str) -> None:
        if before is None or after is None or before == after:
            return
        better = after < before if lower_is_better else after > before
        (improved if better else worsened).append(shown)

    compare(old.poverty_incidence, new.poverty_incidence, True,
            f"incidence {pct(old.poverty_incidence)} → {pct(new.poverty_incidence)}")
    compare(old.poor_population, new.poor_population, True,
            f"poor population {old.poor_population} → {new.poor_population}")
    compare(old.poor_villages_remaining, new.poor_villages_remaining, True,
            f"poor villages remaining {old.poor_villages_remaining} → {new.poor_villages_remaining}")
    compare(old.income_margin, new.income_margin, False,
            f"income growth over the province {old.income_margin} → {new.income_margin} pp")
    compare(old.public_service_indicators_met, new.public_service_indicators_met, False,
            f"indicators met {old.public_service_indicators_met} → {new.public_service_indicators_met}")
    return improved, worsened


def direction(old: Report, new: Report) -> int:
    """+1 toward passing, −1 away from it, 0 unchanged or mixed."""
    improved, worsened = changes(old, new)
    return 1 if improved and not worsened else -1 if worsened and not improved else 0


def late_revision(case: CaseFacts, policy: Policy) -> list[Flag]:
    flags = []
    application = case.first("ExitApplicationSubmitted")
    after: set[int] = set()
    if application is not None:
        relied = case.cited(application, COUNTY_SOURCE)
        for r in case.figures(COUNTY_SOURCE):
            if r.event.seq < application.seq:
                continue
            after.add(r.event.seq)
            prior = (case.report(r.revises) if r.revises else None) or relied
            improved = changes(prior, r)[0] if prior else []
            rectified = case.between(application, r.event, "RectificationCompleted")
            text = f"The county reported figures after its application ({signed(application)}): {described(r)}"
            text += f" changes {', '.join(improved)}" if improved else ""
            text += " with no rectification completed in between." if improved and not rectified else "."
            flags.append(flag(LATE, case.stream, "high" if improved and not rectified else "watch", text,
                              [application, r, *([prior] if prior else []), *rectified]))
        villages = [v for v in case.village_reports() if v.event.seq > application.seq]
        if villages:
            flags.append(flag(LATE, case.stream, "watch",
                              f"{len(villages)} village figures were reported after the application "
                              f"({signed(application)}), the first {signed(villages[0].event)}.",
                              [application, *villages]))
    deadline = date(case.year, 12, 15)
    window = timedelta(days=policy.late_revision_days)
    for r in case.figures(COUNTY_SOURCE):
        if r.event.seq in after or r.reported_on is None:
            continue
        if deadline - window <= r.reported_on <= deadline:
            flags.append(flag(LATE, case.stream, "watch",
                              f"Figures were reported at the last minute: {described(r)}, within "
                              f"{policy.late_revision_days} days before the 15 December {case.year} deadline.", [r]))
    return flags


def unevidenced_revision(case: CaseFacts, policy: Policy) -> list[Flag]:
    flags = []
    for old, new in case.revisions():
        improved = changes(old, new)[0]
        if not improved or case.between(old.event, new.event, "RectificationCompleted"):
            continue
        flags.append(flag(UNEVIDENCED, case.stream, "high",
                          f"{sentence(described(new))} revises {described(old)} and improves "
                          f"{', '.join(improved)}, with no rectification completed in between.", [old, new]))
    return flags
