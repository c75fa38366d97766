"""Verification steps (2) and (4) of ``ledger.verify``, for one stored position at a time:
pure functions that the verifier runs in worker processes on every core.

(2) the record: the envelope frames a JSON object of exactly the nine SPEC members, of the
right JSON types, whose bytes are canonical (RFC 8785) and hash to the stored and logged hash;
(4) the signature: Ed25519 over the stored body with the key the record names, if that key was
declared anywhere in the actors stream (whether it was *valid* at that seq is decided in order
by the verifier).
"""

from __future__ import annotations

import base64
import hashlib
import json
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from ledger.canonical import canonical_bytes
from ledger.errors import LedgerError
from ledger.keys import key_id as key_id_of
from ledger.record import RECORD_MEMBERS, EnvelopeError, open_envelope
from ledger.signing import verify_signature

Checked = tuple[Any, list[tuple[str, str]], str]
"""(record or None, problems as (code, message), signature status ok/bad/unknown/n/a)."""


@dataclass(frozen=True)
class Position:
    """One entry of the log as the verifier receives it, from a database or a bundle."""

    seq: int
    log_hash: str | None  # the hash the log (or the bundle line) holds for this seq
    state: bytes | None  # the stored envelope; None when the event is missing
    originator_id: str | None = None  # where the database stores it, 32 hex digits (None for bundles)
    version: int | None = None




def _is_canonical(body: bytes, record: Any) -> bool:
    try:
        fast = json.dumps(record, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()
    except UnicodeEncodeError:  # a lone surrogate: no canonical form at all
        return False
    if fast == body:
        return True
    try:
        return canonical_bytes(record) == body
    except LedgerError:
        return False


def _check_record(position: Position, keys: dict[str, bytes]) -> tuple[Any, list[tuple[str, str]], str]:
    """Parse and check one position; returns (record or None, problems, signature status)."""
    problems: list[tuple[str, str]] = []
    if position.state is None:
        return None, [("event.missing", "the log has this position but its stored event is gone")], "n/a"
    try:
        sealed = open_envelope(position.state)
        record = json.loads(sealed.body)
    except (EnvelopeError, ValueError, RecursionError):
        return None, [("record.malformed", "the stored bytes are not a signed record")], "n/a"
    if not isinstance(record, dict) or set(record) != set(RECORD_MEMBERS):
        got = sorted(record) if isinstance(record, dict) else type(record).__name__
        return None, [("record.malformed", f"a record has exactly the nine SPEC members (got {got})")], "n/a"
    if not _is_canonical(sealed.body, record):
        problems.append(("record.not_canonical", "the stored body is not its RFC 8785 canonical form"))
    actual = hashlib.sha256(sealed.body).hexdigest()
    if actual != sealed.hash:
        problems.append(("record.hash_mismatch", f"SHA-256 of the body is {actual[:16]}…, the stored hash says {sealed.hash[:16]}…"))
    if position.log_hash is not None and position.log_hash != actual:
        problems.append(("log.hash_mismatch", f"the log holds {position.log_hash[:16]}… for this seq, the body hashes to {actual[:16]}…"))
    record["_hash"] = actual
    record["_typed"] = (
        all(type(record[k]) is str for k in _STRING_MEMBERS)
        and type(record["version"]) is int and type(record["payload"]) is dict
    )
    public = keys.get(record["key"]) if type(record["key"]) is str else None
    status = "unknown" if public is None else ("ok" if _signature_ok(public, sealed.body, sealed.sig) else "bad")
    if record.get("stream") != "actors" and record.get("type") not in _PAYLOAD_NEEDED:
        record["payload"] = {} if isinstance(record.get("payload"), dict) else record.get("payload")
    return record, problems, status


_STRING_MEMBERS = ("ledger", "stream", "type", "recorded_at", "actor", "key", "prev")
_PAYLOAD_NEEDED = frozenset({"CaseOpened", "InquiryOpened", "FiguresReported", "ExitAnnounced"})
"""Types whose payload the ordered steps read; other payloads are not sent back from workers."""


def _signature_ok(public: bytes, body: bytes, sig: str) -> bool:
    try:
        verify_signature(public, body, sig)
    except LedgerError:
        return False
    return True


def _learn_keys(record: dict[str, Any], keys: dict[str, bytes]) -> None:
    payload = record.get("payload")
    if record.get("stream") != "actors" or not isinstance(payload, dict):
        return
    for name in ("authority_public_key", "public_key"):
        raw = _raw_key(payload.get(name))
        if raw is not None:
            keys[key_id_of(raw)] = raw


def _raw_key(text: Any) -> bytes | None:
    if not isinstance(text, str):
        return None
    try:
        raw = base64.b64decode(text, validate=True)
    except ValueError:
        return None
    return raw if len(raw) == 32 else None


def key_hints(states: Iterable[bytes | None]) -> dict[str, bytes]:
    """Every key declared by the given stored events of the actors stream, trusted for nothing:
    handing them to the workers up front lets them check signatures the moment a chunk arrives,
    while whether a key was valid at a seq is still decided in order by the main process."""
    keys: dict[str, bytes] = {}
    for state in states:
        try:
            record = json.loads(open_envelope(state or b"").body)
        except (EnvelopeError, ValueError, RecursionError):
            continue
        if isinstance(record, dict):
            _learn_keys(record, keys)
    return keys


def _check_chunk(chunk: list[Position], keys: dict[str, bytes]) -> list[tuple[Any, list[tuple[str, str]], str]]:
    keys = dict(keys)
    out = []
    for position in chunk:
        result = _check_record(position, keys)
        if result[0] is not None and result[2] != "bad":
            _learn_keys(result[0], keys)
        out.append(result)
    return out
