"""``case_payloads``: the signed payload of every event of a case stream but village figures,
as JSON text.

What the red-flag rules read (with ``actor_activity`` for who signed it, ``case_status`` for the
case itself, and ``figures`` for the village figures, which it already holds column by column),
so ``flags`` answers from the read models instead of replaying the log. Leaving the village
figures out halves what a rebuild writes on a ledger that is mostly village figures.
"""

from __future__ import annotations

import json
from typing import Any

from sqlalchemy import Connection

from projections import tables as t
from projections.base import ReadModel
from projections.db import bulk_insert
from projections.records import Record

COLUMNS = ("seq", "stream", "payload")


class CasePayloads(ReadModel):
    """The ``case_payloads`` read model."""

    name = "case_payloads"
    layout = 2  # 2: without VillageFiguresReported
    tables = (t.case_payloads,)

    def reset(self) -> None:
        super().reset()
        self._rows: list[tuple[Any, ...]] = []

    def process_event(self, domain_event: Record, tracking: Any) -> None:  # type: ignore[override]
        if domain_event.stream.startswith("case:") and domain_event.type != "VillageFiguresReported":
            self._rows.append((domain_event.seq, domain_event.stream,
                               json.dumps(domain_event.payload, ensure_ascii=False, sort_keys=True)))

    def flush(self, conn: Connection) -> None:
        bulk_insert(conn, t.case_payloads, COLUMNS, self._rows)
        self._rows = []
