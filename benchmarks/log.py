"""Issue 3's figures: proof time at growing sizes (should stay flat), export rate against a raw
read of the log, and ``verify --bundle`` against the raw Ed25519 loop — each against a baseline
measured in the same run.

    python -m benchmarks.log [--sizes 10000,100000] [--full] [--rounds 3]

``--full`` adds 1,000,000 events, reusing the projections benchmark's cached ledger
(``/tmp/exitledger-bench-views-1000000.db``) when it is there.
"""

from __future__ import annotations

import argparse
import os
import random
import shutil
import statistics
import time

from benchmarks.common import Row, absolute_target, log, print_table, rate, ratio_target, spread, tempdir
from benchmarks.verifying import raw_verify_parallel, triples
from benchmarks.workload import build_ledger
from ledger import transparency
from ledger.app import ExitLedger
from ledger.bundle import export, verify_bundle
from ledger.store import iter_log

CACHED_1M = "/tmp/exitledger-bench-views-1000000.db"
PROOFS = 200


def proof_ms(app: ExitLedger) -> tuple[float, float]:
    """Median milliseconds of an inclusion and of a consistency proof at the current size."""
    size = app.size()
    rng = random.Random(size)
    inclusion, consistency = [], []
    for _ in range(PROOFS):
        seq = rng.randint(1, size)
        start = time.perf_counter()
        transparency.inclusion(app, seq)
        inclusion.append(time.perf_counter() - start)
        old = rng.randint(1, size)
        start = time.perf_counter()
        transparency.consistency(app, old, size)
        consistency.append(time.perf_counter() - start)
    return statistics.median(inclusion) * 1000, statistics.median(consistency) * 1000


def ledger_of(directory: str, events: int) -> ExitLedger:
    if events == 1_000_000 and os.path.exists(CACHED_1M):
        return ExitLedger(f"sqlite:///{CACHED_1M}", create=False)
    path = os.path.join(directory, f"ledger-{events}.db")
    log(f"building a ledger of {events:,} events")
    province, _ = build_ledger(path, events)
    return province.app


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="10000,100000")
    parser.add_argument("--full", action="store_true")
    parser.add_argument("--plain", action="store_true")
    parser.add_argument("--rounds", type=int, default=3, help="interleaved rounds of the export and verify --bundle rows")
    args = parser.parse_args()
    sizes = [int(s) for s in args.sizes.split(",")] + ([1_000_000] if args.full else [])
    rows: list[Row] = []
    with tempdir() as d:
        first: tuple[float, float] | None = None
        apps = {}
        for size in sizes:
            app = apps[size] = ledger_of(d, size)
            inc, con = proof_ms(app)
            first = first or (inc, con)
            for what, ms, base in (("inclusion", inc, first[0]), ("consistency", con, first[1])):
                row = Row("3", f"{what} proof at {app.size():,} events (median of {PROOFS})", ms, unit="ms",
                          baseline=base, baseline_what=f"at {sizes[0]:,} events", ratio=ms / base)
                rows.append(absolute_target(row, "< 10 ms", lambda v: v < 10))
        app = apps[sizes[min(1, len(sizes) - 1)]]
        n = app.size()
        out = os.path.join(d, "bundle")
        raw_rates, exported_rates = [], []
        for round_ in range(args.rounds):  # interleaved, each side's best round
            log(f"3. export of {n:,} events, round {round_ + 1} of {args.rounds}")
            start = time.perf_counter()
            count = sum(1 for _ in iter_log(app.recorder))
            raw_rates.append(rate(count, time.perf_counter() - start))
            shutil.rmtree(out, ignore_errors=True)
            start = time.perf_counter()
            export(app, out)
            exported_rates.append(rate(n, time.perf_counter() - start))
        rows.append(ratio_target(Row("3", f"export of {n:,} events", max(exported_rates), baseline=max(raw_rates),
                                     baseline_what="raw read of the log", note=spread(exported_rates)), 0.5))
        items = triples(app)
        bundled_rates, raw2_rates, raw1_rates = [], [], []
        for round_ in range(args.rounds):  # interleaved; each side's best round (noise only slows one down)
            log(f"3. verify --bundle of {n:,} events, round {round_ + 1} of {args.rounds}")
            raw2_rates.append(rate(len(items), raw_verify_parallel(items, 2)))
            start = time.perf_counter()
            report = verify_bundle(out, trusted_authority=app.authority_public_key())
            bundled_rates.append(rate(n, time.perf_counter() - start))
            raw1_rates.append(rate(len(items), raw_verify_parallel(items, 1)))
        bundled, raw2, raw1 = max(bundled_rates), max(raw2_rates), max(raw1_rates)
        rows.append(ratio_target(Row("3", f"verify --bundle of {n:,} events (ok={report.ok})", bundled,
                                     baseline=raw2, baseline_what="raw pynacl loop, 2 processes",
                                     note=spread(bundled_rates)), 0.8))
        rows.append(Row("3", "verify --bundle vs the raw 1-core loop", bundled, baseline=raw1,
                        baseline_what="raw pynacl loop, 1 process", target="info"))
        rows.append(Row("3", "raw pynacl loop, 2 processes", raw2, baseline=raw1, baseline_what="1 process",
                        target="info", note=spread(raw2_rates)))
        shutil.rmtree(out, ignore_errors=True)
    print_table(rows, title="exitledger transparency-log benchmarks", plain=args.plain)


if __name__ == "__main__":
    main()
