"""1. Event store choice: raw eventsourcing saves and reads on each candidate backend.

Baseline: ``eventsourcing.sqlite`` on a file in a temp dir. Candidates: ``eventsourcing_sqlalchemy``
on SQLite (only if importable — never installed by the benchmark), ``eventsourcing.postgres``
when ``EXITLEDGER_BENCH_POSTGRES_URL`` is set (a throw-away schema, dropped afterwards).
"""

from __future__ import annotations

import importlib.util
import os
import secrets
import time
from dataclasses import dataclass
from typing import Any

from benchmarks.common import Row, log, rate, tempdir
from benchmarks.workload import cases, close, raw_app, raw_buckets, sqlite_env, village_payload

POSTGRES_ENV = "EXITLEDGER_BENCH_POSTGRES_URL"
BUCKETS = 10


@dataclass
class StoreResult:
    single: float  # one event per save, events/s
    batch: float  # 100 events per save, events/s
    read_raw: float  # select_notifications, notifications/s
    read_decoded: float  # + mapper.to_domain_event
    events: int


def measure(env: dict[str, str], *, singles: int, total: int) -> StoreResult:
    app = raw_app(env)
    try:
        buckets = raw_buckets(app, BUCKETS)
        payloads = [village_payload(cases(1)[0], i) for i in range(max(singles, 100))]
        start = time.perf_counter()
        for i in range(singles):
            b = buckets[i % BUCKETS]
            b.report(payload=payloads[i])
            app.save(b)
        single = rate(singles, time.perf_counter() - start)
        saved = BUCKETS + singles
        batches = 0
        start = time.perf_counter()
        while saved < total:
            for i in range(100):
                buckets[i % BUCKETS].report(payload=payloads[i])
            app.save(*buckets)
            saved += 100
            batches += 1
        batch = rate(batches * 100, time.perf_counter() - start) if batches else float("nan")
        read_raw, n_raw = _read(app, decode=False)
        read_decoded, _ = _read(app, decode=True)
        return StoreResult(single, batch, read_raw, read_decoded, n_raw)
    finally:
        close(app)


def _read(app: Any, *, decode: bool, page: int = 1000) -> tuple[float, int]:
    start_time = time.perf_counter()
    position, count = 1, 0
    while True:
        notes = app.recorder.select_notifications(position, page)
        if decode:
            for n in notes:
                app.mapper.to_domain_event(n)
        count += len(notes)
        if len(notes) < page:
            break
        position = notes[-1].id + 1
    return rate(count, time.perf_counter() - start_time), count


def _postgres_env(url: str) -> tuple[dict[str, str], str]:
    from ledger.store import persistence_env, prepare_database

    env = persistence_env(url)
    env.pop("APPLICATION_RECORDER_TOPIC", None)
    schema = f"exitledger_bench_{secrets.token_hex(4)}"
    env["POSTGRES_SCHEMA"] = schema
    prepare_database(env)
    return env, schema


def _drop_schema(env: dict[str, str], schema: str) -> None:
    import psycopg
    from psycopg.sql import SQL, Identifier

    with psycopg.connect(host=env["POSTGRES_HOST"], port=int(env["POSTGRES_PORT"]), dbname=env["POSTGRES_DBNAME"],
                         user=env["POSTGRES_USER"], password=env["POSTGRES_PASSWORD"] or None,
                         connect_timeout=5, autocommit=True) as conn:
        conn.execute(SQL("DROP SCHEMA IF EXISTS {0} CASCADE").format(Identifier(schema)))


def run(*, singles: int, total: int) -> list[Row]:
    rows: list[Row] = []
    with tempdir() as d:
        log(f"1. eventsourcing.sqlite: {singles} single saves, {total} events read")
        base = measure(sqlite_env(os.path.join(d, "raw.db")), singles=singles, total=total)
        candidates: list[tuple[str, StoreResult | None, str]] = []
        if importlib.util.find_spec("eventsourcing_sqlalchemy") is None:
            candidates.append(("eventsourcing_sqlalchemy (SQLite)", None, "not installed"))
        else:
            log("1. eventsourcing_sqlalchemy on SQLite")
            env = {"PERSISTENCE_MODULE": "eventsourcing_sqlalchemy",
                   "SQLALCHEMY_URL": f"sqlite:///{os.path.join(d, 'sa.db')}"}
            try:
                candidates.append(("eventsourcing_sqlalchemy (SQLite)", measure(env, singles=singles, total=total), ""))
            except Exception as e:  # noqa: BLE001 — report, do not abort the run
                candidates.append(("eventsourcing_sqlalchemy (SQLite)", None, f"failed: {_short(e)}"))
        url = os.environ.get(POSTGRES_ENV)
        if url:
            log("1. eventsourcing.postgres")
            schema = None
            try:
                env, schema = _postgres_env(url)
                candidates.append(("eventsourcing.postgres", measure(env, singles=singles, total=total), ""))
            except Exception as e:  # noqa: BLE001
                candidates.append(("eventsourcing.postgres", None, f"failed: {_short(e)}"))
            finally:
                if schema is not None:
                    try:
                        _drop_schema(env, schema)
                    except Exception:  # noqa: BLE001
                        pass
        else:
            candidates.append(("eventsourcing.postgres", None, f"skipped (set {POSTGRES_ENV})"))

    metrics = (
        ("1 event per save", "single", "ev/s"),
        ("100 events per save", "batch", "ev/s"),
        (f"read all {base.events:,} notifications, raw", "read_raw", "notif/s"),
        ("read all notifications, decoded", "read_decoded", "notif/s"),
    )
    for label, attr, unit in metrics:
        rows.append(Row("1", f"eventsourcing.sqlite: {label}", getattr(base, attr), unit,
                        target="baseline", note="the ledger's store" if attr == "single" else ""))
    for name, result, why in candidates:
        if result is None:
            rows.append(Row("1", f"{name}: all rows", None, note=why))
            continue
        for label, attr, unit in metrics:
            rows.append(Row("1", f"{name}: {label}", getattr(result, attr), unit,
                            baseline=getattr(base, attr), baseline_what="es.sqlite", target="info"))
    return rows


def _short(e: BaseException) -> str:
    text = str(e).strip().splitlines()
    return f"{type(e).__name__}: {text[0][:80]}" if text else type(e).__name__
