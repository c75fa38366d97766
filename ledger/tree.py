"""The stored Merkle tree of the log: perfect subtrees, written in the append transaction.

The node at ``(level, index)`` is the RFC 9162 hash of leaves ``[index·2^level, (index+1)·2^level)``.
Appending leaf ``n`` stores its leaf hash and every perfect subtree it completes, reading only
the tree's right edge (at most log2 n stored nodes). Any subtree hash a proof needs is then one
stored node or a combination of O(log n) of them — proofs never rehash leaves.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from ledger.rfc9162 import EMPTY_ROOT, leaf_hash, node_hash

Node = tuple[int, int, bytes]  # (level, index, hash)


def right_edge(size: int) -> list[tuple[int, int]]:
    """The (level, index) of the perfect subtrees that make up a tree of ``size`` leaves."""
    edge = []
    start = 0
    for level in reversed(range(size.bit_length())):
        if size >> level & 1:
            edge.append((level, start >> level))
            start += 1 << level
    return edge


def grow(size: int, leaves: Sequence[bytes], stored: Callable[[int, int], bytes]) -> list[Node]:
    """The nodes to store when ``leaves`` (leaf inputs, i.e. record hashes) are appended to a
    tree of ``size`` leaves. ``stored(level, index)`` returns an existing node."""
    made: dict[tuple[int, int], bytes] = {}
    out: list[Node] = []
    for data in leaves:
        index, level, h = size, 0, leaf_hash(data)
        made[(0, index)] = h
        out.append((0, index, h))
        while index & 1:
            left = made.get((level, index - 1))
            if left is None:
                left = stored(level, index - 1)
            h = node_hash(left, h)
            index >>= 1
            level += 1
            made[(level, index)] = h
            out.append((level, index, h))
        size += 1
    return out


def perfect_range(lo: int, hi: int) -> tuple[int, int]:
    """(level, index) of the perfect subtree covering leaves [lo, hi); ValueError otherwise."""
    width = hi - lo
    if width <= 0 or width & (width - 1) or lo % width:
        raise ValueError(f"[{lo}, {hi}) is not a perfect subtree")
    return width.bit_length() - 1, lo // width


class Accumulator:
    """The tree's right edge in memory: append leaves one by one, read the root at any time.

    O(log n) memory, so verification recomputes the whole tree from the log without storing it.
    """

    def __init__(self) -> None:
        self.size = 0
        self._edge: list[bytes] = []  # perfect subtree hashes, largest first

    def add(self, data: bytes) -> None:
        h = leaf_hash(data)
        index = self.size
        while index & 1:
            h = node_hash(self._edge.pop(), h)
            index >>= 1
        self._edge.append(h)
        self.size += 1

    def root(self) -> bytes:
        if not self._edge:
            return EMPTY_ROOT
        h = self._edge[-1]
        for left in reversed(self._edge[:-1]):
            h = node_hash(left, h)
        return h
