"""Rows, timing and the table the benchmarks print."""

from __future__ import annotations

import shutil
import statistics
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any


@dataclass
class Row:
    """One line of the table.

    ``value`` and ``baseline`` are rates (or sizes) in ``unit``; ``ratio`` is value/baseline
    unless given. ``target`` is a predicate on the row (``ratio >= 0.8`` …) with its text.
    """

    section: str
    what: str
    value: float | None
    unit: str = "ev/s"
    baseline: float | None = None
    baseline_what: str = ""
    ratio: float | None = None
    target: str = ""
    met: bool | None = None
    note: str = ""

    def __post_init__(self) -> None:
        if self.ratio is None and self.value is not None and self.baseline:
            self.ratio = self.value / self.baseline


def ratio_target(row: Row, minimum: float) -> Row:
    row.target = f"≥ {minimum:g}×"
    row.met = None if row.ratio is None else row.ratio >= minimum
    return row


def absolute_target(row: Row, text: str, ok: Callable[[float], bool]) -> Row:
    row.target = text
    row.met = None if row.value is None else ok(row.value)
    return row


def rate(count: int, seconds: float) -> float:
    return count / seconds if seconds > 0 else float("inf")


def timed(fn: Callable[[], Any]) -> tuple[float, Any]:
    """(seconds, result) of one call."""
    start = time.perf_counter()
    result = fn()
    return time.perf_counter() - start, result


def median(values: list[float]) -> float:
    return statistics.median(values)


def spread(values: list[float]) -> str:
    """How far the worst round fell below the best (empty for one round)."""
    if len(values) < 2:
        return ""
    best = max(values)
    return f"worst of {len(values)} rounds −{100 * (best - min(values)) / best:.0f}%"


def paired(sides: list[float], baselines: list[float]) -> str:
    """The ratio within each round (both sides measured back to back), as min/median/max: on a
    shared machine the best rounds of the two sides may come from different moments, and the
    per-round ratios show how far that alone moves the headline ratio."""
    if len(sides) < 2:
        return ""
    ratios = sorted(a / b for a, b in zip(sides, baselines) if b)
    return f"per-round ratio {ratios[0]:.2f}/{statistics.median(ratios):.2f}/{ratios[-1]:.2f} (min/median/max)"


def load_average() -> str:
    try:
        with open("/proc/loadavg") as f:
            return f.read().split()[0]
    except OSError:
        return "?"


@contextmanager
def tempdir(prefix: str = "exitledger-bench-") -> Iterator[str]:
    path = tempfile.mkdtemp(prefix=prefix)
    try:
        yield path
    finally:
        shutil.rmtree(path, ignore_errors=True)


def log(message: str) -> None:
    """Progress on stderr, so stdout holds only the table."""
    import sys

    print(f"[bench {time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


# -- formatting ------------------------------------------------------------------------------
def fmt_value(value: float | None, unit: str) -> str:
    if value is None:
        return "—"
    if unit == "MB":
        return f"{value:,.1f} MB"
    if unit == "s":
        return f"{value:,.2f} s"
    if value >= 100:
        return f"{value:,.0f} {unit}"
    return f"{value:,.1f} {unit}"


def _cells(row: Row) -> list[str]:
    baseline = "—" if row.baseline is None else f"{fmt_value(row.baseline, row.unit)} ({row.baseline_what})"
    ratio = "—" if row.ratio is None else f"{row.ratio:.2f}×"
    met = {True: "yes", False: "NO", None: ""}[row.met]
    value = fmt_value(row.value, row.unit) if row.value is not None else (row.note or "—")
    note = row.note if row.value is not None else ""
    return [row.section, row.what, value, baseline, ratio, row.target, met, note]


HEADERS = ["#", "what", "rate / value", "baseline (same run)", "ratio", "target", "met", "note"]


def print_table(rows: list[Row], *, title: str, plain: bool = False) -> None:
    if not plain:
        try:
            from rich.console import Console
            from rich.table import Table
        except ImportError:
            plain = True
    if plain:
        _print_plain(rows, title)
        return
    table = Table(title=title, show_lines=False, header_style="bold")
    widths = {"what": (30, 58), "rate / value": (12, 24), "baseline (same run)": (20, 38), "note": (10, 44)}
    for header in HEADERS:
        low, high = widths.get(header, (None, None))
        table.add_column(header, overflow="fold", min_width=low, max_width=high,
                         justify="right" if header in ("rate / value", "ratio") else "left")
    previous = None
    for row in rows:
        if previous is not None and row.section != previous:
            table.add_section()
        previous = row.section
        cells = _cells(row)
        style = "red" if row.met is False else None
        table.add_row(*cells, style=style)
    Console(width=200).print(table)


def _print_plain(rows: list[Row], title: str) -> None:
    cells = [HEADERS] + [_cells(r) for r in rows]
    widths = [max(len(c[i]) for c in cells) for i in range(len(HEADERS))]
    print(title)
    for n, line in enumerate(cells):
        print(" | ".join(c.ljust(w) for c, w in zip(line, widths)).rstrip())
        if n == 0:
            print("-+-".join("-" * w for w in widths))
