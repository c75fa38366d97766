"""The verifier's canonical check (``ledger.verify_record._parse``): orjson's quick answer is
taken only where it is provably RFC 8785's, and every other body is decided exactly; and its
signature check, which judges exactly as strict base64 and PyNaCl's own call do."""

from __future__ import annotations

import base64
import binascii
from typing import Any

import nacl.bindings
import nacl.exceptions
import nacl.signing
import orjson
import pytest
import rfc8785
from hypothesis import given, settings
from hypothesis import strategies as st

from ledger.canonical import SAFE_INT_MAX, canonical_bytes
from ledger.errors import LedgerError
from ledger.verify_record import _parse, signature_ok

texts = st.text(st.characters(exclude_categories=["Cs"]), max_size=8)
scalars = (st.none() | st.booleans() | st.integers(-2 * SAFE_INT_MAX, 2 * SAFE_INT_MAX) | texts
           | st.floats(allow_nan=False, allow_infinity=False))
values = st.recursive(
    scalars,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(texts, inner, max_size=4),
    max_leaves=16,
)


def exact(body: bytes, value: object) -> bool:
    try:
        return canonical_bytes(value) == body
    except LedgerError:
        return False


@settings(max_examples=500, deadline=None)
@given(values)
def test_orjsons_sorted_bytes_are_judged_as_rfc8785_judges_them(value: object) -> None:
    # The attacker's best chance: bytes orjson writes back identically although RFC 8785
    # would not write them (floats, unsafe integers, keys ordered by code point).
    try:
        body = orjson.dumps(value, option=orjson.OPT_SORT_KEYS)
    except orjson.JSONEncodeError:  # integers beyond 64 bits
        return
    record, canonical = _parse(body)
    assert canonical == exact(body, value)


@settings(max_examples=300, deadline=None)
@given(values)
def test_rfc8785_bytes_of_valid_records_are_canonical(value: object) -> None:
    try:
        body = canonical_bytes(value)
    except LedgerError:  # floats and unsafe integers have no canonical form here
        return
    assert _parse(body)[1] is True


@pytest.mark.parametrize("body", [
    b'{"a":1.5}',                                        # a float (SPEC §1: decimals are strings)
    b'{"a":[1,2.0]}',                                    # a float in an array
    b'{"a":9007199254740993}',                           # beyond ±(2**53 − 1)
    b'{"a":-0}',                                         # RFC 8785 writes 0
    '{"\ue000":1,"\U0001f600":2}'.encode(),              # code-point order, not UTF-16's
    b'{"b":1,"a":2}',                                    # unsorted
    b'{"a": 1}',                                         # whitespace
    b'{"a":"\\u0041"}',                                  # an escape RFC 8785 does not write
    b'{"a":1,"a":1}',                                    # a duplicate member
    b'{"a":NaN}',                                        # JSON the standard library reads
])
def test_non_canonical_bodies_are_refused(body: bytes) -> None:
    assert _parse(body)[1] is False


def test_keys_above_the_bmp_in_rfc8785_order_are_canonical() -> None:
    value: dict[str, Any] = {"\ue000": 1, "\U0001f600": 2, "县": "界首市（示例）"}
    assert _parse(rfc8785.dumps(value)) == (value, True)


def test_bodies_that_are_not_json_raise_value_error() -> None:
    with pytest.raises(ValueError):
        _parse(b'{"a":')


# -- the signature check (``signature_ok``): libsodium through PyNaCl's cffi binding, base64 by hand
_SIGNER = nacl.signing.SigningKey(b"\x07" * 32)
_PUBLIC = bytes(_SIGNER.verify_key)
_BODY = b'{"a":"\xe7\xa4\xba\xe4\xbe\x8b"}'
_SIG = base64.b64encode(_SIGNER.sign(_BODY).signature)
_ALPHABET = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/="


def _reference_ok(public: bytes, body: bytes, sig: bytes) -> bool:
    """The plain way: strict base64 that re-encodes to the same text, then PyNaCl's own call."""
    try:
        raw = base64.b64decode(sig, validate=True)
        if len(raw) != 64 or base64.b64encode(raw) != sig or len(public) != 32:
            return False
        nacl.bindings.crypto_sign_open(raw + body, public)
    except (binascii.Error, nacl.exceptions.BadSignatureError, nacl.exceptions.ValueError):
        return False
    return True


def test_a_good_signature_verifies_and_a_changed_body_or_key_does_not() -> None:
    assert signature_ok(_PUBLIC, _BODY, _SIG) is True
    assert signature_ok(_PUBLIC, _BODY + b" ", _SIG) is False
    assert signature_ok(bytes(nacl.signing.SigningKey(b"\x08" * 32).verify_key), _BODY, _SIG) is False


@settings(max_examples=400, deadline=None)
@given(st.integers(0, 87), st.sampled_from(list(_ALPHABET) + [0, 10, 32, 0x80, 0xFF]))
def test_a_signature_text_with_one_character_changed_is_judged_as_the_plain_way_judges_it(at: int, byte: int) -> None:
    # The last data character (A, Q, g, w: four zero bits) and the padding are where a
    # non-canonical text that still decodes to the same 64 bytes would hide.
    sig = _SIG[:at] + bytes([byte]) + _SIG[at + 1:]
    assert signature_ok(_PUBLIC, _BODY, sig) == _reference_ok(_PUBLIC, _BODY, sig)


@settings(max_examples=200, deadline=None)
@given(st.binary(max_size=100) | st.binary(min_size=88, max_size=88), st.binary(min_size=31, max_size=33))
def test_arbitrary_signature_texts_and_keys_are_judged_as_the_plain_way_judges_them(sig: bytes, public: bytes) -> None:
    assert signature_ok(public, _BODY, sig) == _reference_ok(public, _BODY, sig)


def test_a_signature_text_that_decodes_to_the_same_bytes_but_is_not_canonical_is_refused() -> None:
    last = _SIG[85:86]
    for other in _ALPHABET[:64]:
        sig = _SIG[:85] + bytes([other]) + _SIG[86:]
        if sig != _SIG and base64.b64decode(sig) == base64.b64decode(_SIG):
            assert signature_ok(_PUBLIC, _BODY, sig) is False, (last, bytes([other]))
            break
    else:
        pytest.fail("no other text of the same bytes was found")
