"""2. Signed single appends vs raw eventsourcing saves; 3. batch (``import``-style) appends.

Both sides write the same payload dicts to an SQLite file in the same temp dir, in the same
process, rounds interleaved so machine noise hits both alike; each side's best round is compared
(on a shared machine other load only ever slows a round down); the spread is in the note.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import time
from typing import Any

from benchmarks.common import Row, absolute_target, log, paired, rate, ratio_target, spread, tempdir
from benchmarks.workload import (
    Bucket,
    Case,
    Province,
    cases,
    close,
    mixed_payload,
    new_province,
    open_cases,
    raw_app,
    raw_buckets,
    sqlite_env,
    village_entries,
    village_payload,
)

CASES = 10


# -- 2. single appends --------------------------------------------------------------------------
def ledger_singles(directory: str, n: int) -> float:
    p = new_province(os.path.join(directory, "ledger.db"))
    which = cases(CASES)
    open_cases(p, which)
    work = [(c, *mixed_payload(c, i)) for i in range(n) for c in (which[i % CASES],)]
    app = p.app
    start = time.perf_counter()
    for c, type_, payload in work:
        app.append([p.entry(c.stream, type_, c.actor, payload)])
    seconds = time.perf_counter() - start
    close(app)
    return rate(n, seconds)


def raw_singles(directory: str, n: int) -> float:
    app = raw_app(sqlite_env(os.path.join(directory, "raw.db")))
    buckets = raw_buckets(app, CASES)
    which = cases(CASES)
    work = [(buckets[i % CASES], mixed_payload(which[i % CASES], i)[1]) for i in range(n)]
    start = time.perf_counter()
    for bucket, payload in work:
        bucket.report(payload=payload)
        app.save(bucket)
    seconds = time.perf_counter() - start
    close(app)
    return rate(n, seconds)


def run_single(*, n: int, rounds: int) -> list[Row]:
    ledger_rates, raw_rates = [], []
    for r in range(rounds):
        log(f"2. single appends, round {r + 1}/{rounds}: {n} through ExitLedger.append, {n} raw saves")
        with tempdir() as d:
            # alternate the order so neither side always runs on a warmer cache
            if r % 2:
                raw_rates.append(raw_singles(d, n))
                ledger_rates.append(ledger_singles(d, n))
            else:
                ledger_rates.append(ledger_singles(d, n))
                raw_rates.append(raw_singles(d, n))
    row = Row("2", f"ExitLedger.append, 1 entry per call ({n} on {CASES} fresh cases)", max(ledger_rates),
              baseline=max(raw_rates), baseline_what="raw es.sqlite save",
              note="; ".join(filter(None, [spread(ledger_rates), paired(ledger_rates, raw_rates)])))
    return [ratio_target(row, 0.8),
            Row("2", "raw eventsourcing save, 1 event per save (baseline)", max(raw_rates),
                note=spread(raw_rates))]


def run_long_streams(*, per_case: int, n: int) -> list[Row]:
    """Single appends to cases that already hold ``per_case`` events: the cost of loading them."""
    log(f"2b. single appends on cases already holding {per_case} events")
    with tempdir() as d:
        p = new_province(os.path.join(d, "ledger.db"))
        which = cases(CASES)
        open_cases(p, which)
        p.app.append(village_entries(p, which, per_case * CASES))
        app = p.app
        start = time.perf_counter()
        for i in range(n):
            c = which[i % CASES]
            type_, payload = mixed_payload(c, per_case * CASES + i)
            app.append([p.entry(c.stream, type_, c.actor, payload)])
        ledger_rate = rate(n, time.perf_counter() - start)
        close(app)

        raw = raw_app(sqlite_env(os.path.join(d, "raw.db")))
        buckets = raw_buckets(raw, CASES)
        payloads = [village_payload(which[0], i) for i in range(100)]
        for k in range(per_case // 100):
            for i in range(100 * CASES):
                buckets[i % CASES].report(payload=payloads[i % 100])
            raw.save(*buckets)
        ids = [b.id for b in buckets]
        start = time.perf_counter()
        for i in range(n):
            bucket: Bucket = raw.repository.get(ids[i % CASES])
            bucket.report(payload=payloads[i % 100])
            raw.save(bucket)
        raw_rate = rate(n, time.perf_counter() - start)
        close(raw)
    return [Row("2", f"ExitLedger.append, 1 entry per call, cases holding {per_case} events", ledger_rate,
                baseline=raw_rate, baseline_what="raw get+save", target="info",
                note="raw: each get replays the case; the ledger keeps its aggregates")]


# -- 3. batch appends ----------------------------------------------------------------------------
def ledger_batch(directory: str, n: int) -> float:
    p = new_province(os.path.join(directory, "ledger.db"))
    which = cases(CASES)
    open_cases(p, which)
    entries = village_entries(p, which, n)
    start = time.perf_counter()
    receipts = p.app.append(entries)
    seconds = time.perf_counter() - start
    assert len(receipts) == n
    close(p.app)
    return rate(n, seconds)


def raw_batch(directory: str, n: int) -> float:
    app = raw_app(sqlite_env(os.path.join(directory, "raw.db")))
    buckets = raw_buckets(app, CASES)
    which = cases(CASES)
    payloads = [village_payload(which[i % CASES], i) for i in range(n)]
    start = time.perf_counter()
    for i, payload in enumerate(payloads):
        buckets[i % CASES].report(payload=payload)
    app.save(*buckets)
    seconds = time.perf_counter() - start
    close(app)
    return rate(n, seconds)


def run_batch(*, n: int, rounds: int, cli: bool) -> list[Row]:
    ledger_rates, raw_rates = [], []
    for r in range(rounds):
        log(f"3. batch append of {n} entries, round {r + 1}/{rounds}")
        with tempdir() as d:
            ledger_rates.append(ledger_batch(d, n))
            raw_rates.append(raw_batch(d, n))
    rows = [
        absolute_target(
            Row("3", f"ExitLedger.append([{n:,} VillageFiguresReported]) on {CASES} cases", max(ledger_rates),
                baseline=max(raw_rates), baseline_what=f"raw: {n:,} events, 1 save", note=spread(ledger_rates)),
            "≥ 10,000 ev/s", lambda v: v >= 10_000),
    ]
    if cli:
        rows.append(run_cli(n, rounds))
    return rows


def run_cli(n: int, rounds: int = 1) -> Row:
    """``exitledger import`` in a subprocess: file parsing, key loading, append, output.

    Each round imports into a fresh copy of the same ledger; start-up (``exitledger import
    --help``, which loads what ``import`` loads: ``cli.main.COMMANDS``) is timed beside each
    round and taken off it; the best round is kept."""
    from ledger.keys import private_key_from_seed, write_private_key

    with tempdir() as d:
        db = os.path.join(d, "ledger.db")
        pristine = os.path.join(d, "pristine.db")
        p = new_province(pristine)
        which = cases(CASES)
        open_cases(p, which)
        close(p.app)
        keys = os.path.join(d, "keys")
        os.makedirs(keys)
        import hashlib

        for actor in sorted({c.actor for c in which}):
            seed = hashlib.sha256(f"test:{actor}".encode()).digest()  # tests.builders.signer_for
            write_private_key(os.path.join(keys, f"{actor}.pem"), private_key_from_seed(seed), None)
        lines = os.path.join(d, "events.jsonl")
        with open(lines, "w", encoding="utf-8") as out:
            for i in range(n):
                c: Case = which[i % CASES]
                out.write(json.dumps({"type": "VillageFiguresReported", "stream": c.stream, "actor": c.actor,
                                      "payload": village_payload(c, i)}, ensure_ascii=False) + "\n")
        exe = os.path.join(os.path.dirname(sys.executable), "exitledger")
        cmd = [exe, "--db", f"sqlite:///{db}", "import", lines, "--key-dir", keys]
        beyond, wall, startups = [], [], []
        for r in range(rounds):
            log(f"3. CLI: exitledger import of {n} lines, round {r + 1}/{rounds}")
            shutil.copyfile(pristine, db)
            for suffix in ("-wal", "-shm"):
                if os.path.exists(db + suffix):
                    os.remove(db + suffix)
            start = time.perf_counter()
            done = subprocess.run(cmd, capture_output=True, text=True)
            seconds = time.perf_counter() - start
            if done.returncode != 0:
                return Row("3", "CLI exitledger import", None, note=f"failed: {done.stderr.strip()[:100]}")
            startup_start = time.perf_counter()
            subprocess.run([exe, "import", "--help"], capture_output=True)
            startup = time.perf_counter() - startup_start
            beyond.append(rate(n, seconds - startup))
            wall.append(rate(n, seconds))
            startups.append(startup)
    note = f"{max(wall):,.0f} ev/s wall, start-up included"
    if rounds > 1:
        note += f"; {spread(beyond)}"
    return absolute_target(
        Row("3", f"CLI `exitledger import` of {n:,} lines, beyond the {min(startups):.2f} s start-up",
            max(beyond), note=note),
        "≥ 10,000 ev/s", lambda v: v >= 10_000)


def profile_targets(directory: str, *, singles: int, batch: int) -> dict[str, Any]:
    """Callables for benchmarks.profiling: (setup-free) single and batch append workloads."""
    p: Province = new_province(os.path.join(directory, "profile.db"))
    which = cases(CASES)
    open_cases(p, which)
    singles_work = [(c, *mixed_payload(c, i)) for i in range(singles) for c in (which[i % CASES],)]
    batch_entries = village_entries(p, cases(CASES, first=CASES), batch, start=singles)
    open_cases(p, cases(CASES, first=CASES))

    def single() -> None:
        for c, type_, payload in singles_work:
            p.app.append([p.entry(c.stream, type_, c.actor, payload)])

    def batched() -> None:
        p.app.append(batch_entries)

    return {"app": p.app, "single": single, "batch": batched}
