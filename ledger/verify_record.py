"""Verification steps (2) and (4) of ``ledger.verify``, for one stored position at a time:
pure functions that the verifier runs in worker processes on every core.

(2) the record: the envelope frames a JSON object of exactly the nine SPEC members, of the
right JSON types, whose bytes are canonical (RFC 8785) and hash to the stored and logged hash;
(4) the signature: Ed25519 over the stored body with the key the record names, if that key was
declared anywhere in the actors stream (whether it was *valid* at that seq is decided in order
by the verifier).

Workers send back a compact :class:`Checked` tuple per position, never the parsed record: what
crosses the process boundary is pickled twice, and for a verifier running at the speed of
Ed25519 that costs more than the parsing.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import json
from collections.abc import Iterable
from typing import Any, NamedTuple
from uuid import UUID, uuid5

import nacl._sodium
import orjson

from ledger.canonical import canonical_bytes
from ledger.errors import LedgerError
from ledger.keys import key_id as key_id_of
from ledger.record import RECORD_MEMBERS, EnvelopeError, open_envelope, split_envelope


class Position(NamedTuple):
    """One entry of the log as the verifier receives it, from a database or a bundle."""

    seq: int
    log_hash: str | None  # the hash the log (or the bundle line) holds for this seq
    state: bytes | tuple[bytes, bytes, bytes] | None  # the stored envelope, or a bundle line's
    # (body, hash, sig) already split (ledger.bundle); None when the event is missing
    originator_id: str | None = None  # where the database stores it, 32 hex digits (None for bundles)
    version: int | None = None


class Checked(NamedTuple):
    """What a worker found at one position: the members the ordered steps read, or ``None``
    for all of them when there is no readable record; the problems of step (2); the signature
    status of step (4): ``ok``, ``bad``, ``unknown`` (key never declared) or ``n/a``; and
    whether the record's stream and version are where the source stored it (step 3).

    :func:`check` returns these fields as a *plain* tuple in this order: a chunk's results
    are pickled twice on their way to the ordered steps, and unpickling a NamedTuple calls
    its Python-level ``__new__`` for every event. ``Checked(*row)`` names them where it helps.
    """

    seq: int
    hash: str | None  # SHA-256 of the stored body, as hex
    ledger: Any
    stream: Any
    version: Any
    type: Any
    actor: Any
    key: Any
    prev: Any
    payload: Any  # {} for types whose payload the ordered steps never read
    typed: bool  # every member has its JSON type
    problems: tuple[tuple[str, str], ...]
    sig: str
    placed: bool  # the record's stream and version are the stored ones (True where the source has none)
    again: Position | None  # the position, where the ordered steps need it again: no readable record, key unknown


SIG = Checked._fields.index("sig")


def _unreadable(position: Position, code: str, message: str) -> tuple[Any, ...]:
    return (position.seq, None, None, None, None, None, None, None, None, None, False, ((code, message),), "n/a",
            True, position)


_MEMBERS = frozenset(RECORD_MEMBERS)
_PAYLOAD_NEEDED = frozenset({"CaseOpened", "InquiryOpened", "FiguresReported", "ExitAnnounced"})
"""Types whose payload the ordered steps read; other payloads are not sent back from workers."""
_NOT_CANONICAL = ("record.not_canonical", "the stored body is not its RFC 8785 canonical form")


def _parse(body: bytes) -> tuple[Any, bool]:
    """``body`` parsed as JSON, and whether it is its own RFC 8785 form; ValueError if not JSON.

    orjson with sorted keys writes RFC 8785's bytes for every JSON value except floats and
    objects whose keys hold characters at or above U+D000 (where code-point order and RFC
    8785's UTF-16 order can part); ``tests/unit/ledger/test_verify_record.py`` pins this. So a
    body orjson writes back identically, holding neither, is canonical; anything else is
    decided the slow, exact way by the one encoder of ``ledger.canonical``.
    """
    try:
        record = orjson.loads(body)
    except orjson.JSONDecodeError:
        record = None  # maybe JSON orjson refuses (NaN, huge integers, lone surrogates)
    if record is not None:
        try:
            same = orjson.dumps(record, option=orjson.OPT_SORT_KEYS | orjson.OPT_STRICT_INTEGER) == body
        except orjson.JSONEncodeError:
            same = False
        if same and _plain(record):
            return record, True
    record = json.loads(body)  # the standard library's reading decides, as everywhere else
    try:
        return record, canonical_bytes(record) == body
    except LedgerError:  # floats, unsafe integers, lone surrogates: no canonical form
        return record, False


def _plain(value: Any) -> bool:
    """No float anywhere and no object key at or above U+D000 (loops, not generators: this
    runs for every event verified)."""
    kind = type(value)
    if kind is dict:
        for key, item in value.items():
            if not key.isascii() and max(key) >= "\ud000":
                return False
            k = type(item)
            if k is float or ((k is dict or k is list) and not _plain(item)):
                return False
        return True
    if kind is list:
        for item in value:
            k = type(item)
            if k is float or ((k is dict or k is list) and not _plain(item)):
                return False
        return True
    return kind is not float


def check(position: Position, keys: dict[str, bytes], same: dict[Any, Any] | None = None) -> tuple[Any, ...]:
    """Steps (2), (4) and the stored place of step (3) for one position, as a plain
    :class:`Checked` tuple. ``same`` collects the strings of a chunk, so each ledger id,
    stream, type, actor and key crosses to the ordered steps once per chunk (pickle writes a
    repeated object as a reference), not once per event; it also remembers stream ids."""
    seq, log_hash, state = position.seq, position.log_hash, position.state
    if state is None:
        return _unreadable(position, "event.missing", "the log has this position but its stored event is gone")
    try:
        if isinstance(state, tuple):  # a bundle line's parts
            body, hash_bytes, sig = state
        else:
            body, hash_bytes, sig = split_envelope(state)  # EnvelopeError is a ValueError
        record, canonical = _parse(body)
    except (ValueError, RecursionError):
        return _unreadable(position, "record.malformed", "the stored bytes are not a signed record")
    stored_hash = hash_bytes.decode("ascii")
    if type(record) is not dict or record.keys() != _MEMBERS:
        got = sorted(record) if isinstance(record, dict) else type(record).__name__
        return _unreadable(position, "record.malformed", f"a record has exactly the nine SPEC members (got {got})")
    actual = hashlib.sha256(body).hexdigest()
    problems: tuple[tuple[str, str], ...] = ()
    if not canonical or actual != stored_hash or (log_hash is not None and log_hash != actual):
        problems = _record_problems(canonical, actual, stored_hash, log_hash)
    ledger, stream, version, rtype = record["ledger"], record["stream"], record["version"], record["type"]
    actor, key, payload, prev = record["actor"], record["key"], record["payload"], record["prev"]
    typed = (type(ledger) is str and type(stream) is str and type(rtype) is str and type(actor) is str
             and type(key) is str and type(prev) is str and type(record["recorded_at"]) is str
             and type(version) is int and type(payload) is dict)
    public = keys.get(key) if type(key) is str else None
    status = "unknown" if public is None else ("ok" if signature_ok(public, body, sig) else "bad")
    placed = True
    if typed:
        if stream != "actors" and rtype not in _PAYLOAD_NEEDED:
            payload = {}
        if same is None:
            same = {}
        one = same.setdefault
        ledger, stream, rtype, actor, key = one(ledger, ledger), one(stream, stream), one(rtype, rtype), one(actor, actor), one(key, key)
        if position.originator_id is not None:
            placed = version == position.version and _stream_id(ledger, stream, same) == position.originator_id
    return (seq, actual, ledger, stream, version, rtype, actor, key, prev, payload, typed, problems, status, placed,
            position if public is None else None)


def _record_problems(canonical: bool, actual: str, stored_hash: str, log_hash: str | None) -> tuple[tuple[str, str], ...]:
    problems = []
    if not canonical:
        problems.append(_NOT_CANONICAL)
    if actual != stored_hash:
        problems.append(("record.hash_mismatch", f"SHA-256 of the body is {actual[:16]}…, the stored hash says {stored_hash[:16]}…"))
    if log_hash is not None and log_hash != actual:
        problems.append(("log.hash_mismatch", f"the log holds {log_hash[:16]}… for this seq, the body hashes to {actual[:16]}…"))
    return tuple(problems)


def _stream_id(ledger: Any, stream: Any, known: dict[Any, Any]) -> str | None:
    """The aggregate id (hex) a database stores ``stream`` of ``ledger`` under (SPEC §1), or
    None when the ledger id is no UUID; remembered in ``known``."""
    pair = (ledger, stream)
    found = known.get(pair)
    if found is None:
        try:
            found = uuid5(UUID(ledger), stream).hex
        except ValueError:
            found = ""
        known[pair] = found
    return found or None


_lib, _ffi = nacl._sodium.lib, nacl._sodium.ffi


def signature_ok(public: bytes, body: bytes, sig: bytes) -> bool:
    """Whether ``sig`` (the stored base64 text, canonical form only) signs ``body`` under ``public``.

    Calls libsodium's ``crypto_sign_open`` through PyNaCl's own cffi binding with no output
    buffer: it then only verifies, saving the wrapper's checks, allocation and copy of the
    body (1.5 µs of a 60 µs check). ``tests/unit/ledger/test_verify_record.py`` pins that it
    judges exactly as ``nacl.bindings.crypto_sign_open`` and canonical base64 do.
    """
    # 64 bytes are 88 base64 characters ending "==", the last data character with four zero
    # bits (A, Q, g or w): the one canonical text; strict mode refuses any other character.
    if len(sig) != 88 or sig[86:] != b"==" or sig[85] not in b"AQgw" or len(public) != 32:
        return False
    try:
        raw = binascii.a2b_base64(sig, strict_mode=True)
    except binascii.Error:
        return False
    signed = raw + body
    return _lib.crypto_sign_open(_ffi.NULL, _ffi.NULL, signed, len(signed), public) == 0


def learn_keys(checked: Checked, keys: dict[str, bytes]) -> None:
    """Add the keys an actors-stream event declares to ``keys`` (key id → raw key)."""
    if checked.stream != "actors" or type(checked.payload) is not dict:
        return
    for name in ("authority_public_key", "public_key"):
        raw = raw_key(checked.payload.get(name))
        if raw is not None:
            keys[key_id_of(raw)] = raw


def raw_key(text: Any) -> bytes | None:
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
        if isinstance(record, dict) and record.get("stream") == "actors" and isinstance(record.get("payload"), dict):
            for name in ("authority_public_key", "public_key"):
                raw = raw_key(record["payload"].get(name))
                if raw is not None:
                    keys[key_id_of(raw)] = raw
    return keys


def check_chunk(chunk: list[Position], keys: dict[str, bytes]) -> list[tuple[Any, ...]]:
    """:func:`check` for each position of a chunk in order; the keys a correctly signed
    actors event declares check the signatures after it at once."""
    keys = dict(keys)
    same: dict[Any, Any] = {}
    out = []
    for position in chunk:
        checked = check(position, keys, same)
        if checked[3] == "actors" and checked[10] and checked[SIG] != "bad":
            learn_keys(Checked(*checked), keys)
        out.append(checked)
    return out
