"""The data behind the inspector's HTML reports (issue 6), as plain values.

Every chart and table of a report is computed here by a pure function of facts the read models
already hold (:class:`~projections.flags.CaseFacts`, query rows, flags, checkpoint notes), and
returns plain dicts, lists, strings and numbers that a test can compare and a renderer can draw
without deciding anything. :mod:`projections.report.pages` gathers one page's data from an open
ledger and its read models; rendering (HTML and SVG) is formatting and lives in ``cli.report``.

| module | what |
| --- | --- |
| figures | each figure of a case over time by source, thresholds, revisions |
| timeline | a case's signed events with signer, key, deadline and lateness; deadline bands |
| province | counties by stage, incidence histogram, self-reported vs verified scatter, flags grouped |
| seal | the ledger's verification summary and the checkpoint covering a case |
| pages | one page's data, read from the ledger and its read models |
"""

from __future__ import annotations
