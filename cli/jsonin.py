"""Reading JSON a user typed or handed over: strict I-JSON (RFC 7493), as RFC 8785 assumes."""

from __future__ import annotations

import json
from typing import Any

from ledger.errors import InputError


class Fraction(float):
    """A JSON number with a fraction or exponent, kept so the domain can name the field holding it
    (rates are decimal strings, never numbers)."""


def _object(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for name, value in pairs:
        if name in out:
            raise _Duplicate(name)
        out[name] = value
    return out


class _Duplicate(ValueError):
    def __init__(self, name: str) -> None:
        super().__init__(name)
        self.name = name


_DECODER = json.JSONDecoder(parse_float=Fraction, object_pairs_hook=_object)
"""What ``json.loads(text, parse_float=…, object_pairs_hook=…)`` builds anew for every call (a
third of the time an ``import`` line takes to parse)."""


def loads(text: str, where: str) -> Any:
    """Parse ``text``; InputError prefixed with ``where`` for malformed JSON, duplicate member
    names (which RFC 8785 cannot sign unambiguously) or absurd nesting."""
    try:
        if text.startswith("\ufeff"):  # json.loads refuses a BOM before decoding; so do we
            raise json.JSONDecodeError("Unexpected UTF-8 BOM (decode using utf-8-sig)", text, 0)
        return _DECODER.decode(text)
    except _Duplicate as e:
        raise InputError(f"{where}: member {e.name!r} appears twice in one object") from None
    except json.JSONDecodeError as e:
        raise InputError(f"{where}: malformed JSON ({e.msg} at line {e.lineno} column {e.colno})") from None
    except RecursionError:
        raise InputError(f"{where}: JSON nested too deeply") from None
