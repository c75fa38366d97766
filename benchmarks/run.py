"""Entry point: ``.venv/bin/python -m benchmarks.run [--quick] [--events N] [--full] [--profile]``.

Prints one table of rates and their ratios against baselines measured in the same run (never
against numbers from another machine or another day). Sections:

1. event store choice — raw eventsourcing on ``eventsourcing.sqlite`` (baseline) vs
   ``eventsourcing_sqlalchemy`` on SQLite (if importable; the benchmark never installs it) and
   ``eventsourcing.postgres`` (if ``EXITLEDGER_BENCH_POSTGRES_URL`` is set).
2. single signed appends through ``ExitLedger.append`` vs raw eventsourcing saves of the same
   payloads, same SQLite backend (target ≥ 0.8×); plus, for information, single appends on
   cases that already hold many events.
3. one ``ExitLedger.append`` of 10,000 entries (target ≥ 10,000 events/s); the CLI
   ``exitledger import`` of the same (skipped by ``--quick`` / ``--no-cli``).
4. ``verify_store`` over an N-event ledger (``--events``, default 50,000) vs the raw pynacl
   verification loop on 1 core and on 2 processes (target ≥ 0.8× of the 2-process loop).
5. only with ``--full``: peak RSS of a child running ``verify_store`` over 1,000,000 events
   (target < 200 MB). The 1M ledger is built once (5–7 min) into
   ``/tmp/exitledger-bench-1m.db`` and reused while it verifies (``--rebuild-1m`` forces a rebuild).

Default run: about 1.5–2.5 minutes on 2 cores; ``--quick`` about 30 s. Progress goes to stderr,
the table to stdout. ``--profile`` adds cProfile listings of the append and verify paths.
"""

from __future__ import annotations

import argparse
import os
import platform
import sys
import time
import warnings
from typing import Any

from benchmarks.common import Row, load_average, log, print_table, tempdir


def parse(argv: list[str] | None) -> argparse.Namespace:
    ap = argparse.ArgumentParser(prog="python -m benchmarks.run", description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--quick", action="store_true", help="smaller sizes, one round each, no CLI (~30 s)")
    ap.add_argument("--events", type=int, metavar="N", help="events in the verify ledger (default 50,000; quick 10,000)")
    ap.add_argument("--full", action="store_true", help="also section 5: peak memory of verify over 1M events")
    ap.add_argument("--rebuild-1m", action="store_true", help="with --full: rebuild the cached 1M-event ledger")
    ap.add_argument("--only", metavar="LIST", help="comma-separated sections to run, e.g. 2,4")
    ap.add_argument("--rounds", type=int, metavar="R", help="rounds of sections 2, 3, 4 (default 3, 2, 2; best kept)")
    ap.add_argument("--no-cli", action="store_true", help="skip the CLI row of section 3")
    ap.add_argument("--profile", action="store_true", help="cProfile the append and verify paths after the table")
    ap.add_argument("--plain", action="store_true", help="plain-text table instead of rich")
    args = ap.parse_args(argv)
    if args.events is not None and args.events < 100:
        ap.error("--events must be at least 100")
    return args


def main(argv: list[str] | None = None) -> int:
    args = parse(argv)
    warnings.simplefilter("ignore", DeprecationWarning)
    quick = args.quick
    sections = {s.strip() for s in args.only.split(",")} if args.only else {"1", "2", "3", "4", "5"}
    if not args.full:
        sections.discard("5")
    events = args.events or (10_000 if quick else 50_000)
    rounds = args.rounds
    sizes: dict[str, Any] = {
        "store_singles": 300 if quick else 2000,
        "store_total": 5000 if quick else 20_000,
        "singles": 100 if quick else 400,
        "single_rounds": rounds or (1 if quick else 3),
        "long_per_case": 200 if quick else 1000,
        "long_n": 10 if quick else 20,
        "batch": 10_000,
        "batch_rounds": rounds or (1 if quick else 2),
        "cli": not (quick or args.no_cli),
    }

    from benchmarks import append, memory, profiling, stores, verifying

    started = time.perf_counter()
    load_before = load_average()
    rows: list[Row] = []
    verify_app = None
    with tempdir() as d:
        if "1" in sections:
            rows += stores.run(singles=sizes["store_singles"], total=sizes["store_total"])
        if "2" in sections:
            rows += append.run_single(n=sizes["singles"], rounds=sizes["single_rounds"])
            rows += append.run_long_streams(per_case=sizes["long_per_case"], n=sizes["long_n"])
        if "3" in sections:
            rows += append.run_batch(n=sizes["batch"], rounds=sizes["batch_rounds"], cli=sizes["cli"])
        if "4" in sections:
            got, province = verifying.run(d, events=events, rounds=rounds or (1 if quick else 2))
            rows += got
            verify_app = province.app
        if "5" in sections:
            rows += memory.run(rebuild=args.rebuild_1m)
        elapsed = time.perf_counter() - started
        title = (f"exitledger benchmarks — {platform.python_version()}, {os.cpu_count()} cores, "
                 f"{'quick' if quick else 'default'} sizes, {elapsed:.0f} s, load avg {load_before} → {load_average()}")
        print_table(rows, title=title, plain=args.plain)
        if args.profile:
            profiling.run(d, verify_app=verify_app, events=events)
    log(f"done in {time.perf_counter() - started:.0f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
