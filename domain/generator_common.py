"""The demo province generator's vocabulary: its constants, county rows, what a province holds,
and the small helpers every part of the generator shares (see :mod:`domain.generator`)."""

from __future__ import annotations

import csv
import io
import random
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal

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


