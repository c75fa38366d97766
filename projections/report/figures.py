"""Each figure of one case over time, by source, with its thresholds and its revisions.

Points come from the case's FiguresReported (county self-report, national information system,
third party, department inspection) and from ThirdPartyEvaluationCompleted (the survey's rates:
mass recognition, wrongful exit, missed assessment, and its count of public-service indicators,
under source ``third_party``). A point's ``date`` is the day the figure was *reported* (the
report's ``reported_on``, the evaluation's ``evaluated_on``), so a revision, which restates the
same ``as_of``, stands beside the report it revises instead of on top of it.

Thresholds are those of the exit standard as the policy holds them: incidence at most the
ledger's ``incidence_limit``; mass recognition at least ``recognition_min`` (90 %); wrongful
exits and missed assessments at most 2 %; all ``indicators_min`` public-service indicators met.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from projections.flags import CaseFacts, Policy
from projections.flags.facts import SOURCES, Event, Report

SOURCE_LABELS: dict[str, str] = {
    "county_self_report": "county self-report",
    "national_information_system": "national information system",
    "third_party": "third party",
    "department_inspection": "department inspection",
}

# (indicator, label, unit); the order the report shows them in
INDICATORS: tuple[tuple[str, str, str], ...] = (
    ("poverty_incidence", "Poverty incidence", "%"),
    ("mass_recognition", "Mass recognition (survey)", "%"),
    ("wrongful_exit_rate", "Wrongful exit rate (survey)", "%"),
    ("missed_assessment_rate", "Missed assessment rate (survey)", "%"),
    ("poor_population", "Poor population", "people"),
    ("rural_population", "Rural population", "people"),
    ("poor_villages_remaining", "Poor villages remaining", "villages"),
    ("poor_villages_total", "Poor villages (total)", "villages"),
    ("income_growth", "Rural income growth", "%"),
    ("provincial_income_growth", "Provincial income growth", "%"),
    ("public_service_indicators_met", "Public-service indicators met", "of 19"),
)
_REPORTED = ("poverty_incidence", "poor_population", "rural_population", "poor_villages_remaining",
             "poor_villages_total", "income_growth", "provincial_income_growth", "public_service_indicators_met")
_SURVEYED = ("mass_recognition", "wrongful_exit_rate", "missed_assessment_rate", "public_service_indicators_met")


def thresholds(indicator: str, policy: Policy) -> list[dict[str, Any]]:
    """The exit standard's lines for ``indicator``: ``{"value", "text", "kind" (max|min), "label"}``."""
    def line(value: Decimal | int, kind: str, label: str) -> dict[str, Any]:
        return {"value": float(value), "text": str(value), "kind": kind, "label": label}

    if indicator == "poverty_incidence":
        return [line(policy.incidence_limit, "max", f"exit limit {policy.incidence_limit}%")]
    if indicator == "mass_recognition":
        return [line(policy.recognition_min, "min", f"minimum {policy.recognition_min}%")]
    if indicator == "wrongful_exit_rate":
        return [line(policy.wrongful_exit_max, "max", f"maximum {policy.wrongful_exit_max}%")]
    if indicator == "missed_assessment_rate":
        return [line(policy.missed_max, "max", f"maximum {policy.missed_max}%")]
    if indicator == "public_service_indicators_met":
        return [line(policy.indicators_min, "min", f"all {policy.indicators_min} met")]
    return []


def _number(value: Any) -> tuple[float, str] | None:
    if isinstance(value, bool) or value is None:
        return None
    if isinstance(value, Decimal | int):
        return float(value), str(value)
    return None


def _point(event: Event, when: Any, value: tuple[float, str], source: str, as_of: Any,
           revises: str | None, revised_by: str | None) -> dict[str, Any]:
    day = when.isoformat() if when is not None else event.recorded_at[:10]
    return {"date": day, "value": value[0], "text": value[1], "source": source, "seq": event.seq,
            "hash": event.hash, "as_of": as_of.isoformat() if as_of is not None else None,
            "revises": revises, "revised_by": revised_by}


def figure_points(case: CaseFacts) -> dict[str, list[dict[str, Any]]]:
    """Every point of every indicator, in seq order: ``{indicator: [point, …]}``.

    A point is ``{"date", "value" (float), "text" (as signed), "source", "seq", "hash", "as_of",
    "revises" (hash of the report it revises), "revised_by" (hash of the first report revising it)}``.
    """
    revised_by: dict[str, str] = {}
    revises: dict[str, str] = {}
    for old, new in case.revisions():
        revised_by.setdefault(old.event.hash, new.event.hash)
        revises[new.event.hash] = old.event.hash
    points: dict[str, list[dict[str, Any]]] = {name: [] for name, _, _ in INDICATORS}
    for event in case.events:
        if event.type == "FiguresReported":
            report = Report.of(event)
            if report is None:
                continue
            for name in _REPORTED:
                value = _number(getattr(report, name))
                if value is not None:
                    points[name].append(_point(event, report.reported_on, value, report.source, report.as_of,
                                               revises.get(event.hash), revised_by.get(event.hash)))
        elif event.type == "ThirdPartyEvaluationCompleted":
            for name in _SURVEYED:
                raw = event.count(name) if name == "public_service_indicators_met" else event.decimal(name)
                value = _number(raw)
                if value is not None:
                    points[name].append(_point(event, event.date("evaluated_on"), value, "third_party", None,
                                               None, None))
    return points


def figure_charts(case: CaseFacts, policy: Policy) -> list[dict[str, Any]]:
    """One chart per indicator that has a point, in :data:`INDICATORS` order.

    A chart is ``{"indicator", "label", "unit", "thresholds", "series": [{"source", "label",
    "points"}] (sources in SPEC order), "revisions": [{"from": point, "to": point, "changed"}]}``;
    a revision joins the revised report's point to the revising one's on this indicator, and
    ``changed`` says whether this figure moved.
    """
    everything = figure_points(case)
    out = []
    for name, label, unit in INDICATORS:
        points = everything[name]
        if not points:
            continue
        by_hash = {p["hash"]: p for p in points}
        series = [{"source": s, "label": SOURCE_LABELS.get(s, s), "points": [p for p in points if p["source"] == s]}
                  for s in (*SOURCES, *sorted({p["source"] for p in points} - set(SOURCES)))]
        revisions = [{"from": by_hash[p["revises"]], "to": p, "changed": by_hash[p["revises"]]["text"] != p["text"]}
                     for p in points if p["revises"] in by_hash]
        out.append({"indicator": name, "label": label, "unit": unit, "thresholds": thresholds(name, policy),
                    "series": [s for s in series if s["points"]], "revisions": revisions})
    return out


def date_span(charts: list[dict[str, Any]]) -> tuple[str, str] | None:
    """The first and last date of any point of ``charts`` (so the charts share one time axis)."""
    days = [p["date"] for c in charts for s in c["series"] for p in s["points"]]
    return (min(days), max(days)) if days else None
