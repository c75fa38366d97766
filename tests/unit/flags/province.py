"""A generated clean province: ~30 honest cases with plausible, seeded figures.

Each case is :func:`make.clean_steps` with its own figures and dates drawn within the process's
windows: incidence 0.3–1.6 % (Anhui's exiting counties, README of the reference data), the
national information system within a fraction of a percent of the county, a third-party survey
of 1,000–2,000 households with mostly zero wrongful exits and recognition of 93–99.6 %, and
poor villages whose household counts are log-uniform over two and a half decades (so their
digits look like nature's). Some counties report an earlier baseline too, some correct a
report after a completed rectification, and every fifth county has more than a hundred poor
villages so that the Benford test has enough values to run.
"""

from __future__ import annotations

import random
from datetime import date, timedelta

from projections.flags import CaseFacts
from tests.unit.flags.make import Cite, Seqs, Step, clean_steps, edit, figures, insert_before, village

CITIES = ("340800", "341100", "341200", "341300", "341500", "341600", "341800")


def _day(rng: random.Random, start: str, end: str) -> str:
    first, last = date.fromisoformat(start), date.fromisoformat(end)
    return (first + timedelta(days=rng.randint(0, (last - first).days))).isoformat()


def _villages(rng: random.Random, county: str, n: int, as_of: str) -> list[Step]:
    steps = []
    for i in range(n):
        households = round(10 ** rng.uniform(1.7, 3.7))            # 50 to 5,000 households
        poor_households = max(1, round(households * 10 ** rng.uniform(-1.7, -0.9)))   # 2–12 % still poor
        poor = max(poor_households, round(poor_households * rng.uniform(2.0, 3.0)))
        income = f"{rng.uniform(7000, 14000):.0f}"
        steps.append(village(county, i, households, poor_households, poor, income=income, as_of=as_of))
    return steps


def clean_case(rng: random.Random, county: str, year: int, tier: str, villages: int, seq: Seqs) -> CaseFacts:
    y, n = year, year + 1
    as_of = f"{y}-10-31"
    village_steps = _villages(rng, county, villages, as_of)
    in_villages = sum(s.payload["poor_population"] for s in village_steps)
    poor = int(in_villages * rng.uniform(1.3, 2.2))                  # poor people outside poor villages too
    incidence = rng.uniform(0.3, 1.6)
    rural = int(poor * 100 / incidence)
    steps = clean_steps(county, year, tier, rural=rural, poor=poor, total=villages, name=f"县{county}")
    growth = rng.uniform(8.0, 12.0)
    steps = edit(steps, "FiguresReported", 0, **figures(
        "county_self_report", _day(rng, f"{y}-11-10", f"{y}-11-30"), as_of, rural, poor, total=villages,
        income_growth=f"{growth + rng.uniform(0.8, 2.5):.1f}", provincial_income_growth=f"{growth:.1f}",
        public_service_indicators_met=19))
    verified_rural = rural + rng.randint(-rural // 500, rural // 500)
    verified_poor = poor + rng.randint(-poor // 400, poor // 400)
    steps = edit(steps, "FiguresReported", 1, **figures(
        "national_information_system", _day(rng, f"{n}-01-05", f"{n}-01-12"), f"{y}-12-31", verified_rural,
        verified_poor, total=villages))
    steps = insert_before(steps, "FiguresReported", *village_steps)
    if rng.random() < 0.4:   # an earlier baseline report, in August
        earlier_poor = int(poor * rng.uniform(1.02, 1.3))
        steps = insert_before(steps, "RectificationOpened", Step("FiguresReported", figures(
            "county_self_report", f"{y}-08-20", f"{y}-07-31", rural + rng.randint(-rural // 300, rural // 300),
            earlier_poor, total=villages, remaining=rng.randint(0, villages // 3))))
    if rng.random() < 0.25:  # a correction after a completed rectification, before the application
        corrected = poor + rng.randint(-poor // 200, poor // 200)
        at = next(i for i, s in enumerate(steps) if s.label == "county") + 1
        steps[at:at] = [
            Step("RectificationOpened", {"opened_on": f"{y}-11-28", "item": "DATA-01", "origin": "self_check",
                                         "description": "贫困人口数据比对不一致"}),
            Step("RectificationCompleted", {"item": "DATA-01", "completed_on": f"{y}-12-01",
                                            "evidence": "数据核查整改报告"}),
            Step("FiguresReported", figures("county_self_report", f"{y}-12-02", as_of, rural, corrected,
                                            total=villages, revises=Cite("county")))]
    steps = edit(steps, "ExitApplicationApproved", approved_on=_day(rng, f"{y}-12-04", f"{y}-12-07"))
    steps = edit(steps, "ExitApplicationSubmitted", submitted_on=_day(rng, f"{y}-12-08", f"{y}-12-11"))
    steps = edit(steps, "CityReviewCompleted", reviewed_on=_day(rng, f"{y}-12-16", f"{y}-12-21"))
    steps = edit(steps, "CityReportApproved", approved_on=_day(rng, f"{y}-12-22", f"{y}-12-25"))
    steps = edit(steps, "CityReportSubmitted", submitted_on=_day(rng, f"{y}-12-26", f"{y}-12-30"))
    steps = edit(steps, "ProvincialVerificationCompleted", verified_on=_day(rng, f"{n}-01-15", f"{n}-01-31"))
    steps = edit(steps, "DepartmentInspectionCompleted", inspected_on=_day(rng, f"{n}-02-05", f"{n}-02-25"))
    steps = edit(steps, "ThirdPartyEvaluationCompleted", evaluated_on=_day(rng, f"{n}-02-26", f"{n}-03-15"),
                 sample_households=rng.randint(1000, 2000),
                 wrongful_exit_rate="0" if rng.random() < 0.85 else f"{rng.uniform(0.05, 1.2):.2f}",
                 missed_assessment_rate=f"{rng.uniform(0, 1.2):.2f}",
                 mass_recognition=f"{rng.uniform(93, 99.6):.1f}")
    if tier == "national":
        steps = edit(steps, "NationalSpotCheckCompleted", checked_on=_day(rng, f"{n}-05-20", f"{n}-06-30"))
    return seq.build(steps)


def clean_province(seed: int = 2019, cases: int = 30) -> list[CaseFacts]:
    """``cases`` honest cases applying in 2017–2019, deterministic for a ``seed``."""
    rng = random.Random(seed)
    seq = Seqs()
    out = []
    for i in range(cases):
        county = f"{CITIES[i % len(CITIES)][:4]}{21 + i:02d}"
        villages = rng.randint(110, 160) if i % 5 == 0 else rng.randint(15, 80)
        tier = "national" if rng.random() < 0.65 else "provincial"
        out.append(clean_case(rng, county, 2017 + i % 3, tier, villages, seq))
    return out
