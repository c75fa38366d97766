"""Random VALID case histories for the read models' property test, and the replay they must equal.

:func:`history_steps` draws one step at a time from what the ``Case`` aggregate allows next
(``domain.process.check_order``), mostly the process's natural next step and sometimes any
allowed one, with payloads that reach every verification decision, failed thresholds,
revisions and late dates. :func:`check_against_replay` compares the read models with a replay
of the same streams: the aggregates (``ledger.load``), the log (``ledger.history``) and
:func:`reference_stage`, a naive oracle written apart from ``projections.stages``.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from hypothesis import event
from hypothesis import strategies as st

from domain import Case
from domain.base import OutOfOrder
from domain.catalogue import STREAM_KINDS
from domain.process import check_order
from ledger.app import ACTORS, Entry
from ledger.keys import b64
from projections import Views, queries
from projections.figures import KINDS
from tests.builders import Province, signer_for

Step = tuple[str, str, str, dict[str, Any]]  # stream, type, actor, payload
CASE_TYPES = [t for t in STREAM_KINDS["case"] if t != "CaseOpened"]
OFFICE, DEPT, EVAL, GOV, NATION = "ah-office", "ah-dept-stats", "ah-eval", "ah-gov", "cn-lg"


@dataclass
class Cases:
    """A province shared by the examples; each example adds fresh counties and their cases."""

    p: Province
    views: Views
    examples: int = 0
    cities: set[str] = field(default_factory=set)
    streams: dict[str, dict[str, Any]] = field(default_factory=dict)  # this example's cases
    types: dict[str, list[str]] = field(default_factory=dict)

    def start_example(self) -> None:
        n = self.examples
        self.examples += 1
        city = f"34{20 + (n // 45) % 79:02d}00"
        entries = []
        people = [(f"{city}-lg", "city_leading_group", city), (f"{city}-pg", "city_party_government", city)]
        if city in self.cities:
            people = []
        self.cities.add(city)
        self.streams = {}
        for k in (0, 1):
            county = f"{city[:4]}{1 + (2 * n + k) % 90:02d}"
            people += [(f"{county}-lg", "county_leading_group", county), (f"{county}-pg", "county_party_government", county)]
            self.streams[f"case:{county}-{2016 + (n + k) % 5}"] = {"county": county, "city": city}
        for actor, role, code in people:
            self.p.signers[actor] = signer_for(actor)
            entries.append(self.p.entry(ACTORS, "ActorRegistered", "ledger-authority", {
                "actor": actor, "name": f"{actor} 组", "role": role, "jurisdiction": code,
                "public_key": b64(self.p.signers[actor].public_raw), "person": f"人{actor}"}))
        for extra in (OFFICE, DEPT, EVAL, GOV, NATION):
            self.p.signers.setdefault(extra, signer_for(extra))
        if entries:
            self.p.app.append(entries)

    def record(self, step: Step) -> None:
        stream, type_, actor, payload = step
        self.p.app.append([Entry(stream, type_, actor, payload, self.p.signers[actor])])
        self.types.setdefault(stream, []).append(type_)


def _allowed(case: Case | None) -> list[str]:
    if case is None:
        return ["CaseOpened"]
    out = []
    for type_ in CASE_TYPES:
        try:
            check_order(case, type_)
        except OutOfOrder:
            continue
        if type_ == "ProvincialVerificationCompleted" and not case.figures.get("national_information_system"):
            continue
        out.append(type_)
    return out


def _natural_next(case: Case, types: list[str]) -> str:
    if case.outcome == "announced":
        return "FollowUpPlanFiled"
    if not case.application_submitted:
        return "ExitApplicationSubmitted"
    if case.city_opinion != "pass":
        return "CityReviewCompleted"
    if not case.city_report_submitted:
        return "CityReportSubmitted"
    if case.last_decision != "proceed":
        return "FiguresReported" if types[-1] != "FiguresReported" else "ProvincialVerificationCompleted"
    if not case.inspected:
        return "DepartmentInspectionCompleted"
    if not case.evaluated:
        return "ThirdPartyEvaluationCompleted"
    if not case.report_meets_standard:
        return "ExitReportFormed"
    if not case.publicity_closed:
        return "PublicityOpened" if types[-1] != "PublicityOpened" else "PublicityClosed"
    if not case.audit_submitted:
        return "AuditOpinionSubmitted"
    if case.tier == "national" and not case.spot_checked:
        return "NationalSpotCheckCompleted"
    return "ExitApproved" if not case.exit_approved else "ExitAnnounced"


def history_steps(data: st.DataObject, cases: Cases, most: int = 48) -> Iterator[Step]:
    """Up to ``most`` valid steps over this example's cases, each drawn after the last is recorded."""
    streams = list(cases.streams)
    for _ in range(data.draw(st.integers(1, most), label="steps")):
        stream = data.draw(st.sampled_from(streams), label="stream")
        case = cases.p.app.load(stream)
        allowed = _allowed(case)  # type: ignore[arg-type]
        if not allowed:
            continue
        natural = _natural_next(case, cases.types[stream]) if case is not None else "CaseOpened"  # type: ignore[arg-type]
        if natural in allowed and data.draw(st.integers(0, 5), label="natural") > 0:
            type_ = natural
        else:
            type_ = data.draw(st.sampled_from(allowed), label="type")
        yield _step(data, cases, stream, type_, natural_source=type_ == natural)


def _step(data: st.DataObject, cases: Cases, stream: str, type_: str, *, natural_source: bool) -> Step:
    where = cases.streams[stream]
    county, city, year = where["county"], where["city"], int(stream[-4:])
    draw = data.draw
    day = draw(st.sampled_from([f"{year}-11-20", f"{year}-12-14", f"{year}-12-20", f"{year + 1}-01-15",
                                f"{year + 1}-04-20", f"{year + 1}-05-20", f"{year + 1}-08-10"]), label="date")
    lg, pg, city_lg, city_pg = f"{county}-lg", f"{county}-pg", f"{city}-lg", f"{city}-pg"
    flag = lambda label, weight=3: draw(st.integers(0, weight), label=label) > 0  # noqa: E731 — mostly True
    if type_ == "CaseOpened":
        tier = draw(st.sampled_from(["national", "provincial"]), label="tier")
        return stream, type_, OFFICE, {"county_code": county, "county_name": f"{county}县", "city_code": city,
                                       "city_name": f"{city}市", "tier": tier, "year": year, "opened_on": day}
    if type_ == "FiguresReported":
        source = "national_information_system" if natural_source else draw(st.sampled_from(
            ["county_self_report", "national_information_system", "third_party", "department_inspection"]))
        actor = {"county_self_report": lg, "national_information_system": OFFICE, "third_party": EVAL,
                 "department_inspection": DEPT}[source]
        incidence = draw(st.sampled_from(["1.20", "1.99", "2.00", "2.01", "2.50"]), label="incidence")
        return stream, type_, actor, {
            "source": source, "reported_on": day, "as_of": draw(st.sampled_from([f"{year}-10-31", f"{year}-12-31"])),
            "rural_population": 100000, "poor_population": int(float(incidence) * 1000),
            "poverty_incidence": incidence, "poor_villages_total": 12, "poor_villages_remaining": draw(st.integers(0, 2))}
    simple: dict[str, tuple[str, dict[str, Any]]] = {
        "VillageFiguresReported": (lg, {
            "as_of": draw(st.sampled_from([f"{year}-10-31", f"{year}-11-30"])),
            "village_code": f"{county}{draw(st.sampled_from(['101201', '102203']))}", "village_name": "示例村",
            "households": 500, "poor_households": draw(st.integers(0, 9)), "poor_population": 20,
            "per_capita_income": "9830.5", "exited": flag("exited")}),
        "RectificationOpened": (lg, {"opened_on": day, "item": draw(st.sampled_from("AB")), "origin": "self_check",
                                     "description": "整改"}),
        "RectificationCompleted": (lg, {"item": draw(st.sampled_from("ABC")), "completed_on": day, "evidence": "证明"}),
        "ExitApplicationApproved": (pg, {"approved_on": day, "document": "批复"}),
        "ExitApplicationSubmitted": (lg, {"submitted_on": day, "document": "申请", "attestation": "负责"}),
        "CityReviewCompleted": (city_lg, {"reviewed_on": day, "opinion": "pass" if flag("pass") else "fail"}),
        "CityReportApproved": (city_pg, {"approved_on": day, "document": "批复"}),
        "CityReportSubmitted": (city_lg, {"submitted_on": day, "document": "报告"}),
        "ProvincialVerificationCompleted": (OFFICE, {"verified_on": day, "procedure_compliant": flag("compliant", 4),
                                                     "materials_complete": flag("complete", 4)}),
        "DepartmentInspectionCompleted": (DEPT, {"inspected_on": day, "department": "统计局", "passed": flag("passed")}),
        "ThirdPartyEvaluationCompleted": (EVAL, {
            "evaluated_on": day, "organisation": "评估中心", "sample_households": 300,
            "wrongful_exit_rate": "0.5" if flag("wrongful") else "2.5", "missed_assessment_rate": "0.4",
            "mass_recognition": "95", "public_service_indicators_met": 19 if flag("services") else 17}),
        "SpecialRectificationReported": (lg, {"reported_on": day, "result": "完成"}),
        "ExitReportFormed": (OFFICE, {"formed_on": day, "meets_standard": flag("meets", 5)}),
        "PublicityOpened": (OFFICE, {"opened_on": day, "closes_on": day, "media": "日报"}),
        "ObjectionReceived": (OFFICE, {"received_on": day, "summary": "异议"}),
        "PublicityClosed": (OFFICE, {"closed_on": day, "objections": 1, "upheld": 0}),
        "AuditOpinionSubmitted": (OFFICE, {"submitted_on": day, "opinion": "建议退出"}),
        "NationalSpotCheckCompleted": (NATION, {"checked_on": day, "passed": flag("spot")}),
        "ExitApproved": (GOV, {"approved_on": day, "document": "批复"}),
        "ExitAnnounced": (GOV, {"announced_on": day, "document": "公告"}),
        "FollowUpPlanFiled": (lg, {"filed_on": day, "support_plan": "帮扶", "consolidation_plan": "巩固"}),
    }
    actor, payload = simple[type_]
    return stream, type_, actor, payload


# -- the oracle -------------------------------------------------------------------------------
def reference_stage(history: list[dict[str, Any]], tier: str) -> str:
    """The stage, written as a plain walk over the replayed events (independent of the module)."""
    stage = "opened"
    for e in history:
        if stage in ("rejected", "announced"):
            break
        kind, p = e["type"], e["payload"]
        if kind == "ProvincialVerificationCompleted":
            stage = {"rectify": "rectification", "supplement": "rectification", "proceed": "evaluation",
                     "reject": "rejected"}[p["decision"]]
        elif kind == "FiguresReported":
            if p["source"] == "national_information_system" and stage in ("submitted_to_province", "rectification"):
                stage = "under_verification"
        elif kind == "AuditOpinionSubmitted":
            stage = "spot_check" if tier == "national" else "awaiting_approval"
        elif kind in ("DepartmentInspectionCompleted", "ThirdPartyEvaluationCompleted"):
            stage = "evaluation"
        elif kind in ("PublicityOpened", "PublicityClosed"):
            stage = "publicity"
        else:
            stage = {"CaseOpened": "opened", "ExitApplicationSubmitted": "applied", "CityReviewCompleted": "city_reviewed",
                     "CityReportSubmitted": "submitted_to_province", "ExitReportFormed": "reported",
                     "NationalSpotCheckCompleted": "spot_check", "ExitApproved": "approved",
                     "ExitAnnounced": "announced"}.get(kind, stage)
    return stage


def check_against_replay(cases: Cases) -> None:
    app, engine = cases.p.app, cases.views.engine
    registry = app.registry()
    status = {r["stream"]: r for r in queries.case_status(engine)}
    for stream in cases.streams:
        case = app.load(stream)
        if case is None:
            assert stream not in status
            continue
        assert isinstance(case, Case)
        history = app.history(stream)
        row = status[stream]
        assert (row["county_code"], row["county_name"], row["city_code"], row["city_name"], row["tier"],
                row["year"]) == (case.county_code, case.county_name, case.city_code, case.city_name, case.tier,
                                 case.year)
        assert (row["outcome"], row["verification_decision"], row["version"]) == (
            case.outcome, case.last_decision, case.version)
        assert (row["special_rectification_required"], row["special_rectification_reported"]) == (
            case.special_rectification_required, case.special_rectification_reported)
        assert row["stage"] == reference_stage(history, case.tier)
        event(f"stage {row['stage']}")
        assert (row["stage"] == "rejected") == (case.outcome == "rejected")
        assert (row["stage"] == "announced") == (case.outcome == "announced")
        assert (row["publicity"] == "closed") <= case.publicity_closed
        assert (row["last_event"], row["last_seq"]) == (history[-1]["type"], history[-1]["seq"])
        open_items: list[str] = []
        for e in history:
            item = e["payload"].get("item")
            if e["type"] == "RectificationOpened" and item not in open_items:
                open_items.append(item)
            elif e["type"] == "RectificationCompleted" and item in open_items:
                open_items.remove(item)
        assert row["open_items"] == open_items
        _check_figures(engine, stream, history)
        _check_trails(engine, stream, history, registry)


def _check_figures(engine: Any, stream: str, history: list[dict[str, Any]]) -> None:
    rows = queries.figures(engine, stream, villages=True)
    expected = []
    latest: dict[tuple[str, str], str] = {}
    for e in history:
        p = e["payload"]
        if e["type"] == "FiguresReported":
            revises = p.get("revises")
        elif e["type"] == "VillageFiguresReported":
            key = (p["village_code"], p["as_of"])
            revises, latest[key] = latest.get(key), e["hash"]
        else:
            continue
        source = p.get("source", "county_self_report")
        expected += [(e["seq"], name, p[name], source, e["actor"], e["person"], revises) for name in KINDS if name in p]
    got = [(r["seq"], r["indicator"], r["value"], r["source"], r["actor"], r["person"], r["revises"]) for r in rows]
    assert sorted(got) == sorted(expected)


def _check_trails(engine: Any, stream: str, history: list[dict[str, Any]], registry: Any) -> None:
    trail = {(r["seq"], r["type"], r["stream"], r["person"], r["role"], r["hash"])
             for e in history for r in queries.actor_trail(engine, e["actor"]) if r["stream"] == stream}
    assert trail == {(e["seq"], e["type"], stream, e["person"], registry.actor(e["actor"]).role, e["hash"])
                     for e in history}
    timeline = queries.timeline(engine, stream)
    assert [(r["seq"], r["type"], r["decided_on"], r["recorded_at"]) for r in timeline] == [
        (e["seq"], e["type"], e["decided_on"], e["recorded_at"]) for e in history]
    for r in timeline:
        if r["deadline"] and r["decided_on"]:
            assert (r["status"] == "late") == (r["decided_on"] > r["deadline"])
