"""Every generated step is appendable: right signer, jurisdiction and order.

Twice: through :func:`domain.record` with the fake ledger of the domain's tests (fast, for
scaled-up provinces), and through the real :class:`ledger.app.ExitLedger` on a SQLite file with
deterministic keys (the proof: signed, hash-chained, stored).
"""

from __future__ import annotations

import base64
from collections import Counter
from pathlib import Path

import pytest

from domain.generator import (
    FABRICATED,
    MISMATCH,
    OVERRIDDEN,
    REVISION,
    SPECIAL_RECTIFIED,
    Province,
    generate_province,
    synthetic_counties,
)
from ledger.app import ACTORS, Entry, ExitLedger
from ledger.keys import b64
from tests.builders import StepClock, signer_for
from tests.unit.domain.kit import AUTHORITY, Book, authority, genesis
from tests.unit.generator.test_generator import demo


def fake_key(n: int) -> str:
    return base64.b64encode(n.to_bytes(32, "big")).decode()


def book_of(province: Province) -> Book:
    book = Book()
    book.record("actors", "LedgerInitialised", authority(), genesis())
    for n, a in enumerate(province.actors, start=1):
        book.record("actors", "ActorRegistered", AUTHORITY, {
            "actor": a.actor, "name": a.name, "role": a.role, "jurisdiction": a.jurisdiction,
            "public_key": fake_key(n), "person": a.person})
    for step in province.steps:
        book.record(step.stream, step.type, step.actor, step.payload)
    return book


def outcomes(book: Book, province: Province) -> dict[str, str | None]:
    return {stream: book.case(stream).outcome for stream in province.cases}


def test_the_demo_province_walks_through_the_domain() -> None:
    p = demo()
    book = book_of(p)
    rejected = {x.stream for x in p.planted if x.kind == MISMATCH}
    assert outcomes(book, p) == {s: "rejected" if s in rejected else "announced" for s in p.cases}
    assert sum(len(book.events[s]) for s in p.cases) == len(p.steps)


@pytest.mark.parametrize(("n", "villages", "plant"), [(120, 20, True), (40, 150, True), (30, None, False)])
def test_scaled_up_provinces_walk_through_the_domain(n: int, villages: int | None, plant: bool) -> None:
    p = generate_province(synthetic_counties(n), villages=villages, plant=plant, seed=n)
    book = book_of(p)
    expected = {"announced": n - 1, "rejected": 1} if plant else {"announced": n}
    assert Counter(outcomes(book, p).values()) == expected


def test_the_demo_province_is_signed_and_stored_by_the_real_ledger(tmp_path: Path) -> None:
    p = demo()
    app = ExitLedger(f"sqlite:///{tmp_path}/demo.db", clock=StepClock())
    signers = {a.actor: signer_for(a.actor) for a in p.actors}
    root = signer_for("ledger-authority")
    app.init(province_code=p.province_code, province_name=p.province_name, signer=root, actor="ledger-authority")
    app.append([Entry(ACTORS, "ActorRegistered", "ledger-authority", {
        "actor": a.actor, "name": a.name, "role": a.role, "jurisdiction": a.jurisdiction,
        "public_key": b64(signers[a.actor].public_raw), "person": a.person}, root) for a in p.actors])
    receipts = []
    for start in range(0, len(p.steps), 250):
        batch = p.steps[start:start + 250]
        receipts += app.append([Entry(s.stream, s.type, s.actor, s.payload, signers[s.actor]) for s in batch])
    assert len(receipts) == len(p.steps)
    assert app.size() == 1 + len(p.actors) + len(p.steps)

    kinds = {x.kind: x.stream for x in p.planted + p.near_misses}
    history = {stream: app.history(stream) for stream in p.cases}
    decision = {s: next(e["payload"]["decision"] for e in h if e["type"] == "ProvincialVerificationCompleted")
                for s, h in history.items()}
    assert decision == {s: "reject" if s == kinds[MISMATCH] else "proceed" for s in p.cases}
    special = {s: [e["payload"]["special_rectification"] for e in h if e["type"] == "ThirdPartyEvaluationCompleted"]
               for s, h in history.items() if s != kinds[MISMATCH]}
    assert {s for s, flags in special.items() if flags == [True]} == {kinds[OVERRIDDEN], kinds[SPECIAL_RECTIFIED]}
    revisions = {s for s, h in history.items() for e in h if "revises" in e["payload"]}
    assert revisions == {kinds[REVISION]}
    fabricated = [e for e in history[kinds[FABRICATED]] if e["type"] == "VillageFiguresReported"]
    assert len(fabricated) >= 60 and all(e["person"] for e in fabricated)
