"""A small, deterministic demo province: who acts, and two exit cases step by step.

Pure data (no keys, no I/O): each step is (decision date, stream, type, actor, payload). The
figures are synthetic but plausible (see the reference data's README); no real person's name
appears. 岳西县 (national-level) goes all the way to announcement; 临泉县 is a synthetic case
rejected at verification: the county reported 1.95 % while the national information system
shows 2.50 %.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

PROVINCE_CODE = "340000"
PROVINCE_NAME = "安徽省"
AUTHORITY = "ledger-authority"


@dataclass(frozen=True)
class ActorSpec:
    actor: str
    name: str
    role: str
    jurisdiction: str
    person: str


@dataclass(frozen=True)
class Step:
    on: str  # the decision date; the demo records each step on that day
    stream: str
    type: str
    actor: str
    payload: dict[str, Any]


ACTORS: tuple[ActorSpec, ...] = (
    ActorSpec("ah-office", "安徽省扶贫开发领导小组办公室", "provincial_office", PROVINCE_CODE, "省办甲"),
    ActorSpec("ah-dept-stats", "安徽省统计局", "provincial_department", PROVINCE_CODE, "统计乙"),
    ActorSpec("ah-eval", "第三方评估机构（示例大学）", "third_party_evaluator", PROVINCE_CODE, "评估丙"),
    ActorSpec("ah-gov", "中共安徽省委、安徽省人民政府", "provincial_party_government", PROVINCE_CODE, "省府丁"),
    ActorSpec("cn-lg", "国务院扶贫开发领导小组", "national_leading_group", "000000", "国办戊"),
    ActorSpec("ah-cdi", "安徽省纪委监委", "discipline_inspector", PROVINCE_CODE, "纪检己"),
    ActorSpec("340800-lg", "安庆市扶贫开发领导小组", "city_leading_group", "340800", "安庆庚"),
    ActorSpec("340800-pg", "中共安庆市委、安庆市人民政府", "city_party_government", "340800", "安庆辛"),
    ActorSpec("340828-lg", "岳西县扶贫开发领导小组", "county_leading_group", "340828", "岳西壬"),
    ActorSpec("340828-pg", "中共岳西县委、岳西县人民政府", "county_party_government", "340828", "岳西癸"),
    ActorSpec("341200-lg", "阜阳市扶贫开发领导小组", "city_leading_group", "341200", "阜阳子"),
    ActorSpec("341200-pg", "中共阜阳市委、阜阳市人民政府", "city_party_government", "341200", "阜阳丑"),
    ActorSpec("341221-lg", "临泉县扶贫开发领导小组", "county_leading_group", "341221", "临泉寅"),
    ActorSpec("341221-pg", "中共临泉县委、临泉县人民政府", "county_party_government", "341221", "临泉卯"),
)


def _figures(source: str, reported_on: str, as_of: str, rural: int, poor: int, incidence: str,
             villages: int, remaining: int, **extra: Any) -> dict[str, Any]:
    return {"source": source, "reported_on": reported_on, "as_of": as_of, "rural_population": rural,
            "poor_population": poor, "poverty_incidence": incidence, "poor_villages_total": villages,
            "poor_villages_remaining": remaining, **extra}


def yuexi_case() -> list[Step]:
    """岳西县 (340828), national-level, applies in 2017 and is announced in 2018."""
    s = "case:340828-2017"
    return [
        Step("2017-08-01", s, "CaseOpened", "ah-office", {
            "county_code": "340828", "county_name": "岳西县", "city_code": "340800", "city_name": "安庆市",
            "tier": "national", "year": 2017, "opened_on": "2017-08-01"}),
        Step("2017-09-15", s, "RectificationOpened", "340828-lg", {
            "opened_on": "2017-09-15", "item": "SC-01", "origin": "self_check",
            "description": "两个村饮水安全未达标", "due": "2017-11-15"}),
        Step("2017-11-10", s, "RectificationCompleted", "340828-lg", {
            "item": "SC-01", "completed_on": "2017-11-10", "evidence": "水质检测报告 岳西水检〔2017〕31号"}),
        Step("2017-11-20", s, "VillageFiguresReported", "340828-lg", {
            "as_of": "2017-10-31", "village_code": "340828101201", "village_name": "示例一村", "households": 612,
            "poor_households": 9, "poor_population": 21, "per_capita_income": "9830", "exited": True}),
        Step("2017-11-20", s, "VillageFiguresReported", "340828-lg", {
            "as_of": "2017-10-31", "village_code": "340828102203", "village_name": "示例二村", "households": 487,
            "poor_households": 7, "poor_population": 15, "per_capita_income": "9415", "exited": True}),
        Step("2017-11-25", s, "FiguresReported", "340828-lg", _figures(
            "county_self_report", "2017-11-25", "2017-10-31", 337000, 4246, "1.26", 65, 0,
            income_growth="11.2", provincial_income_growth="8.9", public_service_indicators_met=19)),
        Step("2017-12-08", s, "ExitApplicationApproved", "340828-pg", {
            "approved_on": "2017-12-08", "document": "岳发〔2017〕41号"}),
        Step("2017-12-10", s, "ExitApplicationSubmitted", "340828-lg", {
            "submitted_on": "2017-12-10", "document": "岳扶组〔2017〕12号",
            "attestation": "本县对申报数据的真实性负责"}),
        Step("2017-12-20", s, "CityReviewCompleted", "340800-lg", {
            "reviewed_on": "2017-12-20", "opinion": "pass", "findings": ["逐项审核，符合退出条件"]}),
        Step("2017-12-25", s, "CityReportApproved", "340800-pg", {
            "approved_on": "2017-12-25", "document": "宜发〔2017〕58号"}),
        Step("2017-12-28", s, "CityReportSubmitted", "340800-lg", {
            "submitted_on": "2017-12-28", "document": "宜扶组〔2017〕20号"}),
        Step("2018-01-12", s, "FiguresReported", "ah-office", _figures(
            "national_information_system", "2018-01-12", "2017-12-31", 337000, 4251, "1.26", 65, 0)),
        Step("2018-01-20", s, "ProvincialVerificationCompleted", "ah-office", {
            "verified_on": "2018-01-20", "procedure_compliant": True, "materials_complete": True}),
        Step("2018-02-10", s, "DepartmentInspectionCompleted", "ah-dept-stats", {
            "inspected_on": "2018-02-10", "department": "安徽省统计局", "passed": True}),
        Step("2018-03-05", s, "ThirdPartyEvaluationCompleted", "ah-eval", {
            "evaluated_on": "2018-03-05", "organisation": "示例大学评估中心", "sample_households": 1620,
            "wrongful_exit_rate": "0", "missed_assessment_rate": "0.41", "mass_recognition": "97.6",
            "public_service_indicators_met": 19}),
        Step("2018-03-20", s, "ExitReportFormed", "ah-office", {"formed_on": "2018-03-20", "meets_standard": True}),
        Step("2018-03-25", s, "PublicityOpened", "ah-office", {
            "opened_on": "2018-03-25", "closes_on": "2018-04-01", "media": "安徽日报"}),
        Step("2018-04-02", s, "PublicityClosed", "ah-office", {"closed_on": "2018-04-02", "objections": 0, "upheld": 0}),
        Step("2018-04-10", s, "AuditOpinionSubmitted", "ah-office", {
            "submitted_on": "2018-04-10", "opinion": "岳西县达到贫困县退出标准，建议批准退出"}),
        Step("2018-06-15", s, "NationalSpotCheckCompleted", "cn-lg", {"checked_on": "2018-06-15", "passed": True}),
        Step("2018-07-20", s, "ExitApproved", "ah-gov", {"approved_on": "2018-07-20", "document": "皖政秘〔2018〕160号"}),
        Step("2018-07-25", s, "ExitAnnounced", "ah-gov", {"announced_on": "2018-07-25", "document": "安徽省人民政府公告"}),
        Step("2018-08-10", s, "FollowUpPlanFiled", "340828-lg", {
            "filed_on": "2018-08-10", "support_plan": "岳西县脱贫后续帮扶计划（2018—2020）",
            "consolidation_plan": "岳西县巩固提升脱贫成果方案"}),
    ]


def linquan_case() -> list[Step]:
    """临泉县 (341221), synthetic: reports 1.95 %, the information system shows 2.50 % → rejected."""
    s = "case:341221-2019"
    return [
        Step("2019-08-01", s, "CaseOpened", "ah-office", {
            "county_code": "341221", "county_name": "临泉县", "city_code": "341200", "city_name": "阜阳市",
            "tier": "national", "year": 2019, "opened_on": "2019-08-01"}),
        Step("2019-12-09", s, "FiguresReported", "341221-lg", _figures(
            "county_self_report", "2019-12-09", "2019-11-30", 1650000, 32175, "1.95", 112, 0,
            income_growth="10.1", provincial_income_growth="9.6", public_service_indicators_met=19)),
        Step("2019-12-11", s, "ExitApplicationApproved", "341221-pg", {
            "approved_on": "2019-12-11", "document": "临发〔2019〕50号"}),
        Step("2019-12-12", s, "ExitApplicationSubmitted", "341221-lg", {
            "submitted_on": "2019-12-12", "document": "临扶组〔2019〕9号",
            "attestation": "本县对申报数据的真实性负责"}),
        Step("2019-12-20", s, "CityReviewCompleted", "341200-lg", {"reviewed_on": "2019-12-20", "opinion": "pass"}),
        Step("2019-12-26", s, "CityReportApproved", "341200-pg", {"approved_on": "2019-12-26", "document": "阜发〔2019〕61号"}),
        Step("2019-12-30", s, "CityReportSubmitted", "341200-lg", {"submitted_on": "2019-12-30", "document": "阜扶组〔2019〕33号"}),
        Step("2020-01-14", s, "FiguresReported", "ah-office", _figures(
            "national_information_system", "2020-01-14", "2019-12-31", 1650000, 41250, "2.50", 112, 3)),
        Step("2020-01-21", s, "ProvincialVerificationCompleted", "ah-office", {
            "verified_on": "2020-01-21", "procedure_compliant": True, "materials_complete": True}),
    ]


def demo_steps() -> list[Step]:
    return yuexi_case() + linquan_case()
