"""A naive RFC 9162 §2.1 Merkle tree written straight from the definitions: the test oracle.

Recursive and slicing, as the RFC states MTH, PATH and PROOF (STYLE habit 10). It hashes with
hashlib itself and shares no code with ``ledger.rfc9162``. Inputs are leaf *data*, not hashes.
"""

from __future__ import annotations

import hashlib


def _sha256(data: bytes) -> bytes:
    return hashlib.sha256(data).digest()


def _k(n: int) -> int:
    """The largest power of two smaller than n (n >= 2)."""
    k = 1
    while k * 2 < n:
        k *= 2
    return k


def mth(d: list[bytes]) -> bytes:
    """MTH(D[n]) (§2.1.1)."""
    if not d:
        return _sha256(b"")
    if len(d) == 1:
        return _sha256(b"\x00" + d[0])
    k = _k(len(d))
    return _sha256(b"\x01" + mth(d[:k]) + mth(d[k:]))


def path(m: int, d: list[bytes]) -> list[bytes]:
    """PATH(m, D[n]) (§2.1.3.1)."""
    if len(d) == 1:
        return []
    k = _k(len(d))
    if m < k:
        return path(m, d[:k]) + [mth(d[k:])]
    return path(m - k, d[k:]) + [mth(d[:k])]


def proof(m: int, d: list[bytes]) -> list[bytes]:
    """PROOF(m, D[n]) = SUBPROOF(m, D[n], true) (§2.1.4.1)."""
    return _subproof(m, d, True)


def _subproof(m: int, d: list[bytes], b: bool) -> list[bytes]:
    if m == len(d):
        return [] if b else [mth(d)]
    k = _k(len(d))
    if m <= k:
        return _subproof(m, d[:k], b) + [mth(d[k:])]
    return _subproof(m - k, d[k:], False) + [mth(d[:k])]


def split_ranges(size: int) -> set[tuple[int, int]]:
    """Every range [lo, hi) whose MTH the §2.1.1 recursion over D[size] computes."""
    ranges: set[tuple[int, int]] = set()

    def visit(lo: int, hi: int) -> None:
        ranges.add((lo, hi))
        if hi - lo > 1:
            mid = lo + _k(hi - lo)
            visit(lo, mid)
            visit(mid, hi)

    if size:
        visit(0, size)
    return ranges
