"""The exit process on a case stream: order that cannot be skipped, and fields the ledger derives.

SPEC §1: "Order that cannot be skipped is enforced ... Dates, deadlines and thresholds are
recorded as they happened and raised as red flags, not refused." So the refusals below are
exactly the steps whose input does not exist yet; a missing approval, a missed deadline, a
failed threshold or figures that do not add up are recorded.
"""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from typing import Any

from domain.base import Act, OutOfOrder, PayloadError, Stream
from domain.case import Case
from domain.fields import CASE_STREAM
from domain.rights import authorize

Need = Callable[[Case], str | None]
"""What a step still needs on a case, or ``None`` when it may happen."""

NEEDS: dict[str, Need] = {
    "CityReviewCompleted": lambda c: None if c.application_submitted else (
        "an ExitApplicationSubmitted: the city cannot review an application that was never submitted"),
    "CityReportSubmitted": lambda c: None if c.city_opinion == "pass" else (
        f"a CityReviewCompleted whose latest opinion is pass (latest: {c.city_opinion or 'none'})"),
    "ProvincialVerificationCompleted": lambda c: None if c.city_report_submitted else (
        "a CityReportSubmitted: the province verifies what the city reported"),
    "DepartmentInspectionCompleted": lambda c: _proceeding(c),
    "ThirdPartyEvaluationCompleted": lambda c: _proceeding(c),
    "ExitReportFormed": lambda c: None if c.last_decision == "proceed" and c.inspected and c.evaluated else (
        "both a DepartmentInspectionCompleted and a ThirdPartyEvaluationCompleted after a verification "
        "that decided proceed"),
    "PublicityOpened": lambda c: None if c.report_meets_standard else (
        "a latest ExitReportFormed that meets the standard"),
    "AuditOpinionSubmitted": lambda c: None if c.publicity_closed else "a PublicityClosed",
    "NationalSpotCheckCompleted": lambda c: None if c.tier == "national" else (
        f"a national-level county: {c.county_code} is provincial-level, and only national-level "
        "counties are spot-checked"),
    "ExitApproved": lambda c: None if c.audit_submitted else "an AuditOpinionSubmitted",
    "ExitAnnounced": lambda c: None if c.exit_approved else "an ExitApproved",
}


def _proceeding(case: Case) -> str | None:
    if case.last_decision == "proceed":
        return None
    latest = case.last_decision or "none"
    return f"the latest ProvincialVerificationCompleted to have decided proceed (latest: {latest})"


def check_order(case: Case, type: str) -> None:
    """Raise :class:`OutOfOrder` when ``type`` cannot happen on ``case`` now."""
    if case.outcome == "rejected":
        raise OutOfOrder(
            f"{case.stream} was rejected at provincial verification; nothing follows a rejection ({type} refused)"
        )
    if case.outcome == "announced" and type != "FollowUpPlanFiled":
        raise OutOfOrder(f"{case.stream}: the exit was announced; only FollowUpPlanFiled may follow ({type} refused)")
    need = NEEDS.get(type)
    missing = need(case) if need else None
    if missing:
        raise OutOfOrder(f"{case.stream}: {type} needs {missing}")


def decide(
    *, stream: str, aggregate: Stream | None, type: str, act: Act, payload: dict[str, Any]
) -> dict[str, Any]:
    """Check a case event beyond its schema and return its final payload, derived fields included."""
    if type == "CaseOpened":
        _check_opening(stream, act.province_code, payload)
        authorize(type=type, stream=stream, actor=act.actor, province_code=act.province_code, case=None)
        return payload
    assert isinstance(aggregate, Case)
    if type == "VillageFiguresReported" and not payload["village_code"].startswith(aggregate.county_code):
        raise PayloadError(
            "village_code", f"must be a village of county {aggregate.county_code} (got \"{payload['village_code']}\")"
        )
    authorize(type=type, stream=stream, actor=act.actor, province_code=act.province_code,
              case=aggregate.as_case_ref(), payload=payload)
    check_order(aggregate, type)
    derive = _DERIVE.get(type)
    return derive(aggregate, act, dict(payload)) if derive else payload


def _check_opening(stream: str, province_code: str, payload: dict[str, Any]) -> None:
    named = CASE_STREAM.fullmatch(stream)
    assert named is not None  # aggregate_for() checked the stream name
    county, city = payload["county_code"], payload["city_code"]
    if county != named.group(1):
        raise PayloadError("county_code", f"must match the stream {stream} (got \"{county}\")")
    if payload["year"] != int(named.group(2)):
        raise PayloadError("year", f"must match the stream {stream} (got {payload['year']})")
    if county.endswith("00"):
        raise PayloadError("county_code", f"must be a county code, not ending in 00 (got \"{county}\")")
    if not city.endswith("00") or city.endswith("0000"):
        raise PayloadError("city_code", f"must be a city code ending in 00, not 0000 (got \"{city}\")")
    for field, code in (("county_code", county), ("city_code", city)):
        if province_code and not code.startswith(province_code[:2]):
            raise PayloadError(field, f"must lie in province {province_code} (got \"{code}\")")


def _ref(case: Case, version: int) -> str:
    ref = case.refs.get(version)
    if ref is None:
        raise RuntimeError(f"{case.stream} version {version} was never acknowledged with its record hash")
    return ref


def _cited(case: Case, payload: dict[str, Any], field: str, source: str, what: str) -> Any:
    """The report of ``source`` that ``payload[field]`` cites, filling in the latest if absent."""
    reports = case.figures.get(source, [])
    if field not in payload:
        if reports:
            payload[field] = _ref(case, reports[-1].version)
            return reports[-1]
        return None
    for report in reports:
        if case.refs.get(report.version) == payload[field]:
            return report
    raise PayloadError(field, f"must be the hash of {what} of this case (got {payload[field]})")


def _figures(case: Case, act: Act, payload: dict[str, Any]) -> dict[str, Any]:
    source = payload["source"]
    if "revises" in payload:
        _cited(case, payload, "revises", source, f"an earlier FiguresReported from source {source}")
        return payload
    same = case.figures_as_of.get((source, payload["as_of"]))  # not a scan: a case may hold many
    if same is not None:
        payload["revises"] = _ref(case, same.version)
    return payload


def _application(case: Case, act: Act, payload: dict[str, Any]) -> dict[str, Any]:
    _cited(case, payload, "figures", "county_self_report", "a county_self_report FiguresReported")
    return payload


def _verification(case: Case, act: Act, payload: dict[str, Any]) -> dict[str, Any]:
    what = "a national_information_system FiguresReported"
    report = _cited(case, payload, "figures", "national_information_system", what)
    if report is None:
        raise PayloadError(
            "figures",
            "no national_information_system figures reported for this case: "
            "the verified incidence is the input of the decision",
        )
    if Decimal(report.poverty_incidence) > act.incidence_limit:
        payload["decision"] = "reject"
    elif not payload["procedure_compliant"]:
        payload["decision"] = "rectify"
    elif not payload["materials_complete"]:
        payload["decision"] = "supplement"
    else:
        payload["decision"] = "proceed"
    return payload


def _evaluation(case: Case, act: Act, payload: dict[str, Any]) -> dict[str, Any]:
    payload["special_rectification"] = (
        Decimal(payload["wrongful_exit_rate"]) > 2
        or Decimal(payload["missed_assessment_rate"]) > 2
        or Decimal(payload["mass_recognition"]) < 90
        or payload["public_service_indicators_met"] < 19
    )
    return payload


_DERIVE: dict[str, Callable[[Case, Act, dict[str, Any]], dict[str, Any]]] = {
    "FiguresReported": _figures,
    "ExitApplicationSubmitted": _application,
    "ProvincialVerificationCompleted": _verification,
    "ThirdPartyEvaluationCompleted": _evaluation,
}
