"""Verifying a database as `exitledger verify` does, and pinning what it found."""

from __future__ import annotations

from typing import Any

from ledger.app import ExitLedger
from ledger.verify import Report, verify_store

Found = set[tuple[int | None, str | None, int | None, str]]
"""Problems as (seq, stream, version, code): expected sets are exact."""


def verify(url: str, **kwargs: Any) -> Report:
    """Verify with a fresh application, as `exitledger verify` would."""
    app = ExitLedger(url)
    try:
        return verify_store(app, **kwargs)
    finally:
        app.close()


def found(report: Report) -> Found:
    return {(p.seq, p.stream, p.version, p.code) for p in report.problems}
