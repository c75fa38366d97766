"""``case_status``: where each county's exit case stands, one row per ``case:`` stream.

The stage follows :mod:`projections.stages`; the other columns mirror what the ``Case``
aggregate remembers (``verification_decision`` is its ``last_decision``; the special
rectification flags reset with each third-party evaluation, as there) plus what an inspector
asks first: the open rectification items, the publicity state, the spot check, and the last
event with its decision date.
"""

from __future__ import annotations

import json
from typing import Any

from sqlalchemy import Connection

from projections import tables as t
from projections.base import ReadModel
from projections.db import bulk_insert, run
from projections.records import Record, county_of
from projections.stages import STAGE_SETTING_TYPES, next_stage, outcome_of

COLUMNS: tuple[str, ...] = tuple(c.name for c in t.case_status.columns)
_SELECT = f"SELECT {', '.join(COLUMNS)} FROM case_status WHERE stream = ?"
_UPDATE = f"UPDATE case_status SET {', '.join(f'{c} = ?' for c in COLUMNS[1:])} WHERE stream = ?"
Row = dict[str, Any]


def new_row(stream: str) -> Row:
    """A case before its first event, with what the stream name says."""
    county, year = county_of(stream) or (None, None)
    return {
        "stream": stream, "county_code": county, "county_name": None, "city_code": None, "city_name": None,
        "tier": None, "year": year, "stage": "opened", "outcome": None, "verification_decision": None,
        "spot_check": None, "publicity": None, "objections": 0, "open_rectifications": 0, "open_items": [],
        "special_rectification_required": False, "special_rectification_reported": False,
        "follow_up_filed": False, "version": 0, "last_event": "", "last_seq": 0, "last_recorded_at": "",
        "last_decided_on": None,
    }


def apply(row: Row, r: Record) -> None:
    """Fold record ``r`` into the case ``row`` (pure; never raises on an odd payload)."""
    fold = _FOLDS.get(r.type)
    if fold is not None:
        fold(row, r.payload)
    if r.type in STAGE_SETTING_TYPES:
        row["stage"] = next_stage(row["stage"], r.type, r.payload, row["tier"] or "") or row["stage"]
        row["outcome"] = outcome_of(row["stage"])
    row["version"], row["last_event"], row["last_seq"] = r.version, r.type, r.seq
    row["last_recorded_at"], row["last_decided_on"] = r.recorded_at, r.decided_on


def _opened(row: Row, p: Any) -> None:
    for field in ("county_code", "county_name", "city_code", "city_name", "tier"):
        if isinstance(p.get(field), str):
            row[field] = p[field]
    if isinstance(p.get("year"), int) and not isinstance(p.get("year"), bool):
        row["year"] = p["year"]


def _verified(row: Row, p: Any) -> None:
    decision = p.get("decision")
    row["verification_decision"] = decision if isinstance(decision, str) else None


def _evaluated(row: Row, p: Any) -> None:
    row["special_rectification_required"] = p.get("special_rectification") is True
    row["special_rectification_reported"] = False


def _item_opened(row: Row, p: Any) -> None:
    item = str(p.get("item", ""))
    if item not in row["open_items"]:
        row["open_items"] = [*row["open_items"], item]
    row["open_rectifications"] = len(row["open_items"])


def _item_completed(row: Row, p: Any) -> None:
    item = str(p.get("item", ""))
    row["open_items"] = [i for i in row["open_items"] if i != item]
    row["open_rectifications"] = len(row["open_items"])


def _audit(row: Row, p: Any) -> None:
    if row["tier"] == "national" and row["spot_check"] is None:
        row["spot_check"] = "pending"


def _set(**values: Any) -> Any:
    return lambda row, _p: row.update(values)


_FOLDS: dict[str, Any] = {
    "CaseOpened": _opened,
    "ProvincialVerificationCompleted": _verified,
    "ThirdPartyEvaluationCompleted": _evaluated,
    "SpecialRectificationReported": _set(special_rectification_reported=True),
    "RectificationOpened": _item_opened,
    "RectificationCompleted": _item_completed,
    "PublicityOpened": _set(publicity="open"),
    "PublicityClosed": _set(publicity="closed"),
    "ObjectionReceived": lambda row, _p: row.update(objections=row["objections"] + 1),
    "AuditOpinionSubmitted": _audit,
    "NationalSpotCheckCompleted": lambda row, p: row.update(
        spot_check="passed" if p.get("passed") is True else "failed"),
    "FollowUpPlanFiled": _set(follow_up_filed=True),
}


class CaseStatus(ReadModel):
    """The ``case_status`` read model."""

    name = "case_status"
    tables = (t.case_status,)

    def reset(self) -> None:
        super().reset()
        self._cases: dict[str, Row] = {}
        self._stored: set[str] = set()  # streams that have a committed row
        self._dirty: set[str] = set()

    def process_event(self, domain_event: Record, tracking: Any) -> None:  # type: ignore[override]
        r = domain_event
        if not r.stream.startswith("case:"):
            return
        row = self._cases.get(r.stream)
        if row is None:
            row = self._load(r.stream)
            self._cases[r.stream] = row
        apply(row, r)
        self._dirty.add(r.stream)

    def _load(self, stream: str) -> Row:
        if not self.fresh:
            found = self.lookup(_SELECT, (stream,))
            if found is not None:
                self._stored.add(stream)
                row = dict(found._mapping)
                row["open_items"] = json.loads(row["open_items"])
                return row
        return new_row(stream)

    def flush(self, conn: Connection) -> None:
        inserts, updates = [], []
        for stream in sorted(self._dirty):
            row = {**self._cases[stream], "open_items": json.dumps(self._cases[stream]["open_items"],
                                                                    ensure_ascii=False)}
            if stream in self._stored:
                updates.append(tuple(row[c] for c in COLUMNS[1:]) + (stream,))
            else:
                inserts.append(tuple(row[c] for c in COLUMNS))
        bulk_insert(conn, t.case_status, COLUMNS, inserts)
        if updates:
            run(conn, _UPDATE, updates)
        self._stored.update(self._dirty)
        self._dirty = set()
