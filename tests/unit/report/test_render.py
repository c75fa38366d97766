"""Rendering: untrusted text is escaped everywhere, the page fetches nothing, the axes read well."""

from __future__ import annotations

import re
from typing import Any

from cli.report import render_case
from cli.report.svg import esc, month_ticks, nice_domain, number
from projections.flags import Policy, evaluate
from projections.report.figures import date_span as figures_span
from projections.report.figures import figure_charts
from projections.report.timeline import date_span, deadline_bands, lanes_used, timeline_rows
from tests.unit.flags.make import Step, build, clean_steps, edit, figures, insert_after

EVIL = '<script>alert("x")</script>&<img src=x onerror=1>'


def hostile_page() -> dict[str, Any]:
    """A case page whose every free-text field an official typed carries markup."""
    steps = edit(clean_steps(name=EVIL), "RectificationOpened", description=EVIL)
    steps = insert_after(steps, "ExitApplicationSubmitted", Step(
        "FiguresReported", figures("county_self_report", "2019-12-12", "2019-10-31", 480_000, 4_800, note=EVIL)))
    case = build(steps)
    rows = [{"stream": case.stream, "seq": e.seq, "version": i + 1, "type": e.type, "actor": e.actor,
             "decided_on": e.decided_on.isoformat() if e.decided_on else None, "recorded_at": e.recorded_at,
             "lag_days": 0, "window_from": None, "deadline": None, "status": None, "recorded_late": False,
             "hash": e.hash} for i, e in enumerate(case.events)]
    signers = {e.seq: {"person": EVIL, "role": e.role, "key": "0123456789abcdef"} for e in case.events}
    timeline = timeline_rows(rows, signers, {e.seq: e.payload for e in case.events})
    bands = deadline_bands(case.year)
    charts = figure_charts(case, Policy())
    flags = [f.as_dict() for f in evaluate([case], Policy()) if f.stream == case.stream]
    checkpoint = {"size": 99, "root": "ab" * 32, "root_b64": "", "signer": "exitledger/x+01234567",
                  "witnesses": [EVIL], "valid": True, "problem": None}
    return {
        "kind": "case", "stream": case.stream,
        "ledger": {"id": "00000000-0000-4000-8000-000000000001", "origin": "exitledger/x", "province_code": "340000",
                   "province_name": EVIL, "size": 99, "incidence_limit": "2", "authority_vkey": "exitledger/x+0+AQ=="},
        "case": {"stream": case.stream, "county_code": "341122", "county_name": EVIL, "city_code": "341100",
                 "city_name": EVIL, "tier": "national", "year": 2019, "stage": "announced", "outcome": "announced",
                 "verification_decision": "proceed", "spot_check": "passed", "publicity": "closed", "objections": 0,
                 "open_rectifications": 1, "open_items": [EVIL], "special_rectification_required": False,
                 "special_rectification_reported": False, "follow_up_filed": True, "version": len(rows),
                 "last_event": "FollowUpPlanFiled", "last_seq": rows[-1]["seq"], "last_recorded_at": "",
                 "last_decided_on": "2020-08-10"},
        "verification": {"ok": False, "events": 99, "problems": [{"seq": 3, "stream": EVIL, "version": 1,
                                                                   "code": "x", "message": EVIL}], "warnings": [EVIL]},
        "seal": {"newest_seq": rows[-1]["seq"], "covering": checkpoint, "latest": checkpoint, "invalid": []},
        "timeline": {"rows": timeline, "bands": bands, "lanes": lanes_used(timeline), "span": date_span(timeline, bands)},
        "figures": {"charts": charts, "span": figures_span(charts)},
        "flags": flags, "cited": [],
    }


def test_markup_in_names_payloads_and_problems_is_shown_as_text_never_run() -> None:
    html = render_case(hostile_page())
    assert "<script" not in html.lower() and "<img" not in html.lower() and "onerror=1>" not in html
    assert esc(EVIL) in html
    assert html.count("&lt;script&gt;") >= 5  # title, summary, person, witness, problem …


def test_the_page_is_one_utf8_document_that_fetches_nothing() -> None:
    html = render_case(hostile_page())
    assert html.startswith("<!DOCTYPE html>") and '<meta charset="utf-8">' in html
    assert not re.search(r"""(?:src|href)\s*=\s*["']?\s*(?:https?:)?//""", html, re.I)
    assert "@import" not in html and "url(" not in html
    assert "@page { size: A4;" in html and "Noto Sans CJK SC" in html


def test_every_evidence_link_and_chart_point_lands_on_a_timeline_row() -> None:
    html = render_case(hostile_page())
    targets = set(re.findall(r'id="(ev-[0-9a-f]{64})"', html))
    links = set(re.findall(r'href="#(ev-[0-9a-f]{64})"', html))
    assert links and links <= targets


def test_nice_domains_step_by_one_two_or_five_and_cover_the_values() -> None:
    assert nice_domain(1.95, 2.5, 4) == (1.8, 2.6, [1.8, 2.0, 2.2, 2.4, 2.6])
    lo, hi, ticks = nice_domain(5, 5)
    assert lo <= 5 <= hi and len(ticks) >= 2
    assert number(270_000) == "270k" and number(0.5) == "0.5"


def test_month_ticks_thin_out_over_long_spans() -> None:
    from datetime import date
    short = month_ticks(date(2019, 8, 8).toordinal(), date(2020, 1, 20).toordinal())
    assert [label for _, label in short] == ["2019-09", "2019-10", "2019-11", "2019-12", "2020-01"]
    long = month_ticks(date(2017, 1, 1).toordinal(), date(2020, 12, 31).toordinal())
    assert len(long) <= 8 and long[0][1] == "2017-01"
