"""The event catalogue of SPEC §1 as data: each record type's payload fields and their checks.

:func:`validate` applies a type's schema to a payload and returns a fresh dict holding only
the given fields, unchanged. What needs more than one payload (references, order, who signs)
is decided by the aggregates, not here.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, NamedTuple

from domain import fields as f
from domain.base import PayloadError


class Spec(NamedTuple):
    check: f.Check
    required: bool


def req(check: f.Check) -> Spec:
    return Spec(check, True)


def opt(check: f.Check) -> Spec:
    return Spec(check, False)


ROLES: tuple[str, ...] = (
    "ledger_authority",
    "county_leading_group",
    "county_party_government",
    "city_leading_group",
    "city_party_government",
    "provincial_office",
    "provincial_department",
    "third_party_evaluator",
    "provincial_party_government",
    "national_leading_group",
    "discipline_inspector",
)
"""The roles of DOMAIN.md "Who acts"."""

SOURCES = ("county_self_report", "national_information_system", "third_party", "department_inspection")
RECTIFICATION_ORIGINS = (
    "self_check", "city_review", "provincial_verification", "publicity", "third_party", "spot_check", "discipline",
)
FINDING_KINDS = ("falsification", "procedure_violation", "numbers_only_exit", "false_exit", "responsibility_failure")

_approval = {"approved_on": req(f.iso_date), "document": req(f.text)}

SCHEMAS: dict[str, dict[str, Spec]] = {
    # actors
    "LedgerInitialised": {
        "province_code": req(f.province_code), "province_name": req(f.text), "origin": req(f.origin),
        "authority_actor": req(f.actor_id), "authority_public_key": req(f.public_key),
        "incidence_limit": opt(f.incidence_limit),
    },
    "ActorRegistered": {
        "actor": req(f.actor_id), "name": req(f.text), "role": req(f.one_of(*ROLES)),
        "jurisdiction": req(f.code6), "public_key": req(f.public_key), "valid_from": opt(f.iso_date),
        "person": opt(f.text),
    },
    "KeyRotated": {"actor": req(f.actor_id), "public_key": req(f.public_key), "reason": req(f.text)},
    "ActorRevoked": {"actor": req(f.actor_id), "reason": req(f.text)},
    # case
    "CaseOpened": {
        "county_code": req(f.code6), "county_name": req(f.text), "city_code": req(f.code6),
        "city_name": req(f.text), "tier": req(f.one_of("national", "provincial")), "year": req(f.year),
        "opened_on": opt(f.iso_date),
    },
    "FiguresReported": {
        "source": req(f.one_of(*SOURCES)), "reported_on": req(f.iso_date), "as_of": req(f.iso_date),
        "rural_population": req(f.count()), "poor_population": req(f.count()),
        "poverty_incidence": req(f.percentage), "poor_villages_total": req(f.count()),
        "poor_villages_remaining": req(f.count()), "income_growth": opt(f.growth),
        "provincial_income_growth": opt(f.growth), "public_service_indicators_met": opt(f.indicators),
        "revises": opt(f.record_hash), "note": opt(f.text),
    },
    "VillageFiguresReported": {
        "as_of": req(f.iso_date), "village_code": req(f.code12), "village_name": req(f.text),
        "households": req(f.count()), "poor_households": req(f.count()), "poor_population": req(f.count()),
        "per_capita_income": req(f.money), "exited": req(f.boolean),
    },
    "RectificationOpened": {
        "opened_on": req(f.iso_date), "item": req(f.text), "origin": req(f.one_of(*RECTIFICATION_ORIGINS)),
        "description": req(f.text), "due": opt(f.iso_date),
    },
    "RectificationCompleted": {"item": req(f.text), "completed_on": req(f.iso_date), "evidence": req(f.text)},
    "ExitApplicationApproved": _approval,
    "ExitApplicationSubmitted": {
        "submitted_on": req(f.iso_date), "figures": opt(f.record_hash), "document": req(f.text),
        "attestation": req(f.text),
    },
    "CityReviewCompleted": {
        "reviewed_on": req(f.iso_date), "opinion": req(f.one_of("pass", "fail")), "findings": opt(f.texts),
    },
    "CityReportApproved": _approval,
    "CityReportSubmitted": {"submitted_on": req(f.iso_date), "document": req(f.text)},
    "ProvincialVerificationCompleted": {
        "verified_on": req(f.iso_date), "figures": opt(f.record_hash),
        "procedure_compliant": req(f.boolean), "materials_complete": req(f.boolean),
    },
    "DepartmentInspectionCompleted": {
        "inspected_on": req(f.iso_date), "department": req(f.text), "passed": req(f.boolean),
        "findings": opt(f.texts),
    },
    "ThirdPartyEvaluationCompleted": {
        "evaluated_on": req(f.iso_date), "organisation": req(f.text), "sample_households": req(f.count(1)),
        "wrongful_exit_rate": req(f.percentage), "missed_assessment_rate": req(f.percentage),
        "mass_recognition": req(f.percentage), "public_service_indicators_met": req(f.indicators),
    },
    "SpecialRectificationReported": {"reported_on": req(f.iso_date), "result": req(f.text)},
    "ExitReportFormed": {"formed_on": req(f.iso_date), "meets_standard": req(f.boolean)},
    "PublicityOpened": {"opened_on": req(f.iso_date), "closes_on": req(f.iso_date), "media": req(f.text)},
    "ObjectionReceived": {"received_on": req(f.iso_date), "summary": req(f.text)},
    "PublicityClosed": {"closed_on": req(f.iso_date), "objections": req(f.count()), "upheld": req(f.count())},
    "AuditOpinionSubmitted": {"submitted_on": req(f.iso_date), "opinion": req(f.text)},
    "NationalSpotCheckCompleted": {
        "checked_on": req(f.iso_date), "passed": req(f.boolean), "problems": opt(f.texts),
    },
    "ExitApproved": _approval,
    "ExitAnnounced": {"announced_on": req(f.iso_date), "document": req(f.text), "checkpoint": opt(f.text)},
    "FollowUpPlanFiled": {
        "filed_on": req(f.iso_date), "support_plan": req(f.text), "consolidation_plan": req(f.text),
    },
    # inquiry
    "InquiryOpened": {
        "case": req(f.case_stream), "subject": req(f.text), "opened_on": req(f.iso_date),
        "basis": opt(f.list_of(f.record_hash)),
    },
    "FindingRecorded": {
        "kind": req(f.one_of(*FINDING_KINDS)), "responsible": req(f.list_of(f.actor_id, non_empty=True)),
        "evidence": req(f.list_of(f.record_hash, non_empty=True)), "summary": req(f.text),
        "recorded_on": req(f.iso_date),
    },
    "AccountabilityDecided": {
        "decided_on": req(f.iso_date), "against": req(f.list_of(f.actor_id, non_empty=True)),
        "measures": req(f.text),
    },
    "InquiryClosed": {"closed_on": req(f.iso_date)},
}

DERIVED: dict[str, dict[str, str]] = {
    "ProvincialVerificationCompleted": {"decision": "from the verified figures and the two checks"},
    "ThirdPartyEvaluationCompleted": {"special_rectification": "from the evaluation's thresholds"},
}
"""Fields only the ledger writes; a payload that brings one is refused."""

NOT_ABOVE: dict[str, tuple[tuple[str, str], ...]] = {
    "FiguresReported": (("poor_population", "rural_population"), ("poor_villages_remaining", "poor_villages_total")),
    "VillageFiguresReported": (("poor_households", "households"),),
    "PublicityClosed": (("upheld", "objections"),),
}
"""Pairs (part, whole) where the part cannot exceed the whole: a count of a subset."""

DECISION_DATE_FIELD: dict[str, str] = {
    "ActorRegistered": "valid_from",
    "CaseOpened": "opened_on",
    "FiguresReported": "reported_on",
    "VillageFiguresReported": "as_of",
    "RectificationOpened": "opened_on",
    "RectificationCompleted": "completed_on",
    "ExitApplicationApproved": "approved_on",
    "ExitApplicationSubmitted": "submitted_on",
    "CityReviewCompleted": "reviewed_on",
    "CityReportApproved": "approved_on",
    "CityReportSubmitted": "submitted_on",
    "ProvincialVerificationCompleted": "verified_on",
    "DepartmentInspectionCompleted": "inspected_on",
    "ThirdPartyEvaluationCompleted": "evaluated_on",
    "SpecialRectificationReported": "reported_on",
    "ExitReportFormed": "formed_on",
    "PublicityOpened": "opened_on",
    "ObjectionReceived": "received_on",
    "PublicityClosed": "closed_on",
    "AuditOpinionSubmitted": "submitted_on",
    "NationalSpotCheckCompleted": "checked_on",
    "ExitApproved": "approved_on",
    "ExitAnnounced": "announced_on",
    "FollowUpPlanFiled": "filed_on",
    "InquiryOpened": "opened_on",
    "FindingRecorded": "recorded_on",
    "AccountabilityDecided": "decided_on",
    "InquiryClosed": "closed_on",
}
"""Record type → the payload field with the official date of the decision (may be optional:
``CaseOpened.opened_on``). LedgerInitialised, KeyRotated and ActorRevoked have none."""

_ACTOR_TYPES = ("LedgerInitialised", "ActorRegistered", "KeyRotated", "ActorRevoked")
_INQUIRY_TYPES = ("InquiryOpened", "FindingRecorded", "AccountabilityDecided", "InquiryClosed")
STREAM_KINDS: dict[str, tuple[str, ...]] = {
    "actors": _ACTOR_TYPES,
    "case": tuple(t for t in SCHEMAS if t not in _ACTOR_TYPES + _INQUIRY_TYPES),
    "inquiry": _INQUIRY_TYPES,
}
"""Stream kind → its record types, the creating type first."""

KIND_OF_TYPE: dict[str, str] = {t: kind for kind, types in STREAM_KINDS.items() for t in types}

_REQUIRED: dict[str, frozenset[str]] = {
    type: frozenset(name for name, spec in schema.items() if spec.required) for type, schema in SCHEMAS.items()
}
assert not any(DERIVED.get(type, {}).keys() & schema.keys() for type, schema in SCHEMAS.items())


def validate(type: str, payload: Mapping[str, Any]) -> dict[str, Any]:
    """Check ``payload`` against the schema of ``type``; return a fresh dict of the same values.

    Refuses, in this order: a payload that is not an object, unknown fields, derived fields,
    missing required fields, then each field's own rule, then parts that exceed their whole.
    """
    if payload.__class__ is not dict and not isinstance(payload, Mapping):  # dict: no ABC check
        raise PayloadError("payload", f"must be a JSON object (got {f.shown(payload)})")
    schema = SCHEMAS[type]
    names = payload.keys()
    # Every field known and every required one there (derived fields are never in a schema):
    # two set comparisons decide what the loops below would, and name the field when not.
    if not (names <= schema.keys() and _REQUIRED[type] <= names):
        derived = DERIVED.get(type, {})
        for name in payload:
            if name in derived:
                raise PayloadError(name, f"is derived by the ledger ({derived[name]}); leave it out")
            if name not in schema:
                raise PayloadError(str(name), f"unknown field; allowed: {', '.join(schema)}")
        for name, spec in schema.items():
            if spec.required and name not in payload:
                raise PayloadError(name, "is required")
    checked: dict[str, Any] = {}
    for name, spec in schema.items():
        if name not in payload:
            continue
        value = payload[name]
        if value is None:
            rule = "is required (got null)" if spec.required else "is optional: leave it out rather than null"
            raise PayloadError(name, rule)
        checked[name] = spec.check(name, value)
    for part, whole in NOT_ABOVE.get(type, ()):
        if checked[part] > checked[whole]:
            raise PayloadError(part, f"cannot exceed {whole} ({checked[part]} > {checked[whole]})")
    return checked


def export_columns() -> list[str]:
    """Every payload field name of the catalogue, once, in catalogue order: the columns of a
    spreadsheet export."""
    seen: dict[str, None] = {}
    for schema in SCHEMAS.values():
        for name in schema:
            seen.setdefault(name, None)
    for derived in ("decision", "special_rectification"):
        seen.setdefault(derived, None)
    return list(seen)
