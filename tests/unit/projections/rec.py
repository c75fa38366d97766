"""Build :class:`projections.records.Record` values for the row-logic tests."""

from __future__ import annotations

from typing import Any

from domain import DECISION_DATE_FIELD
from projections.records import Record

CASE = "case:341221-2019"


class Log:
    """Hands out records with consecutive seqs and per-stream versions."""

    def __init__(self) -> None:
        self.seq = 0
        self.versions: dict[str, int] = {}

    def __call__(self, type: str, payload: dict[str, Any] | None = None, *, stream: str = CASE,
                 actor: str = "341221-lg", recorded_at: str = "2019-12-01T08:00:00.000000Z") -> Record:
        self.seq += 1
        self.versions[stream] = self.versions.get(stream, 0) + 1
        payload = payload or {}
        field = DECISION_DATE_FIELD.get(type)
        decided = payload.get(field) if field else None
        return Record(self.seq, f"{self.seq:064x}", stream, self.versions[stream], type, recorded_at, actor,
                      "k" * 16, payload, decided if isinstance(decided, str) else None)
