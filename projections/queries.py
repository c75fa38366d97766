"""Questions asked of the read models, each a function returning plain dicts (JSON-ready).

Callers catch the models up first (:meth:`projections.runner.Views.catch_up`); these only
read. Bad input — an unknown stream, actor, stage or indicator — raises InputError naming it.
"""

from __future__ import annotations

import json
import re
from typing import Any

from sqlalchemy import Engine, select

from ledger.errors import InputError
from projections import tables as t
from projections.figures import KINDS, as_json
from projections.records import county_of
from projections.stages import ALL_STAGES

_CODE6 = re.compile(r"\d{6}")
_CODE12 = re.compile(r"\d{12}")


def _rows(engine: Engine, query: Any) -> list[dict[str, Any]]:
    with engine.connect() as conn:
        return [dict(r._mapping) for r in conn.execute(query)]


def _case_stream(stream: str) -> str:
    if county_of(stream) is None:
        raise InputError(f"stream {stream}: not a case stream; use case:<6-digit county code>-<year>, "
                         "e.g. case:341122-2019")
    return stream


def _known_case(engine: Engine, stream: str) -> None:
    _case_stream(stream)
    with engine.connect() as conn:
        found = conn.execute(select(t.case_status.c.stream).where(t.case_status.c.stream == stream)).first()
    if found is None:
        raise InputError(f"stream {stream}: no such case in this ledger")


# -- status -------------------------------------------------------------------------------------
def case_status(engine: Engine, stream: str | None = None, *, stage: str | None = None, city: str | None = None,
                year: int | None = None) -> list[dict[str, Any]]:
    """Every case (or ``stream`` only) with its stage and outcome, filtered, by stream name."""
    c = t.case_status.c
    query = select(t.case_status).order_by(c.stream)
    if stream is not None:
        _known_case(engine, stream)
        query = query.where(c.stream == stream)
    if stage is not None:
        if stage not in ALL_STAGES:
            raise InputError(f"--stage {stage}: unknown stage; one of {', '.join(ALL_STAGES)}")
        query = query.where(c.stage == stage)
    if city is not None:
        if not _CODE6.fullmatch(city):
            raise InputError(f"--city {city}: must be a 6-digit city code such as 341200")
        query = query.where(c.city_code == city)
    if year is not None:
        query = query.where(c.year == year)
    out = _rows(engine, query)
    for row in out:
        row["open_items"] = json.loads(row["open_items"])
        for flag in ("special_rectification_required", "special_rectification_reported", "follow_up_filed"):
            row[flag] = bool(row[flag])
    return out


# -- figures ------------------------------------------------------------------------------------
def figures(engine: Engine, stream: str, *, indicator: str | None = None, villages: bool = False,
            village: str | None = None) -> list[dict[str, Any]]:
    """Every figure reported on case ``stream`` in recording order: the county's figures, and
    with ``villages`` (or one ``village`` code) the village figures too.

    Each row carries ``revises`` (the hash of the report it revises: signed for county
    figures; for village figures the latest earlier report of the same village and ``as_of``)
    and ``revised_by`` (the hash of the first later report revising it), both None if none.
    """
    _known_case(engine, stream)
    if indicator is not None and indicator not in KINDS:
        raise InputError(f"--indicator {indicator}: unknown indicator; one of {', '.join(t.FIGURE_COLUMNS)}")
    if village is not None and not _CODE12.fullmatch(village):
        raise InputError(f"--village {village}: must be a 12-digit village code")
    c = t.figures.c
    query = select(t.figures).where(c.stream == stream).order_by(c.seq)
    if village is not None:
        query = query.where(c.village_code == village)
    elif not villages:
        query = query.where(c.village_code.is_(None))
    names = (indicator,) if indicator is not None else t.FIGURE_COLUMNS
    rows = []
    for report in _rows(engine, query):
        for name in names:
            value = report[name]
            if value is not None:
                rows.append({**{k: report[k] for k in _REPORT}, "indicator": name, "value": value})
    _mark_revisions(rows)
    return [
        {"indicator": r["indicator"], "value": as_json(r["indicator"], r["value"]), "source": r["source"],
         "actor": r["actor"], "person": r["person"], "as_of": r["as_of"], "reported_on": r["reported_on"],
         "recorded_at": r["recorded_at"], "seq": r["seq"], "hash": r["hash"], "revises": r["revises"],
         "revised_by": r["revised_by"], "village_code": r["village_code"], "village_name": r["village_name"]}
        for r in rows
    ]


_REPORT = ("seq", "stream", "village_code", "village_name", "source", "actor", "person", "as_of", "reported_on",
           "recorded_at", "hash", "revises")


def _mark_revisions(rows: list[dict[str, Any]]) -> None:
    latest: dict[tuple[Any, ...], str] = {}  # (village, as_of, indicator) → hash of its latest village report
    for r in rows:
        if r["village_code"] is not None:
            key = (r["village_code"], r["as_of"], r["indicator"])
            r["revises"] = latest.get(key)
            latest[key] = r["hash"]
    first_reviser: dict[tuple[str, str], str] = {}
    for r in rows:
        if r["revises"] is not None:
            first_reviser.setdefault((r["revises"], r["indicator"]), r["hash"])
    for r in rows:
        r["revised_by"] = first_reviser.get((r["hash"], r["indicator"]))


# -- actors -------------------------------------------------------------------------------------
def actor(engine: Engine, actor_id: str) -> dict[str, Any]:
    """The directory entry of ``actor_id``; InputError if it was never registered."""
    found = _rows(engine, select(t.actor_directory).where(t.actor_directory.c.actor == actor_id))
    if not found:
        raise InputError(f"actor {actor_id}: no such actor in this ledger (see `exitledger actor list`)")
    return found[0]


def actor_trail(engine: Engine, actor_id: str) -> list[dict[str, Any]]:
    """Everything ``actor_id`` signed, in recording order."""
    actor(engine, actor_id)
    c = t.actor_activity.c
    return _rows(engine, select(c.actor, c.person, c.role, c.type, c.stream, c.version, c.seq, c.recorded_at,
                                c.decided_on, c.key, c.hash).where(c.actor == actor_id).order_by(c.seq))


# -- timeline -----------------------------------------------------------------------------------
def timeline(engine: Engine, stream: str) -> list[dict[str, Any]]:
    """Every event of ``stream`` with decision date, recording time, window, deadline, lateness."""
    c = t.timeline.c
    rows = _rows(engine, select(c.stream, c.seq, c.version, c.type, c.actor, c.decided_on, c.recorded_at, c.lag_days,
                                c.window_from, c.deadline, c.status, c.recorded_late, c.hash)
                 .where(c.stream == stream).order_by(c.seq))
    if not rows:
        raise InputError(f"stream {stream}: no such stream in this ledger")
    for row in rows:
        row["recorded_late"] = bool(row["recorded_late"])
    return rows
