"""The case report: summary and seal, timeline, figures by source, red flags, how to verify."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from cli.report import charts
from cli.report.page import (cited_section, document, facts, flags_section, footer, table,
                             verification_section)
from cli.report.svg import LIMIT, SOURCE_STYLES, esc, marker

_STATUS = {"late": "LATE", "early": "early", "on_time": "on time"}
_COLUMNS = ("poverty_incidence", "poor_population", "rural_population", "poor_villages_remaining",
            "poor_villages_total", "income_growth", "provincial_income_growth", "public_service_indicators_met")
_HEADS = ("incidence %", "poor", "rural", "villages left", "villages", "income +%", "province +%", "services")
_SURVEY = ("mass_recognition", "wrongful_exit_rate", "missed_assessment_rate", "public_service_indicators_met")
_SURVEY_HEADS = ("mass recognition %", "wrongful exits %", "missed assessments %", "services")


def render_case(page: Mapping[str, Any]) -> str:
    """The HTML of :func:`projections.report.pages.case_page`'s data."""
    case = page["case"]
    name = case["county_name"] or page["stream"]
    flags = page["flags"]
    worst = {s: sum(1 for f in flags if f["severity"] == s) for s in ("critical", "high", "watch")}
    body = [f"<h1>{esc(name)} — exit case report</h1>",
            f'<p class="sub"><code>{esc(page["stream"])}</code> · {esc(page["ledger"]["province_name"])} · '
            f'ledger at size {esc(page["ledger"]["size"])}</p>',
            "<h2>Summary</h2>", _summary(case, flags, worst), "<h3>Verification and seal</h3>",
            *verification_section(page),
            '<h2 class="page" id="timeline">Timeline</h2>', *_timeline(page["timeline"]),
            '<h2 class="page" id="figures">Figures by source</h2>', *_figures(page["figures"]),
            '<h2 id="flags">Red flags</h2>', *flags_section(flags, show_stream=any(f["stream"] != page["stream"]
                                                                                   for f in flags)),
            *cited_section(page["cited"], "Other events cited as evidence"),
            footer(page, "this case")]
    return document(f"{name} ({page['stream']}) — exit case report", body)


def _summary(case: Mapping[str, Any], flags: list[Any], worst: Mapping[str, int]) -> str:
    special = ("reported" if case["special_rectification_reported"] else "REQUIRED, not reported") \
        if case["special_rectification_required"] else "not required"
    counted = ", ".join(f"{n} {s}" for s, n in worst.items() if n) or "none"
    outcome = case["outcome"] or "pending"
    outcome_cls = "bad" if outcome == "rejected" else "ok" if outcome == "announced" else ""
    return facts([
        ("county", f"{esc(case['county_name'])} ({esc(case['county_code'])})"),
        ("city", f"{esc(case['city_name'])} ({esc(case['city_code'])})"),
        ("tier", esc(case["tier"])), ("year of application", esc(case["year"])),
        ("stage", esc(case["stage"])), ("outcome", f'<span class="{outcome_cls}">{esc(outcome)}</span>'),
        ("verification decision", esc(case["verification_decision"] or "—")),
        ("open rectifications", esc(", ".join(case["open_items"]) or case["open_rectifications"] or "none")),
        ("special rectification", esc(special)),
        ("publicity / spot check", f"{esc(case['publicity'] or '—')} / {esc(case['spot_check'] or '—')}"),
        ("last event", f"{esc(case['last_event'])} of {esc(case['last_decided_on'] or '—')} (seq "
                       f"{esc(case['last_seq'])})"),
        ("red flags", f'<a href="#flags">{len(flags)}</a> ({esc(counted)})'),
    ])


def _timeline(timeline: Mapping[str, Any]) -> list[str]:
    legend = ('<div class="legend"><span><svg width="12" height="12">' + marker("circle", 6, 6, "#1b7f63", r=3.6)
              + '</svg> on time</span><span><svg width="18" height="16">' + marker("circle", 9, 8, LIMIT, r=3.6)
              + f'<circle cx="9" cy="8" r="7" fill="none" stroke="{LIMIT}" stroke-width="1.5"/></svg> late (dated or '
              'recorded after its deadline)</span><span><svg width="12" height="12">'
              + marker("circle", 6, 6, "#555", r=3.6) + "</svg> no deadline</span><span>grey tail: recorded "
              "later than decided</span><span>shaded: a step's window; dashed red: a deadline</span></div>")
    rows = timeline["rows"]
    cells = []
    for r in rows:
        status = _STATUS.get(r["status"] or "", "")
        if r["recorded_late"] and r["status"] != "late":
            status = f"{status}, recorded late".lstrip(", ")
        due = f"{esc(r['deadline'])}<br>" if r["deadline"] else ""
        window = f"from {esc(r['window_from'])}<br>" if r["window_from"] else ""
        cls = ' class="late"' if r["late"] else ""
        lag = f"recorded {esc(r['lag_days'])} d later" if r["lag_days"] else ""
        cells.append([
            f'<span class="nowrap">{esc(r["seq"])}</span><br><small>v{esc(r["version"])}</small>',
            f"<b>{esc(r['type'])}</b><br><small>{esc(r['summary'])}</small><br>"
            f"<small>hash <code>{esc(r['hash'][:32])}…</code></small>",
            f'{esc(r["decided_on"] or "—")}<br><small class="nowrap">{esc(r["recorded_at"][:19].replace("T", " "))}'
            f"</small><br><small>{lag}</small>",
            f"{window}{due}<span{cls}>{esc(status)}</span>",
            f"{esc(r['actor'])}<br><small>{esc(r['person'] or '')}</small><br><small>key <code>{esc(r['key'] or '')}"
            "</code></small>",
        ])
    return [legend, f"<figure>{charts.timeline_chart(timeline)}<figcaption>{len(rows)} signed events by decision date; "
                    "each links to its row below.</figcaption></figure>",
            table(["seq", "event", "decided / recorded (UTC)", "deadline", "signed by"], cells,
                  row_ids=[f"ev-{r['hash']}" for r in rows], cls="timeline")]


def _figures(figures: Mapping[str, Any]) -> list[str]:
    chart_list = figures["charts"]
    if not chart_list:
        return ["<p>No figures have been reported for this case.</p>"]
    sources = {s["source"]: s["label"] for c in chart_list for s in c["series"]}
    legend = ['<div class="legend">']
    for source, label in sources.items():
        colour, shape = SOURCE_STYLES.get(source, ("#555", "circle"))
        legend.append(f'<span><svg width="12" height="12">{marker(shape, 6, 6, colour)}</svg> {esc(label)}</span>')
    legend.append(f'<span><svg width="12" height="12">{marker("circle", 6, 6, "#555", hollow=True)}</svg> '
                  "revised later</span><span>dashed arc: a revision (red when the figure moved)</span>"
                  "<span>dashed red line: the exit threshold; shaded: its failing side</span></div>")
    grid = "".join(f"<figure>{charts.figure_chart(c, figures['span'])}</figure>" for c in chart_list)
    return ["".join(legend), f'<div class="grid">{grid}</div>', "<h3>Every report, as signed</h3>",
            _reports_table(chart_list)]


def _reports_table(chart_list: list[Mapping[str, Any]]) -> str:
    reports: dict[int, dict[str, Any]] = {}
    for chart in chart_list:
        for series in chart["series"]:
            for p in series["points"]:
                report = reports.setdefault(p["seq"], {"point": p, "source": series["label"]})
                report[chart["indicator"]] = p["text"]
    seq_of = {r["point"]["hash"]: seq for seq, r in reports.items()}
    surveyed = {seq for seq, r in reports.items() if any(c in r for c in _SURVEY)}
    out = []
    for columns, heads, chosen in ((_COLUMNS, _HEADS, set(reports) - surveyed), (_SURVEY, _SURVEY_HEADS, surveyed)):
        used = [(c, h) for c, h in zip(columns, heads, strict=True) if any(c in reports[s] for s in chosen)]
        rows = []
        for seq in sorted(chosen):
            r = reports[seq]
            p = r["point"]
            note = (f"revises seq {esc(seq_of.get(p['revises'], '?'))}" if p["revises"] else "") + \
                   (f" revised by seq {esc(seq_of.get(p['revised_by'], '?'))}" if p["revised_by"] else "")
            rows.append([f'<a href="#ev-{esc(p["hash"])}">{esc(seq)}</a>', esc(r["source"]), esc(p["date"]),
                         esc(p["as_of"] or ""), *(esc(r.get(c, "")) for c, _ in used), note.strip()])
        if rows:
            out.append(table(["seq", "source", "reported", "as of", *(h for _, h in used), "revision"], rows,
                             numeric=tuple(range(4, 4 + len(used))), cls="reports"))
    return "".join(out)
