"""Who may sign what: SPEC §1 "Who may sign what" and the roles of DOMAIN.md "Who acts".

An event is allowed when the actor's role is one of the event's signers and the actor's
jurisdiction covers the stream: a county's events by that county, a city's review by the
county's own city, provincial steps by the province, the spot check by the nation.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from domain.base import Actor, CaseRef, Forbidden, PayloadError
from domain.catalogue import KIND_OF_TYPE, ROLES
from domain.fields import NATION

COUNTY_ROLES = frozenset({"county_leading_group", "county_party_government"})
CITY_ROLES = frozenset({"city_leading_group", "city_party_government"})
PROVINCIAL_ROLES = frozenset(
    {"provincial_office", "provincial_department", "third_party_evaluator", "provincial_party_government"}
)

SOURCE_ROLES: dict[str, str] = {
    "county_self_report": "county_leading_group",
    "national_information_system": "provincial_office",
    "third_party": "third_party_evaluator",
    "department_inspection": "provincial_department",
}
"""FiguresReported source → the only role that may report it."""

_COUNTY = ("county_leading_group",)
_OFFICE = ("provincial_office",)
_AUTHORITY = ("ledger_authority",)
_INSPECTOR = ("discipline_inspector",)

SIGNERS: dict[str, tuple[str, ...]] = {
    "LedgerInitialised": _AUTHORITY,
    "ActorRegistered": _AUTHORITY,
    "KeyRotated": _AUTHORITY,
    "ActorRevoked": _AUTHORITY,
    "CaseOpened": ("ledger_authority", "provincial_office"),
    "VillageFiguresReported": _COUNTY,
    "RectificationOpened": tuple(role for role in ROLES if role != "ledger_authority"),
    "RectificationCompleted": _COUNTY,
    "ExitApplicationApproved": ("county_party_government",),
    "ExitApplicationSubmitted": _COUNTY,
    "CityReviewCompleted": ("city_leading_group",),
    "CityReportApproved": ("city_party_government",),
    "CityReportSubmitted": ("city_leading_group",),
    "ProvincialVerificationCompleted": _OFFICE,
    "DepartmentInspectionCompleted": ("provincial_department",),
    "ThirdPartyEvaluationCompleted": ("third_party_evaluator",),
    "SpecialRectificationReported": _COUNTY,
    "ExitReportFormed": _OFFICE,
    "PublicityOpened": _OFFICE,
    "ObjectionReceived": _OFFICE,
    "PublicityClosed": _OFFICE,
    "AuditOpinionSubmitted": _OFFICE,
    "NationalSpotCheckCompleted": ("national_leading_group",),
    "ExitApproved": ("provincial_party_government",),
    "ExitAnnounced": ("provincial_party_government",),
    "FollowUpPlanFiled": _COUNTY,
    "InquiryOpened": _INSPECTOR,
    "FindingRecorded": _INSPECTOR,
    "AccountabilityDecided": _INSPECTOR,
    "InquiryClosed": _INSPECTOR,
}
"""Record type → the roles that may sign it (FiguresReported depends on its source)."""


def jurisdictions(role: str, province_code: str, case: CaseRef | None) -> tuple[str, ...]:
    """The division codes an actor of ``role`` must hold to act on ``case`` (in the province).

    Empty when the role's jurisdiction cannot be told without a case.
    """
    if role in COUNTY_ROLES:
        return (case.county_code,) if case else ()
    if role in CITY_ROLES:
        return (case.city_code,) if case else ()
    if role in PROVINCIAL_ROLES or role == "ledger_authority":
        return (province_code,)
    if role == "national_leading_group":
        return (NATION,)
    if role == "discipline_inspector":
        codes = [NATION, province_code] + ([case.city_code, case.county_code] if case else [])
        return tuple(dict.fromkeys(code for code in codes if code))
    return ()


def _either(items: tuple[str, ...] | list[str]) -> str:
    return items[0] if len(items) == 1 else f"{', '.join(items[:-1])} or {items[-1]}"


def authorize(
    *,
    type: str,
    stream: str,
    actor: Actor,
    province_code: str,
    case: CaseRef | None,
    payload: Mapping[str, Any] | None = None,
) -> None:
    """Raise :class:`Forbidden` unless ``actor``'s role and jurisdiction allow ``type`` on ``stream``.

    ``case`` is the case the stream concerns (for an inquiry, the inquiry's case; ``None`` for
    CaseOpened and the ``actors`` stream). ``payload`` is needed for FiguresReported, whose
    signer depends on its ``source``. Whether the actor's key was valid at the time (revoked,
    rotated) is the ledger's business, not this function's. LedgerInitialised checks the role
    only: the genesis event defines the province.
    """
    if type not in KIND_OF_TYPE:
        raise PayloadError("type", f"unknown record type {type!r}")
    what = type
    if type == "FiguresReported":
        if payload is None or payload.get("source") not in SOURCE_ROLES:
            raise ValueError("authorize needs the payload of a FiguresReported: its source decides who signs")
        roles: tuple[str, ...] = (SOURCE_ROLES[payload["source"]],)
        what = f"FiguresReported with source {payload['source']}"
    else:
        roles = SIGNERS[type]
    if actor.role not in roles:
        who = _who(actor, what, stream)
        if type == "RectificationOpened":
            raise Forbidden(f"{who}: needs an official role, not ledger_authority")
        by_place: dict[str, list[str]] = {}
        for role in roles:
            place = _either(jurisdictions(role, province_code, case)) or "the case's jurisdiction"
            by_place.setdefault(place, []).append(role)
        needs = "; or ".join(f"{_either(rs)} of {place}" for place, rs in by_place.items())
        raise Forbidden(f"{who}: needs {needs}")
    if type == "LedgerInitialised":
        return
    allowed = jurisdictions(actor.role, province_code, case)
    if actor.jurisdiction not in allowed:
        place = _either(allowed) if allowed else "a known case"
        raise Forbidden(f"{_who(actor, what, stream)}: needs {actor.role} of {place}")


def _who(actor: Actor, what: str, stream: str) -> str:
    return f"actor {actor.id} ({actor.role}, {actor.jurisdiction}) may not sign {what} on {stream}"
