"""The report's charts, each a function of one ready-made data value of
:mod:`projections.report` returning an inline ``<svg>``. Every point or bar carries a
``<title>`` (shown on hover, read by screen readers); points of signed events link to their
row of the timeline (``#ev-<hash>``)."""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence
from typing import Any

from cli.report.svg import (GRID, LIMIT, MUTED, Linear, date_domain, day, esc, line, marker, month_ticks, n,
                            nice_domain, number, rect, source_style, svg, text)

PASSING, FAILING = "#4a7ab5", "#d95f02"
STATUS_COLOURS = {"late": LIMIT, "early": "#e08214", "on_time": "#1b7f63"}


def _y_axis(y: Linear, ticks: Sequence[float], left: float, right: float, unit: str = "") -> list[str]:
    out = []
    for t in ticks:
        out.append(line(left, y(t), right, y(t), GRID))
        out.append(text(left - 4, y(t) + 3.5, number(t) + unit, anchor="end", size="9", fill=MUTED))
    return out


def _x_dates(x: Linear, lo: int, hi: int, top: float, bottom: float, most: int) -> list[str]:
    out = []
    for d, label in month_ticks(lo, hi, most):
        out.append(line(x(d), top, x(d), bottom, GRID))
        out.append(text(x(d), bottom + 12, label, anchor="middle", size="9", fill=MUTED))
    return out


def _link(hash: str | None, inner: str) -> str:
    return f'<a href="#ev-{esc(hash)}">{inner}</a>' if hash else inner


# -- a case's figures -------------------------------------------------------------------------------
def figure_chart(chart: Mapping[str, Any], span: tuple[str, str] | None) -> str:
    """One indicator over time: a line and markers per source, the threshold dashed with its
    failing side shaded, revisions joined to what they revise (red when the figure moved)."""
    width, height, left, right, top, bottom = 340, 200, 46, 10, 22, 30
    lo, hi = date_domain(span)
    x = Linear(lo, hi, left, width - right)
    points = [p for s in chart["series"] for p in s["points"]]
    values = [p["value"] for p in points] + [t["value"] for t in chart["thresholds"]]
    y0, y1, ticks = nice_domain(min(values), max(values), 4)
    if y0 < 0 <= min(values):  # counts and rates never go below zero: neither does the axis
        y0, ticks = 0.0, [t for t in ticks if t >= 0]
    y = Linear(y0, y1, height - bottom, top)
    unit = "%" if chart["unit"] == "%" else ""
    body = _y_axis(y, ticks, left, width - right, unit) + _x_dates(x, lo, hi, top, height - bottom, 4)
    for t in chart["thresholds"]:
        edge = y(t["value"])
        shade = (top, edge - top) if t["kind"] == "max" else (edge, height - bottom - edge)
        body.append(rect(left, shade[0], width - right - left, shade[1], "#fbe9e9", cls="failing"))
        body.append(line(left, edge, width - right, edge, LIMIT, 1.5, "5 3", cls="threshold"))
        body.append(text(width - right - 2, edge - 3, t["label"], anchor="end", size="9", fill=LIMIT))
    body.append(line(left, height - bottom, width - right, height - bottom, MUTED))
    for r in chart["revisions"]:
        (x1, y1_), (x2, y2) = (x(day(r["from"]["date"])), y(r["from"]["value"])), (x(day(r["to"]["date"])),
                                                                               y(r["to"]["value"]))
        colour = LIMIT if r["changed"] else MUTED
        lift = max(min(y1_, y2) - 14, top + 12)
        body.append(f'<path class="revision" d="M{n(x1)},{n(y1_)} Q{n((x1 + x2) / 2)},{n(lift)} {n(x2)},{n(y2)}" '
                    f'fill="none" stroke="{colour}" stroke-width="1.2" stroke-dasharray="3 2">'
                    f"<title>seq {r['to']['seq']} revises seq {r['from']['seq']}: {esc(r['from']['text'])} → "
                    f"{esc(r['to']['text'])}</title></path>")
        if r["changed"]:  # an unchanged restatement keeps its grey arc but no words
            body.append(text((x1 + x2) / 2, lift - 1, f"revised {r['from']['text']}→{r['to']['text']}",
                             anchor="middle", size="8.5", fill=colour, weight="bold"))
    for series in chart["series"]:
        colour, shape = source_style(series["source"])
        ordered = sorted(series["points"], key=lambda p: (p["date"], p["seq"]))
        if len(ordered) > 1:
            path = " ".join(f"{n(x(day(p['date'])))},{n(y(p['value']))}" for p in ordered)
            body.append(f'<polyline points="{path}" fill="none" stroke="{colour}" stroke-width="1.2" '
                        f'stroke-opacity="0.6"/>')
        for p in ordered:
            title = (f"{series['label']}: {p['text']}{unit} — reported {p['date']}"
                     + (f", as of {p['as_of']}" if p["as_of"] else "") + f" [seq {p['seq']}]"
                     + (" — revised later" if p["revised_by"] else "") + (" — a revision" if p["revises"] else ""))
            mark = marker(shape, x(day(p["date"])), y(p["value"]), colour, hollow=bool(p["revised_by"]), title=title)
            body.append(_link(p["hash"], mark))
    label = f"{chart['label']} ({chart['unit']}) by source over time"
    body.append(text(left, 11, f"{chart['label']} ({chart['unit']})", size="10.5", weight="bold"))
    return svg(width, height, body, name=f"figure-{chart['indicator']}", label=label)


# -- a case's timeline ------------------------------------------------------------------------------
def timeline_chart(timeline: Mapping[str, Any]) -> str:
    """Every event on its lane at its decision date (a grey tail to the day it was recorded when
    later), the deadline windows shaded and the deadlines dashed; late steps red and ringed."""
    lanes: list[str] = timeline["lanes"]
    width, left, right, top, lane_h = 720, 118, 14, 40, 26
    height = top + lane_h * max(len(lanes), 1) + 24
    lo, hi = date_domain(timeline["span"], 7)
    x = Linear(lo, hi, left, width - right)
    bottom = top + lane_h * len(lanes)
    body = _x_dates(x, lo, hi, top, bottom, 9)
    for i, band in enumerate(b for b in timeline["bands"] if lo <= day(b["to"]) <= hi or
                             (b["from"] and day(b["from"]) <= hi and day(b["to"]) >= lo)):
        end = min(day(band["to"]), hi)
        if band["from"]:
            start = max(day(band["from"]), lo)
            body.append(rect(x(start), top, x(end) - x(start), bottom - top, "#eaf1fa", cls="band",
                             title=f"window of {band['label']}: {band['from']} to {band['to']}"))
        if day(band["to"]) <= hi:
            body.append(line(x(end), top - 4, x(end), bottom, LIMIT, 1.2, "4 3", cls="deadline"))
            body.append(text(x(end) - 2, 12 + (i % 2) * 12, f"{band['to']} deadline: {band['label']}",
                             anchor="end", size="9", fill=LIMIT))
    for i, name in enumerate(lanes):
        mid = top + lane_h * (i + 0.5)
        body.append(line(left, top + lane_h * (i + 1), width - right, top + lane_h * (i + 1), GRID))
        body.append(text(left - 6, mid + 3.5, name, anchor="end", size="10", fill=MUTED))
    crowd: Counter[tuple[str, str]] = Counter()
    for row in timeline["rows"]:
        when = row["decided_on"] or row["recorded_at"][:10]
        k = crowd[(row["lane"], when)]
        crowd[(row["lane"], when)] += 1
        cx = x(day(when))
        cy = top + lane_h * (lanes.index(row["lane"]) + 0.5) + ((k % 3) - 1) * 5
        parts = []
        recorded = row["recorded_at"][:10]
        if recorded != when:
            parts.append(line(cx, cy, x(day(recorded)), cy, "#999", 1.2, cls="lag"))
            parts.append(line(x(day(recorded)), cy - 4, x(day(recorded)), cy + 4, "#999", 1.2))
        colour = STATUS_COLOURS.get(row["status"] or "", "#555")
        title = (f"seq {row['seq']} · {row['type']} · decided {row['decided_on'] or '—'} · recorded "
                 f"{row['recorded_at']} · {row['actor']}" + (f" ({row['person']})" if row["person"] else "")
                 + (f" · deadline {row['deadline']}" if row["deadline"] else "") + (" · LATE" if row["late"] else ""))
        if row["late"]:
            parts.append(f'<circle cx="{n(cx)}" cy="{n(cy)}" r="7" fill="none" stroke="{LIMIT}" stroke-width="1.5"/>')
        parts.append(marker("circle", cx, cy, colour, r=3.6, title=title, cls="event"))
        body.append(_link(row["hash"], "".join(parts)))
    body.append(line(left, bottom, width - right, bottom, MUTED))
    return svg(width, height, body, name="timeline", label="timeline of the case's signed events with deadlines")


# -- the province -----------------------------------------------------------------------------------
def histogram_chart(hist: Mapping[str, Any]) -> str:
    """Counties per 0.1 pp of incidence at application; the limit dashed; bins at or under it
    blue, over it orange, so a heap just left of the line stands out."""
    width, height, left, right, top, bottom = 720, 250, 40, 14, 26, 40
    bins = hist["bins"]
    x = Linear(0, bins[-1]["hi"], left, width - right)
    _, y1, ticks = nice_domain(0, max([b["count"] for b in bins] + [1]), 4)
    y = Linear(0, y1, height - bottom, top)
    body = _y_axis(y, [t for t in ticks if t == int(t)], left, width - right)
    for b in bins:
        if not b["count"]:
            continue
        colour = PASSING if b["passes"] else FAILING
        names = ", ".join(b["labels"])
        body.append(rect(x(b["lo"]) + 0.5, y(b["count"]), x(b["hi"]) - x(b["lo"]) - 1, y(0) - y(b["count"]), colour,
                         cls="bin", title=f"({b['lo']:.1f}, {b['hi']:.1f}] %: {b['count']} — {names}"))
        body.append(text((x(b["lo"]) + x(b["hi"])) / 2, y(b["count"]) - 3, b["count"], anchor="middle", size="9"))
    step = 0.5 if bins[-1]["hi"] <= 6 else 1.0
    tick = 0.0
    while tick <= bins[-1]["hi"] + 1e-9:
        body.append(line(x(tick), height - bottom, x(tick), height - bottom + 4, MUTED))
        body.append(text(x(tick), height - bottom + 15, f"{tick:g}%", anchor="middle", size="9", fill=MUTED))
        tick = round(tick + step, 6)
    body.append(line(left, height - bottom, width - right, height - bottom, MUTED))
    limit = hist["limit"]
    body.append(line(x(limit), top - 12, x(limit), height - bottom, LIMIT, 1.5, "5 3", cls="threshold"))
    body.append(text(x(limit) + 4, top - 4, f"exit limit {limit:g}%", size="9.5", fill=LIMIT))
    body.append(text((left + width - right) / 2, height - 6, f"incidence at application (%), bins of "
                     f"{hist['width']:g} pp, right-closed; n = {hist['n']}", anchor="middle", size="9.5", fill=MUTED))
    return svg(width, height, body, name="incidence-histogram", label="histogram of incidence at application")


def scatter_chart(scatter: Mapping[str, Any]) -> str:
    """Self-reported (x) against verified (y) incidence: the diagonal and its tolerance band,
    the limit on both axes, the corner where a county passes on paper only shaded; points off
    the band red and named."""
    size, left, right, top, bottom = 400, 46, 14, 14, 42
    top_value = scatter["max"]
    x = Linear(0, top_value, left, size - right)
    y = Linear(0, top_value, size - bottom, top)
    limit, tol = scatter["limit"], scatter["tolerance"]
    _, _, ticks = nice_domain(0, top_value, 5)
    ticks = [t for t in ticks if t <= top_value]
    body = _y_axis(y, ticks, left, size - right, "%")
    for t in ticks:
        body.append(text(x(t), size - bottom + 13, f"{number(t)}%", anchor="middle", size="9", fill=MUTED))
    body.append(rect(x(0), y(top_value), x(limit) - x(0), y(limit) - y(top_value), "#fbe9e9", cls="failing",
                     title="passes on paper, fails verified"))
    body.append(text(x(0) + 4, y(top_value) + 12, "passes on paper, fails verified", size="9", fill=LIMIT))
    band = [(0, tol), (top_value - tol, top_value), (top_value, top_value), (top_value, top_value - tol), (tol, 0),
            (0, 0)]
    body.append(f'<polygon class="tolerance" points="{" ".join(f"{n(x(a))},{n(y(b))}" for a, b in band)}" '
                f'fill="#e6e6e6"><title>within {tol:g} pp: the sources agree</title></polygon>')
    body.append(line(x(0), y(0), x(top_value), y(top_value), MUTED, 1, "4 3", cls="diagonal"))
    body.append(line(x(limit), top, x(limit), size - bottom, LIMIT, 1, "2 3"))
    body.append(line(left, y(limit), size - right, y(limit), LIMIT, 1, "2 3"))
    body.append(line(left, size - bottom, size - right, size - bottom, MUTED))
    for p in sorted(scatter["points"], key=lambda p: p["off"]):
        colour = LIMIT if p["off"] else "#1b7f63"
        title = f"{p['county']}: self-reported {p['x_text']}%, verified {p['y_text']}% ({p['diff_pp']:+.2f} pp)"
        body.append(marker("circle", x(p["x"]), y(p["y"]), colour, r=4 if p["off"] else 3.2, title=title,
                           cls="point off" if p["off"] else "point"))
        if p["off"]:
            body.append(text(x(p["x"]) + 6, y(p["y"]) - 5, f"{p['county']} {p['x_text']}→{p['y_text']}",
                             size="9.5", fill=LIMIT, weight="bold"))
    body.append(text((left + size - right) / 2, size - 12, "self-reported incidence at application (%)",
                     anchor="middle", size="9.5", fill=MUTED))
    body.append(f'<text transform="translate(12 {n((top + size - bottom) / 2)}) rotate(-90)" text-anchor="middle" '
                f'font-size="9.5" fill="{MUTED}">verified incidence (%)</text>')
    return svg(size, size, body, name="incidence-scatter", label="self-reported against verified incidence")


def bar_chart(rows: Sequence[Mapping[str, Any]], *, name: str, label: str) -> str:
    """Horizontal bars, each of stacked ``parts`` (``{"value", "colour", "title"}``), labelled
    on the left and totalled on the right."""
    width, left, right, row_h = 720, 200, 40, 20
    height = row_h * max(len(rows), 1) + 8
    totals = [sum(p["value"] for p in r["parts"]) for r in rows] or [1]
    _, top_value, _ = nice_domain(0, max(totals + [1]), 4)
    x = Linear(0, top_value, left, width - right)
    body = []
    for i, (row, total) in enumerate(zip(rows, totals, strict=False)):
        y0 = 4 + i * row_h
        body.append(text(left - 6, y0 + 13, row["label"], anchor="end", size="10"))
        at = 0.0
        for part in row["parts"]:
            if part["value"]:
                body.append(rect(x(at), y0 + 2, x(at + part["value"]) - x(at), row_h - 6, part["colour"], cls="bar",
                                 title=part["title"]))
                at += part["value"]
        body.append(text(x(total) + 4, y0 + 13, total, size="10", fill=MUTED))
    body.append(line(left, 2, left, height - 2, MUTED))
    return svg(width, height, body, name=name, label=label)
