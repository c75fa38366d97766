"""The inspector's HTML reports (issue 6): one self-contained page per case or per province.

Rendering is formatting, so it lives with the other formatters in ``cli``: the data behind every
chart and table comes ready-made from :mod:`projections.report` and these modules only lay it
out — HTML with inline CSS and plain generated SVG, no script, no font or image fetched, every
piece of data escaped. :func:`render_case` and :func:`render_province` return the page text.

| module | what |
| --- | --- |
| svg | scales, ticks, markers, escaping: the drawing primitives |
| charts | the charts: figures over time, timeline, histogram, scatter, bars |
| page | the page shell (CSS for screen and A4 print), tables, the shared sections |
| case_page / province_page | the two pages |
"""

from __future__ import annotations

from cli.report.case_page import render_case
from cli.report.province_page import render_province

__all__ = ["render_case", "render_province"]
