"""A stand-in for the ledger, a province of actors, and two cases walked step by step.

:class:`Book` does what the ledger does around :func:`domain.record`: it keeps each stream's
state, builds the :class:`Act`, and gives every event a record hash (here a counter, not a
digest), acknowledged to the aggregate and set on the event as ``ref`` for replay.
"""

from __future__ import annotations

import base64
from collections.abc import Iterable
from datetime import datetime, timedelta, timezone
from decimal import Decimal
from typing import Any, NamedTuple
from uuid import NAMESPACE_URL, uuid5

from domain import Act, Actor, ActorRegistry, Case, CaseRef, Stream, record

PROVINCE = "340000"
ORIGIN = "exitledger/0b6f7a8e-5a4c-4d1e-9f2b-3c4d5e6f7a8b"
AUTHORITY = "ledger-authority"
CASE = "case:341122-2019"
REJECTED = "case:341221-2019"
START = datetime(2019, 8, 1, 8, 0, tzinfo=timezone.utc)


def key(n: int) -> str:
    """A distinct, well-formed public key (32 raw bytes, base64)."""
    return base64.b64encode(bytes([n]) * 32).decode()


class Step(NamedTuple):
    type: str
    actor: str
    payload: dict[str, Any]
    stream: str = CASE


# actor id, role, jurisdiction; keys are key(1), key(2), … in this order (key(0) is the authority's)
PEOPLE: tuple[tuple[str, str, str], ...] = (
    ("ah-office", "provincial_office", PROVINCE),
    ("ah-dept", "provincial_department", PROVINCE),
    ("ah-eval", "third_party_evaluator", PROVINCE),
    ("ah-gov", "provincial_party_government", PROVINCE),
    ("cn-lg", "national_leading_group", "000000"),
    ("ah-cdi", "discipline_inspector", PROVINCE),
    ("341100-lg", "city_leading_group", "341100"),
    ("341100-pg", "city_party_government", "341100"),
    ("341122-lg", "county_leading_group", "341122"),
    ("341122-pg", "county_party_government", "341122"),
    ("341122-cdi", "discipline_inspector", "341122"),
    ("341200-lg", "city_leading_group", "341200"),
    ("341200-pg", "city_party_government", "341200"),
    ("341221-lg", "county_leading_group", "341221"),
    ("341221-pg", "county_party_government", "341221"),
    ("341221-cdi", "discipline_inspector", "341221"),
)


def genesis(**changes: Any) -> dict[str, Any]:
    return {"province_code": PROVINCE, "province_name": "安徽省", "origin": ORIGIN,
            "authority_actor": AUTHORITY, "authority_public_key": key(0), **changes}


def registration(actor: str, role: str, jurisdiction: str, n: int, **changes: Any) -> dict[str, Any]:
    return {"actor": actor, "name": f"{actor} office", "role": role, "jurisdiction": jurisdiction,
            "public_key": key(n), "person": f"person of {actor}", **changes}


def opening(county: str = "341122", city: str = "341100", **changes: Any) -> dict[str, Any]:
    return {"county_code": county, "county_name": "来安县", "city_code": city, "city_name": "滁州市",
            "tier": "national", "year": 2019, "opened_on": "2019-08-01", **changes}


def figures(source: str, incidence: str, **changes: Any) -> dict[str, Any]:
    return {"source": source, "reported_on": "2019-12-05", "as_of": "2019-11-30",
            "rural_population": 337000, "poor_population": 6302, "poverty_incidence": incidence,
            "poor_villages_total": 65, "poor_villages_remaining": 0, **changes}


def verification(**changes: Any) -> dict[str, Any]:
    return {"verified_on": "2020-01-20", "procedure_compliant": True, "materials_complete": True, **changes}


def evaluation(**changes: Any) -> dict[str, Any]:
    return {"evaluated_on": "2020-03-05", "organisation": "示例大学评估中心", "sample_households": 1620,
            "wrongful_exit_rate": "0", "missed_assessment_rate": "0.41", "mass_recognition": "97.6",
            "public_service_indicators_met": 19, **changes}


def national_case() -> list[Step]:
    """来安县 (341122), national-level: from CaseOpened to ExitAnnounced and FollowUpPlanFiled."""
    return [
        Step("CaseOpened", AUTHORITY, opening()),
        Step("RectificationOpened", "341122-lg", {
            "opened_on": "2019-09-01", "item": "SC-01", "origin": "self_check",
            "description": "两个村饮水安全未达标", "due": "2019-11-15"}),
        Step("RectificationCompleted", "341122-lg", {
            "item": "SC-01", "completed_on": "2019-11-10", "evidence": "水质检测报告"}),
        Step("VillageFiguresReported", "341122-lg", {
            "as_of": "2019-10-31", "village_code": "341122100201", "village_name": "示例一村",
            "households": 612, "poor_households": 9, "poor_population": 21,
            "per_capita_income": "9830.50", "exited": True}),
        Step("FiguresReported", "341122-lg", figures(
            "county_self_report", "1.87", income_growth="11.2", provincial_income_growth="8.9",
            public_service_indicators_met=19)),
        Step("ExitApplicationApproved", "341122-pg", {"approved_on": "2019-12-08", "document": "来发〔2019〕41号"}),
        Step("ExitApplicationSubmitted", "341122-lg", {
            "submitted_on": "2019-12-10", "document": "来扶组〔2019〕12号", "attestation": "本县对申报数据的真实性负责"}),
        Step("CityReviewCompleted", "341100-lg", {
            "reviewed_on": "2019-12-20", "opinion": "pass", "findings": ["逐项审核，符合退出条件"]}),
        Step("CityReportApproved", "341100-pg", {"approved_on": "2019-12-25", "document": "滁发〔2019〕58号"}),
        Step("CityReportSubmitted", "341100-lg", {"submitted_on": "2019-12-28", "document": "滁扶组〔2019〕20号"}),
        Step("FiguresReported", "ah-office", figures(
            "national_information_system", "1.80", reported_on="2020-01-12", as_of="2019-12-31")),
        Step("ProvincialVerificationCompleted", "ah-office", verification()),
        Step("DepartmentInspectionCompleted", "ah-dept", {
            "inspected_on": "2020-02-10", "department": "安徽省统计局", "passed": True}),
        Step("ThirdPartyEvaluationCompleted", "ah-eval", evaluation()),
        Step("ExitReportFormed", "ah-office", {"formed_on": "2020-03-20", "meets_standard": True}),
        Step("PublicityOpened", "ah-office", {"opened_on": "2020-03-25", "closes_on": "2020-04-01", "media": "安徽日报"}),
        Step("ObjectionReceived", "ah-office", {"received_on": "2020-03-28", "summary": "反映某村漏评一户"}),
        Step("PublicityClosed", "ah-office", {"closed_on": "2020-04-02", "objections": 1, "upheld": 0}),
        Step("AuditOpinionSubmitted", "ah-office", {"submitted_on": "2020-04-10", "opinion": "建议批准退出"}),
        Step("NationalSpotCheckCompleted", "cn-lg", {"checked_on": "2020-06-15", "passed": True}),
        Step("ExitApproved", "ah-gov", {"approved_on": "2020-07-20", "document": "皖政秘〔2020〕160号"}),
        Step("ExitAnnounced", "ah-gov", {"announced_on": "2020-07-25", "document": "安徽省人民政府公告"}),
        Step("FollowUpPlanFiled", "341122-lg", {
            "filed_on": "2020-08-10", "support_plan": "后续帮扶计划", "consolidation_plan": "巩固提升方案"}),
    ]


def rejected_case() -> list[Step]:
    """临泉县 (341221): reports 1.95, the information system shows 2.50 → verification rejects."""
    s = REJECTED
    return [
        Step("CaseOpened", "ah-office", opening("341221", "341200", county_name="临泉县", city_name="阜阳市"), s),
        Step("FiguresReported", "341221-lg", figures("county_self_report", "1.95"), s),
        Step("ExitApplicationSubmitted", "341221-lg", {
            "submitted_on": "2019-12-12", "document": "临扶组〔2019〕9号", "attestation": "真实"}, s),
        Step("CityReviewCompleted", "341200-lg", {"reviewed_on": "2019-12-20", "opinion": "pass"}, s),
        Step("CityReportSubmitted", "341200-lg", {"submitted_on": "2019-12-30", "document": "阜扶组〔2019〕33号"}, s),
        Step("FiguresReported", "ah-office", figures(
            "national_information_system", "2.50", reported_on="2020-01-14", as_of="2019-12-31"), s),
        Step("ProvincialVerificationCompleted", "ah-office", verification(verified_on="2020-01-21"), s),
    ]


def until(steps: list[Step], type: str, nth: int = 1) -> list[Step]:
    """The steps before the ``nth`` step of ``type``."""
    seen = 0
    for index, step in enumerate(steps):
        if step.type == type:
            seen += 1
            if seen == nth:
                return steps[:index]
    raise ValueError(f"no step {type} #{nth}")


def step(steps: list[Step], type: str, nth: int = 1) -> Step:
    return steps[len(until(steps, type, nth))]


def without(steps: list[Step], *types: str) -> list[Step]:
    return [s for s in steps if s.type not in types]


class Book:
    """Streams, their events and record hashes, as the ledger would keep them."""

    def __init__(self, incidence_limit: Decimal | None = None) -> None:
        self.streams: dict[str, Stream] = {}
        self.events: dict[str, list[Stream.Event]] = {}
        self.hashes: set[str] = set()
        self.clock = START
        self.incidence_limit = incidence_limit

    @property
    def registry(self) -> ActorRegistry:
        registry = self.streams["actors"]
        assert isinstance(registry, ActorRegistry)
        return registry

    def case(self, stream: str = CASE) -> Case:
        case = self.streams[stream]
        assert isinstance(case, Case)
        return case

    def actor(self, actor_id: str) -> Actor:
        actor = self.registry.actor(actor_id)
        assert actor is not None, actor_id
        return actor

    def find_case(self, stream: str) -> CaseRef | None:
        case = self.streams.get(stream)
        return case.as_case_ref() if isinstance(case, Case) else None

    def act(self, actor: Actor | str) -> Act:
        self.clock += timedelta(hours=1)
        if isinstance(actor, str):
            actor = self.actor(actor)
        registry = self.streams.get("actors")
        limit = self.incidence_limit or (
            registry.incidence_limit if isinstance(registry, ActorRegistry) else Decimal("2"))
        return Act(
            actor=actor,
            recorded_at=self.clock,
            incidence_limit=limit,
            province_code=PROVINCE,
            known_event=self.hashes.__contains__,
            find_actor=lambda a: self.registry.actor(a),
            find_case=self.find_case,
        )

    def record(self, stream: str, type: str, actor: Actor | str, payload: dict[str, Any]) -> Stream.Event:
        aggregate, event = record(
            stream=stream, aggregate=self.streams.get(stream), type=type, act=self.act(actor),
            payload=payload, id=uuid5(NAMESPACE_URL, stream),
        )
        ref = f"{len(self.hashes) + 1:064x}"
        aggregate.acknowledge(event.originator_version, ref)
        object.__setattr__(event, "ref", ref)
        self.hashes.add(ref)
        self.streams[stream] = aggregate
        self.events.setdefault(stream, []).append(event)
        return event

    def do(self, step: Step) -> Stream.Event:
        return self.record(step.stream, step.type, step.actor, step.payload)

    def walk(self, steps: Iterable[Step]) -> Book:
        for each in steps:
            self.do(each)
        return self

    def ref(self, stream: str, version: int) -> str:
        return str(self.events[stream][version - 1].__dict__["ref"])


def authority() -> Actor:
    return Actor(id=AUTHORITY, name="安徽省 ledger authority", role="ledger_authority",
                 jurisdiction=PROVINCE, public_key=key(0))


def province(incidence_limit: str | None = None) -> Book:
    """A ledger with its genesis and every actor of :data:`PEOPLE` registered."""
    book = Book()
    extra = {"incidence_limit": incidence_limit} if incidence_limit else {}
    book.record("actors", "LedgerInitialised", authority(), genesis(**extra))
    for n, (actor, role, jurisdiction) in enumerate(PEOPLE, start=1):
        book.record("actors", "ActorRegistered", AUTHORITY, registration(actor, role, jurisdiction, n))
    return book


def replay(events: Iterable[Stream.Event]) -> Stream | None:
    """The state rebuilt from stored events alone, as a projector does."""
    aggregate: Stream | None = None
    for event in events:
        aggregate = event.mutate(aggregate)
    return aggregate


def state(aggregate: Stream | None) -> dict[str, Any]:
    values = dict(vars(aggregate))
    values.pop("_pending_events", None)
    return values


