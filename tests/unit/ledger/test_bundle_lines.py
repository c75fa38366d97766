"""How a verifier reads a line of ``events.jsonl`` that export wrote (``ledger.bundle._exported``):
at fixed offsets, accepting exactly the lines of the pattern below and nothing else, and
handing the check the body, hash and signature as they stand in the line."""

from __future__ import annotations

import base64
import hashlib
import re
from datetime import datetime, timezone

import nacl.signing
from hypothesis import given, settings
from hypothesis import strategies as st

from ledger.bundle import _exported
from ledger.canonical import canonical_bytes
from ledger.keys import key_id
from ledger.record import GENESIS_PREV, build_record, envelope, export_line
from ledger.verify_record import Position, check

EXPORTED = re.compile(rb'\{"seq": (\d+), "hash": "([0-9a-f]{64})", "sig": "([A-Za-z0-9+/=]{88})", "record": ')
"""SPEC §2's event line up to the record, as a regular expression: the reference."""

_SIGNER = nacl.signing.SigningKey(b"\x05" * 32)
_PUBLIC = bytes(_SIGNER.verify_key)
_BODY = canonical_bytes(build_record(
    ledger="6f1c6a52-1d2b-4c39-9a1e-3f0f3f9d2c11", stream="case:341221-2019", version=1, type="CaseOpened",
    recorded_at=datetime(2019, 8, 8, 8, tzinfo=timezone.utc), actor="ah-office", key=key_id(_PUBLIC),
    payload={"county_name": "临泉县", "year": 2019}, prev=GENESIS_PREV))
_HASH = hashlib.sha256(_BODY).hexdigest().encode()
_SIG = base64.b64encode(_SIGNER.sign(_BODY).signature)
LINE = export_line(1234, _BODY, _HASH, _SIG)


def reference(line: bytes) -> Position | None:
    found = EXPORTED.match(line)
    if found is None or not line.endswith(b"}}\n"):
        return None
    seq, hash_, sig = found.group(1, 2, 3)
    return Position(int(seq), hash_.decode(), (line[found.end():-2], hash_, sig))


def test_a_line_export_wrote_is_read_as_its_parts_and_checked_as_its_envelope_would_be() -> None:
    keys = {key_id(_PUBLIC): _PUBLIC}
    parts = _exported(LINE)
    assert parts == Position(1234, _HASH.decode(), (_BODY, _HASH, _SIG))
    checked = check(parts, keys)
    assert checked == check(Position(1234, _HASH.decode(), envelope(_BODY, _HASH.decode(), _SIG)), keys)
    assert (checked[1], checked[5], checked[11], checked[12]) == (_HASH.decode(), "CaseOpened", (), "ok")


@settings(max_examples=2000, deadline=None)
@given(st.integers(0, len(LINE) - 1), st.sampled_from(list(b'0aAf9gz+/="\\ ,:{}\n\x00\xe7') + [0x80, 0xFF]))
def test_a_line_with_one_byte_changed_is_accepted_exactly_when_the_pattern_accepts_it(at: int, byte: int) -> None:
    line = LINE[:at] + bytes([byte]) + LINE[at + 1:]
    assert _exported(line) == reference(line)


@settings(max_examples=500, deadline=None)
@given(st.integers(0, len(LINE) - 1), st.integers(0, 3), st.binary(max_size=3))
def test_a_line_with_bytes_cut_or_inserted_is_accepted_exactly_when_the_pattern_accepts_it(
    at: int, cut: int, inserted: bytes
) -> None:
    line = LINE[:at] + inserted + LINE[at + cut:]
    assert _exported(line) == reference(line)


def test_seq_digits_and_the_short_lines_the_pattern_refuses() -> None:
    for line in [b"", b"\n", b'{"seq": ', b'{"seq": , "hash"', LINE.replace(b"1234", b""),
                 LINE.replace(b"1234", b"-1"), LINE.replace(b"1234", b"\xd9\xa1"), LINE[:-1], LINE[:-3] + b"}\n",
                 LINE.replace(b'"record": ', b'"record":')]:
        assert _exported(line) is None and reference(line) is None, line
    assert _exported(LINE.replace(b"1234", b"0007")) == reference(LINE.replace(b"1234", b"0007"))
