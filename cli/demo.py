"""The demo job: keys for a small province, two exit cases, verification, both histories.

Deterministic: keys come from fixed seeds, the ledger id is fixed, and each event is recorded
at 08:00 UTC on its decision day (a second apart when several share a day), so every hash and
signature is the same on every run.
"""

from __future__ import annotations

import hashlib
from datetime import datetime, timedelta, timezone
from pathlib import Path
from uuid import NAMESPACE_URL, uuid5

from cli import output
from cli.commands_read import print_report
from cli.context import Context
from domain import export_columns, scenario
from ledger import transparency
from ledger.bundle import export as export_bundle
from ledger.bundle import verify_bundle
from ledger.app import ACTORS, Entry
from ledger.errors import InputError
from ledger.keys import b64, private_key_from_seed, write_private_key
from ledger.signing import Signer
from ledger.verify import verify_store

DEMO_LEDGER_ID = str(uuid5(NAMESPACE_URL, "https://exitledger.example/demo"))


class _DayClock:
    """Records at 08:00 UTC of the current step's day, never going backwards."""

    def __init__(self) -> None:
        self.day = "2017-07-01"
        self.last: datetime | None = None

    def __call__(self) -> datetime:
        moment = datetime.fromisoformat(self.day).replace(hour=8, tzinfo=timezone.utc)
        if self.last is not None and moment <= self.last:
            moment = self.last + timedelta(seconds=1)
        self.last = moment
        return moment


def _signer(keys: Path, actor: str) -> Signer:
    key = private_key_from_seed(hashlib.sha256(f"exitledger-demo:{actor}".encode()).digest())
    path = keys / f"{actor}.pem"
    if not path.exists():
        write_private_key(path, key, None)
    return Signer.from_private_key(key)


def run_demo(ctx: Context, out: str) -> None:
    ledger = ctx.ledger(create=True)
    if not ledger.is_empty():
        raise InputError(f"{ctx.db} already holds a ledger; the demo needs a fresh database")
    keys = Path(out) / "keys"
    keys.mkdir(parents=True, exist_ok=True)
    clock = _DayClock()
    ledger.clock = clock
    authority = _signer(keys, scenario.AUTHORITY)
    ledger.init(province_code=scenario.PROVINCE_CODE, province_name=scenario.PROVINCE_NAME, signer=authority,
                actor=scenario.AUTHORITY, ledger_id=DEMO_LEDGER_ID)
    registrations = [
        Entry(ACTORS, "ActorRegistered", scenario.AUTHORITY,
              {"actor": a.actor, "name": a.name, "role": a.role, "jurisdiction": a.jurisdiction,
               "public_key": b64(_signer(keys, a.actor).public_raw),
               "person": a.person},
              authority)
        for a in scenario.ACTORS
    ]
    ledger.append(registrations)
    for step in scenario.demo_steps():
        clock.day = step.on
        payload = step.payload
        if step.type == "ExitAnnounced":  # the province publishes the tree head with the announcement
            payload = {**payload, "checkpoint": transparency.sign(ledger, authority).note}
        ledger.append([Entry(step.stream, step.type, step.actor, payload, _signer(keys, step.actor))])
    sealed = transparency.sign(ledger, authority)
    output.stdout.print(f"demo ledger {ledger.ledger_id} in {ctx.db}; keys in {keys}", markup=False)
    for stream in ("case:340828-2017", "case:341221-2019"):
        ctx_history(ctx, stream)
    output.stdout.print(f"checkpoint of {sealed.size} events:\n{sealed.note}", markup=False, highlight=False)
    print_report(ctx, verify_store(ledger))
    bundle = Path(out) / "bundle"
    export_bundle(ledger, bundle, csv_columns=export_columns())
    output.stdout.print(f"exported the audit trail to {bundle}; verifying it offline:", markup=False)
    print_report(ctx, verify_bundle(bundle, trusted_authority=authority.public_raw))


def ctx_history(ctx: Context, stream: str) -> None:
    events = ctx.ledger().history(stream)
    output.table(stream, ["seq", "v", "type", "decided", "recorded (UTC)", "actor", "person", "hash"],
                 ([e["seq"], e["version"], e["type"], e["decided_on"], e["recorded_at"], e["actor"], e["person"],
                   e["hash"][:16] + "…"] for e in events))
