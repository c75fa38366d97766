"""RFC 8785 canonical bytes of records (SPEC §1): golden bytes and refusals."""

from __future__ import annotations

import hashlib
from decimal import Decimal
from typing import Any

import pytest

from ledger.canonical import canonical_bytes, record_hash
from ledger.errors import InputError

from .vectors import load_vector

# Written out by hand from SPEC §1 and RFC 8785 §3.2 (members sorted, no whitespace, raw UTF-8,
# only the mandatory escapes), not produced by the encoder under test.
HAND_WRITTEN_RECORD_BODY = (
    '{"actor":"ledger-authority",'
    '"key":"0123456789abcdef",'
    '"ledger":"6f1c2a3e-8b4d-4c5e-9f60-1a2b3c4d5e6f",'
    '"payload":{'
    '"city_code":"340800","city_name":"安庆市",'
    '"county_code":"340828","county_name":"岳西县",'
    r'"findings":["贫困发生率 1.87%","\"quoted\" & \\ back\tslash"],'
    '"nested":{"10":"ten","9":"nine","a":[3,{"x":"1","y":"2"}],"b":{"a":null,"z":true}},'
    '"opened_on":"2018-01-15","tier":"national","year":2018},'
    '"prev":"0000000000000000000000000000000000000000000000000000000000000000",'
    '"recorded_at":"2018-01-15T08:00:00.000000Z",'
    '"stream":"case:340828-2018",'
    '"type":"CaseOpened",'
    '"version":1}'
).encode("utf-8")


@pytest.fixture
def record_vector() -> dict[str, Any]:
    vector: dict[str, Any] = load_vector("canonical-record.json")
    return vector


def test_serialises_the_record_vector_to_its_pinned_bytes(record_vector: dict[str, Any]) -> None:
    assert canonical_bytes(record_vector["record"]) == record_vector["body"].encode("utf-8")


def test_hashes_the_record_vector_to_its_pinned_hash(record_vector: dict[str, Any]) -> None:
    assert record_hash(canonical_bytes(record_vector["record"])) == record_vector["sha256"]


def test_matches_the_hand_written_body_of_the_record_vector(record_vector: dict[str, Any]) -> None:
    assert canonical_bytes(record_vector["record"]) == HAND_WRITTEN_RECORD_BODY
    assert hashlib.sha256(HAND_WRITTEN_RECORD_BODY).hexdigest() == record_vector["sha256"]


def test_writes_chinese_text_as_raw_utf8_not_as_escapes() -> None:
    body = canonical_bytes({"county_name": "岳西县"})

    assert body == b'{"county_name":"' + "岳西县".encode("utf-8") + b'"}'
    assert b"\\u" not in body


def test_gives_the_same_bytes_whatever_the_insertion_order() -> None:
    assert canonical_bytes({"b": {"y": 1, "x": 2}, "a": 0}) == canonical_bytes(
        {"a": 0, "b": {"x": 2, "y": 1}}
    )
    assert canonical_bytes({"b": {"y": 1, "x": 2}, "a": 0}) == b'{"a":0,"b":{"x":2,"y":1}}'


def test_orders_members_by_utf16_code_units_not_code_points() -> None:
    # U+1F600 is D83D DE00 in UTF-16, which sorts before U+E000 (RFC 8785 §3.2.3).
    body = canonical_bytes({"\ue000": 1, "\U0001f600": 2})

    assert body == '{"\U0001f600":2,"\ue000":1}'.encode("utf-8")


def test_escapes_only_what_rfc8785_requires() -> None:
    body = canonical_bytes({"s": 'a\x0fb\n"\\/€\x7f'})

    assert body == b'{"s":"a\\u000fb\\n\\"\\\\/' + "€".encode("utf-8") + b'\x7f"}'


def test_keeps_empty_containers_and_literals() -> None:
    assert canonical_bytes({"a": [], "b": {}, "c": None, "d": True, "e": False}) == (
        b'{"a":[],"b":{},"c":null,"d":true,"e":false}'
    )


def test_refuses_a_float_naming_its_json_path() -> None:
    with pytest.raises(InputError, match=r"\$\.payload\.rates\[1\]: floats are not allowed"):
        canonical_bytes({"payload": {"rates": [1, 2.5]}})


@pytest.mark.parametrize("value", [1.0, 0.0, float("nan"), float("inf")])
def test_refuses_every_float_even_an_integral_one(value: float) -> None:
    with pytest.raises(InputError, match=r"\$\.x: floats"):
        canonical_bytes({"x": value})


def test_names_member_paths_that_are_not_identifiers_in_brackets() -> None:
    with pytest.raises(InputError, match=r'\$\.payload\["poverty incidence"\]'):
        canonical_bytes({"payload": {"poverty incidence": 1.87}})


@pytest.mark.parametrize("value", [2**53 - 1, -(2**53 - 1), 0])
def test_accepts_integers_within_the_safe_range(value: int) -> None:
    assert canonical_bytes({"n": value}) == b'{"n":' + str(value).encode() + b"}"


@pytest.mark.parametrize("value", [2**53, -(2**53), 10**30])
def test_refuses_integers_beyond_the_safe_range(value: int) -> None:
    with pytest.raises(InputError, match=r"\$\.payload\.count: integer"):
        canonical_bytes({"payload": {"count": value}})


def test_does_not_mistake_booleans_for_integers() -> None:
    assert canonical_bytes([True, False, 1]) == b"[true,false,1]"


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ({1: "a"}, r"\$: object key 1 is not a string"),
        ({"d": Decimal("1.87")}, r"\$\.d: Decimal is not a JSON value"),
        ({"b": b"raw"}, r"\$\.b: bytes is not a JSON value"),
        ({"s": "\ud800"}, r"\$\.s: string is not valid Unicode"),
        ({"\udfff": 1}, r"\$: string is not valid Unicode"),
    ],
)
def test_refuses_what_json_cannot_hold(value: Any, message: str) -> None:
    with pytest.raises(InputError, match=message):
        canonical_bytes(value)


def test_record_hash_is_lowercase_hex_sha256_of_the_body() -> None:
    assert record_hash(b"") == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
    assert record_hash(b"abc") == hashlib.sha256(b"abc").hexdigest()
