"""Hand-made case facts for the rule tests: an honest case step by step, and small edits of it.

:func:`clean_steps` is one county's exit from CaseOpened to FollowUpPlanFiled with every date in
its window and every figure consistent; a test edits a copy (:func:`edit`, :func:`insert_after`,
:func:`without`, …) to plant exactly one problem, then :func:`build` turns the steps into
:class:`CaseFacts` the way the adapter would (seq, hash, signer, person, decision date).
A payload value :class:`Cite` ``("label")`` becomes the hash of the step with that label.
"""

from __future__ import annotations

import hashlib
import itertools
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from domain.catalogue import DECISION_DATE_FIELD
from projections.flags import CaseFacts, Event, Flag, Policy, Ref, evaluate

PROVINCE = "340000"
SOURCE_ROLE = {"county_self_report": "county_leading_group", "national_information_system": "provincial_office",
               "third_party": "third_party_evaluator", "department_inspection": "provincial_department"}
TYPE_ROLE = {
    "CaseOpened": "provincial_office", "VillageFiguresReported": "county_leading_group",
    "RectificationOpened": "county_leading_group", "RectificationCompleted": "county_leading_group",
    "ExitApplicationApproved": "county_party_government", "ExitApplicationSubmitted": "county_leading_group",
    "CityReviewCompleted": "city_leading_group", "CityReportApproved": "city_party_government",
    "CityReportSubmitted": "city_leading_group", "ProvincialVerificationCompleted": "provincial_office",
    "DepartmentInspectionCompleted": "provincial_department",
    "ThirdPartyEvaluationCompleted": "third_party_evaluator", "SpecialRectificationReported": "county_leading_group",
    "ExitReportFormed": "provincial_office", "PublicityOpened": "provincial_office",
    "ObjectionReceived": "provincial_office", "PublicityClosed": "provincial_office",
    "AuditOpinionSubmitted": "provincial_office", "NationalSpotCheckCompleted": "national_leading_group",
    "ExitApproved": "provincial_party_government", "ExitAnnounced": "provincial_party_government",
    "FollowUpPlanFiled": "county_leading_group",
}
PROVINCIAL_ACTORS = {"provincial_office": "ah-office", "provincial_department": "ah-dept",
                     "third_party_evaluator": "ah-eval", "provincial_party_government": "ah-gov",
                     "national_leading_group": "cn-lg"}


@dataclass(frozen=True)
class Cite:
    """A payload value standing for the hash of the step labelled ``label``."""

    label: str


@dataclass
class Step:
    type: str
    payload: dict[str, Any]
    label: str | None = None
    actor: str | None = None
    person: str | None = None
    role: str | None = None
    recorded_at: str | None = None


def figures(source: str, reported_on: str, as_of: str, rural: int, poor: int, *, total: int = 60,
            remaining: int = 0, incidence: str | None = None, **extra: Any) -> dict[str, Any]:
    """A FiguresReported payload; the incidence is poor / rural rounded to 2 decimals unless given."""
    return {"source": source, "reported_on": reported_on, "as_of": as_of, "rural_population": rural,
            "poor_population": poor, "poverty_incidence": incidence or f"{poor * 100 / rural:.2f}",
            "poor_villages_total": total, "poor_villages_remaining": remaining, **extra}


def village(county: str, n: int, households: int, poor_households: int, poor_population: int, *,
            income: str = "9200", exited: bool = True, as_of: str = "2019-10-31") -> Step:
    return Step("VillageFiguresReported", {
        "as_of": as_of, "village_code": f"{county}{100 + n // 100:03d}{200 + n % 100:03d}",
        "village_name": f"示例{n}村", "households": households, "poor_households": poor_households,
        "poor_population": poor_population, "per_capita_income": income, "exited": exited})


def clean_steps(county: str = "341122", year: int = 2019, tier: str = "national", *, rural: int = 480_000,
                poor: int = 5_280, total: int = 60, name: str = "示例县") -> list[Step]:
    """An honest case of ``county`` applying in ``year``, announced in ``year + 1``."""
    y, n = year, year + 1
    city = county[:4] + "00"
    steps = [
        Step("CaseOpened", {"county_code": county, "county_name": name, "city_code": city, "city_name": "示例市",
                            "tier": tier, "year": year, "opened_on": f"{y}-08-01"}),
        Step("RectificationOpened", {"opened_on": f"{y}-09-10", "item": "SC-01", "origin": "self_check",
                                     "description": "两个村饮水安全未达标", "due": f"{y}-11-15"}),
        Step("RectificationCompleted", {"item": "SC-01", "completed_on": f"{y}-11-05", "evidence": "水质检测报告"}),
        Step("FiguresReported", figures("county_self_report", f"{y}-11-25", f"{y}-10-31", rural, poor, total=total,
                                        income_growth="10.2", provincial_income_growth="8.9",
                                        public_service_indicators_met=19), label="county"),
        Step("ExitApplicationApproved", {"approved_on": f"{y}-12-06", "document": f"县发〔{y}〕41号"}),
        Step("ExitApplicationSubmitted", {"submitted_on": f"{y}-12-09", "document": f"县扶组〔{y}〕12号",
                                          "attestation": "本县对申报数据的真实性负责"}),
        Step("CityReviewCompleted", {"reviewed_on": f"{y}-12-18", "opinion": "pass"}),
        Step("CityReportApproved", {"approved_on": f"{y}-12-24", "document": f"市发〔{y}〕58号"}),
        Step("CityReportSubmitted", {"submitted_on": f"{y}-12-28", "document": f"市扶组〔{y}〕20号"}),
        Step("FiguresReported", figures("national_information_system", f"{n}-01-10", f"{y}-12-31", rural, poor + 4,
                                        total=total), label="verified"),
        Step("ProvincialVerificationCompleted", {"verified_on": f"{n}-01-18", "procedure_compliant": True,
                                                 "materials_complete": True}),
        Step("DepartmentInspectionCompleted", {"inspected_on": f"{n}-02-12", "department": "省统计局",
                                               "passed": True}),
        Step("ThirdPartyEvaluationCompleted", {
            "evaluated_on": f"{n}-03-06", "organisation": "示例大学评估中心", "sample_households": 1500,
            "wrongful_exit_rate": "0", "missed_assessment_rate": "0.45", "mass_recognition": "97.8",
            "public_service_indicators_met": 19}),
        Step("ExitReportFormed", {"formed_on": f"{n}-03-20", "meets_standard": True}),
        Step("PublicityOpened", {"opened_on": f"{n}-03-25", "closes_on": f"{n}-04-01", "media": "安徽日报"}),
        Step("PublicityClosed", {"closed_on": f"{n}-04-02", "objections": 0, "upheld": 0}),
        Step("AuditOpinionSubmitted", {"submitted_on": f"{n}-04-10", "opinion": "达到退出标准，建议批准退出"}),
        Step("NationalSpotCheckCompleted", {"checked_on": f"{n}-06-15", "passed": True}),
        Step("ExitApproved", {"approved_on": f"{n}-07-20", "document": f"皖政秘〔{n}〕160号"}),
        Step("ExitAnnounced", {"announced_on": f"{n}-07-25", "document": "安徽省人民政府公告"}),
        Step("FollowUpPlanFiled", {"filed_on": f"{n}-08-10", "support_plan": "后续帮扶计划",
                                   "consolidation_plan": "巩固提升方案"}),
    ]
    return steps if tier == "national" else without(steps, "NationalSpotCheckCompleted")


# -- edits ----------------------------------------------------------------------------------------
def find(steps: list[Step], type: str, nth: int = 0) -> Step:
    return [s for s in steps if s.type == type][nth]


def index(steps: list[Step], type: str, nth: int = 0) -> int:
    return steps.index(find(steps, type, nth))


def edit(steps: list[Step], type: str, nth: int = 0, /, **payload: Any) -> list[Step]:
    find(steps, type, nth).payload.update(payload)
    return steps


def without(steps: list[Step], *types: str) -> list[Step]:
    return [s for s in steps if s.type not in types]


def insert_after(steps: list[Step], type: str, *new: Step, nth: int = 0) -> list[Step]:
    at = index(steps, type, nth) + 1
    return steps[:at] + list(new) + steps[at:]


def insert_before(steps: list[Step], type: str, *new: Step, nth: int = 0) -> list[Step]:
    at = index(steps, type, nth)
    return steps[:at] + list(new) + steps[at:]


# -- facts ----------------------------------------------------------------------------------------
def actor_for(role: str, county: str) -> str:
    if role.startswith("county_"):
        return f"{county}-{'lg' if role == 'county_leading_group' else 'pg'}"
    if role.startswith("city_"):
        return f"{county[:4]}00-{'lg' if role == 'city_leading_group' else 'pg'}"
    return PROVINCIAL_ACTORS[role]


def role_for(step: Step) -> str:
    if step.type == "FiguresReported":
        return SOURCE_ROLE[step.payload["source"]]
    return TYPE_ROLE[step.type]


def build(steps: list[Step], seqs: Iterator[int] | None = None, registrations: dict[str, Ref] | None = None
          ) -> CaseFacts:
    """The facts of the case the steps record, seqs from ``seqs`` (1, 2, … by default); each
    event's ``registration`` is ``registrations[actor]`` when given."""
    seqs = seqs or itertools.count(1)
    opened = steps[0].payload
    assert steps[0].type == "CaseOpened"
    county, year = opened["county_code"], opened["year"]
    stream = f"case:{county}-{year}"
    labels: dict[str, str] = {}
    events = []
    for step in steps:
        seq = next(seqs)
        digest = hashlib.sha256(f"{stream}:{seq}".encode()).hexdigest()
        if step.label:
            labels[step.label] = digest
        payload = {k: labels[v.label] if isinstance(v, Cite) else v for k, v in step.payload.items()}
        role = step.role or role_for(step)
        actor = step.actor or actor_for(role, county)
        decided = payload.get(DECISION_DATE_FIELD.get(step.type, ""))
        recorded = step.recorded_at or f"{decided or f'{year}-08-01'}T08:00:00.000000Z"
        events.append(Event(seq=seq, hash=digest, stream=stream, type=step.type, actor=actor,
                            person=step.person or f"人-{actor}", role=role, recorded_at=recorded,
                            decided_on=date.fromisoformat(decided) if decided else None, payload=payload,
                            registration=(registrations or {}).get(actor)))
    return CaseFacts(stream=stream, county_code=county, city_code=opened["city_code"], tier=opened["tier"],
                     year=year, events=events, county_name=opened["county_name"])


def case(steps: list[Step] | None = None, **kwargs: Any) -> CaseFacts:
    """``build(steps or clean_steps(**kwargs))``."""
    return build(steps if steps is not None else clean_steps(**kwargs))


@dataclass
class Seqs:
    """One seq counter shared by the cases of a province."""

    counter: Iterator[int] = field(default_factory=lambda: itertools.count(1))

    def build(self, steps: list[Step]) -> CaseFacts:
        return build(steps, self.counter)


# -- running rules --------------------------------------------------------------------------------
def run(rule: str, *cases: CaseFacts, policy: Policy | None = None) -> list[Flag]:
    """The flags ``rule`` raises over ``cases``."""
    return evaluate(list(cases), policy or Policy(), rules=[rule])


def seqs(flag: Flag) -> list[int]:
    return [r.seq for r in flag.evidence]
