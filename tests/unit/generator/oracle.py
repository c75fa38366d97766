"""A deliberately simple reading of issue 5's red-flag table over generated steps.

Not the flags implementation: a test oracle that takes each rule at its strictest plain reading
(any watch-level trigger counts), so that "clean" here means clean for the real rules too, and
each planted falsification is shown to carry the signal its rules look for.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable
from datetime import date
from decimal import Decimal
from math import comb, log10

from domain.catalogue import DECISION_DATE_FIELD
from domain.generator import Province
from domain.scenario import ActorSpec, Step
from projections.deadlines import timing

CHI2_DF9_P01 = Decimal("21.666")  # χ² critical value, df 9, p = 0.01
BENFORD = [log10(1 + 1 / d) for d in range(1, 10)]
BENFORD_MARGINAL = 0.012  # Nigrini, first digits: above 0.012 is marginal or nonconforming
VILLAGE_COUNTS = ("households", "poor_households", "poor_population")
IMPROVES = {"poverty_incidence": -1, "poor_population": -1, "poor_villages_remaining": -1, "income_growth": 1,
            "public_service_indicators_met": 1}


def chi2_last_digits(values: Iterable[int]) -> Decimal:
    digits = Counter(v % 10 for v in values)
    n = sum(digits.values())
    expected = Decimal(n) / 10
    return sum(((Decimal(digits.get(d, 0)) - expected) ** 2 / expected for d in range(10)), Decimal(0))


def benford_mad(values: Iterable[int]) -> float:
    firsts = Counter(int(str(v)[0]) for v in values if v > 0)
    n = sum(firsts.values())
    return sum(abs(firsts.get(d, 0) / n - BENFORD[d - 1]) for d in range(1, 10)) / 9


def binomial_upper(k: int, n: int, p: float = 0.5) -> float:
    return sum(comb(n, i) * p**i * (1 - p) ** (n - i) for i in range(k, n + 1))


def _dec(value: str) -> Decimal:
    return Decimal(value)


def case_flags(steps: list[Step], persons: dict[str, str], year: int, tier: str) -> set[str]:
    """The rules a case's steps (in recording order) trip."""
    out: set[str] = set()
    figures = [s for s in steps if s.type == "FiguresReported"]
    villages = [s.payload for s in steps if s.type == "VillageFiguresReported"]
    types = [s.type for s in steps]
    by_source: dict[str, list[Step]] = defaultdict(list)
    for f in figures:
        by_source[f.payload["source"]].append(f)

    # figure-mismatch
    for own in by_source["county_self_report"]:
        for other_source in ("national_information_system", "third_party", "department_inspection"):
            for other in by_source[other_source]:
                a, b = own.payload, other.payload
                if abs(_dec(a["poverty_incidence"]) - _dec(b["poverty_incidence"])) > Decimal("0.05"):
                    out.add("figure-mismatch")
                for name in ("rural_population", "poor_population"):
                    if abs(a[name] - b[name]) > a[name] / 100:
                        out.add("figure-mismatch")

    # arithmetic
    village_poor = sum(v["poor_population"] for v in villages)
    for f in figures:
        p = f.payload
        decimals = len(p["poverty_incidence"].partition(".")[2])
        half = Decimal(1).scaleb(-decimals) / 2
        if abs(Decimal(100 * p["poor_population"]) / p["rural_population"] - _dec(p["poverty_incidence"])) > half:
            out.add("arithmetic")
        if village_poor > p["poor_population"] or len(villages) > p["poor_villages_total"]:
            out.add("arithmetic")

    # threshold-hugging
    for f in figures:
        p = f.payload
        if Decimal("1.7") < _dec(p["poverty_incidence"]) <= 2:
            out.add("threshold-hugging")
        if "income_growth" in p and "provincial_income_growth" in p:
            if 0 <= _dec(p["income_growth"]) - _dec(p["provincial_income_growth"]) <= Decimal("0.5"):
                out.add("threshold-hugging")
    evaluations = [s.payload for s in steps if s.type == "ThirdPartyEvaluationCompleted"]
    for e in evaluations:
        if 90 <= _dec(e["mass_recognition"]) < 91:
            out.add("threshold-hugging")
        for name in ("wrongful_exit_rate", "missed_assessment_rate"):
            if Decimal("1.7") < _dec(e[name]) <= 2:
                out.add("threshold-hugging")

    # sudden-drop, denominator-drift, revisions
    for source, reports in by_source.items():
        for earlier, later in zip(reports, reports[1:]):
            was, now = _dec(earlier.payload["poverty_incidence"]), _dec(later.payload["poverty_incidence"])
            days = (date.fromisoformat(later.payload["reported_on"]) - date.fromisoformat(earlier.payload["reported_on"])).days
            if was > 0 and (was - now) / was > Decimal("0.5") and days <= 90:
                out.add("sudden-drop")
    rurals = [f.payload["rural_population"] for f in figures if f.payload["as_of"].startswith(str(year))]
    if rurals and (max(rurals) - min(rurals)) > min(rurals) / 50:
        out.add("denominator-drift")
    submitted_at = types.index("ExitApplicationSubmitted") if "ExitApplicationSubmitted" in types else None
    for index, step in enumerate(steps):
        if step.type != "FiguresReported":
            continue
        p = step.payload
        if p["source"] == "county_self_report" and f"{year}-12-12" <= p["reported_on"] <= f"{year}-12-15":
            out.add("late-revision")
        revised = [(i, s) for i, s in enumerate(steps[:index]) if s.type == "FiguresReported"
                   and s.payload["source"] == p["source"] and s.payload["as_of"] == p["as_of"]]
        if not revised:
            continue
        if submitted_at is not None and index > submitted_at:
            out.add("late-revision")
        i, before = revised[-1]
        improved = any(name in p and name in before.payload and
                       (_dec(str(p[name])) - _dec(str(before.payload[name]))) * sign > 0
                       for name, sign in IMPROVES.items())
        if improved and not any(s.type == "RectificationCompleted" for s in steps[i + 1:index]):
            out.add("unevidenced-revision")

    # same-person
    county = steps[0].stream[5:11]
    county_people = {persons[s.actor] for s in steps if s.actor.startswith(county) and s.type in (
        "FiguresReported", "ExitApplicationSubmitted", "ExitApplicationApproved", "VillageFiguresReported")}
    city_people = {persons[s.actor] for s in steps if s.type in (
        "CityReviewCompleted", "CityReportApproved", "CityReportSubmitted")}
    evaluator_people = {persons[s.actor] for s in steps if s.type == "ThirdPartyEvaluationCompleted"}
    local_people = {persons[s.actor] for s in steps if s.actor[:6].isdigit()}
    if county_people & city_people or evaluator_people & local_people:
        out.add("same-person")

    # deadline and date-order
    for step in steps:
        field = DECISION_DATE_FIELD.get(step.type)
        decided = step.payload.get(field) if field else None
        t = timing(step.type, year, decided, f"{step.on}T08:00:00.000000Z")
        if t.status in ("late", "early") or t.recorded_late:
            out.add("deadline")
        if step.type == "PublicityClosed":
            opened = next(s for s in steps if s.type == "PublicityOpened")
            if step.payload["closed_on"] < opened.payload["closes_on"]:
                out.add("deadline")
    decided_dates = [s.payload[DECISION_DATE_FIELD[s.type]] for s in steps
                     if s.type != "VillageFiguresReported" and DECISION_DATE_FIELD.get(s.type) in s.payload]
    if decided_dates != sorted(decided_dates):
        out.add("date-order")

    # missing-step and threshold-overridden
    if "ExitApproved" in types or "ExitAnnounced" in types:
        needed = ["ExitApplicationApproved", "CityReportApproved", "AuditOpinionSubmitted"]
        if tier == "national":
            needed.append("NationalSpotCheckCompleted")
        if any(t not in types for t in needed):
            out.add("missing-step")
        closed = [s.payload for s in steps if s.type == "PublicityClosed"]
        rectified = any(s.type == "RectificationCompleted" and s.payload["item"].startswith("PB") for s in steps)
        if any(c["objections"] and not c["upheld"] and not rectified for c in closed):
            out.add("missing-step")
        for e in evaluations:
            failed = (_dec(e["wrongful_exit_rate"]) > 2 or _dec(e["missed_assessment_rate"]) > 2
                      or _dec(e["mass_recognition"]) < 90 or e["public_service_indicators_met"] < 19)
            if failed and "SpecialRectificationReported" not in types:
                out.add("threshold-overridden")

    # perfect-survey
    if any(_dec(e["mass_recognition"]) == 100 and e["sample_households"] >= 200 for e in evaluations):
        out.add("perfect-survey")

    # village digits and duplicates
    large = [v[name] for v in villages for name in VILLAGE_COUNTS if v[name] >= 100]
    if len(large) >= 50 and chi2_last_digits(large) > CHI2_DF9_P01:
        out.add("last-digit")
    pooled = [v[name] for v in villages for name in VILLAGE_COUNTS if v[name] > 0]
    if len(pooled) >= 300 and max(pooled) / min(pooled) >= 100 and benford_mad(pooled) > BENFORD_MARGINAL:
        out.add("benford")
    vectors = Counter((v["households"], v["poor_households"], v["poor_population"], v["per_capita_income"])
                      for v in villages)
    if any(n >= 3 for n in vectors.values()):
        out.add("duplicate-village-records")
    return out


def province_flags(province: Province) -> set[str]:
    """The province-wide rules: bunching below 2 % per year, one-way revisions."""
    out: set[str] = set()
    by_year: dict[str, list[Decimal]] = defaultdict(list)
    revisions = 0
    seen: set[tuple[str, str, str]] = set()
    for s in province.steps:
        if s.type != "FiguresReported":
            continue
        key = (s.stream, s.payload["source"], s.payload["as_of"])
        revisions += key in seen
        seen.add(key)
        if s.payload["source"] == "county_self_report":
            by_year[s.stream[-4:]].append(_dec(s.payload["poverty_incidence"]))
    for values in by_year.values():
        below = sum(1 for v in values if Decimal("1.7") <= v <= 2)
        above = sum(1 for v in values if Decimal(2) < v <= Decimal("2.3"))
        if below + above >= 8 and binomial_upper(below, below + above) < 0.01:
            out.add("threshold-bunching")
    if revisions >= 10:
        out.add("one-way-revisions")
    return out


def flags_by_case(province: Province) -> dict[str, set[str]]:
    persons = {a.actor: a.person for a in province.actors}
    rows = {r.stream: r for r in province.counties}
    steps: dict[str, list[Step]] = defaultdict(list)
    for s in province.steps:
        steps[s.stream].append(s)
    return {stream: case_flags(steps[stream], persons, rows[stream].exit_year, rows[stream].tier)
            for stream in province.cases}


def persons_of(actors: list[ActorSpec]) -> dict[str, str]:
    return {a.actor: a.person for a in actors}
