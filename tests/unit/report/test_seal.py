"""The verification summary and the checkpoint that covers a case's events."""

from __future__ import annotations

import hashlib
from typing import Any

from ledger.checkpoint import checkpoint_text, cosign, sign_checkpoint
from ledger.keys import private_key_from_seed
from ledger.signing import Signer
from ledger.verify import Problem, Report
from projections.report.seal import checkpoints, covering, latest, verification

ORIGIN = "exitledger/00000000-0000-4000-8000-000000000001"


def signer(name: str) -> Signer:
    return Signer.from_private_key(private_key_from_seed(hashlib.sha256(name.encode()).digest()))


AUTHORITY, WITNESS, STRANGER = signer("authority"), signer("witness"), signer("stranger")


def note(size: int, by: Signer = AUTHORITY) -> str:
    return sign_checkpoint(ORIGIN, size, hashlib.sha256(str(size).encode()).digest(), by)


def size(checkpoint: dict[str, Any] | None) -> int | None:
    return None if checkpoint is None else int(checkpoint["size"])


def stored(*sizes: int) -> list[dict[str, Any]]:
    return checkpoints([(s, note(s)) for s in sizes], ORIGIN, AUTHORITY.public_raw)


def test_each_note_is_opened_under_the_authority_key_with_its_size_root_and_signer() -> None:
    [c] = stored(12)
    assert c["valid"] is True and c["problem"] is None and c["size"] == 12
    assert c["root"] == hashlib.sha256(b"12").hexdigest()
    assert c["signer"].startswith(ORIGIN + "+") and len(c["signer"]) == len(ORIGIN) + 9
    assert c["witnesses"] == []


def test_a_witness_cosignature_is_listed_by_name() -> None:
    text = checkpoint_text(ORIGIN, 5, hashlib.sha256(b"5").digest())
    cosigned = note(5) + cosign(text, "witness.example", WITNESS, 1_700_000_000)
    [c] = checkpoints([(5, cosigned)], ORIGIN, AUTHORITY.public_raw)
    assert c["valid"] and c["witnesses"] == ["witness.example"]


def test_a_note_not_signed_by_the_authority_is_kept_but_marked_invalid() -> None:
    [c] = checkpoints([(7, note(7, STRANGER))], ORIGIN, AUTHORITY.public_raw)
    assert c["valid"] is False and c["size"] == 7 and c["root"] is None and c["problem"]


def test_the_covering_checkpoint_is_the_first_whose_size_reaches_the_newest_event() -> None:
    cps = stored(100, 40, 60)
    assert [c["size"] for c in cps] == [40, 60, 100]
    assert size(covering(cps, 40)) == 40
    assert size(covering(cps, 41)) == 60
    assert size(covering(cps, 100)) == 100
    assert covering(cps, 101) is None
    assert covering([], 1) is None
    assert size(latest(cps)) == 100 and latest([]) is None


def test_an_invalid_checkpoint_never_covers() -> None:
    cps = checkpoints([(50, note(50, STRANGER)), (80, note(80))], ORIGIN, AUTHORITY.public_raw)
    assert size(covering(cps, 45)) == 80
    assert latest(checkpoints([(50, note(50, STRANGER))], ORIGIN, AUTHORITY.public_raw)) is None


def test_verification_is_summarised_with_its_problems() -> None:
    good = verification(Report(ledger="x", events=3))
    assert good == {"ok": True, "events": 3, "problems": [], "warnings": []}
    bad = Report(ledger="x", events=3, problems=[Problem(2, "case:1", 1, "record.hash", "hash differs")],
                 warnings=["nothing sealed"])
    summary = verification(bad)
    assert summary["ok"] is False and summary["warnings"] == ["nothing sealed"]
    assert summary["problems"] == [{"seq": 2, "stream": "case:1", "version": 1, "code": "record.hash",
                                    "message": "hash differs"}]
