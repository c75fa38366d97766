"""5. (``--full`` only) Peak memory of ``verify_store`` over a 1,000,000-event ledger.

The ledger is built once through ``ExitLedger.append`` (batches of 5,000 entries, one fresh case
each — about 5–7 minutes on a 2-core machine) into ``/tmp/exitledger-bench-1m.db`` and reused
by later runs while it holds exactly 1,000,000 log rows and verifies with the current code (a
ledger written by an older version of the product that no longer verifies is rebuilt
automatically); ``--rebuild-1m`` or deleting the file forces a rebuild.

The measurement runs in a child process (``python -m benchmarks.memory verify DB``) so that
nothing the benchmark run itself allocated counts: the child reports ``ru_maxrss`` of itself
(the verifier's main process) and of its children (the verification workers). The baseline is
the same child opening the ledger without verifying (``idle``). Linux carries ``ru_maxrss``
across ``exec``, so the child is started from a small ``/bin/sh``, not straight from the
benchmark process (whose own RSS would otherwise leak into the child's figure); the child also
reports ``VmHWM`` as a cross-check.
"""

from __future__ import annotations

import json
import os
import resource
import sqlite3
import subprocess
import sys
import time
from typing import Any

from benchmarks.common import Row, absolute_target, log

CACHED = "/tmp/exitledger-bench-1m.db"
EVENTS = 1_000_000
LIMIT_MB = 200


def _log_size(path: str) -> int:
    try:
        with sqlite3.connect(f"file:{path}?mode=ro", uri=True) as conn:
            return int(conn.execute("SELECT COALESCE(MAX(seq), 0) FROM exitledger_log").fetchone()[0])
    except sqlite3.Error:
        return -1


def ensure_ledger(path: str = CACHED, events: int = EVENTS, *, rebuild: bool = False) -> str:
    if not rebuild and os.path.exists(path) and _log_size(path) == events:
        log(f"5. reusing {path} ({events:,} events)")
        return path
    from benchmarks.workload import build_ledger, close

    partial = path + ".partial"
    for suffix in ("", "-wal", "-shm"):
        for base in (partial, path):
            if os.path.exists(base + suffix):
                os.remove(base + suffix)
    log(f"5. building {path} with {events:,} events (once; reused afterwards)")
    start = time.perf_counter()
    last = [0]

    def progress(size: int) -> None:
        if size - last[0] >= 50_000 or size == events:
            last[0] = size
            elapsed = time.perf_counter() - start
            log(f"5.   {size:,} events, {size / elapsed:,.0f} ev/s")

    p, size = build_ledger(partial, events, progress=progress)
    close(p.app)
    with sqlite3.connect(partial) as conn:
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    conn.close()
    for suffix in ("-wal", "-shm"):
        if os.path.exists(partial + suffix):
            os.remove(partial + suffix)
    os.replace(partial, path)
    return path


def child(mode: str, path: str) -> None:
    from ledger.app import ExitLedger

    app = ExitLedger(f"sqlite:///{path}")
    start = time.perf_counter()
    out: dict[str, object] = {"ledger": app.ledger_id}
    if mode == "verify":
        from ledger.verify import verify_store

        report = verify_store(app)
        out.update(events=report.events, ok=report.ok, problems=len(report.problems))
    out["seconds"] = time.perf_counter() - start
    out["self_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    out["children_mb"] = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    out["vmhwm_mb"] = _vmhwm_kb() / 1024
    print(json.dumps(out))


def _vmhwm_kb() -> float:
    """Peak RSS of this process image (``/proc/self/status`` VmHWM), a cross-check of ru_maxrss."""
    try:
        with open("/proc/self/status") as f:
            for line in f:
                if line.startswith("VmHWM:"):
                    return float(line.split()[1])
    except OSError:
        pass
    return float("nan")


def _run_child(mode: str, path: str) -> dict[str, Any]:
    # Linux carries ru_maxrss across exec: a child forked straight from this (large) process
    # would report at least this process's RSS at fork time. Forking it from a small /bin/sh
    # instead (the ``; exit`` keeps sh from exec-ing the command in place) gives a clean count.
    cmd = ["/bin/sh", "-c", '"$0" "$@"; exit $?', sys.executable, "-m", "benchmarks.memory", mode, path]
    done = subprocess.run(cmd, capture_output=True, text=True,
                          cwd=os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
    if done.returncode != 0:
        raise RuntimeError(f"memory child failed: {done.stderr.strip()[-300:]}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def run(path: str = CACHED, *, rebuild: bool = False) -> list[Row]:
    path = ensure_ledger(path, rebuild=rebuild)
    log("5. verify_store child over 1,000,000 events")
    got = _run_child("verify", path)
    if not got["ok"] and not rebuild:
        # built by an older version of the product (format or tables changed): build it anew
        log(f"5. the cached ledger does not verify with the current code ({got['problems']} problems): rebuilding")
        path = ensure_ledger(path, rebuild=True)
        got = _run_child("verify", path)
    log("5. idle child (opens the ledger only)")
    idle = _run_child("idle", path)
    rows = [
        absolute_target(
            Row("5", f"peak RSS, verify_store main process, {got['events']:,} events", float(got["self_mb"]), "MB",
                baseline=float(idle["self_mb"]), baseline_what="idle child",
                note=f"VmHWM {got['vmhwm_mb']:.0f} MB; verified in {got['seconds']:.0f} s "
                     f"({got['events'] / got['seconds']:,.0f} ev/s), ok={got['ok']}"),
            f"< {LIMIT_MB} MB", lambda v: v < LIMIT_MB),
        absolute_target(
            Row("5", "peak RSS, largest verification worker", float(got["children_mb"]), "MB",
                baseline=float(idle["self_mb"]), baseline_what="idle child",
                note="forked: counts pages shared with the main process"),
            f"< {LIMIT_MB} MB", lambda v: v < LIMIT_MB),
    ]
    return rows


if __name__ == "__main__":
    child(sys.argv[1], sys.argv[2])
