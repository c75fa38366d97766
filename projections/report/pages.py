"""One report page's data, gathered from an open ledger and its caught-up read models.

The page data is a plain dict (JSON-ready but for nothing: every value is a str, number,
bool, None, list or dict) that ``cli.report`` renders without deciding anything. Callers
catch the read models up first and pass ``verify``, which returns the ledger's verification
report (:func:`ledger.verify.verify_store`); it is called once the request is known to be
good, and its result is shown, never hidden: a page of a ledger that fails verification says so.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from decimal import Decimal
from typing import Any

from sqlalchemy import Engine, select

from ledger.errors import InputError
from projections import queries
from projections import tables as t
from projections.flag_facts import load_cases
from projections.flags import CaseFacts, Flag, Policy, evaluate
from projections.report import province as prov
from projections.report import seal
from projections.report.figures import date_span as figures_span
from projections.report.figures import figure_charts
from projections.report.timeline import date_span as timeline_span
from projections.report.timeline import deadline_bands, lanes_used, timeline_rows

_SIGNER = (t.actor_activity.c.seq, t.actor_activity.c.stream, t.actor_activity.c.version, t.actor_activity.c.type,
           t.actor_activity.c.actor, t.actor_activity.c.person, t.actor_activity.c.role, t.actor_activity.c.key,
           t.actor_activity.c.decided_on, t.actor_activity.c.recorded_at, t.actor_activity.c.hash)


def _signed(engine: Engine, *, stream: str | None = None, seqs: Iterable[int] = ()) -> list[dict[str, Any]]:
    """``actor_activity`` rows (who signed what, with which key) of a stream or of some seqs."""
    c = t.actor_activity.c
    wanted = sorted(set(seqs))
    rows: list[dict[str, Any]] = []
    with engine.connect() as conn:
        if stream is not None:
            rows += [dict(r._mapping) for r in conn.execute(select(*_SIGNER).where(c.stream == stream))]
        for at in range(0, len(wanted), 500):  # well under every backend's bound-parameter limit
            chunk = wanted[at:at + 500]
            rows += [dict(r._mapping) for r in conn.execute(select(*_SIGNER).where(c.seq.in_(chunk)))]
    return sorted(rows, key=lambda r: r["seq"])


def ledger_facts(ledger: Any) -> dict[str, Any]:
    """Who the ledger is: id, origin, province, size, incidence limit, the authority's vkey."""
    genesis = ledger.genesis["payload"]
    return {"id": ledger.ledger_id, "origin": ledger.origin, "province_code": genesis.get("province_code"),
            "province_name": genesis.get("province_name"), "size": ledger.size(),
            "incidence_limit": str(ledger.registry().incidence_limit), "authority_vkey": ledger.authority_vkey()}


def _policy(ledger: Any) -> Policy:
    return Policy(incidence_limit=Decimal(str(ledger.registry().incidence_limit)))


def _checkpoints(ledger: Any) -> list[dict[str, Any]]:
    return seal.checkpoints(ledger.checkpoint_notes(), ledger.origin, ledger.authority_public_key())


def _cited(engine: Engine, flags: Iterable[dict[str, Any]], shown: set[int]) -> list[dict[str, Any]]:
    """The events the flags cite that the page does not show elsewhere."""
    seqs = {e["seq"] for f in flags for e in f["evidence"]} - shown
    return _signed(engine, seqs=seqs)


def case_page(engine: Engine, ledger: Any, stream: str, verify: Callable[[], Any]) -> dict[str, Any]:
    """The case report's data; InputError for a stream that is no case of this ledger."""
    [status] = queries.case_status(engine, stream)
    policy = _policy(ledger)
    cases = load_cases(engine)
    case = next(c for c in cases if c.stream == stream)
    payloads = {e.seq: e.payload for e in case.events}
    signers = {r["seq"]: r for r in _signed(engine, stream=stream)}
    rows = timeline_rows(queries.timeline(engine, stream), signers, payloads)
    bands = deadline_bands(case.year) if case.year else []
    charts = figure_charts(case, policy)
    hashes = {e.hash for e in case.events}
    flags = [f.as_dict() for f in _case_flags(evaluate(cases, policy), stream, hashes)]
    stored = _checkpoints(ledger)
    newest = max((r["seq"] for r in rows), default=0)
    return {
        "kind": "case", "stream": stream, "ledger": ledger_facts(ledger), "case": status,
        "verification": seal.verification(verify()),
        "seal": {"newest_seq": newest, "covering": seal.covering(stored, newest), "latest": seal.latest(stored),
                 "invalid": [c for c in stored if not c["valid"]]},
        "timeline": {"rows": rows, "bands": bands, "lanes": lanes_used(rows), "span": timeline_span(rows, bands)},
        "figures": {"charts": charts, "span": figures_span(charts)},
        "flags": flags, "cited": _cited(engine, flags, {r["seq"] for r in rows}),
    }


def _case_flags(flags: Iterable[Flag], stream: str, hashes: set[str]) -> list[Flag]:
    """The case's own flags, then the province-wide ones that cite one of its events."""
    own = [f for f in flags if f.stream == stream]
    wide = [f for f in flags if f.stream != stream and f.stream.startswith("province:")
            and any(e.hash in hashes for e in f.evidence)]
    return own + wide


def province_page(engine: Engine, ledger: Any, year: int | None, verify: Callable[[], Any]) -> dict[str, Any]:
    """The province report's data, of one application year or all; InputError for a year in
    which no county applied."""
    status = queries.case_status(engine, year=year)
    if not status:
        raise InputError(f"--year {year}: no case of this ledger applies in that year" if year is not None
                         else "this ledger holds no case yet: nothing to report")
    policy = _policy(ledger)
    every = load_cases(engine)
    streams = {r["stream"] for r in status}
    cases: list[CaseFacts] = [c for c in every if c.stream in streams]
    found = prov.of_year(evaluate(every, policy), streams, year)
    cities = {r["stream"]: (r["city_code"] or "", r["city_name"] or "") for r in status}
    flags = [f.as_dict() for f in found]
    stored = _checkpoints(ledger)
    return {
        "kind": "province", "year": year, "ledger": ledger_facts(ledger), "cases": status,
        "verification": seal.verification(verify()),
        "seal": {"latest": seal.latest(stored), "invalid": [c for c in stored if not c["valid"]]},
        "stages": prov.stage_counts(status),
        "histogram": prov.incidence_histogram(cases, policy.incidence_limit),
        "scatter": prov.incidence_scatter(cases, policy),
        "by_rule": prov.flags_by_rule(found), "by_city": prov.flags_by_city(found, cities),
        "flags": flags, "cited": _cited(engine, flags, set()),
    }
