"""The province report: counties by stage, incidence at application, self-reported against
verified incidence, the red flags by rule and by city, how to verify."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from cli.report import charts
from cli.report.page import cited_section, document, flags_section, footer, table, verification_section
from cli.report.svg import SEVERITY_COLOURS, esc

_STAGE_COLOURS = {"announced": "#1b7f63", "rejected": "#b2182b"}


def render_province(page: Mapping[str, Any]) -> str:
    """The HTML of :func:`projections.report.pages.province_page`'s data."""
    ledger = page["ledger"]
    scope = f"cases applying in {page['year']}" if page["year"] is not None else "every case"
    title = f"{ledger['province_name']} — poverty-county exits, {scope}"
    scatter = page["scatter"]
    off = [p for p in scatter["points"] if p["off"]]
    body = [f"<h1>{esc(title)}</h1>",
            f'<p class="sub">{len(page["cases"])} cases · ledger at size {esc(ledger["size"])} · exit limit '
            f'{esc(ledger["incidence_limit"])}%</p>',
            "<h2>The ledger</h2>", *verification_section(page),
            "<h2>Counties by stage</h2>", *_stages(page["stages"], page["cases"]),
            '<h2 class="page">Incidence at application</h2>',
            "<p>Each county's poverty incidence in the figures its exit application relied on. Honest figures "
            "spread smoothly across the limit; a heap in the bins just under it is what bunching looks like.</p>",
            f'<figure>{charts.histogram_chart(page["histogram"])}</figure>',
            "<h2>Self-reported against verified incidence</h2>",
            f"<p>Each county's incidence at application (x) against the national information system's figure "
            f"the provincial verification relied on (y). Counties whose sources agree within "
            f"{scatter['tolerance']:g} pp sit in the grey band along the diagonal; {len(off)} stand off it.</p>",
            f'<figure>{charts.scatter_chart(scatter)}</figure>', *_mismatches(off),
            '<h2 class="page">Red flags</h2>', *_flag_charts(page), "<h3>Every flag</h3>",
            *flags_section(page["flags"], show_stream=True),
            *cited_section(page["cited"], "Events cited as evidence"),
            footer(page, "this report")]
    return document(title, body)


def _stages(stages: Sequence[Mapping[str, Any]], cases: Sequence[Mapping[str, Any]]) -> list[str]:
    rows = [{"label": s["stage"], "parts": [{"value": s["count"], "colour": _STAGE_COLOURS.get(s["stage"], "#4a7ab5"),
                                             "title": f"{s['stage']}: {', '.join(s['counties'])}"}]} for s in stages]
    listing = table(["stream", "county", "city", "tier", "year", "stage", "outcome", "verification"],
                    ([f"<code>{esc(c['stream'])}</code>", esc(c["county_name"]), esc(c["city_name"]), esc(c["tier"]),
                      esc(c["year"]), esc(c["stage"]), esc(c["outcome"] or ""), esc(c["verification_decision"] or "")]
                     for c in cases))
    return [f'<figure>{charts.bar_chart(rows, name="stages", label="counties by stage")}</figure>', listing]


def _mismatches(off: Sequence[Mapping[str, Any]]) -> list[str]:
    if not off:
        return []
    return [table(["county", "stream", "self-reported %", "verified %", "difference (pp)", "evidence"],
                  ([esc(p["county"]), f"<code>{esc(p['stream'])}</code>", esc(p["x_text"]), esc(p["y_text"]),
                    esc(f"{p['diff_pp']:+.2f}"), f"seq {esc(p['x_seq'])}, seq {esc(p['y_seq'])}"] for p in off),
                  numeric=(2, 3, 4))]


def _bars(groups: Sequence[Mapping[str, Any]]) -> list[dict[str, Any]]:
    return [{"label": g["label"], "parts": [{"value": count, "colour": SEVERITY_COLOURS[s],
                                             "title": f"{g['label']}: {count} {s}"}
                                            for s, count in g["by_severity"].items()]} for g in groups]


def _flag_charts(page: Mapping[str, Any]) -> list[str]:
    if not page["flags"]:
        return ["<p>No red flag is raised.</p>"]
    legend = "".join(f'<span><svg width="12" height="12"><rect width="12" height="12" fill="{c}"/></svg> {esc(s)}'
                     "</span>" for s, c in SEVERITY_COLOURS.items())
    return [f'<div class="legend">{legend}</div>', "<h3>By rule</h3>",
            f'<figure>{charts.bar_chart(_bars(page["by_rule"]), name="flags-by-rule", label="red flags by rule")}'
            "</figure>", "<h3>By city</h3>",
            f'<figure>{charts.bar_chart(_bars(page["by_city"]), name="flags-by-city", label="red flags by city")}'
            "</figure>"]
