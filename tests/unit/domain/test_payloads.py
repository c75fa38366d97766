"""Payload validation: each field's rule, with a message naming the field and the rule."""

from __future__ import annotations

from typing import Any

import pytest

from domain import PayloadError
from tests.unit.domain.kit import CASE, Book, national_case, opening, province, step, until


def opened() -> Book:
    return province().walk(national_case()[:1])


def refused(book: Book, type: str, payload: dict[str, Any], actor: str = "341122-lg") -> PayloadError:
    with pytest.raises(PayloadError) as raised:
        book.record(CASE, type, actor, payload)
    return raised.value


def county_figures(**changes: Any) -> dict[str, Any]:
    return {**step(national_case(), "FiguresReported").payload, **changes}


def test_names_a_float_given_for_a_decimal_figure() -> None:
    error = refused(opened(), "FiguresReported", county_figures(poverty_incidence=1.87))
    assert error.field == "poverty_incidence"
    assert error.message == 'payload.poverty_incidence: must be a decimal string such as "1.87" (got 1.87, a number)'


@pytest.mark.parametrize("value", ["1.87%", "1,87", "1.87654", ".5", "1e2", " 1.8", "", "+1"])
def test_refuses_a_decimal_string_that_is_not_plain(value: str) -> None:
    error = refused(opened(), "FiguresReported", county_figures(poverty_incidence=value))
    assert "plain decimal string with at most 4 decimals" in error.message


def test_keeps_a_decimal_string_exactly_as_given() -> None:
    event = opened().record(CASE, "FiguresReported", "341122-lg", county_figures(poverty_incidence="1.870"))
    assert event.payload["poverty_incidence"] == "1.870"


@pytest.mark.parametrize(("field", "value"), [
    ("poverty_incidence", "100.01"), ("poverty_incidence", "-0.1"), ("income_growth", "-100.5"),
    ("income_growth", "1000.1"), ("provincial_income_growth", "-101"), ("public_service_indicators_met", 20),
    ("public_service_indicators_met", -1), ("rural_population", -1),
])
def test_refuses_a_figure_out_of_range(field: str, value: Any) -> None:
    error = refused(opened(), "FiguresReported", county_figures(**{field: value}))
    assert error.field == field and "must be " in error.message


def test_accepts_a_negative_income_growth() -> None:
    event = opened().record(CASE, "FiguresReported", "341122-lg", county_figures(income_growth="-3.5"))
    assert event.payload["income_growth"] == "-3.5"


@pytest.mark.parametrize("value", [True, 1.0, "337000", 3.37e5])
def test_refuses_a_count_that_is_not_a_whole_number(value: Any) -> None:
    error = refused(opened(), "FiguresReported", county_figures(rural_population=value))
    assert error.field == "rural_population" and "must be a whole number" in error.message


def test_names_a_boolean_given_for_a_count() -> None:
    error = refused(opened(), "FiguresReported", county_figures(poor_population=True))
    assert error.message == "payload.poor_population: must be a whole number (got true, a boolean)"


def test_refuses_a_missing_required_field() -> None:
    payload = county_figures()
    del payload["as_of"]
    error = refused(opened(), "FiguresReported", payload)
    assert error.message == "payload.as_of: is required"


def test_refuses_an_unknown_field_and_lists_the_allowed_ones() -> None:
    error = refused(opened(), "FiguresReported", county_figures(incidence="1.87"))
    assert error.field == "incidence"
    assert error.message.startswith("payload.incidence: unknown field; allowed: source, reported_on, as_of")


@pytest.mark.parametrize(("field", "value", "rule"), [
    ("note", None, "leave it out rather than null"), ("as_of", None, "is required (got null)"),
])
def test_refuses_null_instead_of_leaving_a_field_out(field: str, value: Any, rule: str) -> None:
    assert rule in refused(opened(), "FiguresReported", county_figures(**{field: value})).message


@pytest.mark.parametrize("value", ["2019-02-30", "2019-2-3", "20191210", "2019-12-10T00:00", 20191210, "10/12/2019"])
def test_refuses_a_date_that_is_not_yyyy_mm_dd(value: Any) -> None:
    error = refused(opened(), "FiguresReported", county_figures(reported_on=value))
    assert error.field == "reported_on" and "must be a date YYYY-MM-DD" in error.message


def test_refuses_poor_population_above_rural_population() -> None:
    error = refused(opened(), "FiguresReported", county_figures(rural_population=10, poor_population=11))
    assert error.message == "payload.poor_population: cannot exceed rural_population (11 > 10)"


def test_refuses_more_villages_remaining_than_there_are() -> None:
    error = refused(opened(), "FiguresReported", county_figures(poor_villages_total=3, poor_villages_remaining=4))
    assert error.field == "poor_villages_remaining"


def test_records_an_incidence_that_does_not_match_its_populations() -> None:
    event = opened().record(CASE, "FiguresReported", "341122-lg",
                            county_figures(rural_population=100000, poor_population=3000, poverty_incidence="1.50"))
    assert event.payload["poverty_incidence"] == "1.50"


def test_refuses_an_unknown_source() -> None:
    error = refused(opened(), "FiguresReported", county_figures(source="hearsay"))
    assert error.field == "source" and "county_self_report, national_information_system" in error.message


def village(**changes: Any) -> dict[str, Any]:
    return {**step(national_case(), "VillageFiguresReported").payload, **changes}


@pytest.mark.parametrize(("field", "value"), [
    ("village_code", "34112210020"), ("village_code", "341121100201"), ("poor_households", 613),
    ("exited", "yes"), ("per_capita_income", 9830), ("per_capita_income", "-1"), ("village_name", "  "),
])
def test_refuses_bad_village_figures(field: str, value: Any) -> None:
    assert refused(opened(), "VillageFiguresReported", village(**{field: value})).field == field


def test_refuses_a_village_outside_the_case_county() -> None:
    error = refused(opened(), "VillageFiguresReported", village(village_code="341121100201"))
    assert error.message == 'payload.village_code: must be a village of county 341122 (got "341121100201")'


@pytest.mark.parametrize(("changes", "field"), [
    ({"county_code": "341121"}, "county_code"), ({"year": 2020}, "year"), ({"year": "2019"}, "year"),
    ({"county_code": "34112"}, "county_code"), ({"city_code": "341122"}, "city_code"),
    ({"city_code": "340000"}, "city_code"), ({"tier": "county"}, "tier"), ({"county_name": ""}, "county_name"),
])
def test_refuses_a_case_opening_that_does_not_match_its_stream(changes: dict[str, Any], field: str) -> None:
    with pytest.raises(PayloadError) as raised:
        province().record(CASE, "CaseOpened", "ah-office", opening(**changes))
    assert raised.value.field == field


def test_refuses_a_year_outside_2000_to_2100() -> None:
    with pytest.raises(PayloadError) as raised:
        province().record("case:341122-1999", "CaseOpened", "ah-office", opening(year=1999))
    assert raised.value.message == "payload.year: must be between 2000 and 2100 (got 1999)"


def test_refuses_a_case_of_another_province() -> None:
    with pytest.raises(PayloadError, match="must lie in province 340000"):
        province().record("case:421122-2019", "CaseOpened", "ah-office", opening("421122", "421100"))


@pytest.mark.parametrize(("field", "value"), [
    ("findings", "逐项审核"), ("findings", ["ok", ""]), ("findings", ["ok", 3]), ("opinion", "passed"),
])
def test_refuses_bad_lists_and_enumerations(field: str, value: Any) -> None:
    book = province().walk(until(national_case(), "CityReviewCompleted"))
    payload = {**step(national_case(), "CityReviewCompleted").payload, field: value}
    assert refused(book, "CityReviewCompleted", payload, "341100-lg").field == field


def test_points_at_the_bad_item_of_a_list() -> None:
    book = province().walk(until(national_case(), "CityReviewCompleted"))
    payload = {**step(national_case(), "CityReviewCompleted").payload, "findings": ["ok", ""]}
    assert refused(book, "CityReviewCompleted", payload, "341100-lg").message == (
        'payload.findings: item 1 must be a non-empty string (got "", a string)')


@pytest.mark.parametrize(("changes", "field"), [
    ({"sample_households": 0}, "sample_households"), ({"mass_recognition": "100.1"}, "mass_recognition"),
    ({"wrongful_exit_rate": 1}, "wrongful_exit_rate"), ({"public_service_indicators_met": "19"},
                                                         "public_service_indicators_met"),
])
def test_refuses_bad_evaluation_figures(changes: dict[str, Any], field: str) -> None:
    book = province().walk(until(national_case(), "ThirdPartyEvaluationCompleted"))
    payload = {**step(national_case(), "ThirdPartyEvaluationCompleted").payload, **changes}
    assert refused(book, "ThirdPartyEvaluationCompleted", payload, "ah-eval").field == field


@pytest.mark.parametrize(("type", "field", "actor"), [
    ("ProvincialVerificationCompleted", "decision", "ah-office"),
    ("ThirdPartyEvaluationCompleted", "special_rectification", "ah-eval"),
])
def test_refuses_a_derived_field_given_by_the_user(type: str, field: str, actor: str) -> None:
    book = province().walk(until(national_case(), type))
    payload = {**step(national_case(), type).payload, field: "proceed"}
    error = refused(book, type, payload, actor)
    assert error.field == field and "is derived by the ledger" in error.message


def test_refuses_more_upheld_objections_than_received() -> None:
    book = province().walk(until(national_case(), "PublicityClosed"))
    error = refused(book, "PublicityClosed", {"closed_on": "2020-04-02", "objections": 1, "upheld": 2}, "ah-office")
    assert error.field == "upheld"


def test_refuses_a_payload_that_is_not_an_object() -> None:
    with pytest.raises(PayloadError, match="must be a JSON object"):
        opened().record(CASE, "ObjectionReceived", "ah-office", ["2020-03-28"])  # type: ignore[arg-type]


def test_refuses_a_malformed_record_hash() -> None:
    book = province().walk(until(national_case(), "ExitApplicationSubmitted"))
    payload = {**step(national_case(), "ExitApplicationSubmitted").payload, "figures": "ABC"}
    error = refused(book, "ExitApplicationSubmitted", payload)
    assert error.field == "figures" and "64 lowercase hex digits" in error.message
