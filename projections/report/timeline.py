"""A case's timeline as the report draws it: every signed event with its decision date,
recording time, signer (actor, person, key), deadline and lateness, and the deadline bands of
DOMAIN.md "The stages" (:mod:`projections.deadlines`) drawn behind them.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from typing import Any

from projections.deadlines import DUE, Due

LANES: tuple[tuple[str, frozenset[str]], ...] = (
    ("case", frozenset({"CaseOpened"})),
    ("figures", frozenset({"FiguresReported", "VillageFiguresReported"})),
    ("rectification", frozenset({"RectificationOpened", "RectificationCompleted", "SpecialRectificationReported"})),
    ("application & city", frozenset({"ExitApplicationApproved", "ExitApplicationSubmitted", "CityReviewCompleted",
                                      "CityReportApproved", "CityReportSubmitted"})),
    ("verification", frozenset({"ProvincialVerificationCompleted", "DepartmentInspectionCompleted",
                                "ThirdPartyEvaluationCompleted", "ExitReportFormed", "PublicityOpened",
                                "ObjectionReceived", "PublicityClosed", "AuditOpinionSubmitted"})),
    ("approval", frozenset({"NationalSpotCheckCompleted", "ExitApproved", "ExitAnnounced", "FollowUpPlanFiled"})),
)
"""The rows of the timeline chart, in process order; an event of no lane goes to ``other``."""

_BAND_LABELS = {
    (None, (0, 12, 15)): "application",
    (None, (0, 12, 31)): "city review",
    ((1, 1, 1), (1, 4, 30)): "verification & publicity",
    ((1, 5, 1), (1, 7, 31)): "approval & announcement",
}
_SUMMARY_WIDTH = 140
_HASH_FIELDS = frozenset({"figures", "revises"})
_LONG_FIELDS = frozenset({"checkpoint"})


def _day(year: int, at: tuple[int, int, int]) -> str:
    return f"{year + at[0]:04d}-{at[1]:02d}-{at[2]:02d}"


def lane_of(type: str) -> str:
    return next((name for name, types in LANES if type in types), "other")


def deadline_bands(year: int) -> list[dict[str, Any]]:
    """The windows and deadlines of a case applying in ``year``, in date order:
    ``{"label", "from" (date or None), "to" (the deadline), "steps": [event types]}``."""
    groups: dict[Due, list[str]] = {}
    for type, due in DUE.items():
        groups.setdefault(due, []).append(type)
    bands = [{"label": _BAND_LABELS.get((due.window_from, due.deadline), "deadline"),
              "from": _day(year, due.window_from) if due.window_from else None,
              "to": _day(year, due.deadline), "steps": steps} for due, steps in groups.items()]
    return sorted(bands, key=lambda b: b["to"])


def summary(payload: Mapping[str, Any], width: int = _SUMMARY_WIDTH) -> str:
    """The payload in one short line of ``name: value`` pairs: hashes cut to 12 digits, a
    checkpoint note named only, lists joined, the whole cut to ``width`` characters."""
    parts = []
    for name, value in payload.items():
        if name in _LONG_FIELDS:
            text = "(signed note)"
        elif name in _HASH_FIELDS and isinstance(value, str):
            text = value[:12] + "…"
        elif isinstance(value, list):
            text = "; ".join(v[:12] + "…" if name in ("basis", "evidence") and isinstance(v, str) else str(v)
                             for v in value)
        elif isinstance(value, (dict, bool)) or value is None:
            text = json.dumps(value, ensure_ascii=False)
        else:
            text = str(value)
        parts.append(f"{name}: {text}")
    line = ", ".join(parts)
    return line if len(line) <= width else line[: width - 1] + "…"


def timeline_rows(rows: Iterable[Mapping[str, Any]], signers: Mapping[int, Mapping[str, Any]],
                  payloads: Mapping[int, Mapping[str, Any]]) -> list[dict[str, Any]]:
    """The rows of :func:`projections.queries.timeline` with each event's signer and payload.

    ``signers`` maps seq to its ``actor_activity`` row (person, role, key); ``payloads`` seq to
    its payload. Each row gains ``person``, ``role``, ``key``, ``lane``, ``summary`` and
    ``late`` (dated after its deadline, or recorded after it).
    """
    out = []
    for row in rows:
        signer = signers.get(row["seq"], {})
        out.append({**row, "person": signer.get("person"), "role": signer.get("role"), "key": signer.get("key"),
                    "lane": lane_of(row["type"]), "summary": summary(payloads.get(row["seq"], {})),
                    "late": row.get("status") == "late" or bool(row.get("recorded_late"))})
    return out


def lanes_used(rows: Iterable[Mapping[str, Any]]) -> list[str]:
    """The lanes that hold an event, in :data:`LANES` order (``other`` last)."""
    present = {r["lane"] for r in rows}
    return [name for name in (*(n for n, _ in LANES), "other") if name in present]


def date_span(rows: Iterable[Mapping[str, Any]], bands: Iterable[Mapping[str, Any]]) -> tuple[str, str] | None:
    """The first and last day the timeline chart must show: every decision and recording date,
    and, when the last of them falls in a window, that window's deadline."""
    days = [d for r in rows for d in (r.get("decided_on"), str(r.get("recorded_at") or "")[:10]) if d]
    days = [d for d in days if len(d) == 10]
    if not days:
        return None
    lo, hi = min(days), max(days)
    for band in bands:
        if band["to"] > hi and band.get("from") is not None and band["from"] <= hi:
            hi = band["to"]  # the window the case is in: show where it closes
    return lo, hi
