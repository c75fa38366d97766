"""The one encoder of every hashed or signed byte (SPEC §1 "The signed record"; STYLE habit 3).

``body`` is the record serialised with the JSON Canonicalization Scheme (RFC 8785), UTF-8, and
``hash`` is the lowercase hex SHA-256 of ``body``. Serialisation itself is the ``rfc8785``
package's; this module only refuses, up front and with the JSON path of the offending value,
what SPEC §1 forbids or what RFC 8785 cannot encode exactly:

- floats anywhere (decimal figures are strings holding a plain decimal, SPEC §1);
- integers outside the I-JSON safe range ±(2**53 − 1) (RFC 8785 §3.2.2.3, RFC 7493 §2.2);
- anything but ``None``, ``bool``, ``int``, ``str``, ``list``/``tuple`` and ``dict`` with ``str``
  keys, and strings that are not encodable as UTF-8 (lone surrogates).
"""

from __future__ import annotations

import hashlib
import re
from typing import Any

import orjson
import rfc8785

from ledger.errors import InputError

SAFE_INT_MAX = 2**53 - 1
"""Largest integer magnitude accepted; beyond it a JSON number loses precision in IEEE 754."""

_IDENTIFIER = re.compile(r"[A-Za-z_][A-Za-z0-9_]*\Z")


def canonical_bytes(obj: Any) -> bytes:
    """Return the RFC 8785 serialisation of ``obj`` as UTF-8 bytes.

    Raises :class:`InputError` naming the JSON path (``$.payload.rate``) of the first value that
    is a float, an out-of-range integer, a non-JSON type, a non-string object key or a string
    that is not valid Unicode. The same ``obj`` always gives the same bytes.

    Once those are excluded, RFC 8785 and ``orjson.dumps(option=OPT_SORT_KEYS)`` write the same
    bytes — integers alike, the same string escapes (``\\n``-style short forms, ``\\u00xx``
    lowercase for other controls) — except for the order of object keys holding characters
    above U+D7FF (UTF-16 code units vs code points). So orjson, 4× faster, writes every
    record whose keys stay below that, and ``rfc8785`` writes the rest (a property test pins
    the equivalence).
    """
    fast = _fast_ok(obj)
    if fast is None:
        _check(obj, "$")  # names the path of what is wrong
        fast = False  # only subclasses of JSON types get here: let rfc8785 decide
    if fast:
        return orjson.dumps(obj, option=orjson.OPT_SORT_KEYS)
    try:
        return rfc8785.dumps(obj)
    except rfc8785.CanonicalizationError as exc:  # _fast_ok should have caught it; keep one family
        raise InputError(f"cannot canonicalise value: {exc}") from None


def _fast_ok(value: Any) -> bool | None:
    """None when ``value`` breaks a rule; else whether the standard library's order is RFC 8785's.

    Scalars are handled inline: records are shallow, and this runs for every event appended.
    """
    kind = type(value)
    if kind is dict:
        ok = True
        for key, item in value.items():
            if type(key) is not str:
                return None
            if not key.isascii():
                if not _encodable(key):
                    return None
                if max(key) > "\ud7ff":
                    ok = False
            item_kind = type(item)
            if item_kind is str:
                if not item.isascii() and not _encodable(item):
                    return None
            elif item_kind is int:
                if not -SAFE_INT_MAX <= item <= SAFE_INT_MAX:
                    return None
            elif item is None or item_kind is bool:
                pass
            else:
                inner = _fast_ok(item)
                if inner is None:
                    return None
                ok = ok and inner
        return ok
    if kind is str:
        return True if value.isascii() or _encodable(value) else None
    if kind is int:
        return True if -SAFE_INT_MAX <= value <= SAFE_INT_MAX else None
    if value is None or kind is bool:
        return True
    if kind is list or kind is tuple:
        ok = True
        for item in value:
            inner = _fast_ok(item)
            if inner is None:
                return None
            ok = ok and inner
        return ok
    return None  # floats, subclasses and every other type: let _check name the path


def _encodable(text: str) -> bool:
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def record_hash(body: bytes) -> str:
    """Return the record ``hash``: lowercase hex SHA-256 of ``body`` (SPEC §1)."""
    return hashlib.sha256(body).hexdigest()


def _check(value: Any, path: str) -> None:
    if value is None or isinstance(value, bool):
        return
    if isinstance(value, int):
        if not -SAFE_INT_MAX <= value <= SAFE_INT_MAX:
            raise InputError(f"{path}: integer {value} is outside ±(2**53 − 1); use a string")
        return
    if isinstance(value, float):
        raise InputError(f"{path}: floats are not allowed; write decimals as strings (\"1.87\")")
    if isinstance(value, str):
        _check_text(value, path)
        return
    if isinstance(value, (list, tuple)):
        for index, item in enumerate(value):
            _check(item, f"{path}[{index}]")
        return
    if isinstance(value, dict):
        for key, item in value.items():
            if not isinstance(key, str):
                raise InputError(f"{path}: object key {key!r} is not a string")
            _check_text(key, path)
            _check(item, _member_path(path, key))
        return
    raise InputError(f"{path}: {type(value).__name__} is not a JSON value")


def _check_text(text: str, path: str) -> None:
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        raise InputError(f"{path}: string is not valid Unicode (lone surrogate)") from None


def _member_path(path: str, key: str) -> str:
    if _IDENTIFIER.match(key):
        return f"{path}.{key}"
    escaped = key.replace("\\", "\\\\").replace('"', '\\"')
    return f'{path}["{escaped}"]'
