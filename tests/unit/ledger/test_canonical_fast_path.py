"""The orjson fast path of ``canonical_bytes`` writes exactly what RFC 8785 writes."""

from __future__ import annotations

from typing import Any

import rfc8785
from hypothesis import given, settings
from hypothesis import strategies as st

from ledger.canonical import SAFE_INT_MAX, canonical_bytes

texts = st.text(st.characters(exclude_categories=["Cs"]), max_size=12)
scalars = st.none() | st.booleans() | st.integers(-SAFE_INT_MAX, SAFE_INT_MAX) | texts
values = st.recursive(
    scalars,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(texts, inner, max_size=4),
    max_leaves=20,
)


@settings(max_examples=400, deadline=None)
@given(values)
def test_writes_the_same_bytes_as_rfc8785_for_any_json_value(value: Any) -> None:
    assert canonical_bytes(value) == rfc8785.dumps(value)


def test_orders_keys_above_the_bmp_by_utf16_code_units_as_rfc8785_does() -> None:
    # U+1F600 sorts before U+FF21 in UTF-16 (D83D < FF21) but after it by code point.
    value = {"\uff21": 1, "\U0001f600": 2, "a": 3}
    assert canonical_bytes(value) == rfc8785.dumps(value)
    assert canonical_bytes(value).index("\U0001f600".encode()) < canonical_bytes(value).index("\uff21".encode())


def test_escapes_control_characters_as_rfc8785_does() -> None:
    value = {"s": "\x00\x01\x08\t\n\x0b\x0c\r\x1f\x7f\"\\/\u2028"}
    assert canonical_bytes(value) == rfc8785.dumps(value)
