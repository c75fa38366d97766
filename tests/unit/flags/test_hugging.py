"""threshold-hugging: figures just on the safe side of a threshold (watch)."""

from __future__ import annotations

import pytest

from tests.unit.flags.make import case, clean_steps, edit, run


def hugging(**county: object) -> list[str]:
    return [f.message for f in run("threshold-hugging", case(edit(clean_steps(), "FiguresReported", 0, **county)))]


def evaluation_hugging(**evaluation: object) -> list[str]:
    steps = edit(clean_steps(), "ThirdPartyEvaluationCompleted", **evaluation)
    return [f.message for f in run("threshold-hugging", case(steps))]


def test_a_clean_case_hugs_nothing() -> None:
    assert run("threshold-hugging", case()) == []


@pytest.mark.parametrize(("poor", "incidence", "hugs"), [
    (9_360, "1.95", True), (9_600, "2.00", True), (8_208, "1.71", True),
    (8_160, "1.70", False), (9_648, "2.01", False),
])
def test_incidence_just_under_the_limit_hugs_it(poor: int, incidence: str, hugs: bool) -> None:
    messages = hugging(poor_population=poor, poverty_incidence=incidence)
    assert bool(messages) is hugs
    if hugs:
        assert f"incidence {incidence}%" in messages[0] and "341122-lg" in messages[0]


def test_the_flag_is_a_watch() -> None:
    steps = edit(clean_steps(), "FiguresReported", 0, poor_population=9_360, poverty_incidence="1.95")
    assert {f.severity for f in run("threshold-hugging", case(steps))} == {"watch"}


@pytest.mark.parametrize(("growth", "hugs"), [("9.3", True), ("9.4", True), ("9.5", False), ("8.9", False)])
def test_income_growth_barely_above_the_province_hugs_it(growth: str, hugs: bool) -> None:
    assert bool(hugging(income_growth=growth)) is hugs   # the province grew 8.9 %


@pytest.mark.parametrize(("figure", "value", "hugs"), [
    ("mass_recognition", "90.5", True), ("mass_recognition", "90", True), ("mass_recognition", "91", False),
    ("mass_recognition", "89.9", False), ("wrongful_exit_rate", "1.9", True), ("wrongful_exit_rate", "1.7", False),
    ("missed_assessment_rate", "2", True), ("missed_assessment_rate", "2.1", False),
])
def test_third_party_rates_just_on_the_safe_side_hug(figure: str, value: str, hugs: bool) -> None:
    assert bool(evaluation_hugging(**{figure: value})) is hugs
