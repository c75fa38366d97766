"""``deadline`` and ``date-order``: decision dates against the calendar and against each other.

deadline (DOMAIN.md "The stages", for a case of year Y; the same table as
:mod:`projections.deadlines`):

| steps | must fall | severity |
| --- | --- | --- |
| application approval and submission | by 15 Dec Y | watch |
| city review, report approval, report submission | by 31 Dec Y | watch |
| verification, inspection, evaluation, exit report, publicity, audit opinion | 1 Jan – 30 Apr Y+1 | watch |
| national spot check, exit approval, announcement | 1 May – 31 Jul Y+1 | watch |
| publicity closed | not before its own ``closes_on`` | high |

date-order: a step dated before a step it depends on (:data:`DEPENDS`; the one recorded last
before it, else the first recorded after it), before the figures it cites (the application's
county report, the verification's information-system report), or a rectification completed
before it was opened (high).
"""

from __future__ import annotations

from datetime import date

from projections.flags.facts import COUNTY_SOURCE, VERIFIED_SOURCE, CaseFacts, Event
from projections.flags.flag import Flag, flag, sentence, signed
from projections.flags.policy import Policy

DEADLINE = "deadline"
DATE_ORDER = "date-order"

Day = tuple[int, int, int]  # (year offset, month, day) from the case year
_APPLICATION: tuple[Day | None, Day] = (None, (0, 12, 15))
_CITY: tuple[Day | None, Day] = (None, (0, 12, 31))
_VERIFICATION: tuple[Day | None, Day] = ((1, 1, 1), (1, 4, 30))
_ANNOUNCEMENT: tuple[Day | None, Day] = ((1, 5, 1), (1, 7, 31))

DUE: dict[str, tuple[Day | None, Day]] = {
    "ExitApplicationApproved": _APPLICATION, "ExitApplicationSubmitted": _APPLICATION,
    "CityReviewCompleted": _CITY, "CityReportApproved": _CITY, "CityReportSubmitted": _CITY,
    **{t: _VERIFICATION for t in ("ProvincialVerificationCompleted", "DepartmentInspectionCompleted",
                                  "ThirdPartyEvaluationCompleted", "ExitReportFormed", "PublicityOpened",
                                  "PublicityClosed", "AuditOpinionSubmitted")},
    **{t: _ANNOUNCEMENT for t in ("NationalSpotCheckCompleted", "ExitApproved", "ExitAnnounced")},
}

DEPENDS: dict[str, tuple[str, ...]] = {
    "ExitApplicationSubmitted": ("ExitApplicationApproved",),
    "CityReviewCompleted": ("ExitApplicationSubmitted",),
    "CityReportApproved": ("CityReviewCompleted",),
    "CityReportSubmitted": ("CityReportApproved", "CityReviewCompleted"),
    "ProvincialVerificationCompleted": ("CityReportSubmitted",),
    "DepartmentInspectionCompleted": ("ProvincialVerificationCompleted",),
    "ThirdPartyEvaluationCompleted": ("ProvincialVerificationCompleted",),
    "SpecialRectificationReported": ("ThirdPartyEvaluationCompleted",),
    "ExitReportFormed": ("DepartmentInspectionCompleted", "ThirdPartyEvaluationCompleted"),
    "PublicityOpened": ("ExitReportFormed",),
    "ObjectionReceived": ("PublicityOpened",),
    "PublicityClosed": ("PublicityOpened",),
    "AuditOpinionSubmitted": ("PublicityClosed",),
    "NationalSpotCheckCompleted": ("AuditOpinionSubmitted",),
    "ExitApproved": ("AuditOpinionSubmitted", "NationalSpotCheckCompleted"),
    "ExitAnnounced": ("ExitApproved",),
    "FollowUpPlanFiled": ("ExitAnnounced",),
}
"""Step → the steps whose decision it presupposes (DOMAIN.md "The stages")."""


def _day(year: int, at: Day) -> date:
    return date(year + at[0], at[1], at[2])


def deadline(case: CaseFacts, policy: Policy) -> list[Flag]:
    flags = []
    for e in case.events:
        due = DUE.get(e.type)
        if due is None or e.decided_on is None:
            continue
        start = _day(case.year, due[0]) if due[0] else None
        end = _day(case.year, due[1])
        if e.decided_on > end:
            text = f"{sentence(signed(e))} is dated after its deadline of {end.isoformat()}."
        elif start is not None and e.decided_on < start:
            text = f"{sentence(signed(e))} is dated before its window opens on {start.isoformat()}."
        else:
            continue
        flags.append(flag(DEADLINE, case.stream, "watch", text, [e]))
    for closed in case.all("PublicityClosed"):
        opened = case.latest_before(closed, "PublicityOpened")
        closes_on = opened.date("closes_on") if opened else None
        if opened and closes_on and closed.decided_on and closed.decided_on < closes_on:
            flags.append(flag(DEADLINE, case.stream, "high",
                              f"Publicity was closed early: {signed(closed)}, though {signed(opened)} announced it "
                              f"would stay open until {closes_on.isoformat()}.", [opened, closed]))
    return flags


def date_order(case: CaseFacts, policy: Policy) -> list[Flag]:
    flags = []
    for e in case.events:
        if e.decided_on is None:
            continue
        for before in _depends_on(case, e):
            if before.decided_on is not None and e.decided_on < before.decided_on:
                flags.append(flag(DATE_ORDER, case.stream, "high",
                                  f"{sentence(signed(e))} is dated before {signed(before)}, which it depends on.",
                                  [before, e]))
    return flags


def _depends_on(case: CaseFacts, e: Event) -> list[Event]:
    found = [case.latest_before(e, t) or case.first_after(e, t) for t in DEPENDS.get(e.type, ())]
    cites = {"ExitApplicationSubmitted": COUNTY_SOURCE, "ProvincialVerificationCompleted": VERIFIED_SOURCE}
    if e.type in cites:
        report = case.cited(e, cites[e.type])
        found.append(report.event if report else None)
    if e.type == "RectificationCompleted":
        found.append(next((o for o in case.all("RectificationOpened") if o.get("item") == e.get("item")), None))
    return [d for d in found if d is not None]
