"""4. ``verify_store`` against the raw Ed25519 verification loop over the same triples.

Each side: best of ``rounds`` interleaved rounds (a shared machine only ever slows a round down).
The raw loop is the floor of any verifier: ``nacl.signing.VerifyKey(pk).verify(body, sig)`` for
every stored (public key, body, signature), keys and signatures already decoded, one
``VerifyKey`` per key. Two cores: two forked processes over the halves (fork and join timed).
"""

from __future__ import annotations

import base64
import json
import multiprocessing
import os
import time
from typing import Any

import nacl.signing

from benchmarks.common import Row, log, paired, rate, ratio_target, spread
from benchmarks.workload import build_ledger, close
from domain import scenario
from ledger.record import open_envelope
from ledger.store import iter_log
from ledger.verify import Position, verify_store
from ledger.verify_record import check_chunk
from ledger.verify_source import CHUNK
from tests.builders import signer_for

Triple = tuple[bytes, bytes, bytes]
_TRIPLES: list[Triple] = []  # set before forking; the children read their half


def triples(app: Any) -> list[Triple]:
    """(public key, body, raw signature) of every stored event, via the demo actors' keys."""
    public = {s.key_id: s.public_raw for s in
              (signer_for(a) for a in [scenario.AUTHORITY] + [x.actor for x in scenario.ACTORS])}
    out = []
    for row in iter_log(app.recorder):
        assert row.state is not None, f"seq {row.seq} has no stored event"
        sealed = open_envelope(row.state)
        key = json.loads(sealed.body)["key"]
        out.append((public[key], sealed.body, base64.b64decode(sealed.sig)))
    return out


def raw_verify(items: list[Triple]) -> int:
    keys: dict[bytes, nacl.signing.VerifyKey] = {}
    for pk, body, sig in items:
        vk = keys.get(pk)
        if vk is None:
            vk = keys[pk] = nacl.signing.VerifyKey(pk)
        vk.verify(body, sig)
    return len(items)


def _child(lo: int, hi: int) -> None:
    raw_verify(_TRIPLES[lo:hi])


def raw_verify_parallel(items: list[Triple], processes: int = 2) -> float:
    """Seconds to verify ``items`` split over ``processes`` forked processes."""
    global _TRIPLES
    _TRIPLES = items
    ctx = multiprocessing.get_context("fork")
    bounds = [len(items) * k // processes for k in range(processes + 1)]
    start = time.perf_counter()
    procs = [ctx.Process(target=_child, args=(bounds[k], bounds[k + 1])) for k in range(processes)]
    for proc in procs:
        proc.start()
    for proc in procs:
        proc.join()
    seconds = time.perf_counter() - start
    _TRIPLES = []
    if any(proc.exitcode != 0 for proc in procs):
        raise RuntimeError("a raw verification child failed")
    return seconds


def positions(app: Any) -> list[Position]:
    return [Position(r.seq, r.hash, r.state, r.originator_id, r.version) for r in iter_log(app.recorder)]


def _verify_ok(app: Any) -> None:
    report = verify_store(app)
    if not report.ok:
        raise RuntimeError(f"the benchmark ledger does not verify: {report.problems[:3]}")


def run(directory: str, *, events: int, rounds: int = 2, breakdown: bool = True) -> tuple[list[Row], Any]:
    log(f"4. building a ledger of {events:,} events (batches of 5,000 through ExitLedger.append)")
    start = time.perf_counter()
    p, size = build_ledger(os.path.join(directory, "verify.db"), events)
    build_rate = rate(size - 15, time.perf_counter() - start)
    app = p.app

    items = triples(app)
    verify_rates, one_rates, two_rates = [], [], []
    for r in range(rounds):
        log(f"4. round {r + 1}/{rounds}: verify_store(app), raw Ed25519 loop on 1 core and on 2 processes")
        verify_rates.append(rate(size, _timed(_verify_ok, app)))
        one_rates.append(rate(len(items), _timed(raw_verify, items)))
        two_rates.append(rate(len(items), raw_verify_parallel(items, 2)))
    verify_rate, one, two = max(verify_rates), max(one_rates), max(two_rates)

    rows = [
        ratio_target(Row("4", f"verify_store(app), {os.cpu_count()} workers, {size:,} events", verify_rate,
                         baseline=two, baseline_what="raw pynacl, 2 procs",
                         note=_join(f"best: {size / verify_rate:.1f} s", spread(verify_rates), paired(verify_rates, two_rates))), 0.8),
        Row("4", "verify_store(app) vs raw 1-core loop", verify_rate, baseline=one,
            baseline_what="raw pynacl, 1 core", target="info"),
        Row("4", "raw pynacl verify loop, 1 core", one, note=_join("VerifyKey cached per key", spread(one_rates))),
        Row("4", "raw pynacl verify loop, 2 processes", two, baseline=one, baseline_what="1 core",
            target="info", note=_join("fork + join timed", spread(two_rates))),
    ]
    if breakdown:
        log("4. breakdown: log read, worker checks in one process")
        read_seconds = _timed(positions, app)
        rows.append(Row("4", "  part: read every log row + envelope (iter_log; the workers do this)",
                        rate(size, read_seconds), baseline=one, baseline_what="raw 1 core", target="info"))
        sample = positions(app)[: min(size, 10 * CHUNK)]
        keys = {s.key_id: s.public_raw for s in
                (signer_for(a) for a in [scenario.AUTHORITY] + [x.actor for x in scenario.ACTORS])}
        check_seconds = _timed(lambda: [check_chunk(sample[i:i + CHUNK], keys)
                                        for i in range(0, len(sample), CHUNK)])
        rows.append(Row("4", f"  part: worker checks (check_chunk) in 1 process, {len(sample):,} events",
                        rate(len(sample), check_seconds), baseline=one, baseline_what="raw 1 core", target="info",
                        note="parse, canonical check, SHA-256, verify"))
    rows.append(Row("4", "  (ledger build for this benchmark, batches of 5,000)", build_rate, target="info"))
    return rows, p


def _join(*parts: str) -> str:
    return "; ".join(p for p in parts if p)


def _timed(fn: Any, *args: Any) -> float:
    start = time.perf_counter()
    fn(*args)
    return time.perf_counter() - start


def verify_once(app: Any, workers: int | None = None) -> Any:
    return verify_store(app, workers=workers)


__all__ = ["run", "raw_verify", "raw_verify_parallel", "triples", "close"]
