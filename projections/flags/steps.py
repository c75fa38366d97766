"""``missing-step`` and ``threshold-overridden``: exits that skipped what the process requires.

missing-step (high):
- an application submitted with no ExitApplicationApproved (county party committee and
  government) recorded before it; a city report submitted with no CityReportApproved before it;
- a national-level county's exit approved or announced with no passed NationalSpotCheckCompleted
  recorded before it (none, or the latest failed);
- publicity closed after objections (its own ``objections`` count or the ObjectionReceived
  recorded since it opened) with none upheld and no RectificationCompleted recorded after the
  first objection; or closed reporting fewer objections than were recorded as received.

threshold-overridden (critical): the exit approved or announced although the latest third-party
evaluation before it failed a threshold (wrongful-exit > ``wrongful_exit_max``, missed >
``missed_max``, recognition < ``recognition_min``, indicators < ``indicators_min``) and no
SpecialRectificationReported was recorded between the two — or at all, in ``veto`` mode.
"""

from __future__ import annotations

from projections.flags.facts import CaseFacts, Event
from projections.flags.flag import Flag, flag, pct, signed
from projections.flags.policy import Policy

MISSING = "missing-step"
OVERRIDDEN = "threshold-overridden"

REQUIRED_BEFORE: tuple[tuple[str, str, str], ...] = (
    ("ExitApplicationSubmitted", "ExitApplicationApproved", "the county party committee and government's approval"),
    ("CityReportSubmitted", "CityReportApproved", "the city party committee and government's approval"),
)


def missing_step(case: CaseFacts, policy: Policy) -> list[Flag]:
    flags = []
    for step, required, what in REQUIRED_BEFORE:
        for e in case.all(step):
            if case.latest_before(e, required) is None:
                later = case.first_after(e, required)
                note = f"; it was recorded only afterwards ({signed(later)})" if later else ""
                flags.append(flag(MISSING, case.stream, "high",
                                  f"{signed(e)} was made without {what} ({required}) recorded before it{note}.",
                                  [e, *([later] if later else [])]))
    flags += _spot_check(case)
    flags += _objections(case)
    return flags


def _spot_check(case: CaseFacts) -> list[Flag]:
    exit_events = case.all("ExitApproved", "ExitAnnounced")
    if case.tier != "national" or not exit_events:
        return []
    check = case.latest_before(exit_events[0], "NationalSpotCheckCompleted")
    if check is not None and check.get("passed") is True:
        return []
    why = (f"the national spot check did not pass ({signed(check)})" if check
           else "no national spot check was recorded before it")
    return [flag(MISSING, case.stream, "high",
                 f"The exit of a national-level county was approved or announced ({signed(exit_events[0])}) but {why}.",
                 [*exit_events, *([check] if check else [])])]


def _objections(case: CaseFacts) -> list[Flag]:
    flags = []
    for closed in case.all("PublicityClosed"):
        opened = case.latest_before(closed, "PublicityOpened")
        received = case.between(opened, closed, "ObjectionReceived") if opened else []
        stated = closed.count("objections") or 0
        upheld = closed.count("upheld") or 0
        base = [closed, *([opened] if opened else []), *received]
        if len(received) > stated:
            flags.append(flag(MISSING, case.stream, "high",
                              f"{len(received)} objections were recorded as received during publicity, but "
                              f"{signed(closed)} reports only {stated}.", base))
        if max(stated, len(received)) == 0 or upheld > 0:
            continue
        start = received[0] if received else opened or closed
        resolved = [e for e in case.all("RectificationCompleted") if e.seq > start.seq]
        if not resolved:
            flags.append(flag(MISSING, case.stream, "high",
                              f"Publicity closed with {max(stated, len(received))} objections, none upheld and no "
                              f"rectification completed since they were raised ({signed(closed)}).", base))
    return flags


def failures(evaluation: Event, policy: Policy) -> list[str]:
    """The third-party thresholds an evaluation fails, as phrases."""
    out = []
    for name, label, maximum in (("wrongful_exit_rate", "wrongful-exit rate", policy.wrongful_exit_max),
                                 ("missed_assessment_rate", "missed-assessment rate", policy.missed_max)):
        rate = evaluation.decimal(name)
        if rate is not None and rate > maximum:
            out.append(f"{label} {pct(rate)} > {pct(maximum)}")
    recognition = evaluation.decimal("mass_recognition")
    if recognition is not None and recognition < policy.recognition_min:
        out.append(f"mass recognition {pct(recognition)} < {pct(policy.recognition_min)}")
    indicators = evaluation.count("public_service_indicators_met")
    if indicators is not None and indicators < policy.indicators_min:
        out.append(f"{indicators} of {policy.indicators_min} public-service indicators met")
    return out


def threshold_overridden(case: CaseFacts, policy: Policy) -> list[Flag]:
    exit_events = case.all("ExitApproved", "ExitAnnounced")
    if not exit_events:
        return []
    evaluation = case.latest_before(exit_events[0], "ThirdPartyEvaluationCompleted")
    failed = failures(evaluation, policy) if evaluation else []
    if evaluation is None or not failed:
        return []
    special = case.between(evaluation, exit_events[0], "SpecialRectificationReported")
    if special and not policy.veto:
        return []
    why = (f"in veto mode the special rectification reported ({signed(special[0])}) does not lift a failed "
           "threshold" if special else "no special rectification was reported")
    return [flag(OVERRIDDEN, case.stream, "critical",
                 f"The exit was approved or announced ({signed(exit_events[0])}) although {signed(evaluation)} "
                 f"failed: {'; '.join(failed)}; {why}.", [evaluation, *exit_events, *special])]
