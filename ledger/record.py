"""The signed record of SPEC §1 and the envelope it is stored in.

A record is the nine-member JSON object every event becomes. ``body`` is its RFC 8785 bytes,
``hash`` their SHA-256, ``sig`` an Ed25519 signature of ``body``. The stored state of an event is
the envelope ``{"hash":"<64 hex>","sig":"<88 base64>","record":<body>}`` written by
concatenation, so the body's bytes are stored, exported and verified exactly as they were signed
and are never serialised again.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import datetime, timezone
from typing import Any

from ledger.canonical import canonical_bytes

RECORD_MEMBERS = ("ledger", "stream", "version", "type", "recorded_at", "actor", "key", "payload", "prev")
GENESIS_PREV = "0" * 64

_HEAD = b'{"hash":"'
_MID = b'","sig":"'
_TAIL = b'","record":'
HASH_AT = slice(len(_HEAD), len(_HEAD) + 64)
SIG_AT = slice(HASH_AT.stop + len(_MID), HASH_AT.stop + len(_MID) + 88)
BODY_FROM = SIG_AT.stop + len(_TAIL)


def format_time(moment: datetime) -> str:
    """UTC with microseconds and ``Z`` (SPEC §1); a naive ``moment`` is taken as local time."""
    if moment.tzinfo is not timezone.utc:
        moment = moment.astimezone(timezone.utc)
    # What isoformat(timespec="microseconds") writes, at half its cost: every record has one.
    return "%04d-%02d-%02dT%02d:%02d:%02d.%06dZ" % (
        moment.year, moment.month, moment.day, moment.hour, moment.minute, moment.second, moment.microsecond)


def parse_time(text: str) -> datetime:
    """Inverse of :func:`format_time`; raises ValueError on any other form."""
    if len(text) != 27 or text[10] != "T" or text[19] != "." or text[26] != "Z":
        raise ValueError(f"not a UTC time with microseconds and Z: {text!r}")
    return datetime.fromisoformat(text[:26]).replace(tzinfo=timezone.utc)


def build_record(
    *,
    ledger: str,
    stream: str,
    version: int,
    type: str,
    recorded_at: datetime,
    actor: str,
    key: str,
    payload: dict[str, Any],
    prev: str,
) -> dict[str, Any]:
    return {
        "ledger": ledger,
        "stream": stream,
        "version": version,
        "type": type,
        "recorded_at": format_time(recorded_at),
        "actor": actor,
        "key": key,
        "payload": payload,
        "prev": prev,
    }


@dataclass(frozen=True)
class Sealed:
    """A signed record as it is stored: its exact body bytes, hash and signature."""

    body: bytes
    hash: str
    sig: str

    @property
    def envelope(self) -> bytes:
        return envelope(self.body, self.hash, self.sig.encode())


def envelope(body: bytes, hash: str, sig: bytes) -> bytes:
    """The stored state of a signed record: ``sig`` is the record ``sig`` as ASCII bytes."""
    return b"".join((_HEAD, hash.encode(), _MID, sig, _TAIL, body, b"}"))


def hashed(record: dict[str, Any]) -> tuple[bytes, str]:
    """``record``'s canonical body and its hash: everything the next event's ``prev`` needs."""
    body = canonical_bytes(record)
    return body, hashlib.sha256(body).hexdigest()


def seal(record: dict[str, Any], sign: Any) -> Sealed:
    """Canonicalise ``record`` once, hash it and sign it with ``sign(body) -> base64``."""
    body, digest = hashed(record)
    return Sealed(body=body, hash=digest, sig=sign(body))


class EnvelopeError(ValueError):
    """Stored bytes that are not an envelope written by :class:`Sealed`."""


def open_envelope(state: bytes) -> Sealed:
    """Split stored bytes into body, stored hash and signature without re-serialising.

    Raises :class:`EnvelopeError` when the framing is wrong; says nothing of whether the hash or
    signature are right (verification does that).
    """
    body, stored_hash, sig = split_envelope(bytes(state))
    return Sealed(body=body, hash=stored_hash.decode("ascii"), sig=sig.decode("ascii"))


def split_envelope(state: bytes) -> tuple[bytes, bytes, bytes]:
    """:func:`open_envelope` as three byte strings (body, hash, sig), for a caller that writes
    them out again (export) and need not build a :class:`Sealed` per event."""
    if (
        len(state) <= BODY_FROM
        or not state.startswith(_HEAD)
        or state[HASH_AT.stop : SIG_AT.start] != _MID
        or state[SIG_AT.stop : BODY_FROM] != _TAIL
        or not state.endswith(b"}")
    ):
        raise EnvelopeError("stored event is not a signed-record envelope")
    stored_hash, sig = state[HASH_AT], state[SIG_AT]
    if not (stored_hash.isascii() and sig.isascii()):
        raise EnvelopeError("stored hash or signature is not ASCII")
    return state[BODY_FROM:-1], stored_hash, sig


def export_line(seq: int, body: bytes, stored_hash: bytes, sig: bytes) -> bytes:
    """One ``events.jsonl`` line of SPEC §2, built from the stored bytes (:func:`split_envelope`)."""
    return b'{"seq": %d, "hash": "%s", "sig": "%s", "record": %s}\n' % (seq, stored_hash, sig, body)
