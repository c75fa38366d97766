"""The province page's data: counties by stage, the incidence each county applied with (binned
finely enough that bunching under the limit shows), self-reported against verified incidence,
and the red flags grouped by rule and by city.

"Incidence at application" is the county self-report the latest ExitApplicationSubmitted relied
on (:meth:`CaseFacts.application_figures`); "verified" is the national information system
report the ProvincialVerificationCompleted relied on, else the latest one of that source.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from decimal import Decimal
from typing import Any

from projections.flags import RULES, SEVERITIES, CaseFacts, Flag, Policy
from projections.flags.facts import VERIFIED_SOURCE, Report
from projections.stages import ALL_STAGES

BIN_PP = Decimal("0.1")
PROVINCE_WIDE = "province-wide"


def stage_counts(status: Iterable[Mapping[str, Any]]) -> list[dict[str, Any]]:
    """``{"stage", "count", "counties": [county name or stream]}`` for every stage that holds a
    case, in process order (then any stage this code does not know)."""
    by_stage: dict[str, list[str]] = {}
    for row in status:
        by_stage.setdefault(row["stage"], []).append(row.get("county_name") or row["stream"])
    order = [s for s in ALL_STAGES if s in by_stage] + sorted(set(by_stage) - set(ALL_STAGES))
    return [{"stage": s, "count": len(by_stage[s]), "counties": by_stage[s]} for s in order]


def application_figures(case: CaseFacts) -> Report | None:
    """The county's figures its latest application relied on; None without an application."""
    if case.last("ExitApplicationSubmitted") is None:
        return None
    return case.application_figures()


def verified_figures(case: CaseFacts) -> Report | None:
    """The verified figures: those the provincial verification relied on, else the latest."""
    verification = case.last("ProvincialVerificationCompleted")
    if verification is not None:
        cited = case.cited(verification, VERIFIED_SOURCE)
        if cited is not None:
            return cited
    return case.latest(VERIFIED_SOURCE)


def _name(case: CaseFacts) -> str:
    return case.county_name or case.stream


def histogram(values: Sequence[tuple[str, Decimal]], limit: Decimal, width: Decimal = BIN_PP) -> dict[str, Any]:
    """Bins of ``width`` pp over ``(label, incidence)`` values, from 0 to at least ``limit`` + 1.

    Bins are closed on the right, ``(lo, hi]`` (the first also holds 0), as the limit is: an
    incidence equal to the limit passes and falls in the last bin left of the line. Returns
    ``{"width", "limit", "bins": [{"lo", "hi", "count", "labels", "passes"}], "n"}`` with
    ``lo``/``hi`` as floats and ``passes`` True for bins at or under the limit.
    """
    top = max([limit + 1, *(v for _, v in values)])
    count = max(int(math.ceil(top / width)), 1)
    bins: list[dict[str, Any]] = [
        {"lo": float(i * width), "hi": float((i + 1) * width), "count": 0, "labels": [],
         "passes": (i + 1) * width <= limit} for i in range(count)]
    for label, value in values:
        index = min(max(int(math.ceil(value / width)) - 1, 0), count - 1)
        bins[index]["count"] += 1
        bins[index]["labels"].append(label)
    return {"width": float(width), "limit": float(limit), "bins": bins, "n": len(values)}


def incidence_histogram(cases: Iterable[CaseFacts], limit: Decimal, width: Decimal = BIN_PP) -> dict[str, Any]:
    """:func:`histogram` of each county's incidence at application."""
    values = []
    for case in cases:
        report = application_figures(case)
        if report is not None:
            values.append((f"{_name(case)} {report.poverty_incidence}%", report.poverty_incidence))
    return histogram(values, limit, width)


def incidence_scatter(cases: Iterable[CaseFacts], policy: Policy) -> dict[str, Any]:
    """Self-reported (x, at application) against verified (y) incidence, one point per case
    that has both: ``{"points": [{"stream", "county", "x", "y", "x_text", "y_text", "diff_pp",
    "off", "x_seq", "x_hash", "y_seq", "y_hash"}], "limit", "tolerance", "max"}``; ``off`` when
    they differ by more than the policy's ``mismatch_incidence_pp``."""
    points: list[dict[str, Any]] = []
    for case in cases:
        own, verified = application_figures(case), verified_figures(case)
        if own is None or verified is None:
            continue
        diff = verified.poverty_incidence - own.poverty_incidence
        points.append({"stream": case.stream, "county": _name(case), "x": float(own.poverty_incidence),
                       "y": float(verified.poverty_incidence), "x_text": str(own.poverty_incidence),
                       "y_text": str(verified.poverty_incidence), "diff_pp": float(diff),
                       "off": abs(diff) > policy.mismatch_incidence_pp, "x_seq": own.event.seq,
                       "x_hash": own.event.hash, "y_seq": verified.event.seq, "y_hash": verified.event.hash})
    top = max([float(policy.incidence_limit) + 1.0, *(max(float(p["x"]), float(p["y"])) for p in points)])
    return {"points": points, "limit": float(policy.incidence_limit),
            "tolerance": float(policy.mismatch_incidence_pp), "max": float(math.ceil(top * 2) / 2)}


def _grouped(flags: Iterable[Flag], key_of: Any, order: Sequence[str]) -> list[dict[str, Any]]:
    groups: dict[str, dict[str, Any]] = {}
    for f in flags:
        key, label = key_of(f)
        group = groups.setdefault(key, {"key": key, "label": label, "total": 0,
                                        "by_severity": {s: 0 for s in SEVERITIES}})
        group["total"] += 1
        group["by_severity"][f.severity] += 1
    rank = {k: i for i, k in enumerate(order)}
    return sorted(groups.values(), key=lambda g: (rank.get(g["key"], len(rank)), g["key"]))


def flags_by_rule(flags: Iterable[Flag]) -> list[dict[str, Any]]:
    """``{"key" (rule id), "label", "total", "by_severity": {severity: n}}`` per rule that
    raised a flag, in the rules' order."""
    return _grouped(flags, lambda f: (f.rule, f.rule), list(RULES))


def flags_by_city(flags: Iterable[Flag], cities: Mapping[str, tuple[str, str]]) -> list[dict[str, Any]]:
    """The same per city; ``cities`` maps a case stream to (city code, city name). Flags of a
    ``province:<year>`` stream (or of a stream of no known city) group as ``province-wide``."""
    def key_of(f: Flag) -> tuple[str, str]:
        code, name = cities.get(f.stream, (PROVINCE_WIDE, PROVINCE_WIDE))
        return code, (f"{name} ({code})" if name and code != PROVINCE_WIDE else name or code)

    codes = sorted({code for code, _ in cities.values()})
    return _grouped(flags, key_of, [*codes, PROVINCE_WIDE])


def of_year(flags: Iterable[Flag], streams: set[str], year: int | None) -> list[Flag]:
    """The flags of the cases in ``streams`` and, for a year, that year's province-wide ones
    (all province-wide ones without a year)."""
    wanted = {f"province:{year}"} if year is not None else None
    return [f for f in flags if f.stream in streams
            or (f.stream.startswith("province:") and (wanted is None or f.stream in wanted))]


__all__ = ["BIN_PP", "PROVINCE_WIDE", "application_figures", "flags_by_city", "flags_by_rule",
           "histogram", "incidence_histogram", "incidence_scatter", "of_year", "stage_counts", "verified_figures"]
