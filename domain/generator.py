"""The demo province generator: every poverty county of a province through its real exit timeline.

Pure: no I/O, and no randomness outside a seeded :class:`random.Random`, so the same arguments
give the same province, step for step. The caller reads the counties' CSV (bundled as
``domain/data/anhui_poverty_counties.csv``, see :data:`DATA_PACKAGE` and :data:`COUNTIES_CSV`)
and hands its text to :func:`parse_counties`.

:func:`generate_province` turns county rows into a :class:`Province`: the actors to register
(organisations with synthetic person placeholders such as ``岳西扶贫办甲07``; no real person's
name), the steps of every case in recording order (cases interleaved by date), the case
streams, the planted falsifications (:class:`Planted`: which county, which red-flag rules must
fire) and the near misses (clean cases that take a legitimate but unusual path, on which no
``critical`` or ``high`` flag may fire).

Timeline of a case applying in year Y (DOMAIN.md "The stages", deadlines of
``projections.deadlines``): CaseOpened in August; self-check rectifications September–November;
village figures (as of 31 Oct) and the county's self-report in November or early December;
county approval and the application by 13 December; the city's review, approval and report by
27 December; the national information system's figures, verification, department inspection,
third-party evaluation (with its own FiguresReported), exit report, a seven-day publicity and
the audit opinion between January and April of Y+1; the national spot check (national-level
counties) in May–early July; approval and announcement in May–July; the follow-up plan after.

Clean figures are drawn from wide continuous distributions and then made consistent:
incidence is poor / rural population rounded half-up to 2 decimals (mostly 0.35–1.6 %); the
income growth is 0.8–3.6 pp above the province's; the national system and third-party counts
lie within 0.4 % and 0.5 % of the county's (same rural population); the third-party survey
samples 1,000–2,000 households with recognition 92–98.6 %, wrongful exits mostly 0 and missed
assessments below 1.4 %. Village figures: 12-digit codes under the county's code,
households 100–2,999, poor households and population of an exited village; the first digits of
households and poor population follow Benford's law by construction (stratified mantissas), and
the last digits of every village count of 100 or more are balanced over 0–9 within each case.
The villages' poor population adds up to at most 80 % of the county's; no more villages are
reported than the county's poor-village total (they are all its poor villages).
"""

from __future__ import annotations

import random
from collections.abc import Sequence

from domain.scenario import PROVINCE_CODE, ActorSpec

from domain.generator_common import (
    DATA_PACKAGE,
    COUNTIES_CSV,
    OFFICE,
    GOVERNMENT,
    NATION_LG,
    DISCIPLINE,
    DEPARTMENTS,
    EVALUATORS,
    PROVINCIAL_INCOME_GROWTH,
    DEFAULT_PROVINCIAL_GROWTH,
    VILLAGE_INCOME,
    MISMATCH,
    HUGGING,
    REVISION,
    SAME_PERSON,
    NO_SPOT_CHECK,
    OVERRIDDEN,
    PERFECT,
    FABRICATED,
    LATE_APPLICATION,
    PLANTED_KINDS,
    NATIONAL_ONLY,
    SPECIAL_RECTIFIED,
    OBJECTION_RESOLVED,
    NEAR_MISS_KINDS,
    FABRICATED_MIN_VILLAGES,
    MAX_VILLAGES,
    CountyRow,
    Planted,
    Province,
    parse_counties,
    synthetic_counties,
    _STEMS,
    _short,
)
from domain.generator_case import _Case, _step_date, _village_counts

__all__ = [
    "DATA_PACKAGE",
    "COUNTIES_CSV",
    "OFFICE",
    "GOVERNMENT",
    "NATION_LG",
    "DISCIPLINE",
    "DEPARTMENTS",
    "EVALUATORS",
    "PROVINCIAL_INCOME_GROWTH",
    "DEFAULT_PROVINCIAL_GROWTH",
    "VILLAGE_INCOME",
    "MISMATCH",
    "HUGGING",
    "REVISION",
    "SAME_PERSON",
    "NO_SPOT_CHECK",
    "OVERRIDDEN",
    "PERFECT",
    "FABRICATED",
    "LATE_APPLICATION",
    "PLANTED_KINDS",
    "NATIONAL_ONLY",
    "SPECIAL_RECTIFIED",
    "OBJECTION_RESOLVED",
    "NEAR_MISS_KINDS",
    "FABRICATED_MIN_VILLAGES",
    "MAX_VILLAGES",
    "CountyRow",
    "Planted",
    "Province",
    "parse_counties",
    "synthetic_counties",
    "generate_province",
]

# -- actors ------------------------------------------------------------------------------------------------


class _People:
    """Synthetic person placeholders: place + post + heavenly stem + running number."""

    def __init__(self) -> None:
        self.n = 0

    def __call__(self, place: str, post: str) -> str:
        self.n += 1
        return f"{place}{post}{_STEMS[(self.n - 1) % 10]}{self.n:02d}"


def _actors(counties: Sequence[CountyRow], same_person: CountyRow | None) -> list[ActorSpec]:
    person = _People()
    out = [
        ActorSpec(OFFICE, "安徽省扶贫开发领导小组办公室", "provincial_office", PROVINCE_CODE, person("省", "扶贫办")),
        *(ActorSpec(a, name, "provincial_department", PROVINCE_CODE, person("省", "部门")) for a, name in DEPARTMENTS),
        *(ActorSpec(a, f"第三方评估机构（{org}）", "third_party_evaluator", PROVINCE_CODE, person("评估", "组长"))
          for a, org in EVALUATORS),
        ActorSpec(GOVERNMENT, "中共安徽省委、安徽省人民政府", "provincial_party_government", PROVINCE_CODE,
                  person("省", "党政")),
        ActorSpec(NATION_LG, "国务院扶贫开发领导小组", "national_leading_group", "000000", person("国务院", "扶贫办")),
        ActorSpec(DISCIPLINE, "安徽省纪委监委", "discipline_inspector", PROVINCE_CODE, person("省", "纪委")),
    ]
    county_lg_person: dict[str, str] = {}
    cities: dict[str, list[ActorSpec]] = {}
    for row in counties:
        if row.city_code not in cities:
            place = _short(row.city_name)
            cities[row.city_code] = [
                ActorSpec(f"{row.city_code}-lg", f"{row.city_name}扶贫开发领导小组", "city_leading_group",
                          row.city_code, person(place, "扶贫办")),
                ActorSpec(f"{row.city_code}-pg", f"中共{row.city_name}委、{row.city_name}人民政府",
                          "city_party_government", row.city_code, person(place, "党政")),
            ]
        place = _short(row.county_name)
        lg = ActorSpec(f"{row.county_code}-lg", f"{row.county_name}扶贫开发领导小组", "county_leading_group",
                       row.county_code, person(place, "扶贫办"))
        county_lg_person[row.county_code] = lg.person
        cities[row.city_code].extend([
            lg,
            ActorSpec(f"{row.county_code}-pg", f"中共{row.county_name}委、{row.county_name}人民政府",
                      "county_party_government", row.county_code, person(place, "党政")),
        ])
    if same_person is not None:  # the city office's key is held by the county office's head
        city = cities[same_person.city_code]
        city[0] = ActorSpec(city[0].actor, city[0].name, city[0].role, city[0].jurisdiction,
                            county_lg_person[same_person.county_code])
    for specs in cities.values():
        out.extend(specs)
    return out


# -- what is planted -------------------------------------------------------------------------------


def _description(kind: str, row: CountyRow, case: _Case, city_lg: str) -> str:
    name = row.county_name
    return {
        MISMATCH: f"{name} self-reported 1.95 % incidence while the national information system shows 2.50 %; "
                  "verification rejects the case",
        HUGGING: f"{name} reported 1.98 % incidence and income growth only 0.2 pp above the province",
        REVISION: f"{name} revised its self-report after submitting the application (income growth from below the "
                  "province to above it, 17 → 19 public service indicators), with no RectificationCompleted between",
        SAME_PERSON: f"the person heading {name}'s poverty office ({row.county_code}-lg) also holds the city "
                     f"office's key ({city_lg}) and reviewed the county's application",
        NO_SPOT_CHECK: f"{name} is national-level but was approved and announced without the national spot check",
        OVERRIDDEN: f"third-party mass recognition in {name} was below 90 %, yet the exit was approved and announced "
                    "without a SpecialRectificationReported",
        PERFECT: f"the third-party survey in {name} reports exactly 100 % mass recognition on 1,500 households",
        FABRICATED: f"{name}'s {case.n_villages} village reports are invented: households rounded to tens and fifties, "
                    "a few favourite poor-population values, four villages with identical figures",
        LATE_APPLICATION: f"{name} submitted its exit application on {_step_date(case, 'ExitApplicationSubmitted')}, "
                          "after the 15 December deadline",
        SPECIAL_RECTIFIED: f"the missed-assessment rate in {name} was above 2 %; the county carried out and reported "
                           "a special rectification before the exit report (no flag)",
        OBJECTION_RESOLVED: f"an objection during {name}'s publicity was upheld and rectified before publicity closed "
                            "(no flag)",
    }[kind]


def _rules(kind: str, case: _Case) -> tuple[str, ...]:
    if kind == FABRICATED:
        counts = _village_counts(case)
        rules = ["duplicate-village-records"]
        if sum(1 for c in counts if c >= 100) >= 50:
            rules.append("last-digit")
        if len(counts) >= 300:
            rules.append("benford")
        return tuple(rules)
    return {
        MISMATCH: ("figure-mismatch", "threshold-hugging"),
        HUGGING: ("threshold-hugging",),
        REVISION: ("late-revision", "unevidenced-revision"),
        SAME_PERSON: ("same-person",),
        NO_SPOT_CHECK: ("missing-step",),
        OVERRIDDEN: ("threshold-overridden",),
        PERFECT: ("perfect-survey",),
        LATE_APPLICATION: ("deadline",),
    }.get(kind, ())


def _assign(counties: Sequence[CountyRow], rng: random.Random, plant: bool) -> dict[str, str]:
    """County code → planted or near-miss kind; different kinds in different counties."""
    order = sorted(counties, key=lambda r: r.county_code)
    rng.shuffle(order)
    kinds: dict[str, str] = {}
    wanted = list(PLANTED_KINDS[: min(len(PLANTED_KINDS), len(counties) // 2)]) if plant else []
    for kind in wanted:
        pool = [r for r in order if r.county_code not in kinds and (kind not in NATIONAL_ONLY or r.tier == "national")]
        if pool:
            kinds[pool[0].county_code] = kind
    if len(counties) - len(kinds) >= 4:
        for kind in NEAR_MISS_KINDS:
            pool = [r for r in order if r.county_code not in kinds]
            kinds[pool[-1].county_code] = kind
    return kinds


# -- the province ------------------------------------------------------------------------------------


def generate_province(counties: Sequence[CountyRow], *, seed: int = 2020, villages: int | None = None,
                      plant: bool = True) -> Province:
    """Every county's case, step by step, in recording order; see the module's docstring.

    ``villages`` forces the number of villages of every case (else 15–40 for a national-level
    county, 8–25 for a provincial one, and :data:`FABRICATED_MIN_VILLAGES` for the fabricated
    case); ``plant=False`` gives a clean province (near misses included).
    """
    if villages is not None and not 1 <= villages <= MAX_VILLAGES:
        raise ValueError(f"villages must be between 1 and {MAX_VILLAGES} (got {villages})")
    codes = [r.county_code for r in counties]
    if len(set(codes)) != len(codes):
        raise ValueError("each county may appear once")
    rng = random.Random(f"exitledger-province:{seed}")
    kinds = _assign(counties, rng, plant)
    same_person = next((r for r in counties if kinds.get(r.county_code) == SAME_PERSON), None)
    actors = _actors(counties, same_person)

    built: list[_Case] = []
    for index, row in enumerate(counties):
        case_rng = random.Random(f"exitledger-case:{seed}:{row.county_code}:{row.exit_year}")
        kind = kinds.get(row.county_code)
        n = villages if villages is not None else (
            case_rng.randint(15, 40) if row.tier == "national" else case_rng.randint(8, 25))
        if kind == FABRICATED and villages is None:
            n = max(n, FABRICATED_MIN_VILLAGES)
        case = _Case(row, case_rng, kind, n, evaluator=index % len(EVALUATORS),
                     department=case_rng.randrange(len(DEPARTMENTS)))
        case.build()
        built.append(case)

    planted: list[Planted] = []
    near: list[Planted] = []
    for case in built:
        kind = case.kind
        if kind is None:
            continue
        entry = Planted(case.row.county_code, case.stream, kind, _rules(kind, case),
                        _description(kind, case.row, case, case.city_lg))
        (near if kind in NEAR_MISS_KINDS else planted).append(entry)

    ordered = sorted(((step.on, i, j, step) for i, case in enumerate(built) for j, step in enumerate(case.steps)),
                     key=lambda t: t[:3])
    return Province(actors=actors, steps=[t[3] for t in ordered], planted=planted, cases=[c.stream for c in built],
                    near_misses=near, counties=list(counties))

