"""The verifier's canonical check (``ledger.verify_record._parse``): orjson's quick answer is
taken only where it is provably RFC 8785's, and every other body is decided exactly."""

from __future__ import annotations

import orjson
import pytest
import rfc8785
from hypothesis import given, settings
from hypothesis import strategies as st

from ledger.canonical import SAFE_INT_MAX, canonical_bytes
from ledger.errors import LedgerError
from ledger.verify_record import _parse

texts = st.text(st.characters(exclude_categories=("Cs",)), max_size=8)
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
    value = {"\ue000": 1, "\U0001f600": 2, "县": "界首市（示例）"}
    assert _parse(rfc8785.dumps(value)) == (value, True)


def test_bodies_that_are_not_json_raise_value_error() -> None:
    with pytest.raises(ValueError):
        _parse(b'{"a":')
