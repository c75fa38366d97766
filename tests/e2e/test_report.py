"""`exitledger report`: the inspector's self-contained HTML pages of a case and of the province,
built from the demo (Anhui's 31 counties, planted falsifications) and from a small ledger."""

from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path

import pytest

from ledger.app import ExitLedger
from tests.e2e.conftest import CASE, CASE_OPENED, FIGURES, Province, Result, invoke, must

XIAOXIAN = "case:341322-2019"  # planted: self-reported 1.95 %, verified 2.50 % → rejected
CASE_CHARTS = {"timeline", "figure-poverty_incidence", "figure-poor_population"}
PROVINCE_CHARTS = {"stages", "incidence-histogram", "incidence-scatter", "flags-by-rule", "flags-by-city"}
EVIL = '<script>alert("x")</script><img src="https://evil.example/x.png">&amp;'


class Page(HTMLParser):
    """What the tests look for in a page: ids, in-page links, charts and their shapes, outside refs."""

    SHAPES = {"circle", "rect", "polygon", "line", "path", "polyline", "text"}

    def __init__(self, html: str) -> None:
        super().__init__()
        self.ids: set[str] = set()
        self.links: list[str] = []
        self.charts: dict[str, int] = {}
        self.outside: list[str] = []
        self.scripts = 0
        self._chart: str | None = None
        self.feed(html)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        if a.get("id"):
            self.ids.add(a["id"] or "")
        href = a.get("href") or ""
        if href.startswith("#ev-"):
            self.links.append(href[1:])
        for name in ("src", "href", "xlink:href", "action", "data", "poster"):
            value = (a.get(name) or "").strip().lower()
            if value and not value.startswith("#"):
                self.outside.append(f"{tag} {name}={value}")
        if tag == "script":
            self.scripts += 1
        elif tag in ("link", "iframe", "object", "embed", "img"):
            self.outside.append(tag)
        if tag == "svg" and "chart" in (a.get("class") or ""):
            self._chart = a.get("data-chart") or "?"
            self.charts[self._chart] = 0
        elif self._chart is not None and tag in self.SHAPES:
            self.charts[self._chart] += 1

    def handle_endtag(self, tag: str) -> None:
        if tag == "svg":
            self._chart = None


def self_contained(html: str) -> Page:
    """The checks every report passes: one UTF-8 page that fetches nothing and runs nothing."""
    page = Page(html)
    assert html.startswith("<!DOCTYPE html>") and '<meta charset="utf-8">' in html
    assert page.scripts == 0 and "<script" not in html.lower()
    assert page.outside == [], page.outside
    assert not re.search(r"""(?:src|href)\s*=\s*["']?\s*(?:https?:)?//""", html, re.I)
    assert "@import" not in html and "url(" not in html and "@font-face" not in html
    assert "@page { size: A4;" in html
    return page


def links_land(page: Page) -> None:
    assert page.links, "no evidence link at all"
    missing = sorted(set(page.links) - page.ids)
    assert missing == [], missing


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, tuple[str, str], Result]:
    root = tmp_path_factory.mktemp("report-demo")
    db = ("--db", f"sqlite:///{root}/exitledger.db")
    return root, db, invoke(*db, "demo", "--out", str(root))


def one_line_error(result: Result, *words: str) -> None:
    assert result.code == 2, str(result)
    assert result.stdout == ""
    assert len(result.err_lines) == 1 and result.err_lines[0].startswith("error: "), result.stderr
    for word in words:
        assert word in result.err_lines[0], result.err_lines[0]


# -- the demo ---------------------------------------------------------------------------------------
def test_the_demo_ends_by_writing_the_province_and_the_xiaoxian_reports_and_prints_their_paths(demo) -> None:
    root, _, r = demo
    assert r.code == 0, r
    for name in ("report-province.html", "report-341322-2019.html"):
        assert (root / name).is_file()
        assert f"wrote the inspector's report {root / name}" in r.stdout
    self_contained((root / "report-province.html").read_text(encoding="utf-8"))
    self_contained((root / "report-341322-2019.html").read_text(encoding="utf-8"))


def test_the_xiaoxian_report_shows_its_summary_seal_timeline_figures_flags_and_how_to_verify(demo, tmp_path) -> None:
    root, db, _ = demo
    out = tmp_path / "xiao.html"
    r = must(invoke(*db, "report", XIAOXIAN, "--out", str(out)))
    assert r.stdout.strip() == f"wrote {out}"
    html = out.read_text(encoding="utf-8")
    page = self_contained(html)
    for text in ("萧县", "341322", "宿州市", "341300", "national", "2019", "rejected", "verified</span>",
                 "covering checkpoint", "the first to seal seq 1457", "(the ledger authority)"):
        assert text in html, text
    ledger = ExitLedger(f"sqlite:///{root}/exitledger.db", create=False)
    assert f"--authority-key '{ledger.authority_vkey()}'" in html
    assert "exitledger export --out DIR" in html and "exitledger verify --bundle DIR" in html
    history = must(invoke(*db, "history", XIAOXIAN, "--json")).json()
    assert {f"ev-{e['hash']}" for e in history} <= page.ids  # every signed event has its timeline row
    for e in history:
        assert e["key"] in html and e["actor"] in html and (e["person"] or "") in html
    assert CASE_CHARTS <= set(page.charts) and all(page.charts[c] > 5 for c in CASE_CHARTS)
    assert "exit limit 2%" in html and 'class="threshold"' in html
    flags = must(invoke(*db, "flags", XIAOXIAN, "--json")).json()
    assert {f["rule"] for f in flags} == {"figure-mismatch", "threshold-hugging"}
    for f in flags:
        for e in f["evidence"]:
            assert f'href="#ev-{e["hash"]}"' in html
    links_land(page)


def test_a_report_on_a_revised_case_marks_the_revision_and_links_evidence_outside_the_case(demo, tmp_path) -> None:
    _, db, _ = demo
    out = tmp_path / "r.html"
    must(invoke(*db, "report", "case:341226-2018", "--out", str(out)))
    html = out.read_text(encoding="utf-8")
    assert 'class="revision"' in html and "revised 9.2→11.3" in html and "revises seq 457" in html
    links_land(self_contained(html))
    out = tmp_path / "same-person.html"  # evidence in the actors stream: listed under "other events"
    must(invoke(*db, "report", "case:341623-2018", "--out", str(out)))
    html = out.read_text(encoding="utf-8")
    assert "Other events cited as evidence" in html and "<code>actors</code>" in html
    links_land(self_contained(html))


def test_a_step_dated_after_its_deadline_is_marked_late_in_the_chart_and_the_table(demo, tmp_path) -> None:
    _, db, _ = demo
    out = tmp_path / "late.html"
    must(invoke(*db, "report", "case:341222-2018", "--out", str(out)))  # applied 2018-12-19, due 12-15
    html = out.read_text(encoding="utf-8")
    [late] = [e for e in must(invoke(*db, "timeline", "case:341222-2018", "--json")).json() if e["status"] == "late"]
    row = html[html.index(f'id="ev-{late["hash"]}"'):]
    row = row[:row.index("</tr>")]
    assert '<span class="late">LATE</span>' in row and late["deadline"] in row
    assert "· LATE</title>" in html  # the event's point on the timeline chart
    links_land(self_contained(html))


def test_the_province_report_draws_stages_histogram_scatter_and_flags(demo, tmp_path) -> None:
    _, db, _ = demo
    out = tmp_path / "province.html"
    r = must(invoke(*db, "--json", "report", "--province", "--out", str(out)))
    assert r.json() == {"out": str(out)}
    html = out.read_text(encoding="utf-8")
    page = self_contained(html)
    assert PROVINCE_CHARTS <= set(page.charts) and all(page.charts[c] > 3 for c in PROVINCE_CHARTS)
    assert "安徽省" in html and "31 cases" in html
    assert html.count('class="bin"') >= 5 and "exit limit 2%" in html
    assert html.count('class="point off"') == 1 and "萧县 1.95→2.50" in html  # the one stand-off
    flags = must(invoke(*db, "flags", "--json")).json()
    for rule in {f["rule"] for f in flags}:
        assert f"{rule}: " in html  # a bar per rule, titled with its counts
    assert "宿州市 (341300)" in html
    links_land(page)


def test_the_province_report_of_one_year_keeps_only_that_years_cases(demo, tmp_path) -> None:
    _, db, _ = demo
    out = tmp_path / "2017.html"
    must(invoke(*db, "report", "--province", "--year", "2017", "--out", str(out)))
    html = out.read_text(encoding="utf-8")
    self_contained(html)
    assert "cases applying in 2017" in html and "4 cases" in html
    assert "case:340828-2017" in html and "case:341322-2019" not in html and "-2018</code>" not in html


# -- bad input ----------------------------------------------------------------------------------------
@pytest.mark.parametrize(("args", "words"), [
    (("report", "case:999999-2019", "--out", "{out}"), ("case:999999-2019", "no such case")),
    (("report", "actors", "--out", "{out}"), ("not a case stream",)),
    (("report", XIAOXIAN, "--province", "--out", "{out}"), ("not both",)),
    (("report", "--out", "{out}"), ("--province",)),
    (("report", XIAOXIAN, "--year", "2019", "--out", "{out}"), ("--year goes with --province",)),
    (("report", "--province", "--year", "1999", "--out", "{out}"), ("--year 1999", "no case")),
    (("report", XIAOXIAN), ("--out",)),
    (("report", XIAOXIAN, "--out", "{tmp}/no/such/dir/r.html"), ("does not exist",)),
    (("report", XIAOXIAN, "--out", "{tmp}"), ("is a directory",)),
])
def test_bad_input_is_one_line_error_exit_2_and_writes_nothing(demo, tmp_path, args, words) -> None:
    _, db, _ = demo
    out = tmp_path / "r.html"
    r = invoke(*db, *(a.format(out=out, tmp=tmp_path) for a in args))
    one_line_error(r, *words)
    assert list(tmp_path.iterdir()) == []


def test_a_report_on_a_database_without_a_ledger_is_exit_2(tmp_path) -> None:
    r = invoke("--db", f"sqlite:///{tmp_path}/none.db", "report", "--province", "--out", str(tmp_path / "p.html"))
    one_line_error(r)
    assert not (tmp_path / "p.html").exists()


# -- a small ledger -------------------------------------------------------------------------------------
def test_a_case_no_checkpoint_covers_says_so_and_untrusted_text_stays_text(province: Province, tmp_path) -> None:
    must(province.record("CaseOpened", CASE, "ah-office", {**CASE_OPENED, "county_name": EVIL}))
    must(province.record("FiguresReported", CASE, "340828-lg", {**FIGURES, "note": EVIL}))
    out = tmp_path / "small.html"
    must(invoke(*province.db, "report", CASE, "--out", str(out)))
    html = out.read_text(encoding="utf-8")
    page = self_contained(html)
    assert "no signed checkpoint covers this case's newest event (seq 8) yet" in html
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in html and "evil.example" in html
    assert {"timeline", "figure-poverty_incidence"} <= set(page.charts)


def test_writing_over_an_existing_report_replaces_it_whole(province: Province, tmp_path) -> None:
    must(province.record("CaseOpened", CASE, "ah-office", CASE_OPENED))
    out = tmp_path / "again.html"
    out.write_text("old", encoding="utf-8")
    must(invoke(*province.db, "report", "--province", "--out", str(out)))
    assert out.read_text(encoding="utf-8").startswith("<!DOCTYPE html>")
    assert [p.name for p in tmp_path.iterdir() if p.name != "province"] == ["again.html"]


def test_report_help_names_both_forms(tmp_path) -> None:
    r = must(invoke("report", "--help"))
    assert "--province" in r.stdout and "--year" in r.stdout and "--out" in r.stdout
