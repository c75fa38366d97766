"""Test builders: deterministic signers and a ledger holding the demo province's two cases."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from typing import Any

from domain import scenario
from ledger.app import ACTORS, Entry, ExitLedger
from ledger.keys import b64, private_key_from_seed
from ledger.signing import Signer

LEDGER_ID = "6f1c6a52-1d2b-4c39-9a1e-3f0f3f9d2c11"


def signer_for(name: str, salt: str = "test") -> Signer:
    return Signer.from_private_key(private_key_from_seed(hashlib.sha256(f"{salt}:{name}".encode()).digest()))


class StepClock:
    """A clock that moves one second per reading from a fixed start."""

    def __init__(self, start: datetime = datetime(2017, 7, 1, 8, tzinfo=timezone.utc)) -> None:
        self.now = start

    def __call__(self) -> datetime:
        self.now += timedelta(seconds=1)
        return self.now


@dataclass
class Province:
    app: ExitLedger
    signers: dict[str, Signer] = field(default_factory=dict)

    def entry(self, stream: str, type_: str, actor: str, payload: dict[str, Any]) -> Entry:
        return Entry(stream, type_, actor, payload, self.signers[actor])

    def append(self, stream: str, type_: str, actor: str, payload: dict[str, Any]) -> Any:
        return self.app.append([self.entry(stream, type_, actor, payload)])[0]


def province(url: str, *, ledger_id: str = LEDGER_ID, salt: str = "test", cases: bool = True) -> Province:
    """A ledger with the demo actors registered and, if ``cases``, both demo cases recorded."""
    app = ExitLedger(url, clock=StepClock())
    p = Province(app)
    p.signers[scenario.AUTHORITY] = signer_for(scenario.AUTHORITY, salt)
    app.init(province_code=scenario.PROVINCE_CODE, province_name=scenario.PROVINCE_NAME,
             signer=p.signers[scenario.AUTHORITY], actor=scenario.AUTHORITY, ledger_id=ledger_id)
    entries = []
    for a in scenario.ACTORS:
        p.signers[a.actor] = signer_for(a.actor, salt)
        entries.append(Entry(ACTORS, "ActorRegistered", scenario.AUTHORITY,
                             {"actor": a.actor, "name": a.name, "role": a.role, "jurisdiction": a.jurisdiction,
                              "public_key": b64(p.signers[a.actor].public_raw), "person": a.person},
                             p.signers[scenario.AUTHORITY]))
    app.append(entries)
    if cases:
        app.append([p.entry(s.stream, s.type, s.actor, s.payload) for s in scenario.demo_steps()])
    return p
