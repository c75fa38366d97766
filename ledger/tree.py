"""The stored Merkle tree of the log: perfect subtrees, written in the append transaction.

The node at ``(level, index)`` is the RFC 9162 hash of leaves ``[index·2^level, (index+1)·2^level)``.
Appending leaf ``n`` stores every perfect subtree of two or more leaves it completes, reading
only the tree's right edge (at most log2 n nodes); a leaf's own hash (level 0) is not stored,
it is computed from the hash the log holds (``ledger.store.stored_leaf``). Any subtree hash a
proof needs is then one stored node or log hash, or a combination of O(log n) of them — proofs
never rehash more than the leaves they name.
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


def compact_range(first: int, leaves: Sequence[bytes]) -> list[tuple[int, bytes]]:
    """The perfect subtrees that leaves ``[first, first + len(leaves))`` of any tree make up,
    left to right, as (width, hash): each starts at a multiple of its width, as large as the
    range allows (at most 2·log2 n of them). ``leaves`` are leaf inputs (record hashes).

    This is how a verifier's workers hash the tree over their chunks, leaving the ordered walk
    to join O(log n) subtrees per chunk instead of hashing every leaf itself.
    """
    out: list[tuple[int, bytes]] = []
    at, i, n = first, 0, len(leaves)
    while i < n:
        width = at & -at or 1 << (n - i).bit_length()
        while width > n - i:
            width >>= 1
        level = [leaf_hash(data) for data in leaves[i:i + width]]
        while len(level) > 1:
            level = [node_hash(level[k], level[k + 1]) for k in range(0, len(level), 2)]
        out.append((width, level[0]))
        at += width
        i += width
    return out


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

    def add_perfect(self, width: int, h: bytes) -> None:
        """Append ``width`` leaves at once by the hash of the perfect subtree they form.

        Requires ``width`` a power of two and the size a multiple of it (so the subtree is
        one of the tree's: RFC 9162 §2.1 splits at the largest power of two below the size).
        """
        if width <= 0 or width & (width - 1) or self.size % width:
            raise ValueError(f"{width} leaves at size {self.size} are not a perfect subtree of the tree")
        index = self.size // width
        while index & 1:
            h = node_hash(self._edge.pop(), h)
            index >>= 1
        self._edge.append(h)
        self.size += width

    def root(self) -> bytes:
        if not self._edge:
            return EMPTY_ROOT
        h = self._edge[-1]
        for left in reversed(self._edge[:-1]):
            h = node_hash(left, h)
        return h
