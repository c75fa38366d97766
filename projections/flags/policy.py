"""The thresholds of the red-flag rules (issue 5, "Rules"), overridable by ``--policy FILE``.

A policy file is TOML or JSON holding a flat table of the keys below; any key it leaves out
keeps its default, an unknown key is refused. Decimals may be written as numbers or decimal
strings (``incidence_limit = 3`` or ``"3"``). The incidence limit defaults to the ledger's
``incidence_limit`` when the caller passes ``base=Policy(incidence_limit=…)``.

| key | default | used by |
| --- | --- | --- |
| incidence_limit | 2 | every incidence threshold |
| mismatch_incidence_pp / mismatch_count_pct | 0.05 / 1 | figure-mismatch |
| hugging_incidence_pp | 0.3 | threshold-hugging: incidence in (limit − 0.3, limit] |
| hugging_rate_pp | 0.3 | threshold-hugging: wrongful-exit, missed in (max − 0.3, max] |
| hugging_recognition_pp | 1 | threshold-hugging: recognition in [min, min + 1) |
| hugging_income_pp | 0.5 | threshold-hugging: income growth 0 < g − province ≤ 0.5 |
| bunching_window_pp / bunching_p / bunching_min_cases | 0.3 / 0.01 / 8 | threshold-bunching |
| drop_relative_pct / drop_days / drop_modified_z | 50 / 90 / 3.5 | sudden-drop |
| drift_pct | 2 | denominator-drift |
| late_revision_days | 3 | late-revision (before 15 December) |
| one_way_min_revisions / one_way_p | 10 / 0.01 | one-way-revisions |
| last_digit_min_values / last_digit_min_count | 50 / 100 | last-digit: ≥ 50 counts of ≥ 100 |
| last_digit_p_high / last_digit_p_watch | 0.001 / 0.01 | last-digit |
| benford_min_values / benford_min_orders | 300 / 2 | benford: when the data meet its assumptions |
| benford_close / benford_acceptable / benford_marginal | 0.006 / 0.012 / 0.015 | Nigrini's MAD bands |
| benford_p_high | 0.001 | benford: nonconformity is high only when also significant |
| duplicate_villages_min | 3 | duplicate-village-records |
| perfect_survey_min_sample | 200 | perfect-survey |
| wrongful_exit_max / missed_max / recognition_min / indicators_min | 2 / 2 / 90 / 19 | third-party thresholds |
| veto | false | threshold-overridden: failed thresholds veto even after special rectification |
"""

from __future__ import annotations

import json
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, fields, replace
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

D = Decimal


@dataclass(frozen=True)
class Policy:
    incidence_limit: Decimal = D("2")
    mismatch_incidence_pp: Decimal = D("0.05")
    mismatch_count_pct: Decimal = D("1")
    hugging_incidence_pp: Decimal = D("0.3")
    hugging_rate_pp: Decimal = D("0.3")
    hugging_recognition_pp: Decimal = D("1")
    hugging_income_pp: Decimal = D("0.5")
    bunching_window_pp: Decimal = D("0.3")
    bunching_p: float = 0.01
    bunching_min_cases: int = 8
    drop_relative_pct: Decimal = D("50")
    drop_days: int = 90
    drop_modified_z: float = 3.5
    drift_pct: Decimal = D("2")
    late_revision_days: int = 3
    one_way_min_revisions: int = 10
    one_way_p: float = 0.01
    last_digit_min_values: int = 50
    last_digit_min_count: int = 100
    last_digit_p_high: float = 0.001
    last_digit_p_watch: float = 0.01
    benford_min_values: int = 300
    benford_min_orders: float = 2.0
    benford_close: float = 0.006
    benford_acceptable: float = 0.012
    benford_marginal: float = 0.015
    benford_p_high: float = 0.001
    duplicate_villages_min: int = 3
    perfect_survey_min_sample: int = 200
    wrongful_exit_max: Decimal = D("2")
    missed_max: Decimal = D("2")
    recognition_min: Decimal = D("90")
    indicators_min: int = 19
    veto: bool = False

    @classmethod
    def from_mapping(cls, mapping: Mapping[str, Any], *, base: Policy | None = None) -> Policy:
        """``base`` (the defaults if ``None``) with the keys of ``mapping`` replaced.

        Raises ValueError naming the key for an unknown key or a value of the wrong kind.
        """
        if not isinstance(mapping, Mapping):
            raise ValueError(f"a policy must be a table of keys (got {type(mapping).__name__})")
        kinds = {f.name: f.type for f in fields(cls)}
        changes: dict[str, Any] = {}
        for key, value in mapping.items():
            if key not in kinds:
                raise ValueError(f"unknown policy key {key!r}; known keys: {', '.join(kinds)}")
            changes[key] = _coerce(key, str(kinds[key]), value)
        policy = replace(base or cls(), **changes)
        policy.check()
        return policy

    def check(self) -> None:
        """Raise ValueError naming the first key whose value makes no sense."""
        for f in fields(self):
            value = getattr(self, f.name)
            if isinstance(value, bool):
                continue
            if value < 0:
                raise ValueError(f"policy key {f.name!r} must not be negative (got {value})")
            if f.name.endswith("_p") or "_p_" in f.name:
                if not 0 < value < 1:
                    raise ValueError(f"policy key {f.name!r} is a p-value: it must lie between 0 and 1 (got {value})")
        if self.incidence_limit <= 0:
            raise ValueError(f"policy key 'incidence_limit' must be above 0 (got {self.incidence_limit})")
        if not self.benford_close <= self.benford_acceptable <= self.benford_marginal:
            raise ValueError("policy keys 'benford_close' ≤ 'benford_acceptable' ≤ 'benford_marginal' must hold")


def _coerce(key: str, kind: str, value: Any) -> Any:
    wrong = f"policy key {key!r} must be"
    if kind == "bool":
        if not isinstance(value, bool):
            raise ValueError(f"{wrong} true or false (got {value!r})")
        return value
    if isinstance(value, bool):
        raise ValueError(f"{wrong} a number (got {value!r})")
    if kind == "int":
        if not isinstance(value, int):
            raise ValueError(f"{wrong} a whole number (got {value!r})")
        return value
    if kind == "float":
        if not isinstance(value, (int, float)):
            raise ValueError(f"{wrong} a number (got {value!r})")
        return float(value)
    try:
        number = Decimal(str(value)) if isinstance(value, (int, float, str)) else None
    except InvalidOperation:
        number = None
    if number is None or not number.is_finite():
        raise ValueError(f"{wrong} a decimal number such as 2 or \"0.05\" (got {value!r})")
    return number


def load_policy(path: str | Path, *, base: Policy | None = None) -> Policy:
    """The policy in a ``.toml`` or ``.json`` file over ``base``; ValueError on a bad file or key."""
    path = Path(path)
    suffix = path.suffix.lower()
    try:
        if suffix == ".toml":
            with path.open("rb") as handle:
                data: Any = tomllib.load(handle)
        elif suffix == ".json":
            data = json.loads(path.read_text(encoding="utf-8"))
        else:
            raise ValueError(f"{path}: a policy file must be .toml or .json")
    except (tomllib.TOMLDecodeError, json.JSONDecodeError) as error:
        raise ValueError(f"{path}: not valid {suffix[1:].upper()}: {error}") from None
    try:
        return Policy.from_mapping(data, base=base)
    except ValueError as error:
        raise ValueError(f"{path}: {error}") from None
