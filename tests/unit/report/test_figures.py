"""Each figure of a case over time by source, with thresholds and revisions."""

from __future__ import annotations

from decimal import Decimal as D

from projections.flags import Policy
from projections.report.figures import date_span, figure_charts, thresholds
from tests.unit.flags.make import Cite, Step, case, clean_steps, figures, insert_after


def chart(charts: list[dict], indicator: str) -> dict:
    return next(c for c in charts if c["indicator"] == indicator)


def revised_case() -> list[Step]:
    revision = Step("FiguresReported", figures("county_self_report", "2019-12-12", "2019-10-31", 480_000, 4_800,
                                               income_growth="10.2", provincial_income_growth="8.9",
                                               public_service_indicators_met=19, revises=Cite("county")),
                    label="revision")
    return insert_after(clean_steps(rural=480_000, poor=5_280), "ExitApplicationSubmitted", revision)


def test_each_source_is_its_own_series_in_spec_order_dated_by_when_it_was_reported() -> None:
    incidence = chart(figure_charts(case(), Policy()), "poverty_incidence")
    assert [s["source"] for s in incidence["series"]] == ["county_self_report", "national_information_system"]
    assert [s["label"] for s in incidence["series"]] == ["county self-report", "national information system"]
    county, verified = (s["points"] for s in incidence["series"])
    assert [(p["date"], p["text"], p["as_of"]) for p in county] == [("2019-11-25", "1.10", "2019-10-31")]
    assert [(p["date"], p["text"]) for p in verified] == [("2020-01-10", "1.10")]
    assert county[0]["value"] == 1.1 and len(county[0]["hash"]) == 64 and county[0]["seq"] == 4


def test_the_incidence_threshold_is_the_ledgers_limit() -> None:
    assert chart(figure_charts(case(), Policy()), "poverty_incidence")["thresholds"] == [
        {"value": 2.0, "text": "2", "kind": "max", "label": "exit limit 2%"}]
    western = chart(figure_charts(case(), Policy(incidence_limit=D("3"))), "poverty_incidence")
    assert [t["value"] for t in western["thresholds"]] == [3.0]


def test_the_survey_rates_come_from_the_third_party_evaluation_with_their_thresholds() -> None:
    charts = figure_charts(case(), Policy())
    recognition = chart(charts, "mass_recognition")
    [series] = recognition["series"]
    assert series["source"] == "third_party" and [p["text"] for p in series["points"]] == ["97.8"]
    assert series["points"][0]["date"] == "2020-03-06"
    assert recognition["thresholds"] == [{"value": 90.0, "text": "90", "kind": "min", "label": "minimum 90%"}]
    assert [t["kind"] for t in chart(charts, "wrongful_exit_rate")["thresholds"]] == ["max"]
    services = chart(charts, "public_service_indicators_met")
    assert {s["source"] for s in services["series"]} == {"county_self_report", "third_party"}
    assert services["thresholds"][0]["value"] == 19.0


def test_a_revision_is_joined_to_the_report_it_revises_and_marked_when_the_figure_moved() -> None:
    charts = figure_charts(case(revised_case()), Policy())
    incidence = chart(charts, "poverty_incidence")
    [county] = [s for s in incidence["series"] if s["source"] == "county_self_report"]
    old, new = county["points"]
    assert old["revised_by"] == new["hash"] and new["revises"] == old["hash"]
    assert old["revises"] is None and new["revised_by"] is None
    [revision] = incidence["revisions"]
    assert revision["from"] is old and revision["to"] is new and revision["changed"] is True
    assert (old["text"], new["text"]) == ("1.10", "1.00")
    [rural] = chart(charts, "rural_population")["revisions"]
    assert rural["changed"] is False  # restated, not moved


def test_a_report_naming_no_earlier_report_is_no_revision() -> None:
    steps = revised_case()
    steps[[s.label for s in steps].index("revision")].payload.pop("revises")
    incidence = chart(figure_charts(case(steps), Policy()), "poverty_incidence")
    assert incidence["revisions"] == []
    assert all(p["revises"] is None and p["revised_by"] is None for s in incidence["series"] for p in s["points"])


def test_indicators_without_any_figure_get_no_chart_and_the_charts_share_one_span() -> None:
    charts = figure_charts(case(), Policy())
    names = [c["indicator"] for c in charts]
    assert names[0] == "poverty_incidence" and "poor_population" in names
    assert date_span(charts) == ("2019-11-25", "2020-03-06")
    assert date_span([]) is None


def test_thresholds_of_an_indicator_without_a_standard_are_empty() -> None:
    assert thresholds("rural_population", Policy()) == []
