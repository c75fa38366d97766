"""``python -m benchmarks.projections [--events N] [--rounds R] [--plain]`` — the read models.

Prints one table, each row against a baseline measured in the same run:

1. rebuild (drop every read model, replay the log from zero) of an N-event ledger (default
   100,000; ``--events 1000000`` for the full figure), against a raw read of the same log
   (``iter_log`` pages, no parsing) and, for information, the read plus parsing every record.
   Target ≥ 20,000 events/s.
2. one county's figures (``queries.figures`` after a catch-up that finds nothing new), against
   the raw SELECT of the same rows on the driver. Target < 20 ms.
3. catch-up after one append (the append itself is not timed), warm (this process already
   knows the positions) and cold (a new ``Views`` object, as each CLI command is), against a
   catch-up that finds nothing new (one ``MAX(seq)`` query). Target < 5 ms.

The ledger is built once through ``ExitLedger.append`` (batches of 5,000 entries, each on a
fresh case: a CaseOpened, then VillageFiguresReported with one county FiguresReported in 50)
into ``/tmp/exitledger-bench-views-N.db`` and reused while it holds N events (plus the few that
section 3 appended in earlier runs; ``--fresh`` rebuilds it). 1,000,000 events take about 4 minutes
to build on 2 cores; each rebuild round about 30–40 s.
"""

from __future__ import annotations

import argparse
import os
import sqlite3
import statistics
import sys
import time
import warnings
from typing import Any

from benchmarks.common import Row, absolute_target, load_average, log, print_table, rate
from benchmarks.workload import MAX_CASES, cases, figures_payload, new_province, village_payload
from ledger.app import ExitLedger
from ledger.store import iter_log
from projections import Views, queries
from projections.records import parse
from tests.builders import Province

FIGURES_EVERY = 50
BATCH = 5000


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    ap = argparse.ArgumentParser(prog="python -m benchmarks.projections", description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--events", type=int, default=100_000, metavar="N", help="events in the ledger (default 100,000)")
    ap.add_argument("--rounds", type=int, default=2, metavar="R", help="rebuild rounds, best kept (default 2)")
    ap.add_argument("--fresh", action="store_true", help="rebuild the cached ledger")
    ap.add_argument("--plain", action="store_true", help="plain-text table instead of rich")
    args = ap.parse_args(argv)
    if args.events < 1000:
        ap.error("--events must be at least 1000")
    if -(-args.events // BATCH) > MAX_CASES:
        ap.error(f"--events at most {MAX_CASES * BATCH:,}")
    return args


def build(path: str, events: int) -> Province:
    """A ledger of exactly ``events`` events: the demo actors, then cases of up to 5,000 events."""
    for suffix in ("", "-wal", "-shm"):
        if os.path.exists(path + suffix):
            os.remove(path + suffix)
    p = new_province(path)
    size, n, started = p.app.size(), 0, time.perf_counter()
    while size < events:
        c = cases(1, first=n)[0]
        take = min(BATCH, events - size)
        entries = [p.entry(c.stream, "CaseOpened", "ah-office", c.opening())]
        for i in range(n * BATCH, n * BATCH + take - 1):
            if i % FIGURES_EVERY == FIGURES_EVERY - 1:
                entries.append(p.entry(c.stream, "FiguresReported", c.actor, figures_payload(c, i)))
            else:
                entries.append(p.entry(c.stream, "VillageFiguresReported", c.actor, village_payload(c, i)))
        p.app.append(entries)
        size += take
        n += 1
        if n % 20 == 0:
            log(f"built {size:,} events ({rate(size, time.perf_counter() - started):,.0f}/s)")
    return p


def cached_ledger(events: int, fresh: bool) -> tuple[str, Province | None]:
    path = f"/tmp/exitledger-bench-views-{events}.db"
    if not fresh and os.path.exists(path):
        app = ExitLedger(f"sqlite:///{path}", create=False)
        try:
            if events <= app.size() < events + 1000:  # earlier runs appended a few (section 3)
                log(f"reusing {path}")
                return path, None
        finally:
            app.close()
    log(f"building a {events:,}-event ledger in {path}")
    return path, build(path, events)


def raw_read(app: ExitLedger, *, parsed: bool) -> float:
    start, n = time.perf_counter(), 0
    for row in iter_log(app.recorder, batch=BATCH):
        if parsed:
            parse(row)
        n += 1
    return rate(n, time.perf_counter() - start)


def median_ms(fn: Any, rounds: int) -> float:
    times = []
    for _ in range(rounds):
        start = time.perf_counter()
        fn()
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times)


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    warnings.simplefilter("ignore", DeprecationWarning)
    before = load_average()
    path, built = cached_ledger(args.events, args.fresh)
    url = f"sqlite:///{path}"
    app = built.app if built is not None else ExitLedger(url, create=False)
    views = Views(app, url)
    rows: list[Row] = []

    # 1. rebuild vs raw read of the log
    raw, read_parse, rebuilds = 0.0, 0.0, []
    for r in range(args.rounds):
        raw = max(raw, raw_read(app, parsed=False))
        read_parse = max(read_parse, raw_read(app, parsed=True))
        log(f"rebuild round {r + 1}/{args.rounds}")
        start = time.perf_counter()
        n = views.rebuild()
        rebuilds.append(rate(n, time.perf_counter() - start))
    best = max(rebuilds)
    note = f"{n:,} events" + (f"; worst round {min(rebuilds):,.0f}/s" if len(rebuilds) > 1 else "")
    rows.append(absolute_target(Row("1", "rebuild: drop all read models, replay from 0", best, "ev/s", raw,
                                    "raw read of the log", note=note), "≥ 20,000 ev/s", lambda v: v >= 20_000))
    rows.append(Row("1", "read + parse every record (no writes)", read_parse, "ev/s", raw, "raw read of the log",
                    note="information: the rebuild's floor"))

    # 2. one county's figures
    stream = cases(1, first=min(3, -(-args.events // BATCH) - 1))[0].stream
    views.catch_up()
    figures = queries.figures(views.engine, stream)

    def query() -> None:
        views.catch_up()
        queries.figures(views.engine, stream)

    db = sqlite3.connect(path)

    def raw_query() -> None:
        db.execute("SELECT * FROM figures WHERE stream = ? AND village_code IS NULL ORDER BY seq", (stream,)).fetchall()

    raw_ms, query_ms = median_ms(raw_query, 30), median_ms(query, 30)
    rows.append(absolute_target(Row("2", f"figures of {stream} ({len(figures)} rows) incl. catch-up check", query_ms,
                                    "ms", raw_ms, "raw SELECT, sqlite3"), "< 20 ms", lambda v: v < 20))

    # 3. catch-up after one append
    p = built or _reopen(path, app)
    case = cases(1, first=0)[0]
    noop_ms = median_ms(views.catch_up, 30)
    warm, cold = [], []
    for i in range(10):
        p.app.append([p.entry(case.stream, "FiguresReported", case.actor, figures_payload(case, 2_500_000 + i))])
        warm.append(median_ms(views.catch_up, 1))
        p.app.append([p.entry(case.stream, "VillageFiguresReported", case.actor, village_payload(case, 9_000_000 + i))])
        fresh_views = Views(app, url)
        cold.append(median_ms(fresh_views.catch_up, 1))
        fresh_views.close()
    rows.append(absolute_target(Row("3", "catch-up after one append (warm Views)", statistics.median(warm), "ms",
                                    noop_ms, "catch-up, nothing new"), "< 5 ms", lambda v: v < 5))
    rows.append(absolute_target(Row("3", "catch-up after one append (new Views, as a CLI command)",
                                    statistics.median(cold), "ms", noop_ms, "catch-up, nothing new"),
                                "< 5 ms", lambda v: v < 5))
    for row in rows:  # for times, a ratio above 1 means slower than the baseline
        if row.unit == "ms" and row.value and row.baseline:
            row.ratio = row.value / row.baseline
    db.close()
    views.close()
    print_table(rows, title=f"exitledger read models — {args.events:,} events, SQLite; load {before} → "
                            f"{load_average()}", plain=args.plain)
    return 0


def _reopen(path: str, app: ExitLedger) -> Province:
    from domain import scenario
    from tests.builders import signer_for

    p = Province(app)
    for name in [scenario.AUTHORITY, *(a.actor for a in scenario.ACTORS)]:
        p.signers[name] = signer_for(name)
    return p


if __name__ == "__main__":
    sys.exit(main())
