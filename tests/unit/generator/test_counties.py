"""The counties' CSV: the bundled copy, its parser, and synthetic counties for benchmarks."""

from __future__ import annotations

from collections import Counter
from importlib.resources import files
from pathlib import Path

import pytest

from domain.generator import COUNTIES_CSV, DATA_PACKAGE, CountyRow, parse_counties, synthetic_counties

SHARED = Path(__file__).resolve().parents[4] / "shared" / "data" / COUNTIES_CSV


def bundled_text() -> str:
    return (files(DATA_PACKAGE) / COUNTIES_CSV).read_text(encoding="utf-8")


def test_the_bundled_csv_holds_anhuis_31_poverty_counties() -> None:
    rows = parse_counties(bundled_text())
    assert len(rows) == 31
    assert Counter(r.tier for r in rows) == {"national": 20, "provincial": 11}
    assert Counter(r.exit_year for r in rows) == {2017: 4, 2018: 18, 2019: 9}
    yuexi = rows[0]
    assert yuexi == CountyRow("340828", "岳西县", "340800", "安庆市", "national", 2017, True)
    assert yuexi.stream == "case:340828-2017"
    assert sum(not r.tier_confirmed for r in rows) == 12
    assert all(r.county_code[:4] == r.city_code[:4] for r in rows)


@pytest.mark.skipif(not SHARED.exists(), reason="no ../shared next to the project")
def test_the_bundled_csv_is_a_copy_of_the_shared_reference_data() -> None:
    assert bundled_text() == SHARED.read_text(encoding="utf-8")


def test_parse_tolerates_a_bom_blank_lines_and_a_missing_tier_confirmed_column() -> None:
    text = "\ufeffcounty_code,county_name,city_code,city_name,tier,exit_year\n341122,来安县,341100,滁州市,national,2019\n\n"
    assert parse_counties(text) == [CountyRow("341122", "来安县", "341100", "滁州市", "national", 2019, True)]


@pytest.mark.parametrize(("row", "problem"), [
    ("341100,来安县,341100,滁州市,national,2019", "county_code"),
    ("341122,来安县,341122,滁州市,national,2019", "city_code"),
    ("341122,来安县,341100,滁州市,county,2019", "tier"),
    ("341122,来安县,341100,滁州市,national,next", "exit_year"),
    ("341122,,341100,滁州市,national,2019", "required"),
])
def test_parse_names_the_line_and_the_fault(row: str, problem: str) -> None:
    with pytest.raises(ValueError, match=rf"line 2: .*{problem}"):
        parse_counties("county_code,county_name,city_code,city_name,tier,exit_year\n" + row + "\n")


def test_parse_refuses_missing_columns_and_duplicate_counties() -> None:
    with pytest.raises(ValueError, match="missing column"):
        parse_counties("county_code,county_name\n341122,来安县\n")
    row = "341122,来安县,341100,滁州市,national,2019\n"
    with pytest.raises(ValueError, match="line 3: county 341122 appears twice"):
        parse_counties("county_code,county_name,city_code,city_name,tier,exit_year\n" + row + row)


@pytest.mark.parametrize("n", [0, 1, 31, 297, 298, 2000])
def test_synthetic_counties_are_distinct_well_formed_and_deterministic(n: int) -> None:
    rows = synthetic_counties(n)
    assert rows == synthetic_counties(n)
    assert len(rows) == n == len({r.county_code for r in rows})
    for r in rows:
        assert r.county_code.startswith("34") and not r.county_code.endswith("00")
        assert r.city_code == r.county_code[:4] + "00" and not r.city_code.endswith("0000")
        assert r.tier in ("national", "provincial") and r.exit_year in (2017, 2018, 2019)
    if n >= 100:
        assert {r.tier for r in rows} == {"national", "provincial"}
        assert {r.exit_year for r in rows} == {2017, 2018, 2019}


def test_synthetic_counties_are_bounded() -> None:
    with pytest.raises(ValueError):
        synthetic_counties(99 * 99 + 1)
