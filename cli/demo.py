"""The demo job: Anhui's 31 poverty counties, each through its exit case, with planted
falsifications among clean counties; then the status table, the red flags with their evidence,
the verification of the database and of an exported bundle, and two case histories.

Deterministic: keys come from fixed seeds, the ledger id is fixed, the province is generated
from a fixed seed, and each event is recorded at 08:00 UTC on its decision day (a second apart
when several share a day), so every hash and signature is the same on every run.
"""

from __future__ import annotations

import hashlib
from datetime import datetime, timedelta, timezone
from importlib import resources
from itertools import groupby
from pathlib import Path
from uuid import NAMESPACE_URL, uuid5

from cli import output
from cli.commands_flags import print_flags
from cli.commands_read import print_report
from cli.commands_views import views_of
from cli.context import Context
from domain import export_columns
from domain.generator import COUNTIES_CSV, DATA_PACKAGE, Province, generate_province, parse_counties, synthetic_counties
from domain import scenario
from domain.scenario import AUTHORITY
from ledger import transparency
from ledger.app import ACTORS, Entry, ExitLedger
from ledger.bundle import export as export_bundle
from ledger.bundle import verify_bundle
from ledger.errors import InputError
from ledger.keys import b64, private_key_from_seed, write_private_key
from ledger.signing import Signer
from ledger.verify import verify_store
from projections import queries
from projections.flag_facts import load_cases
from projections.flags import Policy, evaluate

DEMO_LEDGER_ID = str(uuid5(NAMESPACE_URL, "https://exitledger.example/demo"))
SHOWN_CASES = ("case:340828-2017", "case:341322-2019")  # 岳西县 announced; 萧县 rejected at verification


class _DayClock:
    """Records at 08:00 UTC of the current step's day, never going backwards."""

    def __init__(self) -> None:
        self.day = "2017-07-01"
        self.last: datetime | None = None

    def __call__(self) -> datetime:
        moment = datetime.fromisoformat(self.day).replace(hour=8, tzinfo=timezone.utc)
        if self.last is not None and moment <= self.last:
            moment = self.last + timedelta(microseconds=1000)
        self.last = moment
        return moment


class _Keys:
    """Deterministic demo keys, written unencrypted to ``DIR/<actor>.pem`` (a demo, not a deployment)."""

    def __init__(self, directory: Path) -> None:
        self.directory = directory
        self.signers: dict[str, Signer] = {}

    def __call__(self, actor: str) -> Signer:
        if actor not in self.signers:
            key = private_key_from_seed(hashlib.sha256(f"exitledger-demo:{actor}".encode()).digest())
            path = self.directory / f"{actor}.pem"
            if not path.exists():
                write_private_key(path, key, None)
            self.signers[actor] = Signer.from_private_key(key)
        return self.signers[actor]


def demo_province(counties: int | None, villages: int | None, *, small: bool = False) -> Province:
    if small:  # the two hand-written cases of domain.scenario
        steps = scenario.demo_steps()
        return Province(actors=list(scenario.ACTORS), steps=steps, planted=[],
                        cases=list(dict.fromkeys(s.stream for s in steps)))
    if counties is None:
        rows = parse_counties(resources.files(DATA_PACKAGE).joinpath(COUNTIES_CSV).read_text(encoding="utf-8"))
    else:
        rows = synthetic_counties(counties)
    return generate_province(rows, villages=villages)


def build(ledger: ExitLedger, province: Province, keys: _Keys) -> None:
    """Record the province: genesis, actors, then every step day by day."""
    clock = _DayClock()
    ledger.clock = clock
    authority = keys(AUTHORITY)
    ledger.init(province_code=province.province_code, province_name=province.province_name, signer=authority,
                actor=AUTHORITY, ledger_id=DEMO_LEDGER_ID)
    ledger.append([
        Entry(ACTORS, "ActorRegistered", AUTHORITY,
              {"actor": a.actor, "name": a.name, "role": a.role, "jurisdiction": a.jurisdiction,
               "public_key": b64(keys(a.actor).public_raw), "person": a.person}, authority)
        for a in province.actors
    ])
    for day, steps in groupby(province.steps, key=lambda s: s.on):
        clock.day = day
        batch: list[Entry] = []
        for step in steps:
            payload = step.payload
            if step.type == "ExitAnnounced":  # the province publishes its tree head with the announcement
                if batch:
                    ledger.append(batch)
                    batch = []
                payload = {**payload, "checkpoint": transparency.sign(ledger, authority).note}
            batch.append(Entry(step.stream, step.type, step.actor, payload, keys(step.actor)))
        ledger.append(batch)
    transparency.sign(ledger, authority)


def run_demo(ctx: Context, out: str, *, counties: int | None = None, villages: int | None = None,
             small: bool = False) -> None:
    ledger = ctx.ledger(create=True)
    if not ledger.is_empty():
        raise InputError(f"{ctx.db} already holds a ledger; the demo needs a fresh database")
    keys_dir = Path(out) / "keys"
    keys_dir.mkdir(parents=True, exist_ok=True)
    province = demo_province(counties, villages, small=small)
    build(ledger, province, _Keys(keys_dir))
    say = lambda text: output.stdout.print(text, markup=False, highlight=False)  # noqa: E731
    say(f"demo ledger {ledger.ledger_id}: {ledger.size()} events, {len(province.cases)} cases, in {ctx.db}; "
        f"keys in {keys_dir}")
    with views_of(ctx) as views:
        status = queries.case_status(views.engine)
        cases = load_cases(views.engine)
    output.table("cases by stage", ["stream", "county", "city", "tier", "year", "stage", "outcome"],
                 ([s["stream"], s["county_name"], s["city_name"], s["tier"], s["year"], s["stage"], s["outcome"]]
                  for s in status))
    found = evaluate(cases, Policy(incidence_limit=ledger.registry().incidence_limit))
    print_flags(found)
    if province.planted:
        say("planted falsifications: " + "; ".join(f"{p.stream} → {', '.join(p.rules)}" for p in province.planted))
    for stream in province.cases if len(province.cases) <= 2 else SHOWN_CASES:
        if stream in province.cases:
            history(ctx, stream)
    print_report(ctx, verify_store(ledger))
    bundle = Path(out) / "bundle"
    export_bundle(ledger, bundle, csv_columns=export_columns())
    say(f"exported the audit trail to {bundle}; verifying it offline against the authority key:")
    print_report(ctx, verify_bundle(bundle, trusted_authority=ledger.authority_public_key()))
    # The inspector's reports (issue 6): the province's, and the case the inspectors care about.
    from cli.commands_report import write_report

    shown = next((s for s in ("case:341322-2019", *province.cases) if s in province.cases), None)
    reports = [write_report(ctx, str(Path(out) / "report-province.html"))]
    if shown is not None:
        reports.append(write_report(ctx, str(Path(out) / f"report-{shown.removeprefix('case:')}.html"), stream=shown))
    for path in reports:
        say(f"wrote the inspector's report {path}")


def history(ctx: Context, stream: str) -> None:
    events = ctx.ledger().history(stream)
    output.table(stream, ["seq", "v", "type", "decided", "recorded (UTC)", "actor", "person", "hash"],
                 ([e["seq"], e["version"], e["type"], e["decided_on"], e["recorded_at"], e["actor"], e["person"],
                   e["hash"][:16] + "…"] for e in events if e["type"] != "VillageFiguresReported"))
