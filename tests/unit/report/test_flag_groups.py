"""The province's flags grouped by rule and by city, and filtered to one year."""

from __future__ import annotations

from projections.flags import Flag, Ref
from projections.report.province import PROVINCE_WIDE, flags_by_city, flags_by_rule, of_year, stage_counts

EV = (Ref(1, "a" * 64),)


def f(rule: str, stream: str, severity: str) -> Flag:
    return Flag(rule, stream, severity, "message", EV)


FLAGS = [
    f("figure-mismatch", "case:341322-2019", "critical"),
    f("threshold-hugging", "case:341322-2019", "watch"),
    f("threshold-hugging", "case:340826-2018", "watch"),
    f("same-person", "case:341623-2018", "high"),
    f("threshold-bunching", "province:2019", "high"),
]
CITIES = {"case:341322-2019": ("341300", "宿州市"), "case:340826-2018": ("340800", "安庆市"),
          "case:341623-2018": ("341600", "亳州市")}


def test_flags_by_rule_count_each_severity_in_the_rules_order() -> None:
    groups = flags_by_rule(FLAGS)
    assert [g["key"] for g in groups] == ["figure-mismatch", "threshold-hugging", "threshold-bunching",
                                          "same-person"]
    hugging = groups[1]
    assert hugging["total"] == 2 and hugging["by_severity"] == {"critical": 0, "high": 0, "watch": 2}


def test_flags_by_city_name_the_city_and_gather_province_wide_flags_last() -> None:
    groups = flags_by_city(FLAGS, CITIES)
    assert [(g["key"], g["label"], g["total"]) for g in groups] == [
        ("340800", "安庆市 (340800)", 1), ("341300", "宿州市 (341300)", 2), ("341600", "亳州市 (341600)", 1),
        (PROVINCE_WIDE, PROVINCE_WIDE, 1)]
    assert groups[1]["by_severity"] == {"critical": 1, "high": 0, "watch": 1}


def test_no_flags_make_no_groups() -> None:
    assert flags_by_rule([]) == [] and flags_by_city([], CITIES) == []


def test_a_year_keeps_its_cases_flags_and_its_own_province_wide_flags() -> None:
    chosen = of_year(FLAGS + [f("one-way-revisions", "province:2018", "high")], {"case:341322-2019"}, 2019)
    assert [(x.rule, x.stream) for x in chosen] == [("figure-mismatch", "case:341322-2019"),
                                                    ("threshold-hugging", "case:341322-2019"),
                                                    ("threshold-bunching", "province:2019")]
    every = of_year(FLAGS, set(CITIES), None)
    assert every == FLAGS


def test_stage_counts_follow_the_process_order_and_name_the_counties() -> None:
    status: list[dict[str, object]] = [{"stream": "case:1", "county_name": "甲县", "stage": "rejected"},
              {"stream": "case:2", "county_name": "乙县", "stage": "announced"},
              {"stream": "case:3", "county_name": None, "stage": "applied"},
              {"stream": "case:4", "county_name": "丁县", "stage": "announced"}]
    assert stage_counts(status) == [
        {"stage": "applied", "count": 1, "counties": ["case:3"]},
        {"stage": "announced", "count": 2, "counties": ["乙县", "丁县"]},
        {"stage": "rejected", "count": 1, "counties": ["甲县"]}]
