"""``--profile``: cProfile of the append and verify paths, top functions printed.

Profiles are also written to ``/tmp/exitledger-bench-prof/<name>.prof`` (open with
``python -m pstats`` or snakeviz). cProfile roughly doubles the run time of Python-heavy code,
so read the shares, not the absolute times.

- ``append-single``: single-entry ``ExitLedger.append`` calls on fresh cases;
- ``append-batch``: one ``ExitLedger.append`` of a 10,000-entry list;
- ``verify-main``: ``verify_store(app)`` as shipped (2 workers) — the main process only;
- ``verify-1proc``: ``Verifier.run(positions, workers=1)`` — every step in one process, so
  the workers' share (parse, canonical check, hash, signature) is visible too.
"""

from __future__ import annotations

import cProfile
import os
import pstats
import time
from collections.abc import Callable
from typing import Any

from benchmarks.common import log

OUT = "/tmp/exitledger-bench-prof"
ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def _where(key: tuple[str, int, str]) -> str:
    path, line, func = key
    if path == "~":
        return func
    if path.startswith(ROOT):
        path = os.path.relpath(path, ROOT)
    elif "site-packages/" in path:
        path = path.split("site-packages/", 1)[1]
    else:
        path = os.path.basename(path)
    return f"{path}:{line}({func})"


def profile(name: str, fn: Callable[[], Any], *, top: int = 18) -> None:
    os.makedirs(OUT, exist_ok=True)
    profiler = cProfile.Profile()
    start = time.perf_counter()
    profiler.enable()
    fn()
    profiler.disable()
    wall = time.perf_counter() - start
    profiler.dump_stats(os.path.join(OUT, f"{name}.prof"))
    stats = pstats.Stats(profiler).stats  # type: ignore[attr-defined]
    total = sum(v[2] for v in stats.values()) or 1.0
    print(f"\n=== profile {name}: {wall:.2f} s wall under cProfile ({OUT}/{name}.prof) ===")
    for title, index in (("by own time (tottime)", 2), ("by cumulative time", 3)):
        print(f"-- top {top} {title}")
        print(f"{'calls':>10} {'tottime':>8} {'own%':>5} {'cumtime':>8}  function")
        ranked = sorted(stats.items(), key=lambda kv: kv[1][index], reverse=True)[:top]
        for key, (cc, nc, tt, ct, _callers) in ranked:
            print(f"{nc:>10} {tt:>8.3f} {100 * tt / total:>4.0f}% {ct:>8.3f}  {_where(key)}")


def run(directory: str, *, verify_app: Any | None, events: int, singles: int = 200, batch: int = 10_000) -> None:
    from benchmarks import append, verifying
    from benchmarks.workload import build_ledger
    from ledger.verify import Verifier

    log("profile: append paths")
    targets = append.profile_targets(directory, singles=singles, batch=batch)
    profile("append-single", targets["single"])
    profile("append-batch", targets["batch"])
    if verify_app is None:
        log(f"profile: building a {events:,}-event ledger")
        verify_app = build_ledger(os.path.join(directory, "profile-verify.db"), events)[0].app
    log("profile: verify paths")
    profile("verify-main", lambda: verifying.verify_once(verify_app))
    positions = verifying.positions(verify_app)[:20_000]
    profile("verify-1proc", lambda: Verifier().run(iter(positions), workers=1))
