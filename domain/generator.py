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

import csv
import io
import math
import random
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from domain.scenario import PROVINCE_CODE, PROVINCE_NAME, ActorSpec, Step

DATA_PACKAGE = "domain.data"
COUNTIES_CSV = "anhui_poverty_counties.csv"
"""The bundled reference data: ``importlib.resources.files(DATA_PACKAGE) / COUNTIES_CSV``."""

OFFICE = "ah-office"
GOVERNMENT = "ah-gov"
NATION_LG = "cn-lg"
DISCIPLINE = "ah-cdi"
DEPARTMENTS: tuple[tuple[str, str], ...] = (
    ("ah-dept-stats", "安徽省统计局"),
    ("ah-dept-edu", "安徽省教育厅"),
    ("ah-dept-health", "安徽省卫生健康委员会"),
)
EVALUATORS: tuple[tuple[str, str], ...] = (
    ("ah-eval-1", "示例大学贫困治理评估中心"),
    ("ah-eval-2", "示例社会科学研究院评估组"),
    ("ah-eval-3", "示例农业大学第三方评估团队"),
)

PROVINCIAL_INCOME_GROWTH: dict[int, str] = {2016: "8.2", 2017: "8.9", 2018: "9.7", 2019: "10.1", 2020: "7.8"}
"""Growth of the province's rural per-capita disposable income, %, by the case year."""
DEFAULT_PROVINCIAL_GROWTH = "9.0"
VILLAGE_INCOME: dict[int, int] = {2016: 8200, 2017: 9100, 2018: 10100, 2019: 11200, 2020: 12000}
"""A typical per-capita income (yuan) of an exited poor village, by the case year."""

# planted falsifications (Planted.kind)
MISMATCH = "figure-mismatch"
HUGGING = "threshold-hugging"
REVISION = "late-unevidenced-revision"
SAME_PERSON = "same-person"
NO_SPOT_CHECK = "missing-spot-check"
OVERRIDDEN = "threshold-overridden"
PERFECT = "perfect-survey"
FABRICATED = "fabricated-villages"
LATE_APPLICATION = "late-application"
PLANTED_KINDS: tuple[str, ...] = (
    MISMATCH, NO_SPOT_CHECK, HUGGING, REVISION, SAME_PERSON, OVERRIDDEN, PERFECT, FABRICATED, LATE_APPLICATION,
)
"""In the order they are planted; the first two need a national-level county."""
NATIONAL_ONLY = frozenset({MISMATCH, NO_SPOT_CHECK})

# near misses: clean cases on a legitimate but unusual path (no critical or high flag)
SPECIAL_RECTIFIED = "special-rectification-reported"
OBJECTION_RESOLVED = "objection-resolved"
NEAR_MISS_KINDS: tuple[str, ...] = (SPECIAL_RECTIFIED, OBJECTION_RESOLVED)

FABRICATED_MIN_VILLAGES = 60
"""Villages of the fabricated case when the village count is not forced (the last-digit test
needs at least 50 counts of 100 or more)."""
MAX_VILLAGES = 50_000

_STEMS = "甲乙丙丁戊己庚辛壬癸"
_NAME_CHARS = "桃柳石河岭山塘冲畈湾桥庄岗坪溪园林峰泉田丰和兴安乐福平新光明东西南中上下龙凤马黄白青红"
_SELF_CHECK_ITEMS = (
    "两个村饮水安全未达标", "部分贫困户住房安全鉴定资料不全", "一所村小学校舍未完成改造", "村卫生室未配备合格村医",
    "三户贫困户信息系统数据与实际不符", "部分村道路硬化未完工", "一个村集体经济收入未达标",
)
_EVIDENCE = ("水质检测报告", "住房安全鉴定表", "竣工验收报告", "村医执业资格证明", "信息系统更正记录", "道路验收单")


@dataclass(frozen=True)
class CountyRow:
    """One row of the counties' CSV (see the reference data's README)."""

    county_code: str
    county_name: str
    city_code: str
    city_name: str
    tier: str  # "national" or "provincial"
    exit_year: int  # the year the county applies
    tier_confirmed: bool = True

    @property
    def stream(self) -> str:
        return f"case:{self.county_code}-{self.exit_year}"


@dataclass(frozen=True)
class Planted:
    """A falsification planted in one case, and the red-flag rules that must fire on it."""

    county: str
    stream: str
    kind: str
    rules: tuple[str, ...]
    description: str


@dataclass(frozen=True)
class Province:
    """A generated province: who acts, every step in recording order, and what was planted."""

    actors: list[ActorSpec]
    steps: list[Step]
    planted: list[Planted]
    cases: list[str]
    near_misses: list[Planted] = field(default_factory=list)
    counties: list[CountyRow] = field(default_factory=list)
    province_code: str = PROVINCE_CODE
    province_name: str = PROVINCE_NAME


# -- the counties ----------------------------------------------------------------------------------

_COLUMNS = ("county_code", "county_name", "city_code", "city_name", "tier", "exit_year")


def parse_counties(text: str) -> list[CountyRow]:
    """The rows of the counties' CSV text (header ``county_code,county_name,city_code,city_name,
    tier,exit_year[,tier_confirmed]``); :class:`ValueError` naming the line on a bad row."""
    reader = csv.DictReader(io.StringIO(text.lstrip("\ufeff")))
    missing = [c for c in _COLUMNS if c not in (reader.fieldnames or ())]
    if missing:
        raise ValueError(f"counties CSV: missing column(s) {', '.join(missing)}")
    rows: list[CountyRow] = []
    seen: set[str] = set()
    for line, raw in enumerate(reader, start=2):
        values = {k: (raw.get(k) or "").strip() for k in (*_COLUMNS, "tier_confirmed")}
        if not any(values.values()):
            continue
        county, city, tier = values["county_code"], values["city_code"], values["tier"]
        problem = None
        if len(county) != 6 or not county.isdigit() or county.endswith("00"):
            problem = f"county_code {county!r} is not a 6-digit county code"
        elif len(city) != 6 or not city.isdigit() or not city.endswith("00") or city.endswith("0000"):
            problem = f"city_code {city!r} is not a 6-digit city code"
        elif tier not in ("national", "provincial"):
            problem = f"tier {tier!r} is not national or provincial"
        elif not values["exit_year"].isdigit():
            problem = f"exit_year {values['exit_year']!r} is not a year"
        elif not values["county_name"] or not values["city_name"]:
            problem = "county_name and city_name are required"
        elif county in seen:
            problem = f"county {county} appears twice"
        if problem:
            raise ValueError(f"counties CSV line {line}: {problem}")
        seen.add(county)
        rows.append(CountyRow(county, values["county_name"], city, values["city_name"], tier,
                              int(values["exit_year"]), values["tier_confirmed"].lower() != "no"))
    return rows


def synthetic_counties(n: int, *, seed: int = 2020, province_code: str = PROVINCE_CODE) -> list[CountyRow]:
    """``n`` made-up counties for benchmarks (``示例0001县`` …), about two thirds national-level,
    applying in 2017 (15 %), 2018 (55 %) or 2019 (30 %). Codes are ``34CCNN`` under cities
    ``34CC00``: 3–12 counties a city for up to 297 counties, 99 a city beyond (up to 9,801)."""
    if not 0 <= n <= 99 * 99:
        raise ValueError(f"between 0 and {99 * 99} synthetic counties (got {n})")
    rng = random.Random(f"exitledger-synthetic:{seed}")
    prefix = province_code[:2]
    places: list[tuple[int, int]] = []
    if n <= 99 * 3:
        city = 0
        while len(places) < n:
            city += 1
            places.extend((city, number) for number in range(1, rng.randint(3, 12) + 1))
    else:
        places = [(i // 99 + 1, i % 99 + 1) for i in range(n)]
    rows = []
    for i, (city, number) in enumerate(places[:n]):
        draw = rng.random()
        year = 2017 if draw < 0.15 else 2018 if draw < 0.70 else 2019
        rows.append(CountyRow(f"{prefix}{city:02d}{number:02d}", f"示例{i + 1:04d}县", f"{prefix}{city:02d}00",
                              f"示例{city:02d}市", "national" if rng.random() < 0.65 else "provincial", year, True))
    return rows


# -- small helpers -------------------------------------------------------------------------------------


def _short(name: str) -> str:
    """岳西县 → 岳西, 泗县 → 泗县, 示例0001县 → 示例0001."""
    return name[:-1] if len(name) > 2 and name[-1] in "县区市" else name


def _pct(part: int, whole: int) -> str:
    """100 · part / whole as a decimal string with 2 decimals, rounded half up; "0" for none."""
    if part == 0:
        return "0"
    return str((Decimal(100 * part) / Decimal(whole)).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP))


def _poor_for(rural: int, incidence: str) -> int:
    """A poor population whose incidence in ``rural`` rounds to exactly ``incidence``."""
    poor = round(rural * Decimal(incidence) / 100)
    for candidate in (poor, poor - 1, poor + 1):
        if _pct(candidate, rural) == incidence:
            return candidate
    raise ValueError(f"no poor population of {rural} rounds to {incidence} %")  # pragma: no cover


def _growth(value: float) -> str:
    return f"{value:.1f}"


class _Dates:
    """Dates of one case year: ``d(0, 12, 15)`` is 15 December of Y, ``d(1, 1, 3)`` 3 January of Y+1."""

    def __init__(self, year: int, rng: random.Random) -> None:
        self.year, self.rng = year, rng

    def d(self, offset: int, month: int, day: int) -> date:
        return date(self.year + offset, month, day)

    def after(self, day: date, low: int, high: int, *, cap: date | None = None) -> date:
        moment = day + timedelta(days=self.rng.randint(low, high))
        return min(moment, cap) if cap else moment


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


# -- village figures ------------------------------------------------------------------------------------


def _village_codes(rng: random.Random, county: str, n: int) -> list[str]:
    """``n`` distinct 12-digit codes: county + township (100–999) + village (200–999)."""
    codes: list[str] = []
    township = rng.randint(100, 104)
    per_township = max(8, math.ceil(n / 300))
    while len(codes) < n:
        village = 200 + rng.randint(0, 4)
        for _ in range(rng.randint(2, per_township)):
            if len(codes) == n or village > 999:
                break
            codes.append(f"{county}{township:03d}{village:03d}")
            village += rng.randint(1, 3)
        township += rng.randint(1, 3)
        if township > 999:
            raise ValueError(f"too many villages for one county ({n})")  # pragma: no cover
    return codes


def _village_name(rng: random.Random) -> str:
    return f"{rng.choice(_NAME_CHARS)}{rng.choice(_NAME_CHARS)}村"


def _mantissas(rng: random.Random, n: int) -> list[float]:
    """``n`` stratified uniform mantissas in [0, 1), shuffled: their first digits are Benford's."""
    values = [(i + rng.random()) / n for i in range(n)]
    rng.shuffle(values)
    return values


def _balance_last_digits(rng: random.Random, rows: list[dict[str, Any]]) -> None:
    """Give the village counts of 100 or more, pooled, last digits balanced over 0–9."""
    slots = [(row, name) for row in rows for name in ("households", "poor_households", "poor_population")
             if row[name] >= 100]
    start = rng.randrange(10)
    digits = [(start + i) % 10 for i in range(len(slots))]
    rng.shuffle(digits)
    for (row, name), digit in zip(slots, digits, strict=True):
        row[name] = row[name] // 10 * 10 + digit


def _clean_villages(rng: random.Random, county: str, n: int, year: int, as_of: str) -> list[dict[str, Any]]:
    """Village figures whose first digits are Benford's by construction and whose last digits
    (counts of 100 or more) are balanced.

    Households and poor households get stratified mantissas and are paired by rank, with some
    jitter (bigger villages have more poor households). The poor population is poor households
    times a household size of about 1.5–3.2, chosen so that its mantissas are stratified too:
    villages sorted by their poor households' mantissa take, in turn, the target mantissa about
    a third of the way round the circle (locally shuffled).
    """
    codes = _village_codes(rng, county, n)
    income = VILLAGE_INCOME.get(year, 10_000)
    households = [10 ** (3 + m if m < math.log10(3) and rng.random() < 0.45 else 2 + m) for m in _mantissas(rng, n)]
    poor_mantissas = _mantissas(rng, n)
    poor_households = []
    for m in poor_mantissas:
        draw = rng.random()
        poor_households.append(10 ** (m + (2 if m < math.log10(1.5) and draw < 0.12 else 1 if draw < 0.45 else 0)))
    # the poor population's mantissas: a near-rotation of the poor households' by about 1/3
    targets = sorted(_mantissas(rng, n))
    block = max(1, n // 12)
    shuffled = list(range(n))
    for start in range(0, n, block):
        part = shuffled[start:start + block]
        rng.shuffle(part)
        shuffled[start:start + block] = part
    turn = round(n / 3)
    size = [0.0] * n
    for rank, i in enumerate(sorted(range(n), key=lambda i: poor_mantissas[i])):
        size[i] = 10 ** ((targets[(shuffled[rank] + turn) % n] - poor_mantissas[i]) % 1)
    # bigger villages, more poor households
    order = sorted(range(n), key=lambda i: poor_households[i])
    by_households = sorted(range(n), key=lambda i: households[i] * rng.lognormvariate(0, 0.15))
    rows: list[dict[str, Any]] = []
    for village, poor in sorted(zip(by_households, order, strict=True)):
        # at most a fifth of a village's households are poor (binds only for a handful of villages)
        scale = min(1.0, households[village] / 5 / poor_households[poor])
        rows.append({"as_of": as_of, "village_code": codes[village], "village_name": _village_name(rng),
                     "households": int(households[village]), "poor_households": max(1, int(poor_households[poor] * scale)),
                     "poor_population": max(1, int(poor_households[poor] * scale * size[poor])),
                     "per_capita_income": str(int(income * rng.uniform(0.8, 1.25))), "exited": True})
    _balance_last_digits(rng, rows)
    return rows


def _fabricated_villages(rng: random.Random, county: str, n: int, year: int, as_of: str) -> list[dict[str, Any]]:
    """Invented figures: round households, a few favourite values, and 4 identical villages."""
    codes = _village_codes(rng, county, n)
    income = VILLAGE_INCOME.get(year, 10_000)
    rows = []
    for code in codes:
        households = round(rng.uniform(300, 1500) / 10) * 10 if rng.random() < 0.7 else round(
            rng.uniform(300, 1500) / 50) * 50
        poor = rng.choice((10, 12, 15, 18, 20, 25, 30, 40))
        rows.append({"as_of": as_of, "village_code": code, "village_name": _village_name(rng),
                     "households": households, "poor_households": poor // 2, "poor_population": poor,
                     "per_capita_income": str(round(income * rng.uniform(0.9, 1.1) / 500) * 500), "exited": True})
    twin = {"households": 800, "poor_households": 6, "poor_population": 15, "per_capita_income": str(income // 1000 * 1000)}
    for row in rng.sample(rows, min(4, len(rows))):
        row.update(twin)
    return rows


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


def _step_date(case: _Case, type: str) -> str:
    return next(s.on for s in case.steps if s.type == type)


def _village_counts(case: _Case) -> list[int]:
    return [v[name] for v in case.village_rows for name in ("households", "poor_households", "poor_population")]


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

    planted, near = [], []
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

