"""Checks of single payload fields, after SPEC §1 ("The signed record", "Event catalogue").

Each check takes the field name and the value as decoded from JSON and returns the value to
store, which is the value given: a check never rewrites what the user wrote ("1.870" stays
"1.870"), it only refuses with a :class:`PayloadError` that names the field and the rule.
Decimal figures are JSON strings, counts are integers (``true`` is not a count), dates are
``YYYY-MM-DD``.
"""

from __future__ import annotations

import base64
import binascii
import json
import re
from collections.abc import Callable, Mapping
from datetime import date
from decimal import Decimal
from typing import Any

from domain.base import PayloadError

Check = Callable[[str, Any], Any]
"""``check(field, value) -> value``; raises :class:`PayloadError` on a bad value."""

ACTOR_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{0,63}")
CASE_STREAM = re.compile(r"case:(\d{6})-(\d{4})")
INQUIRY_STREAM = re.compile(r"inquiry:[A-Za-z0-9][A-Za-z0-9._-]{0,63}")
NATION = "000000"

_DECIMAL = re.compile(r"-?\d+(\.\d{1,4})?")
_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
_HASH = re.compile(r"[0-9a-f]{64}")
_ORIGIN = re.compile(r"exitledger/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")


def shown(value: Any) -> str:
    """How a refused value is quoted in a message: as JSON, with what kind of value it is."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return f"{'true' if value else 'false'}, a boolean"
    if isinstance(value, (int, float)):
        return f"{json.dumps(value)}, a number"
    if isinstance(value, str):
        text = value if len(value) <= 80 else value[:77] + "..."
        return f"{json.dumps(text, ensure_ascii=False)}, a string"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, Mapping):
        return "an object"
    return f"{value!r}, a Python {type(value).__name__}, not a JSON value"


def text(field: str, value: Any) -> str:
    if not isinstance(value, str) or not value.strip():
        raise PayloadError(field, f"must be a non-empty string (got {shown(value)})")
    return value


def boolean(field: str, value: Any) -> bool:
    if not isinstance(value, bool):
        raise PayloadError(field, f"must be true or false (got {shown(value)})")
    return value


def _bounds(low: Decimal | int | None, high: Decimal | int | None) -> str:
    if low is not None and high is not None:
        return f"between {low} and {high}"
    return f"at least {low}" if low is not None else f"at most {high}"


def count(low: int = 0, high: int | None = None) -> Check:
    """A whole number (JSON integer, not a boolean) within ``low``..``high``."""

    def check(field: str, value: Any) -> int:
        if isinstance(value, bool) or not isinstance(value, int):
            raise PayloadError(field, f"must be a whole number (got {shown(value)})")
        if value < low or (high is not None and value > high):
            raise PayloadError(field, f"must be {_bounds(low, high)} (got {value})")
        return value

    return check


def decimal(
    low: Decimal | None,
    high: Decimal | None,
    *,
    example: str = "1.87",
    above_low: bool = False,
) -> Check:
    """A plain decimal string (at most 4 decimals) within ``low``..``high``.

    ``above_low`` makes the lower bound exclusive.
    """

    def check(field: str, value: Any) -> str:
        if not isinstance(value, str):
            raise PayloadError(field, f'must be a decimal string such as "{example}" (got {shown(value)})')
        if not _DECIMAL.fullmatch(value):
            raise PayloadError(
                field,
                f'must be a plain decimal string with at most 4 decimals such as "{example}" (got {shown(value)})',
            )
        number = Decimal(value)
        too_low = low is not None and (number <= low if above_low else number < low)
        if too_low or (high is not None and number > high):
            rule = f"above {low} and at most {high}" if above_low else _bounds(low, high)
            raise PayloadError(field, f"must be {rule} (got {json.dumps(value)})")
        return value

    return check


percentage = decimal(Decimal(0), Decimal(100))
growth = decimal(Decimal(-100), Decimal(1000), example="8.5")
money = decimal(Decimal(0), None, example="4230.50")
incidence_limit = decimal(Decimal(0), Decimal(100), example="2", above_low=True)
indicators = count(0, 19)
year = count(2000, 2100)


def iso_date(field: str, value: Any) -> str:
    rule = 'must be a date YYYY-MM-DD such as "2019-12-10"'
    if not isinstance(value, str) or not _DATE.fullmatch(value):
        raise PayloadError(field, f"{rule} (got {shown(value)})")
    try:
        date.fromisoformat(value)
    except ValueError:
        raise PayloadError(field, f"{rule} (got {json.dumps(value)}, not a calendar date)") from None
    return value


def division(digits: int, example: str) -> Check:
    """A statistical division code of exactly ``digits`` digits."""
    pattern = re.compile(rf"\d{{{digits}}}")

    def check(field: str, value: Any) -> str:
        if not isinstance(value, str) or not pattern.fullmatch(value):
            raise PayloadError(
                field, f'must be a {digits}-digit division code such as "{example}" (got {shown(value)})'
            )
        return value

    return check


code6 = division(6, "341122")
code12 = division(12, "341122100201")


def province_code(field: str, value: Any) -> str:
    code6(field, value)
    if not value.endswith("0000") or value == "000000":
        raise PayloadError(field, f'must be a province code ending in "0000" such as "340000" (got "{value}")')
    return str(value)


def one_of(*choices: str) -> Check:
    def check(field: str, value: Any) -> str:
        if not isinstance(value, str) or value not in choices:
            raise PayloadError(field, f"must be one of {', '.join(choices)} (got {shown(value)})")
        return value

    return check


def _pattern(pattern: re.Pattern[str], rule: str) -> Check:
    def check(field: str, value: Any) -> str:
        if not isinstance(value, str) or not pattern.fullmatch(value):
            raise PayloadError(field, f"{rule} (got {shown(value)})")
        return value

    return check


actor_id = _pattern(ACTOR_ID, "must be an actor id: a letter or digit, then up to 63 of A-Z a-z 0-9 . _ -")
record_hash = _pattern(_HASH, "must be the hash of a record of this ledger: 64 lowercase hex digits")
case_stream = _pattern(CASE_STREAM, 'must be a case stream name such as "case:341122-2019"')
origin = _pattern(_ORIGIN, 'must be "exitledger/<ledger id>", the ledger id a lowercase 8-4-4-4-12 UUID')


def public_key(field: str, value: Any) -> str:
    rule = "must be a raw 32-byte Ed25519 public key in standard base64 with padding"
    if not isinstance(value, str):
        raise PayloadError(field, f"{rule} (got {shown(value)})")
    try:
        raw = base64.b64decode(value, validate=True)
    except (binascii.Error, ValueError):
        raise PayloadError(field, f"{rule} (got {shown(value)}, not base64)") from None
    if len(raw) != 32:
        raise PayloadError(field, f"{rule} (got {len(raw)} bytes)")
    return value


def list_of(item: Check, *, non_empty: bool = False) -> Check:
    """A JSON list whose every item passes ``item``; ``non_empty`` refuses ``[]``."""

    def check(field: str, value: Any) -> list[Any]:
        if not isinstance(value, list):
            raise PayloadError(field, f"must be a list (got {shown(value)})")
        if non_empty and not value:
            raise PayloadError(field, "must list at least one item (got [])")
        checked = []
        for index, each in enumerate(value):
            try:
                checked.append(item(field, each))
            except PayloadError as error:
                raise PayloadError(field, f"item {index} {error.rule}") from None
        return checked

    return check


texts = list_of(text)
