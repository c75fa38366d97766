"""Policy defaults, overrides from TOML and JSON, and what a western-province or veto policy changes."""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path

import pytest

from projections.flags import Policy, load_policy
from tests.unit.flags.make import Step, case, clean_steps, edit, figures, insert_after, run


def test_defaults_are_the_issues() -> None:
    p = Policy()
    assert p.incidence_limit == 2
    assert (p.mismatch_incidence_pp, p.mismatch_count_pct) == (Decimal("0.05"), 1)
    assert (p.bunching_window_pp, p.bunching_p, p.bunching_min_cases) == (Decimal("0.3"), 0.01, 8)
    assert (p.drop_relative_pct, p.drop_days, p.drop_modified_z) == (50, 90, 3.5)
    assert (p.drift_pct, p.late_revision_days, p.one_way_min_revisions, p.one_way_p) == (2, 3, 10, 0.01)
    assert (p.last_digit_min_values, p.last_digit_p_high, p.last_digit_p_watch) == (50, 0.001, 0.01)
    assert (p.benford_min_values, p.benford_min_orders) == (300, 2)
    assert (p.benford_close, p.benford_acceptable, p.benford_marginal) == (0.006, 0.012, 0.015)
    assert (p.wrongful_exit_max, p.missed_max, p.recognition_min, p.indicators_min) == (2, 2, 90, 19)
    assert p.duplicate_villages_min == 3 and p.veto is False


def test_a_mapping_overrides_only_its_keys_and_reads_decimals_exactly() -> None:
    p = Policy.from_mapping({"incidence_limit": 3, "mismatch_incidence_pp": 0.1, "veto": True, "drop_days": 60})
    assert p.incidence_limit == Decimal("3") and p.mismatch_incidence_pp == Decimal("0.1")
    assert p.veto is True and p.drop_days == 60 and p.drift_pct == 2


def test_the_ledgers_limit_is_the_default_a_file_may_still_override(tmp_path: Path) -> None:
    ledger = Policy(incidence_limit=Decimal("3"))
    assert Policy.from_mapping({}, base=ledger).incidence_limit == 3
    path = tmp_path / "p.json"
    path.write_text(json.dumps({"incidence_limit": "2.5"}))
    assert load_policy(path, base=ledger).incidence_limit == Decimal("2.5")


def test_an_unknown_key_is_refused_by_name() -> None:
    with pytest.raises(ValueError, match="'incidence_limt'"):
        Policy.from_mapping({"incidence_limt": 3})


@pytest.mark.parametrize(("key", "value"), [
    ("veto", "yes"), ("bunching_min_cases", 8.5), ("bunching_p", 1.5), ("drift_pct", -1), ("incidence_limit", "x"),
    ("incidence_limit", 0), ("last_digit_p_high", True),
])
def test_a_bad_value_is_refused_by_key(key: str, value: object) -> None:
    with pytest.raises(ValueError, match=key):
        Policy.from_mapping({key: value})


def test_loads_toml(tmp_path: Path) -> None:
    path = tmp_path / "west.toml"
    path.write_text('incidence_limit = 3\nveto = true\nmismatch_count_pct = "2"\nbunching_p = 0.005\n')
    p = load_policy(path)
    assert (p.incidence_limit, p.veto, p.mismatch_count_pct, p.bunching_p) == (3, True, 2, 0.005)


def test_loads_json(tmp_path: Path) -> None:
    path = tmp_path / "west.json"
    path.write_text(json.dumps({"incidence_limit": 3, "recognition_min": 92}))
    p = load_policy(path)
    assert (p.incidence_limit, p.recognition_min) == (3, 92)


def test_a_file_with_an_unknown_key_is_refused_naming_the_file_and_the_key(tmp_path: Path) -> None:
    path = tmp_path / "p.toml"
    path.write_text("incidence_limit = 3\nthreshold = 2\n")
    with pytest.raises(ValueError, match=r"p\.toml.*'threshold'"):
        load_policy(path)


def test_a_file_that_is_not_a_table_or_not_toml_or_json_is_refused(tmp_path: Path) -> None:
    (tmp_path / "list.json").write_text("[1, 2]")
    (tmp_path / "bad.toml").write_text("incidence_limit = = 3")
    (tmp_path / "p.yaml").write_text("incidence_limit: 3")
    for name in ("list.json", "bad.toml", "p.yaml"):
        with pytest.raises(ValueError):
            load_policy(tmp_path / name)


WEST = Policy(incidence_limit=Decimal("3"))


def test_a_western_limit_makes_a_mismatch_across_three_percent_critical() -> None:
    steps = edit(clean_steps(), "FiguresReported", 0, **figures("county_self_report", "2019-11-25", "2019-10-31",
                                                                   480_000, 12_000))   # 2.50 %
    steps = edit(steps, "FiguresReported", 1, **figures("national_information_system", "2020-01-10", "2019-12-31",
                                                         480_000, 14_880))              # 3.10 %
    c = case(steps)
    assert [f.severity for f in run("figure-mismatch", c)] == ["high"]  # both fail 2 %
    assert [f.severity for f in run("figure-mismatch", c, policy=WEST)] == ["critical"]


def test_a_western_limit_moves_the_hugging_window() -> None:
    steps = edit(clean_steps(), "FiguresReported", 0, **figures("county_self_report", "2019-11-25", "2019-10-31",
                                                                   480_000, 13_680))   # 2.85 %
    c = case(steps)
    assert not [f for f in run("threshold-hugging", c) if "incidence" in f.message]
    assert [f for f in run("threshold-hugging", c, policy=WEST) if "incidence 2.85%" in f.message]


def test_a_western_limit_moves_the_bunching_window() -> None:
    from tests.unit.flags.test_bunching import province_with
    cases = province_with(["2.75", "2.8", "2.85", "2.9", "2.9", "2.95", "3.0", "2.78", "2.99"], [])
    assert run("threshold-bunching", *cases) == []
    assert len(run("threshold-bunching", *cases, policy=WEST)) == 1


def test_veto_mode_overrides_a_reported_special_rectification() -> None:
    steps = edit(clean_steps(), "ThirdPartyEvaluationCompleted", mass_recognition="88.5")
    steps = insert_after(steps, "ThirdPartyEvaluationCompleted", Step("SpecialRectificationReported", {
        "reported_on": "2020-03-15", "result": "已完成专项整改"}))
    c = case(steps)
    assert run("threshold-overridden", c) == []
    flags = run("threshold-overridden", c, policy=Policy(veto=True))
    assert [f.severity for f in flags] == ["critical"]
    assert "veto" in flags[0].message
    assert c.first("SpecialRectificationReported").seq in [r.seq for r in flags[0].evidence]  # type: ignore[union-attr]
