"""Drawing primitives for plain generated SVG: escaping, linear and date scales with readable
ticks, and the markers that tell sources apart in colour *and* shape (the page may be printed
in black and white)."""

from __future__ import annotations

import math
from datetime import date
from html import escape
from typing import Any

FONT = "11"
INK, MUTED, GRID, LIMIT = "#222", "#666", "#e3e3e3", "#b2182b"
SEVERITY_COLOURS = {"critical": "#b2182b", "high": "#e08214", "watch": "#8c8c8c"}
SOURCE_STYLES: dict[str, tuple[str, str]] = {  # source → (colour, marker shape)
    "county_self_report": ("#d95f02", "circle"),
    "national_information_system": ("#1b7f63", "square"),
    "third_party": ("#5e56b0", "triangle"),
    "department_inspection": ("#c51b7d", "diamond"),
}
OTHER_STYLE = ("#555", "circle")


def esc(value: Any) -> str:
    """Any value as text safe in HTML/SVG content and in a quoted attribute."""
    return escape("" if value is None else str(value), quote=True)


def n(x: float) -> str:
    """A coordinate, short: one decimal, no trailing ``.0``."""
    text = f"{x:.1f}"
    return text[:-2] if text.endswith(".0") else text


def text(x: float, y: float, content: Any, *, anchor: str = "start", size: str = FONT, fill: str = INK,
         weight: str | None = None, cls: str | None = None) -> str:
    extra = (f' font-weight="{weight}"' if weight else "") + (f' class="{cls}"' if cls else "")
    return (f'<text x="{n(x)}" y="{n(y)}" text-anchor="{anchor}" font-size="{size}" fill="{fill}"{extra}>'
            f"{esc(content)}</text>")


def line(x1: float, y1: float, x2: float, y2: float, stroke: str = INK, width: float = 1,
         dash: str | None = None, cls: str | None = None) -> str:
    extra = (f' stroke-dasharray="{dash}"' if dash else "") + (f' class="{cls}"' if cls else "")
    return (f'<line x1="{n(x1)}" y1="{n(y1)}" x2="{n(x2)}" y2="{n(y2)}" stroke="{stroke}" '
            f'stroke-width="{width}"{extra}/>')


def rect(x: float, y: float, w: float, h: float, fill: str, *, title: str | None = None, cls: str | None = None,
         stroke: str | None = None) -> str:
    extra = (f' class="{cls}"' if cls else "") + (f' stroke="{stroke}"' if stroke else "")
    body = f"<title>{esc(title)}</title>" if title else ""
    return (f'<rect x="{n(x)}" y="{n(y)}" width="{n(max(w, 0))}" height="{n(max(h, 0))}" fill="{fill}"{extra}>'
            f"{body}</rect>")


def marker(shape: str, x: float, y: float, colour: str, *, hollow: bool = False, r: float = 4,
           title: str | None = None, cls: str = "point") -> str:
    """A point: circle, square, triangle or diamond; ``hollow`` draws it white inside."""
    fill = "#fff" if hollow else colour
    paint = f'fill="{fill}" stroke="{colour}" stroke-width="1.5" class="{cls}"'
    body = f"<title>{esc(title)}</title>" if title else ""
    if shape == "square":
        return f'<rect x="{n(x - r)}" y="{n(y - r)}" width="{n(2 * r)}" height="{n(2 * r)}" {paint}>{body}</rect>'
    if shape in ("triangle", "diamond"):
        if shape == "triangle":
            pts = [(x, y - r * 1.2), (x + r * 1.1, y + r * 0.8), (x - r * 1.1, y + r * 0.8)]
        else:
            pts = [(x, y - r * 1.3), (x + r * 1.1, y), (x, y + r * 1.3), (x - r * 1.1, y)]
        points = " ".join(f"{n(a)},{n(b)}" for a, b in pts)
        return f'<polygon points="{points}" {paint}>{body}</polygon>'
    return f'<circle cx="{n(x)}" cy="{n(y)}" r="{n(r)}" {paint}>{body}</circle>'


def source_style(source: str) -> tuple[str, str]:
    return SOURCE_STYLES.get(source, OTHER_STYLE)


class Linear:
    """Maps the domain [d0, d1] onto the range [r0, r1] (either may run backwards)."""

    def __init__(self, d0: float, d1: float, r0: float, r1: float) -> None:
        if d1 == d0:
            d0, d1 = d0 - 1, d1 + 1
        self.d0, self.d1, self.r0, self.r1 = d0, d1, r0, r1

    def __call__(self, value: float) -> float:
        return self.r0 + (value - self.d0) * (self.r1 - self.r0) / (self.d1 - self.d0)


def nice_step(span: float, count: int = 5) -> float:
    """A step of 1, 2 or 5 × 10^k giving about ``count`` intervals over ``span``."""
    if span <= 0 or not math.isfinite(span):
        return 1.0
    raw = span / max(count, 1)
    power = 10.0 ** math.floor(math.log10(raw))
    for factor in (1.0, 2.0, 2.5, 5.0, 10.0):
        if raw <= factor * power:
            return factor * power
    return 10.0 * power


def nice_domain(lo: float, hi: float, count: int = 5) -> tuple[float, float, list[float]]:
    """``(lo', hi', ticks)``: the domain widened to whole steps, and the ticks on it. A domain of
    one value is widened around it (by 1, or 5 % of it when larger)."""
    if hi < lo:
        lo, hi = hi, lo
    if hi == lo:
        pad = max(abs(lo) * 0.05, 1.0)
        lo, hi = lo - pad, hi + pad
    step = nice_step(hi - lo, count)
    lo2, hi2 = math.floor(lo / step) * step, math.ceil(hi / step) * step
    ticks = [round(lo2 + i * step, 10) for i in range(int(round((hi2 - lo2) / step)) + 1)]
    return lo2, hi2, ticks


def number(value: float) -> str:
    """A tick label: ``12k`` for thousands, else the number without needless decimals."""
    if abs(value) >= 10_000:
        return f"{value / 1000:g}k"
    return f"{round(value, 6):g}"


def day(text_date: str) -> int:
    """A ``YYYY-MM-DD`` as a day number."""
    return date.fromisoformat(text_date).toordinal()


def month_ticks(lo: int, hi: int, most: int = 8) -> list[tuple[int, str]]:
    """Ticks on the first of months between day numbers ``lo`` and ``hi``, every 1, 2, 3, 6 or
    12·k months so that at most ``most`` show; labelled ``2019-11``."""
    first, last = date.fromordinal(lo), date.fromordinal(hi)
    months = (last.year - first.year) * 12 + last.month - first.month + 1
    every = next((k for k in (1, 2, 3, 6, 12) if months / k <= most), 12 * math.ceil(months / (12 * most)))
    ticks = []
    y, m = first.year, first.month
    while date(y, m, 1) <= last:
        d = date(y, m, 1)
        if d.toordinal() >= lo and (y * 12 + m - 1) % every == 0:
            ticks.append((d.toordinal(), f"{y}-{m:02d}"))
        y, m = (y + 1, 1) if m == 12 else (y, m + 1)
    return ticks


def date_domain(span: tuple[str, str] | None, pad_days: int = 10) -> tuple[int, int]:
    """Day numbers covering ``span`` with a margin either side (a month around one day)."""
    if span is None:
        today = date(2000, 1, 1).toordinal()
        return today - 15, today + 15
    lo, hi = day(span[0]), day(span[1])
    pad = max(pad_days, 15 if hi == lo else 0)
    return lo - pad, hi + pad


def svg(width: int, height: int, body: list[str], *, name: str, label: str) -> str:
    """An inline ``<svg>`` sized by its viewBox (it scales to the page), titled for readers."""
    return (f'<svg class="chart" data-chart="{esc(name)}" role="img" aria-label="{esc(label)}" '
            f'viewBox="0 0 {width} {height}" width="{width}" height="{height}" '
            'font-family="inherit">'
            f"<title>{esc(label)}</title>{''.join(body)}</svg>")
