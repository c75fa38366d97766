"""The generated province: deterministic, realistic, clean where clean, and the planted signals."""

from __future__ import annotations

from collections import Counter, defaultdict
from datetime import date
from decimal import Decimal
from functools import cache

import pytest

from domain import catalogue
from domain.generator import (
    FABRICATED,
    MISMATCH,
    NEAR_MISS_KINDS,
    NO_SPOT_CHECK,
    PLANTED_KINDS,
    SAME_PERSON,
    CountyRow,
    Province,
    generate_province,
    parse_counties,
    synthetic_counties,
)
from domain.scenario import Step
from tests.unit.generator.oracle import (
    VILLAGE_COUNTS,
    benford_mad,
    chi2_last_digits,
    flags_by_case,
    province_flags,
)
from tests.unit.generator.test_counties import bundled_text


@cache
def counties() -> tuple[CountyRow, ...]:
    return tuple(parse_counties(bundled_text()))


@cache
def demo(seed: int = 2020, plant: bool = True) -> Province:
    return generate_province(list(counties()), seed=seed, plant=plant)


def by_case(province: Province) -> dict[str, list[Step]]:
    out: dict[str, list[Step]] = defaultdict(list)
    for step in province.steps:
        out[step.stream].append(step)
    return out


def planted_rules(province: Province) -> dict[str, set[str]]:
    return {p.stream: set(p.rules) for p in province.planted}


# -- determinism -------------------------------------------------------------------------------------


def test_the_same_seed_gives_the_same_province_step_for_step() -> None:
    again = generate_province(list(counties()), seed=2020)
    assert again == demo()
    assert again.steps == demo().steps and again.actors == demo().actors and again.planted == demo().planted


def test_another_seed_gives_other_figures_and_other_planted_counties() -> None:
    other = generate_province(list(counties()), seed=7)
    assert other.steps != demo().steps
    assert {p.county for p in other.planted} != {p.county for p in demo().planted}


def test_a_county_s_case_does_not_depend_on_the_other_counties() -> None:
    """Each case draws from its own seeded generator: adding counties does not change it."""
    small = generate_province(list(counties())[:5], seed=2020, plant=False)
    large = generate_province(list(counties()), seed=2020, plant=False)
    for stream in small.cases[:3]:
        if stream in {p.stream for p in small.near_misses + large.near_misses}:
            continue
        assert by_case(small)[stream] == by_case(large)[stream]


# -- shape ---------------------------------------------------------------------------------------


def test_every_county_has_one_case_and_every_step_is_a_valid_payload() -> None:
    p = demo()
    assert p.cases == [r.stream for r in counties()]
    assert set(by_case(p)) == set(p.cases)
    for step in p.steps:
        assert catalogue.validate(step.type, step.payload) == step.payload
        date.fromisoformat(step.on)


def test_steps_are_in_recording_order_with_cases_interleaved() -> None:
    p = demo()
    days = [s.on for s in p.steps]
    assert days == sorted(days)
    assert days[0] >= "2017-08-01" and days[-1] <= "2020-12-31"
    first_ten = {s.stream for s in p.steps[:10]}
    assert len(first_ten) > 1


def test_actors_cover_every_role_with_distinct_synthetic_persons() -> None:
    p = demo()
    roles = Counter(a.role for a in p.actors)
    cities = {r.city_code for r in counties()}
    assert roles["county_leading_group"] == roles["county_party_government"] == 31
    assert roles["city_leading_group"] == roles["city_party_government"] == len(cities)
    assert roles["provincial_office"] == roles["provincial_party_government"] == 1
    assert roles["national_leading_group"] == roles["discipline_inspector"] == 1
    assert 2 <= roles["third_party_evaluator"] <= 3 and roles["provincial_department"] >= 2
    assert len({a.actor for a in p.actors}) == len(p.actors)
    persons = Counter(a.person for a in p.actors)
    assert [n for n in persons.values() if n > 1] == [2]  # the planted same-person, only
    clean = generate_province(list(counties()), plant=False)
    assert len({a.person for a in clean.actors}) == len(clean.actors)
    for a in p.actors:  # placeholders: a place or office, a heavenly stem, a number
        assert a.person[-2:].isdigit() and a.person[-3] in "甲乙丙丁戊己庚辛壬癸"


def test_each_case_is_signed_by_its_own_county_and_city() -> None:
    p = demo()
    rows = {r.stream: r for r in counties()}
    for stream, steps in by_case(p).items():
        row = rows[stream]
        for s in steps:
            if s.actor[:6].isdigit():
                assert s.actor[:6] in (row.county_code, row.city_code), (stream, s)


def test_villages_are_of_their_county_and_plausible() -> None:
    p = demo()
    for stream, steps in by_case(p).items():
        villages = [s.payload for s in steps if s.type == "VillageFiguresReported"]
        county = stream[5:11]
        assert 8 <= len(villages) <= 60
        codes = [v["village_code"] for v in villages]
        assert len(set(codes)) == len(codes) and all(c.startswith(county) and len(c) == 12 for c in codes)
        for v in villages:
            assert v["exited"] is True and 100 <= v["households"] <= 3000
            assert 1 <= v["poor_households"] <= v["poor_population"] <= v["households"] * 3
            assert 6000 <= int(v["per_capita_income"]) <= 16000


def test_forcing_the_number_of_villages() -> None:
    p = generate_province(list(counties())[:6], villages=3)
    assert Counter(s.stream for s in p.steps if s.type == "VillageFiguresReported") == {c: 3 for c in p.cases}
    with pytest.raises(ValueError):
        generate_province(list(counties())[:2], villages=0)


def test_the_timeline_of_a_clean_national_case() -> None:
    p = demo()
    planted = {x.stream for x in p.planted + p.near_misses}
    rows = {r.stream: r for r in counties()}
    stream = next(r.stream for r in counties() if r.tier == "national" and r.stream not in planted)
    y = rows[stream].exit_year
    steps = by_case(p)[stream]
    types = [s.type for s in steps if s.type not in ("VillageFiguresReported", "RectificationOpened",
                                                     "RectificationCompleted")]
    assert types == [
        "CaseOpened", "FiguresReported", "ExitApplicationApproved", "ExitApplicationSubmitted",
        "CityReviewCompleted", "CityReportApproved", "CityReportSubmitted", "FiguresReported",
        "ProvincialVerificationCompleted", *types[9:12], "ExitReportFormed", "PublicityOpened",
        "PublicityClosed", "AuditOpinionSubmitted", "NationalSpotCheckCompleted", "ExitApproved", "ExitAnnounced",
        "FollowUpPlanFiled"]
    assert sorted(types[9:12]) == ["DepartmentInspectionCompleted", "FiguresReported", "ThirdPartyEvaluationCompleted"]
    on = {s.type: s.on for s in steps}
    assert on["ExitApplicationSubmitted"] <= f"{y}-12-13" and on["CityReportSubmitted"] <= f"{y}-12-31"
    assert f"{y + 1}-01-01" <= on["ProvincialVerificationCompleted"] <= on["AuditOpinionSubmitted"] <= f"{y + 1}-04-30"
    assert f"{y + 1}-05-01" <= on["NationalSpotCheckCompleted"] <= on["ExitAnnounced"] <= f"{y + 1}-07-31"


def test_provincial_cases_have_no_spot_check_and_national_ones_do_unless_planted() -> None:
    p = demo()
    rows = {r.stream: r for r in counties()}
    skipped = {x.stream for x in p.planted if x.kind in (NO_SPOT_CHECK, MISMATCH)}
    for stream, steps in by_case(p).items():
        checked = any(s.type == "NationalSpotCheckCompleted" for s in steps)
        assert checked == (rows[stream].tier == "national" and stream not in skipped)


# -- figures -------------------------------------------------------------------------------------------


def test_clean_figures_are_plausible_and_add_up() -> None:
    p = demo()
    planted = {x.stream for x in p.planted}
    incidences = []
    for stream, steps in by_case(p).items():
        if stream in planted:
            continue
        reported = [
            [s.payload for s in steps if s.type == "FiguresReported" and s.payload["source"] == source]
            for source in ("county_self_report", "national_information_system", "third_party")]
        assert [len(r) for r in reported] == [1, 1, 1]
        own, system, survey = (r[0] for r in reported)
        incidences.append(Decimal(own["poverty_incidence"]))
        assert Decimal("0.3") <= Decimal(own["poverty_incidence"]) <= Decimal("1.65")
        assert 200_000 <= own["rural_population"] <= 1_500_000
        assert own["rural_population"] == system["rural_population"] == survey["rural_population"]
        assert Decimal(own["income_growth"]) - Decimal(own["provincial_income_growth"]) >= Decimal("0.8")
        assert own["public_service_indicators_met"] == 19
        villages = [s.payload for s in steps if s.type == "VillageFiguresReported"]
        assert own["poor_villages_total"] == len(villages) and own["poor_villages_remaining"] == 0
        assert sum(v["poor_population"] for v in villages) <= own["poor_population"] * Decimal("0.8")
        evaluation = next(s.payload for s in steps if s.type == "ThirdPartyEvaluationCompleted")
        assert 1000 <= evaluation["sample_households"] <= 2000
        assert Decimal("92") <= Decimal(evaluation["mass_recognition"]) < Decimal("98.7")
        assert Decimal(evaluation["missed_assessment_rate"]) <= 2 or stream in {x.stream for x in p.near_misses}
    assert len(set(incidences)) >= len(incidences) - 6  # no favourite value
    assert Counter(str(i)[-1] for i in incidences).most_common(1)[0][1] <= 8


def test_wrongful_exit_is_mostly_zero() -> None:
    p = demo()
    rates = [s.payload["wrongful_exit_rate"] for s in p.steps if s.type == "ThirdPartyEvaluationCompleted"]
    assert rates.count("0") >= len(rates) * 0.6


@pytest.mark.parametrize("villages", [100, 150])
def test_many_villages_conform_to_benford_and_have_uniform_last_digits(villages: int) -> None:
    p = generate_province(synthetic_counties(25), villages=villages)
    fabricated = {x.stream for x in p.planted if x.kind == FABRICATED}
    for stream, steps in by_case(p).items():
        rows = [s.payload for s in steps if s.type == "VillageFiguresReported"]
        pooled = [v[n] for v in rows for n in VILLAGE_COUNTS]
        large = [c for c in pooled if c >= 100]
        assert len(pooled) >= 300 and max(pooled) / min(pooled) >= 100 and len(large) >= 50
        if stream in fabricated:
            assert benford_mad(pooled) > 0.015 and chi2_last_digits(large) > 27.877
        else:
            assert benford_mad(pooled) < 0.006  # Nigrini: close conformity
            assert chi2_last_digits(large) < 2


# -- clean, planted, near misses -------------------------------------------------------------------------


def test_the_demo_plants_nine_kinds_in_nine_counties() -> None:
    p = demo()
    assert [x.kind for x in sorted(p.planted, key=lambda x: PLANTED_KINDS.index(x.kind))] == list(PLANTED_KINDS)
    assert len({x.county for x in p.planted}) == 9
    assert {x.kind for x in p.near_misses} == set(NEAR_MISS_KINDS)
    assert not {x.county for x in p.near_misses} & {x.county for x in p.planted}
    rows = {r.county_code: r for r in counties()}
    for x in p.planted:
        assert x.rules and x.description and x.stream == rows[x.county].stream
        if x.kind in (MISMATCH, NO_SPOT_CHECK):
            assert rows[x.county].tier == "national"
    assert {y for x in p.planted for y in x.rules} >= {
        "figure-mismatch", "threshold-hugging", "late-revision", "unevidenced-revision", "same-person",
        "missing-step", "threshold-overridden", "perfect-survey", "last-digit", "duplicate-village-records",
        "deadline"}


def test_the_same_person_holds_the_county_and_the_city_office() -> None:
    p = demo()
    planted = next(x for x in p.planted if x.kind == SAME_PERSON)
    row = next(r for r in counties() if r.county_code == planted.county)
    person = {a.actor: a.person for a in p.actors}
    assert person[f"{row.county_code}-lg"] == person[f"{row.city_code}-lg"]


def test_without_planting_the_province_is_clean_but_keeps_its_near_misses() -> None:
    p = demo(plant=False)
    assert p.planted == [] and len(p.near_misses) == 2
    assert all(not flags for flags in flags_by_case(p).values())


@pytest.mark.parametrize("seed", [2020, 1, 2, 3, 11, 12])
def test_clean_cases_raise_nothing_and_planted_ones_exactly_their_rules(seed: int) -> None:
    p = demo(seed)
    expected = planted_rules(p)
    found = flags_by_case(p)
    assert found == {stream: expected.get(stream, set()) for stream in p.cases}
    assert province_flags(p) == set()


@pytest.mark.parametrize(("n", "villages"), [(60, 120), (150, 30), (8, None), (3, 12)])
def test_synthetic_provinces_follow_the_same_rules(n: int, villages: int | None) -> None:
    p = generate_province(synthetic_counties(n), villages=villages)
    assert len(p.planted) == min(9, n // 2) and len(p.cases) == n
    expected = planted_rules(p)
    assert flags_by_case(p) == {stream: expected.get(stream, set()) for stream in p.cases}
    assert province_flags(p) == set()
    if villages and villages >= 100:
        assert {"last-digit", "benford", "duplicate-village-records"} <= next(
            set(x.rules) for x in p.planted if x.kind == FABRICATED)
    if villages and villages < 50 and n >= 16:
        assert next(x.rules for x in p.planted if x.kind == FABRICATED) == ("duplicate-village-records",)
