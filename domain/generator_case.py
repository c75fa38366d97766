"""One county's exit case of the demo province, step by step (see :mod:`domain.generator`)."""

from __future__ import annotations

import math
import random
from datetime import date, timedelta
from typing import Any

from domain.scenario import Step

from domain.generator_common import (
    OFFICE,
    GOVERNMENT,
    NATION_LG,
    DEPARTMENTS,
    EVALUATORS,
    PROVINCIAL_INCOME_GROWTH,
    DEFAULT_PROVINCIAL_GROWTH,
    MISMATCH,
    HUGGING,
    REVISION,
    NO_SPOT_CHECK,
    OVERRIDDEN,
    PERFECT,
    FABRICATED,
    LATE_APPLICATION,
    SPECIAL_RECTIFIED,
    OBJECTION_RESOLVED,
    CountyRow,
    _SELF_CHECK_ITEMS,
    _EVIDENCE,
    _short,
    _pct,
    _poor_for,
    _growth,
    _Dates,
)
from domain.generator_villages import (
    _clean_villages,
    _fabricated_villages,
)

# -- one case ---------------------------------------------------------------------------------------------


class _Case:
    """The steps of one case, in order; dates never go backwards."""

    def __init__(self, row: CountyRow, rng: random.Random, kind: str | None, villages: int, evaluator: int,
                 department: int) -> None:
        self.row, self.rng, self.kind, self.n_villages = row, rng, kind, villages
        self.evaluator, self.department = EVALUATORS[evaluator], DEPARTMENTS[department]
        self.dates = _Dates(row.exit_year, rng)
        self.steps: list[Step] = []
        self.stream = row.stream
        self.lg, self.pg = f"{row.county_code}-lg", f"{row.county_code}-pg"
        self.city_lg, self.city_pg = f"{row.city_code}-lg", f"{row.city_code}-pg"
        self.village_rows: list[dict[str, Any]] = []
        self.last = date(row.exit_year, 1, 1)

    def add(self, on: date, type: str, actor: str, payload: dict[str, Any]) -> None:
        assert on >= self.last, (self.stream, type, on, self.last)
        self.last = on
        self.steps.append(Step(on.isoformat(), self.stream, type, actor, payload))

    def doc(self, who: str, kind: str) -> str:
        return f"{who[0]}{kind}〔{self.dates.year}〕{self.rng.randint(11, 97)}号"

    def figures(self, on: date, source: str, actor: str, as_of: str, rural: int, poor: int, *,
                remaining: int = 0, **extra: Any) -> None:
        self.add(on, "FiguresReported", actor, {
            "source": source, "reported_on": on.isoformat(), "as_of": as_of, "rural_population": rural,
            "poor_population": poor, "poverty_incidence": _pct(poor, rural),
            "poor_villages_total": self.n_villages, "poor_villages_remaining": remaining, **extra})

    def build(self) -> list[Step]:
        row, rng, kind, dt = self.row, self.rng, self.kind, self.dates
        county, city = _short(row.county_name), _short(row.city_name)
        y = dt.year
        opened = dt.after(dt.d(0, 8, 1), 0, 20)
        self.add(opened, "CaseOpened", OFFICE, {
            "county_code": row.county_code, "county_name": row.county_name, "city_code": row.city_code,
            "city_name": row.city_name, "tier": row.tier, "year": y, "opened_on": opened.isoformat()})

        if kind != REVISION and rng.random() < 0.6:  # self-check and rectification
            opened_sc = dt.after(dt.d(0, 9, 1), 0, 25)
            items = rng.sample(range(len(_SELF_CHECK_ITEMS)), rng.randint(1, 2))
            for k, item in enumerate(items, start=1):
                self.add(opened_sc, "RectificationOpened", self.lg, {
                    "opened_on": opened_sc.isoformat(), "item": f"SC-{k:02d}", "origin": "self_check",
                    "description": _SELF_CHECK_ITEMS[item], "due": dt.d(0, 11, 15).isoformat()})
            done = opened_sc
            for k, _ in enumerate(items, start=1):
                done = dt.after(max(done, dt.d(0, 10, 5)), 0, 20, cap=dt.d(0, 11, 2))
                self.add(done, "RectificationCompleted", self.lg, {
                    "item": f"SC-{k:02d}", "completed_on": done.isoformat(),
                    "evidence": f"{rng.choice(_EVIDENCE)} {county}扶办〔{y}〕{rng.randint(11, 97)}号"})

        as_of = dt.d(0, 10, 31).isoformat()
        make = _fabricated_villages if kind == FABRICATED else _clean_villages
        self.village_rows = make(rng, row.county_code, self.n_villages, y, as_of)
        village_day = dt.after(dt.d(0, 11, 3), 0, 12)
        for payload in self.village_rows:
            self.add(village_day, "VillageFiguresReported", self.lg, payload)

        # the county's figures
        province_growth = PROVINCIAL_INCOME_GROWTH.get(y, DEFAULT_PROVINCIAL_GROWTH)
        village_poor = sum(v["poor_population"] for v in self.village_rows)
        incidence = {MISMATCH: 1.95, HUGGING: 1.98}.get(kind or "", rng.triangular(0.35, 1.6, 0.95))
        rural = int(math.exp(rng.uniform(math.log(230_000), math.log(1_450_000))))
        rural = max(rural, math.ceil(village_poor * 1.25 * 100 / incidence) + rng.randint(0, 9_999))
        poor = _poor_for(rural, "1.95") if kind == MISMATCH else _poor_for(rural, "1.98") if kind == HUGGING else (
            round(rural * incidence / 100))
        above = 0.2 if kind == HUGGING else -rng.uniform(0.2, 0.6) if kind == REVISION else rng.uniform(0.8, 3.6)
        growth = _growth(float(province_growth) + above)
        reported = dt.after(village_day, 3, 20, cap=dt.d(0, 12, 6))
        self.figures(reported, "county_self_report", self.lg, as_of, rural, poor, income_growth=growth,
                     provincial_income_growth=province_growth,
                     public_service_indicators_met=17 if kind == REVISION else 19)

        # application and the city's review
        if kind == LATE_APPLICATION:
            approved = dt.after(dt.d(0, 12, 10), 0, 2)
            submitted = dt.after(dt.d(0, 12, 19), 0, 2)
            reviewed = dt.after(submitted, 2, 3)
        else:
            approved = dt.after(max(reported + timedelta(days=1), dt.d(0, 12, 1)), 0, 5, cap=dt.d(0, 12, 10))
            submitted = dt.after(approved, 1, 3)
            reviewed = dt.after(submitted, 2, 6)
        self.add(approved, "ExitApplicationApproved", self.pg,
                 {"approved_on": approved.isoformat(), "document": self.doc(county, "发")})
        self.add(submitted, "ExitApplicationSubmitted", self.lg, {
            "submitted_on": submitted.isoformat(), "document": self.doc(county, "扶组"),
            "attestation": f"{row.county_name}扶贫开发领导小组对申报数据的真实性、准确性负责"})
        self.add(reviewed, "CityReviewCompleted", self.city_lg, {
            "reviewed_on": reviewed.isoformat(), "opinion": "pass", "findings": ["逐项审核，符合贫困县退出条件"]})
        city_from = reviewed
        if kind == REVISION:  # improved after submission, with nothing rectified in between
            revised = reviewed + timedelta(days=1)
            self.figures(revised, "county_self_report", self.lg, as_of, rural, poor,
                         income_growth=_growth(float(province_growth) + rng.uniform(1.2, 2.5)),
                         provincial_income_growth=province_growth, public_service_indicators_met=19,
                         note="更正农村居民人均可支配收入增幅和基本公共服务指标")
            city_from = revised
        city_approved = dt.after(city_from, 1, 3)
        self.add(city_approved, "CityReportApproved", self.city_pg,
                 {"approved_on": city_approved.isoformat(), "document": self.doc(city, "发")})
        city_submitted = dt.after(city_approved, 1, 3, cap=dt.d(0, 12, 30))
        self.add(city_submitted, "CityReportSubmitted", self.city_lg,
                 {"submitted_on": city_submitted.isoformat(), "document": self.doc(city, "扶组")})

        # verification against the national information system
        year_end = dt.d(0, 12, 31).isoformat()
        system_day = dt.after(dt.d(1, 1, 3), 0, 16)
        if kind == MISMATCH:
            self.figures(system_day, "national_information_system", OFFICE, year_end, rural,
                         _poor_for(rural, "2.50"), remaining=min(3, self.n_villages))
        else:
            low, high = (-0.004, -0.001) if kind == HUGGING else (-0.004, 0.004)
            self.figures(system_day, "national_information_system", OFFICE, year_end, rural,
                         max(village_poor, round(poor * (1 + rng.uniform(low, high)))))
        verified = dt.after(system_day, 2, 10)
        self.add(verified, "ProvincialVerificationCompleted", OFFICE, {
            "verified_on": verified.isoformat(), "procedure_compliant": True, "materials_complete": True})
        if kind == MISMATCH:
            return self.steps  # the verified incidence is above 2 %: rejected, nothing follows

        inspected = dt.after(verified, 7, 30)
        department, evaluator = self.department, self.evaluator
        evaluated = dt.after(verified, 14, 45)
        first, second = sorted([("inspection", inspected), ("evaluation", evaluated)], key=lambda p: p[1])
        for what, on in (first, second):
            if what == "inspection":
                self.add(on, "DepartmentInspectionCompleted", department[0], {
                    "inspected_on": on.isoformat(), "department": department[1], "passed": True})
            else:
                self.evaluation(on, evaluator, rural, poor, year_end, village_poor)
        ready = max(inspected, evaluated)

        if kind == SPECIAL_RECTIFIED:
            item_open = ready + timedelta(days=1)
            self.add(item_open, "RectificationOpened", OFFICE, {
                "opened_on": item_open.isoformat(), "item": "TP-01", "origin": "third_party",
                "description": "第三方评估漏评率高于2%，开展专项整改", "due": (item_open + timedelta(days=20)).isoformat()})
            done = dt.after(item_open, 7, 15)
            self.add(done, "RectificationCompleted", self.lg, {
                "item": "TP-01", "completed_on": done.isoformat(), "evidence": f"{county}漏评户补录名册及信息系统记录"})
            ready = dt.after(done, 1, 3)
            self.add(ready, "SpecialRectificationReported", self.lg, {
                "reported_on": ready.isoformat(), "result": "漏评户已全部纳入建档立卡并落实帮扶措施"})

        formed = dt.after(ready, 3, 10)
        self.add(formed, "ExitReportFormed", OFFICE, {"formed_on": formed.isoformat(), "meets_standard": True})
        opened_pub = dt.after(formed, 1, 4)
        closes = opened_pub + timedelta(days=7)
        self.add(opened_pub, "PublicityOpened", OFFICE, {
            "opened_on": opened_pub.isoformat(), "closes_on": closes.isoformat(),
            "media": rng.choice(("安徽日报", "安徽日报、安徽省人民政府网站"))})
        objections = upheld = 0
        if kind == OBJECTION_RESOLVED:
            received = dt.after(opened_pub, 1, 3)
            self.add(received, "ObjectionReceived", OFFICE, {
                "received_on": received.isoformat(), "summary": "群众来信反映一户家庭人均收入核算有误"})
            self.add(received, "RectificationOpened", OFFICE, {
                "opened_on": received.isoformat(), "item": "PB-01", "origin": "publicity",
                "description": "核实群众反映的收入核算问题", "due": closes.isoformat()})
            done = dt.after(received, 1, 3, cap=closes)
            self.add(done, "RectificationCompleted", self.lg, {
                "item": "PB-01", "completed_on": done.isoformat(), "evidence": "入户核实记录及收入重新核算表"})
            objections = upheld = 1
        closed = dt.after(closes, 0, 1)
        self.add(closed, "PublicityClosed", OFFICE,
                 {"closed_on": closed.isoformat(), "objections": objections, "upheld": upheld})
        audit = dt.after(closed, 1, 4, cap=dt.d(1, 4, 30))
        self.add(audit, "AuditOpinionSubmitted", OFFICE, {
            "submitted_on": audit.isoformat(), "opinion": f"{row.county_name}达到贫困县退出标准，建议批准退出"})

        if row.tier == "national" and kind != NO_SPOT_CHECK:
            checked = dt.after(dt.d(1, 5, 8), 0, 55)
            self.add(checked, "NationalSpotCheckCompleted", NATION_LG, {"checked_on": checked.isoformat(), "passed": True})
            exit_approved = dt.after(checked, 5, 14)
        else:
            exit_approved = dt.after(dt.d(1, 5, 6), 0, 50)
        self.add(exit_approved, "ExitApproved", GOVERNMENT, {
            "approved_on": exit_approved.isoformat(), "document": f"皖政秘〔{y + 1}〕{rng.randint(101, 299)}号"})
        announced = dt.after(exit_approved, 1, 7)
        self.add(announced, "ExitAnnounced", GOVERNMENT, {
            "announced_on": announced.isoformat(), "document": f"安徽省人民政府关于批准{row.county_name}退出贫困县的公告"})
        filed = dt.after(announced, 10, 40)
        self.add(filed, "FollowUpPlanFiled", self.lg, {
            "filed_on": filed.isoformat(), "support_plan": f"{row.county_name}脱贫后续帮扶计划",
            "consolidation_plan": f"{row.county_name}巩固提升脱贫成果方案"})
        return self.steps

    def evaluation(self, on: date, evaluator: tuple[str, str], rural: int, poor: int, as_of: str,
                   village_poor: int) -> None:
        rng, kind = self.rng, self.kind
        sample = 1500 if kind == PERFECT else rng.randint(1000, 2000)
        wrongful = 0 if rng.random() < 0.85 else rng.randint(1, 6)
        missed = math.ceil(sample * rng.uniform(0.022, 0.03)) if kind == SPECIAL_RECTIFIED else 0 if rng.random() < 0.35 else rng.randint(1, 14)
        share = 1.0 if kind == PERFECT else rng.uniform(0.875, 0.885) if kind == OVERRIDDEN else rng.uniform(0.922, 0.986)
        self.add(on, "ThirdPartyEvaluationCompleted", evaluator[0], {
            "evaluated_on": on.isoformat(), "organisation": evaluator[1], "sample_households": sample,
            "wrongful_exit_rate": _pct(wrongful, sample), "missed_assessment_rate": _pct(missed, sample),
            "mass_recognition": "100" if kind == PERFECT else _pct(round(sample * share), sample),
            "public_service_indicators_met": 19})
        low, high = (-0.005, -0.001) if kind == HUGGING else (-0.005, 0.005)
        self.figures(on, "third_party", evaluator[0], as_of, rural,
                     max(village_poor, round(poor * (1 + rng.uniform(low, high)))))


def _step_date(case: _Case, type: str) -> str:
    return next(s.on for s in case.steps if s.type == type)


def _village_counts(case: _Case) -> list[int]:
    return [v[name] for v in case.village_rows for name in ("households", "poor_households", "poor_population")]


