"""``same-person``: one natural person on both sides of a check of the same case (high).

Persons are those ActorRegistered named (``Event.person``); actors without one are never
matched. Two conflicts:

- one person signed county-level figures (FiguresReported, VillageFiguresReported) or the
  application (ExitApplicationApproved, ExitApplicationSubmitted) and also the city's review,
  report approval or report submission;
- one person signed a third-party evaluation (ThirdPartyEvaluationCompleted, or third-party
  FiguresReported) and any event of a county or city actor of that case.

Evidence: every event of that person on both sides, and the ActorRegistered events that named
the person (``Event.registration``) when the facts carry them.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable

from projections.flags.facts import CaseFacts, Event, Ref
from projections.flags.flag import Flag, flag
from projections.flags.policy import Policy

RULE = "same-person"
COUNTY_ROLES = ("county_leading_group", "county_party_government")
CITY_ROLES = ("city_leading_group", "city_party_government")
COUNTY_SIGNED = ("FiguresReported", "VillageFiguresReported", "ExitApplicationApproved", "ExitApplicationSubmitted")
CITY_SIGNED = ("CityReviewCompleted", "CityReportApproved", "CityReportSubmitted")


def same_person(case: CaseFacts, policy: Policy) -> list[Flag]:
    county = _by_person(e for e in case.events if e.role in COUNTY_ROLES and e.type in COUNTY_SIGNED)
    city = _by_person(e for e in case.events if e.role in CITY_ROLES and e.type in CITY_SIGNED)
    local = _by_person(e for e in case.events if e.role in COUNTY_ROLES + CITY_ROLES)
    evaluator = _by_person(e for e in case.events if e.role == "third_party_evaluator"
                           and e.type in ("ThirdPartyEvaluationCompleted", "FiguresReported"))
    flags = []
    for person in sorted(county.keys() & city.keys()):
        flags.append(_flag(case, person, county[person], "the county's figures or application", city[person],
                           "the city's review of them", "reported and reviewed"))
    for person in sorted(evaluator.keys() & local.keys()):
        flags.append(_flag(case, person, evaluator[person], "the third-party evaluation", local[person],
                           "county or city events", "evaluated the case and acted for the county or city in it"))
    return flags


def _by_person(events: Iterable[Event]) -> dict[str, list[Event]]:
    out: dict[str, list[Event]] = defaultdict(list)
    for e in events:
        if e.person:
            out[e.person].append(e)
    return out


def _listed(events: list[Event]) -> str:
    by_actor: dict[str, list[str]] = defaultdict(list)
    for e in events:
        by_actor[e.actor].append(f"{e.type} [seq {e.seq}]")
    return "; ".join(f"as {actor}: {', '.join(items)}" for actor, items in by_actor.items())


def _flag(case: CaseFacts, person: str, one: list[Event], one_label: str, other: list[Event], other_label: str,
          verb: str) -> Flag:
    text = (f"{person} signed {one_label} ({_listed(one)}) and also {other_label} ({_listed(other)}): "
            f"the same person {verb} this case.")
    registrations: list[Ref] = [e.registration for e in one + other if e.registration is not None]
    return flag(RULE, case.stream, "high", text, [*one, *other, *registrations])
