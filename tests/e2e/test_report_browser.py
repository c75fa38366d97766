"""The reports in a real browser: Debian's headless Chromium loads each page from a file URL.

Checked: no console error or uncaught exception while loading (read from Chromium's own log on
stderr, after proving on a canary page that this build logs them there); the charts are in the
DOM after load with their shapes; every evidence link lands on an element of the page; and a
screenshot is neither blank nor colourless (the charts paint in colour, the text does not).

Skips, saying why, where no Chromium is installed (``apt-get install chromium``; ``.ci/run``
installs it).
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from tests.e2e.conftest import invoke, must
from tests.e2e.test_report import CASE_CHARTS, PROVINCE_CHARTS, Page
from tests.unit.report.png import Image, decode, ink

CHROMIUM = shutil.which("chromium") or ("/usr/bin/chromium" if os.access("/usr/bin/chromium", os.X_OK) else None)
pytestmark = pytest.mark.skipif(
    CHROMIUM is None, reason="no headless browser: Debian's chromium is not installed (apt-get install chromium; "
                             ".ci/run installs it)")
FLAGS = ("--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
         "--disable-component-update", "--disable-sync", "--no-first-run", "--hide-scrollbars",
         "--enable-logging=stderr", "--v=0")
# Chromium logs each console message and uncaught exception of a page as "…:INFO:CONSOLE(line)] "text", source: …"
CONSOLE = re.compile(r":CONSOLE(?:\(\d+\)|:\d+)?\]|Uncaught")
WINDOW = (1000, 1400)


def chromium(url: str, profile: Path, *args: str) -> subprocess.CompletedProcess[str]:
    assert CHROMIUM is not None
    return subprocess.run([CHROMIUM, *FLAGS, f"--user-data-dir={profile}", *args, url], capture_output=True,
                          text=True, timeout=180, stdin=subprocess.DEVNULL)


def console_errors(stderr: str) -> list[str]:
    return [line for line in stderr.splitlines() if CONSOLE.search(line)]


def coloured(image: Image, spread: int = 60) -> int:
    """Pixels whose channels differ by more than ``spread``: chart colour, not black-on-white text."""
    count = 0
    for row in image.rows:
        for x in range(0, len(row), image.channels):
            r, g, b = row[x:x + 3]
            if max(r, g, b) - min(r, g, b) > spread:
                count += 1
    return count


@pytest.fixture(scope="module")
def reports(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    root = tmp_path_factory.mktemp("report-browser")
    must(invoke("--db", f"sqlite:///{root}/exitledger.db", "demo", "--out", str(root)))
    return {"case": root / "report-341322-2019.html", "province": root / "report-province.html"}


def test_this_chromium_logs_console_errors_where_the_test_looks(tmp_path) -> None:
    canary = tmp_path / "canary.html"
    canary.write_text('<!DOCTYPE html><meta charset="utf-8"><p>萧县</p><script>console.error("canary-error");'
                      'throw new Error("canary-throw");</script>', encoding="utf-8")
    found = console_errors(chromium(canary.as_uri(), tmp_path / "profile", "--dump-dom").stderr)
    assert any("canary-error" in line for line in found), found
    assert any("Uncaught" in line and "canary-throw" in line for line in found), found


@pytest.mark.parametrize(("kind", "charts"), [("case", CASE_CHARTS), ("province", PROVINCE_CHARTS)])
def test_the_page_loads_without_console_errors_with_its_charts_and_every_evidence_target(
        reports, tmp_path, kind, charts) -> None:
    done = chromium(reports[kind].as_uri(), tmp_path / "profile", "--dump-dom")
    assert done.returncode == 0, done.stderr[-2000:]
    assert console_errors(done.stderr) == []
    page = Page(done.stdout)  # the DOM as the browser built it, after load
    assert charts <= set(page.charts), sorted(page.charts)
    assert all(page.charts[name] > 3 for name in charts), page.charts
    assert page.links and set(page.links) <= page.ids, sorted(set(page.links) - page.ids)[:5]


@pytest.mark.parametrize("kind", ["case", "province"])
def test_a_screenshot_of_the_page_is_neither_blank_nor_colourless(reports, tmp_path, kind) -> None:
    shot = tmp_path / f"{kind}.png"
    done = chromium(reports[kind].as_uri(), tmp_path / "profile", f"--screenshot={shot}",
                    f"--window-size={WINDOW[0]},{WINDOW[1]}")
    assert done.returncode == 0 and shot.is_file(), done.stderr[-2000:]
    assert console_errors(done.stderr) == []
    image = decode(shot.read_bytes())
    assert (image.width, image.height) == WINDOW
    area = image.width * image.height
    assert ink(image) > area // 100, "the screenshot is (nearly) blank"
    assert coloured(image) > 300, "no chart painted in colour on the first screen"


@pytest.mark.parametrize("kind", ["case", "province"])
def test_the_page_prints_on_a4(reports, tmp_path, kind) -> None:
    pdf = tmp_path / f"{kind}.pdf"
    done = chromium(reports[kind].as_uri(), tmp_path / "profile", "--no-pdf-header-footer", f"--print-to-pdf={pdf}")
    assert done.returncode == 0 and pdf.is_file(), done.stderr[-2000:]
    data = pdf.read_bytes()
    boxes = {tuple(round(float(v)) for v in box.split()) for box in
             re.findall(rb"/MediaBox\s*\[\s*([\d.\s]+?)\s*\]", data)}
    assert boxes == {(0, 0, 595, 842)}, boxes  # A4 in points, as the page's @page asks
    assert 2 <= len(re.findall(rb"/Type\s*/Page(?!s)", data)) <= 40
