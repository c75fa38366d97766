"""The red-flag rules' facts, filled from the read models (not by replaying the log).

``case_status`` says what each case is, ``actor_activity`` who signed each event (role, person),
``case_payloads`` what it said (``figures`` for village figures), and ``actor_directory`` +
``actor_activity`` which ActorRegistered named the person — the evidence of rules that rest on
the person.
"""

from __future__ import annotations

import json
from collections import defaultdict

from typing import Any

from sqlalchemy import Engine, text

from projections.figures import VILLAGE_INDICATORS, as_json
from projections.flags.facts import CaseFacts, Event, Ref, as_date

_SIGNER = (
    "a.seq, a.hash, a.stream, a.type, a.actor, a.person, a.role, a.recorded_at, a.decided_on, "
    "d.registered_seq, r.hash AS registered_hash"
)
_JOINS = (
    "JOIN actor_activity a ON a.seq = p.seq LEFT JOIN actor_directory d ON d.actor = a.actor "
    "LEFT JOIN actor_activity r ON r.seq = d.registered_seq"
)
_EVENTS = text(f"SELECT {_SIGNER}, p.payload FROM case_payloads p {_JOINS}")
_VILLAGE_FIELDS = ("as_of", "village_code", "village_name", *VILLAGE_INDICATORS)
_VILLAGES = text(
    f"SELECT {_SIGNER}, {', '.join('p.' + f for f in _VILLAGE_FIELDS)} FROM figures p {_JOINS} "
    "WHERE p.village_code IS NOT NULL"
)
_CASES = text("SELECT stream, county_code, county_name, city_code, tier, year FROM case_status ORDER BY stream")


def load_cases(engine: Engine) -> list[CaseFacts]:
    """Every case of the ledger with its events, as the read models hold them now."""
    events: dict[str, list[Event]] = defaultdict(list)

    def add(r: Any, payload: dict[str, Any]) -> None:
        registration = Ref(r.registered_seq, r.registered_hash) if r.registered_hash else None
        events[r.stream].append(Event(
            seq=r.seq, hash=r.hash, stream=r.stream, type=r.type, actor=r.actor, person=r.person,
            role=r.role or "", recorded_at=r.recorded_at, decided_on=as_date(r.decided_on),
            payload=payload, registration=registration))

    with engine.connect() as conn:
        for r in conn.execute(_EVENTS):
            add(r, json.loads(r.payload))
        for r in conn.execute(_VILLAGES):  # the village figures, back from their columns
            add(r, {f: as_json(f, getattr(r, f)) for f in _VILLAGE_FIELDS if getattr(r, f) is not None})
        cases = conn.execute(_CASES).all()
    return [
        CaseFacts(stream=c.stream, county_code=c.county_code or "", city_code=c.city_code or "", tier=c.tier or "",
                  year=int(c.year or 0), events=events.get(c.stream, []), county_name=c.county_name or "")
        for c in cases
    ]
