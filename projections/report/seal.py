"""What a report says about the ledger's integrity: the verification result and the signed
checkpoint (SPEC §3) that covers a case's newest event.

A checkpoint of size N seals the events of seq 1…N, so it covers a case when N is at least the
case's newest seq; the report names the first such checkpoint (the earliest seal of everything
the case holds) and, beside it, the latest one.
"""

from __future__ import annotations

import base64
from collections.abc import Iterable, Sequence
from typing import Any

from ledger.checkpoint import open_checkpoint
from ledger.errors import LedgerError
from ledger.keys import note_key_id
from ledger.signed_note import parse_note


def verification(report: Any) -> dict[str, Any]:
    """The plain summary of a :class:`ledger.verify.Report`: ok, events, problems, warnings."""
    return {"ok": bool(report.ok), "events": int(report.events),
            "problems": [p.as_dict() for p in report.problems], "warnings": list(report.warnings)}


def checkpoints(notes: Iterable[tuple[int, str]], origin: str, authority_public: bytes) -> list[dict[str, Any]]:
    """Every stored checkpoint note, opened under the authority key, by size.

    Each is ``{"size", "root" (hex), "root_b64", "signer" (key name+key hash of the authority's
    signature), "witnesses" (names of the other signature lines, not checked here), "valid",
    "problem"}``; a note that does not open keeps its stored size with ``valid`` False.
    """
    authority_id = note_key_id(origin, authority_public)
    out = []
    for size, note in notes:
        entry: dict[str, Any] = {"size": int(size), "root": None, "root_b64": None, "signer": None,
                                 "witnesses": [], "valid": False, "problem": None}
        try:
            opened = open_checkpoint(note, origin, authority_public)
            _, signatures = parse_note(note)
        except LedgerError as e:
            entry["problem"] = e.message
            out.append(entry)
            continue
        entry.update(size=opened.size, root=opened.root.hex(), root_b64=base64.b64encode(opened.root).decode(),
                     signer=f"{origin}+{authority_id.hex()}", valid=True,
                     witnesses=[s.name for s in signatures if (s.name, s.key_id) != (origin, authority_id)])
        out.append(entry)
    return sorted(out, key=lambda c: c["size"])


def covering(stored: Sequence[dict[str, Any]], seq: int) -> dict[str, Any] | None:
    """The first valid checkpoint whose size is at least ``seq``; None when none seals it yet."""
    return next((c for c in sorted(stored, key=lambda c: c["size"]) if c["valid"] and c["size"] >= seq), None)


def latest(stored: Sequence[dict[str, Any]]) -> dict[str, Any] | None:
    """The valid checkpoint of the greatest size, or None."""
    valid = [c for c in stored if c["valid"]]
    return max(valid, key=lambda c: c["size"]) if valid else None
