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
    """
    _check(obj, "$")
    try:
        return rfc8785.dumps(obj)
    except rfc8785.CanonicalizationError as exc:  # _check should have caught it; keep one family
        raise InputError(f"cannot canonicalise value: {exc}") from None


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
