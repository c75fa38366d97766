"""``figures``: every figure ever reported, one row per report with its indicators side by side.

County figures (FiguresReported) keep their ``source`` and the ``revises`` hash the ledger
signed; village figures (VillageFiguresReported) are the county leading group's own report
(source ``county_self_report``) with the village's code and name. Values are the exact text
that was signed; :data:`KINDS` says which JSON type each indicator has.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import Connection

from projections import tables as t
from projections.actors import ActorDirectory
from projections.base import ReadModel
from projections.db import bulk_insert
from projections.records import Record

COUNTY_INDICATORS: tuple[str, ...] = t.FIGURE_COLUMNS[:8]
"""The indicators of a FiguresReported, in the order tables show them."""

VILLAGE_INDICATORS: tuple[str, ...] = (
    "households", "poor_households", "poor_population", "per_capita_income", "exited")

KINDS: dict[str, str] = {
    "poverty_incidence": "decimal", "income_growth": "decimal", "provincial_income_growth": "decimal",
    "per_capita_income": "decimal", "exited": "boolean",
    **{name: "count" for name in ("poor_population", "rural_population", "poor_villages_total",
                                  "poor_villages_remaining", "public_service_indicators_met", "households",
                                  "poor_households")},
}

VILLAGE_SOURCE = "county_self_report"


def as_text(value: Any) -> str:
    """The value as stored: decimals as signed, counts in decimal, booleans ``true``/``false``."""
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def as_json(indicator: str, text: str) -> Any:
    """The stored text back as the JSON value of SPEC §1 (decimal strings stay strings)."""
    kind = KINDS.get(indicator)
    if kind == "count":
        try:
            return int(text)
        except ValueError:
            return text
    if kind == "boolean":
        return text == "true"
    return text


def _text(value: Any) -> Any:
    """Booleans as ``true``/``false``; everything else as it is (the columns have TEXT affinity,
    so SQLite stores a count as its decimal text, as PostgreSQL's COPY does)."""
    return as_text(value) if value.__class__ is bool else value


class Figures(ReadModel):
    """The ``figures`` read model: one row per report, one column per indicator."""

    name = "figures"
    tables = (t.figures,)
    # County and village reports fill different columns; inserting each kind with its own
    # column list binds no NULLs (the sqlite3 module binds NULL through its slow adapter path).
    COUNTY_COLUMNS = ("seq", "stream", "source", "actor", "person", "as_of", "reported_on", "recorded_at", "hash",
                      "revises", *COUNTY_INDICATORS)
    VILLAGE_COLUMNS = ("seq", "stream", "village_code", "village_name", "source", "actor", "person", "as_of",
                       "recorded_at", "hash", *VILLAGE_INDICATORS)

    def __init__(self, view: Any, directory: ActorDirectory) -> None:
        self.directory = directory
        super().__init__(view)

    def reset(self) -> None:
        super().reset()
        self._county: list[tuple[Any, ...]] = []
        self._villages: list[tuple[Any, ...]] = []

    def _on_FiguresReported(self, r: Record) -> None:
        p = r.payload
        self._county.append((r.seq, r.stream, p.get("source"), r.actor, self.directory.signer(r.actor).person,
                             p.get("as_of"), p.get("reported_on"), r.recorded_at, r.hash, p.get("revises"),
                             *[_text(p.get(name)) for name in COUNTY_INDICATORS]))

    def _on_VillageFiguresReported(self, r: Record) -> None:
        p = r.payload
        self._villages.append((r.seq, r.stream, p.get("village_code"), p.get("village_name"), VILLAGE_SOURCE, r.actor,
                               self.directory.signer(r.actor).person, p.get("as_of"), r.recorded_at, r.hash,
                               p.get("households"), p.get("poor_households"), p.get("poor_population"),
                               p.get("per_capita_income"), _text(p.get("exited"))))

    def flush(self, conn: Connection) -> None:
        bulk_insert(conn, t.figures, self.COUNTY_COLUMNS, self._county)
        bulk_insert(conn, t.figures, self.VILLAGE_COLUMNS, self._villages)
        self._county, self._villages = [], []
